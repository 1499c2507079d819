"""``demo``, ``load``, ``export-programme``, ``template``, ``list`` and ``gates``: programmes
in and out of programme workbooks, and what the database holds."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from coprod_me.commands import DATABASE, NONE
from coprod_me.commands.output import emit, progress_printer

COMMANDS = {"demo": DATABASE, "load": DATABASE, "export-programme": DATABASE,
            "template": NONE, "list": DATABASE, "gates": DATABASE}
#: the commands that read a current database plainly (cli's ``_run_plainly``): a few rows,
#: which SQLAlchemy and the entities would cost ten times over to import
PLAIN = ("list", "gates")


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    sub.add_parser("demo", parents=[common], help="load the five sample programmes (idempotent)")
    p = sub.add_parser("load", parents=[common], help="load a programme workbook (.xlsx)")
    p.add_argument("file", type=Path)
    p.add_argument("--reason", help="why (kept in the audit log)")
    p = sub.add_parser("export-programme", parents=[common],
                       help="write programmes to a programme workbook")
    p.add_argument("codes", nargs="+", metavar="CODE")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    p = sub.add_parser("template", parents=[common], help="write an empty programme workbook")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    sub.add_parser("list", parents=[common],
                   help="programmes with indicator and observation counts")
    p = sub.add_parser("gates", parents=[common],
                       help="a programme's outcome gates, met and unmet")
    p.add_argument("code")


def run(args: argparse.Namespace, services: Any) -> int:
    return _RUN[args.command](args, services)


def _demo(args: argparse.Namespace, services: Any) -> int:
    results = services.database.load_samples(progress=progress_printer(args))
    lines = [f"{', '.join(r.programmes)}: {r.created} created, {r.updated} updated, "
             f"{r.unchanged} unchanged" for r in results]
    emit(args, [r.as_json() for r in results],
         "\n".join(lines) + f"\ndatabase: {services.path}")
    return 0


def _load(args: argparse.Namespace, services: Any) -> int:
    r = services.workbooks.load(args.file, reason=args.reason, progress=progress_printer(args))
    lines = [f"{args.file.name}: {r.created} created, {r.updated} updated, "
             f"{r.unchanged} unchanged"]
    lines += [f"  {name:<22} {c.created:>7} created {c.updated:>6} updated "
              f"{c.unchanged:>7} unchanged" for name, c in r.counts.items()
              if c.created or c.updated or c.unchanged]
    if r.warnings:  # loaded all the same
        lines += [f"{len(r.warnings)} figure(s) look unusual next to their series; check them:",
                  *(f"  {w}" for w in r.warnings)]
    emit(args, r.as_json(), "\n".join(lines))
    return 0


def _export(args: argparse.Namespace, services: Any) -> int:
    out = services.workbooks.export(args.codes, args.output, progress=progress_printer(args))
    emit(args, {"file": str(out), "programmes": args.codes}, f"wrote {out}")
    return 0


def _template(args: argparse.Namespace, _services: None) -> int:
    from coprod_me.services.workbooks import WorkbookService

    out = WorkbookService.template(args.output)
    emit(args, {"file": str(out)}, f"wrote {out}")
    return 0


def _list(args: argparse.Namespace, services: Any) -> int:
    rows = services.programmes.summaries()
    data = [asdict(r) for r in rows]  # strands as objects, not their repr
    lines = [f"{'code':<8} {'indicators':>10} {'outcomes':>8} {'observations':>12} "
             f"{'gates unmet':>11}  label            name"]
    lines += [f"{r.code:<8} {r.indicators:>10} {r.outcomes:>8} {r.observations:>12} "
              f"{r.gates_unmet:>11}  {r.tradition_label:<16} {r.name}"
              + ("  [sample data]" if r.is_sample else "") for r in rows]
    if not rows:
        lines = ["no programmes yet; 'coprod-me demo' loads the five samples"]
    emit(args, data, "\n".join(lines))
    return 0


def _gates(args: argparse.Namespace, services: Any) -> int:
    gates = services.programmes.gates(args.code)
    data = {"programme": args.code, "all_met": all(g.met for g in gates),
            "gates": [{"code": g.code, "title": g.title, "met": g.met,
                       "explanation": g.explanation, "details": list(g.details)}
                      for g in gates]}
    lines = []
    for g in gates:
        lines.append(f"{'met  ' if g.met else 'UNMET'} {g.code} {g.title}")
        lines += [f"        - {d}" for d in g.details]
    emit(args, data, "\n".join(lines))
    return 0


_RUN: dict[str, Callable[[argparse.Namespace, Any], int]] = {
    "demo": _demo, "load": _load, "export-programme": _export, "template": _template,
    "list": _list, "gates": _gates}
