"""``coprod-me export hxl``: (being built for issue 18)."""

from __future__ import annotations

import argparse
from typing import Any


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", required=True, metavar="FILE")


def run(args: argparse.Namespace, services: Any) -> int:
    raise NotImplementedError("export hxl")
