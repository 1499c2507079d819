"""``coprod-me report``: the quarterly report workbook (and PNG charts) for a policy unit."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coprod_me.commands import DATABASE
from coprod_me.commands.arguments import programme_codes, suppression_threshold
from coprod_me.commands.output import emit, progress_printer

COMMANDS = {"report": DATABASE}
# the sheet names, repeated here so building the parser imports no report code
SECTIONS = ("Summary", "Outcomes", "Outputs", "IPTT", "Disaggregation", "Participation",
            "Risks", "Capacity", "Sustainability", "DataQuality", "IndicatorDefinitions",
            "Method", "Observations_raw")


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "report", parents=[common],
        help="write the quarterly report workbook of one or more programmes",
        description="Write the quarterly report as an Excel workbook: README, "
                    "Summary, Outcomes, Outputs, ... Observations_raw; several programmes add "
                    "a Portfolio sheet comparing them.")
    p.add_argument("--programme", "-p", type=programme_codes, required=True, metavar="CODE[,CODE]",
                   help="programme code(s), comma-separated")
    p.add_argument("--quarter", "-q", required=True, metavar="QUARTER",
                   help="reporting quarter, e.g. 2024Q2")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                   help="the workbook to write (.xlsx)")
    p.add_argument("--png-dir", type=Path, default=None, metavar="DIR",
                   help="also save every chart as a PNG in this folder")
    p.add_argument("--threshold", type=suppression_threshold, default=5, metavar="N",
                   help="show disaggregated counts under N as '<N' (default 5; 0 turns "
                        "suppression off)")
    p.add_argument("--sections", nargs="+", default=None, metavar="SHEET",
                   help=f"only these sheets (README is always written): {', '.join(SECTIONS)}")


def run(args: argparse.Namespace, services: Any) -> int:
    sections = None
    if args.sections:
        sections = [s for item in args.sections for s in item.split(",") if s.strip()]
    result = services.reports.write(
        args.programme, args.quarter, args.output, sections=sections,
        suppression_threshold=args.threshold, png_dir=args.png_dir,
        progress=progress_printer(args))
    lines = [f"wrote {result.file} ({', '.join(result.programmes)}, {result.quarter}): "
             f"{len(result.sheets)} sheets, {result.charts} charts"]
    if result.pngs:
        lines.append(f"saved {len(result.pngs)} PNG charts in {args.png_dir}")
    for code, computed in result.flags_computed.items():
        if not computed:
            lines.append(f"note: no risk flags computed yet for {code}; the Risks sheet says so")
    emit(args, result.as_json(), "\n".join(lines))
    return 0
