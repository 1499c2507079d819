"""``coprod-me flags``: run the risk rules and list the flags they raise, with the why."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any

from coprod_me.commands import DATABASE
from coprod_me.commands.output import emit, progress_printer
from coprod_me.model.cell_text import csv_field

COMMANDS = {"flags": DATABASE}
FIELDS = ("rule_id", "programme", "strand", "subject", "quarter", "severity", "status",
          "category", "why", "metrics")


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "flags", parents=[common],
        help="run the risk rules and list the flags (co-destruction, clientelism, ...)",
        description="Run every enabled risk rule and list the flags: by default "
                    "each programme's latest quarter with flags. Every flag says why it was "
                    "raised, with its numbers, its thresholds and where each comes from, "
                    "why it has its severity, its sources and the next step. The method "
                    "(what each rule detects, how it is computed, its thresholds and "
                    "sources) is in docs/rules.md.")
    p.add_argument("--programme", "-p", metavar="CODE", help="one programme (default: all)")
    p.add_argument("--quarter", "-q", metavar="QUARTER",
                   help="the quarter to list, e.g. 2024Q2 (rules run on every quarter up to it)")
    p.add_argument("--all-quarters", action="store_true", help="list every quarter's flags")
    p.add_argument("--format", choices=("table", "json", "csv"), default=None,
                   help="output format (default table; --json means json)")
    p.add_argument("--run", dest="run_rules", action=argparse.BooleanOptionalAction,
                   default=True, help="run the rules first (default); --no-run lists the "
                                      "stored flags as they are")
    p.add_argument("--open", dest="only_open", action="store_true",
                   help="only open, acknowledged or mitigating flags")


def _row(f: Any) -> dict[str, Any]:
    return {"id": f.id, "rule_id": f.rule_id, "rule_title": f.rule_title,
            "programme": f.programme, "strand": f.strand, "subject": f.subject,
            "quarter": f.quarter, "severity": f.severity,
            "computed_severity": f.computed_severity, "status": f.status,
            "category": f.category, "rule_type": f.rule_type, "why": f.why,
            "metrics": f.metrics,
            "thresholds": f.thresholds, "severity_reason": f.severity_reason,
            "sources": f.sources, "next_step": f.next_step, "citations": f.citations}


def _csv(rows: list[dict[str, Any]]) -> str:
    """The flags as CSV that a spreadsheet program opens safely (OWASP): every field quoted,
    so a ';' or ',' in a text never starts a new cell, and a formula-like text (a subject or
    a reason beginning with '=', '+', '-', '@') with an apostrophe in front (``csv_field``)."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(FIELDS)
    for r in rows:
        r = {**r, "metrics": json.dumps(r["metrics"], ensure_ascii=False, default=str)}
        w.writerow([csv_field(r[f]) for f in FIELDS])
    return buf.getvalue()


def run(args: argparse.Namespace, services: Any) -> int:
    fmt = args.format or ("json" if args.json else "table")
    runs, register = services.risk_runs, services.flag_register
    codes = [args.programme] if args.programme else services.programme_codes()
    if args.run_rules:
        summary = runs.run(args.programme, quarter=args.quarter,
                           progress=progress_printer(args))
        if fmt == "table":
            print(f"ran the rules on {summary.programmes} programme(s) in "
                  f"{summary.seconds:.2f} s: {summary.flags} flags, {summary.new} new, "
                  f"{summary.escalated} escalated, {summary.closed} closed, "
                  f"{summary.reopened} re-opened, {summary.suppressed} suppressed"
                  + (f"; {summary.kept_quarters} locked quarter(s) keep the flags they were "
                     "given" if summary.kept_quarters else ""),
                  file=sys.stderr)
    if not args.run_rules:
        # stored flags of a programme never checked would read as "no flags": say so
        unchecked = runs.never_checked(codes)
        if unchecked:
            print(f"the risk rules have not run for {', '.join(unchecked)}: no flags means "
                  "not checked there (run without --no-run to check)", file=sys.stderr)
    # one read for every programme: each one's latest quarter with flags unless told
    registers = register.registers(codes, quarter=None if args.all_quarters else args.quarter,
                                   every_quarter=args.all_quarters)
    rows: list[dict[str, Any]] = []
    for code in codes:
        flags = registers[code]
        if args.all_quarters and args.quarter:
            flags = [f for f in flags if f.quarter <= args.quarter]
        rows += [_row(f) for f in flags if not args.only_open or f.is_open]
    if fmt == "json":
        args.json = True
        emit(args, rows, "")
    elif fmt == "csv":
        sys.stdout.write(_csv(rows))
    else:
        lines = [f"{'programme':<8} {'quarter':<7} {'rule':<6} {'strand':<8} {'severity':<8} "
                 f"{'status':<21} why"]
        lines += [f"{r['programme']:<8} {r['quarter']:<7} {r['rule_id']:<6} "
                  f"{(r['strand'] or '-'):<8} {r['severity']:<8} {r['status']:<21} {r['why']}"
                  for r in rows]
        if not rows:
            lines = ["no flags"]
        print("\n".join(lines))
    return 0
