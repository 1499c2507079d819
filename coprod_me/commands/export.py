"""``coprod-me export iati|dhis2|hxl``: a programme's results in the standards funders,
ministries and humanitarian partners read. Each format is a module of its own
(``export_iati``, ``export_dhis2``, ``export_hxl``) declaring ``add_arguments(parser)`` and
``run(args, services) -> int``; this module only joins them under one command.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from coprod_me.commands import DATABASE

COMMANDS = {"export": DATABASE}
#: format -> (module, one line of help)
FORMATS = {
    "iati": ("export_iati", "IATI 2.03 results XML of one or more programmes, validated"),
    "dhis2": ("export_dhis2", "a DHIS2 data value set (JSON or CSV) of one quarter"),
    "hxl": ("export_hxl", "observations as an HXL-tagged CSV that 'coprod-me import' reads"),
}


def _module(fmt: str) -> Any:
    return importlib.import_module(f"coprod_me.commands.{FORMATS[fmt][0]}")


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[common],
                       help="send results onward: IATI, DHIS2 or HXL",
                       description="Write a programme's results in a standard other systems "
                                   "read: IATI 2.03 (funders), DHIS2 data value sets "
                                   "(ministries), HXL (humanitarian partners).")
    formats = p.add_subparsers(dest="format", metavar="FORMAT", required=True)
    for fmt, (_, text) in FORMATS.items():
        _module(fmt).add_arguments(formats.add_parser(fmt, parents=[common], help=text,
                                                      description=text[0].upper() + text[1:]))


def run(args: argparse.Namespace, services: Any) -> int:
    result: int = _module(args.format).run(args, services)
    return result
