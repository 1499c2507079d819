"""What every command prints: results on stdout (``--json`` for machines), progress on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if args.json:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        print(text)


def progress_printer(args: argparse.Namespace) -> Callable[[int, int, str], None]:
    """A progress line on a terminal's stderr; silent for ``--json`` and when redirected."""
    if args.json or not sys.stderr.isatty():
        return lambda *_a: None
    last = [""]

    def show(done: int, total: int, message: str) -> None:
        line = f"\r{100 * done // max(total, 1):3d}% {message}"[:100]
        if line != last[0]:
            sys.stderr.write(line.ljust(len(last[0])))
            sys.stderr.flush()
            last[0] = line
    return show
