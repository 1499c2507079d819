"""``coprod-me export dhis2``: one quarter of a programme as a DHIS2 data value set (JSON or
CSV, the Web API's ``dataValueSets`` shape), named by the programme's DHIS2 mapping; with
``--check``, every value that cannot be named and why."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coprod_me.commands.arguments import suppression_threshold
from coprod_me.commands.output import emit
from coprod_me.model.errors import DomainError


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--programme", "-p", required=True, metavar="CODE",
                   help="the programme's code")
    p.add_argument("--quarter", "-q", required=True, metavar="QUARTER",
                   help="the quarter to send, e.g. 2024Q2 (also DHIS2's period)")
    p.add_argument("--format", dest="dhis2_format", choices=("json", "csv"), default="json",
                   help="JSON for the Web API's dataValueSets, or DHIS2's CSV import "
                        "columns (default json)")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                   help="the file to write (required unless --check)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; list every value that cannot be mapped and why")
    p.add_argument("--id-scheme", choices=("code", "uid"), default="code",
                   help="what the mapping's targets are: DHIS2 codes (default) or UIDs "
                        "(then each must look like one); import with the same idScheme")
    p.add_argument("--threshold", type=suppression_threshold, default=5, metavar="N",
                   help="withhold disaggregated counts under N, as the report does "
                        "(default 5; 0 sends every count)")


def run(args: argparse.Namespace, services: Any) -> int:
    exports = services.dhis2_exports
    if args.check:
        vs = exports.value_set(args.programme, args.quarter, id_scheme=args.id_scheme,
                               threshold=args.threshold)
        head = (f"{vs.programme} {vs.period}: {len(vs.values)} value(s) map to DHIS2, "
                f"{len(vs.problems)} problem(s)")
        emit(args, {"programme": vs.programme, "period": vs.period,
                    "mapped": len(vs.values), "problems": vs.problems,
                    "withheld": vs.withheld},
             "\n".join([head, *(f"- {p}" for p in vs.problems)]))
        return 1 if vs.problems else 0
    if args.output is None:
        raise DomainError("give the file to write with -o FILE (or use --check)")
    vs = exports.write(args.programme, args.quarter, args.output, args.dhis2_format,
                       id_scheme=args.id_scheme, threshold=args.threshold)
    note = f"; {vs.withheld} small disaggregated count(s) withheld" if vs.withheld else ""
    if vs.empty:
        note += f"; {vs.empty} observation(s) without a value left out"
    emit(args, {"file": str(args.output), "programme": vs.programme, "period": vs.period,
                "values": len(vs.values), "withheld": vs.withheld, "without_value": vs.empty},
         f"wrote {args.output} ({vs.programme}, {vs.period}): {len(vs.values)} data "
         f"values{note}; import with idScheme={args.id_scheme.upper()}")
    return 0

