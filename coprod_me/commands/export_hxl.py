"""``coprod-me export hxl``: a programme's observations as an HXL-tagged CSV, which partners'
HXL tools and ``coprod-me import`` read (``services.hxl_exports``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coprod_me.commands.arguments import programme_codes
from coprod_me.commands.output import emit


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--programme", "-p", type=programme_codes, required=True, metavar="CODE[,CODE]",
                   help="programme code(s), comma-separated")
    p.add_argument("--quarter", "-q", default=None, metavar="QUARTER",
                   help="only this quarter, e.g. 2024Q2 (default: every quarter)")
    p.add_argument("--from", dest="first", default=None, metavar="QUARTER",
                   help="only from this quarter on")
    p.add_argument("--to", dest="last", default=None, metavar="QUARTER",
                   help="only up to this quarter")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                   help="the CSV file to write (.csv, UTF-8)")


def run(args: argparse.Namespace, services: Any) -> int:
    result = services.hxl_exports.write(
        args.programme, args.output, quarter=args.quarter, first=args.first, last=args.last)
    span = result.first if result.first == result.last else f"{result.first} to {result.last}"
    emit(args, result.as_json(),
         f"wrote {result.file} ({', '.join(result.programmes)}, {span}): {result.rows} "
         f"observations, {len(result.columns)} HXL columns")
    return 0
