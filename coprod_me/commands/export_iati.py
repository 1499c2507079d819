"""``coprod-me export iati``: programmes' results as an IATI 2.03 activities file, checked
against the IATI schemas (and the results rules) before anything is written."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coprod_me.commands.arguments import programme_codes, suppression_threshold
from coprod_me.commands.output import emit, progress_printer


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--programme", "-p", type=programme_codes, required=True, metavar="CODE[,CODE]",
                   help="programme code(s), comma-separated: one iati-activity each")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                   help="the IATI XML file to write (.xml); written only when valid")
    p.add_argument("--threshold", type=suppression_threshold, default=5, metavar="N",
                   help="leave out disaggregated counts under N, as the report does "
                        "(default 5; 0 turns suppression off)")


def run(args: argparse.Namespace, services: Any) -> int:
    result = services.iati_exports.write(args.programme, args.output,
                                         suppression_threshold=args.threshold,
                                         progress=progress_printer(args))
    lines = [f"wrote {result.file} ({', '.join(result.programmes)}): valid IATI 2.03, "
             f"{result.results} results, {result.indicators} indicators, "
             f"{result.periods} periods"]
    if result.suppressed_cells:
        lines.append(f"left out {result.suppressed_cells} disaggregated value(s) under "
                     f"{result.suppression_threshold}")
    if result.left_out:
        lines.append(f"not results in IATI (input, activity or context): "
                     f"{', '.join(result.left_out)}")
    emit(args, result.as_json(), "\n".join(lines))
    return 0
