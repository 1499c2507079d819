"""The command line: the same services as the GUI, for batch work.

Exit status: 0 success, 1 a problem the user can fix (message on stderr), 2 misuse. Every
sub-command lives in a module of ``coprod_me.commands`` (see its docstring for the contract);
this module builds the parser from them, opens the database a command needs and runs it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from coprod_me import __version__
from coprod_me.commands import EXISTING, MODULES, NONE
from coprod_me.model.errors import DomainError, ValidationFailed
from coprod_me.paths import default_database_path


def _db_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--db", type=Path, default=None, metavar="PATH",
                        help="database file (default: $COPROD_ME_DB or "
                             f"{default_database_path()})")
    parent.add_argument("--json", action="store_true",
                        help="print machine-readable results on stdout")
    return parent


def command_modules() -> list[ModuleType]:
    return [importlib.import_module(f"coprod_me.commands.{name}") for name in MODULES]


def build_parser() -> argparse.ArgumentParser:
    common = _db_parent()
    parser = argparse.ArgumentParser(
        prog="coprod-me", parents=[common],
        description="Monitoring-and-evaluation workbench for public-service co-production. "
                    "Without a command, starts the desktop app.")
    parser.add_argument("--version", action="version", version=f"coprod-me {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in command_modules():
        module.add_parsers(sub, common)
    return parser


def run(args: argparse.Namespace) -> int:
    """Open the database the command needs (if any), run it, close the database."""
    module = next(m for m in command_modules() if args.command in m.COMMANDS)
    needs = module.COMMANDS[args.command]
    if needs == NONE:
        return int(module.run(args, None))
    from coprod_me.services import Services

    services = Services.open(args.db or default_database_path(), create=needs != EXISTING)
    try:
        return int(module.run(args, services))
    finally:
        services.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; without one, say how to start the app (``coprod-me`` does that)."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        build_parser().print_help()
        return 2
    return execute(args)


def execute(args: argparse.Namespace) -> int:
    try:
        return run(args)
    except ValidationFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except DomainError as exc:
        print(f"coprod-me: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("coprod-me: interrupted; nothing was saved", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader left (`coprod-me flags --json | head`): the work is done, only the
        # rest of the printout is unwanted; silence Python's flush of the dead pipe at exit
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
