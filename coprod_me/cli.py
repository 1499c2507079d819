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
from coprod_me.commands import DATABASE, EXISTING, MODULES, NONE
from coprod_me.model.errors import DomainError, ValidationFailed
from coprod_me.paths import default_database_path, is_app_folder

#: how long a command waits for a database another program is writing to (``--wait``)
DEFAULT_WAIT = 60.0


def _global_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """The options every command takes, before or after its name.

    The main parser holds the defaults; a sub-parser's copy has none (``SUPPRESS``), so an
    option given before the command is not overwritten by the sub-parser's default.
    """
    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--db", type=Path, default=default(None), metavar="PATH",
                        help="database file (default: $COPROD_ME_DB or "
                             f"{default_database_path()}); created when missing (never by "
                             "check or backup), but not its folder: see --create")
    parser.add_argument("--create", action="store_true", default=default(False),
                        help="also make the folder of --db PATH when it does not exist")
    parser.add_argument("--wait", type=_seconds, default=default(DEFAULT_WAIT),
                        metavar="SECONDS",
                        help="how long to wait for a database another program is writing "
                             f"to (default {DEFAULT_WAIT:.0f}; Ctrl+C stops waiting)")
    parser.add_argument("--json", action="store_true", default=default(False),
                        help="print machine-readable results on stdout")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0 <= value <= 24 * 3600:
        raise argparse.ArgumentTypeError("give between 0 and 86400 seconds")
    return value


def command_modules() -> list[ModuleType]:
    return [importlib.import_module(f"coprod_me.commands.{name}") for name in MODULES]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, defaults=False)
    parser = argparse.ArgumentParser(
        prog="coprod-me",
        description="Monitoring-and-evaluation workbench for public-service co-production. "
                    "Without a command, starts the desktop app.",
        epilog="Options before the command count as much as after it. A database path in a "
               "folder that does not exist is refused unless --create is given; 'check' and "
               "'backup' never create, upgrade or change the database they read.")
    _global_options(parser, defaults=True)
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
    path = args.db or default_database_path()
    if (args.command in getattr(module, "PLAIN", ())
            and (done := _run_plainly(module, args, path)) is not None):
        return done
    from coprod_me.services import Services

    services = Services.open(
        path, create=needs == DATABASE, read_only=needs == EXISTING,
        make_folder=args.create or is_app_folder(path), wait=args.wait, waiting=_say)
    try:
        return int(module.run(args, services))
    finally:
        services.close()


def _run_plainly(module: ModuleType, args: argparse.Namespace, path: Path) -> int | None:
    """Run a small read-only command on a plain read-only connection, without SQLAlchemy or
    the entities; None when the database must be opened the usual way."""
    from sqlite3 import Error

    from coprod_me.services.programme_index import PlainServices

    plain = PlainServices.open(Path(path).expanduser(), look=min(args.wait, 0.25))
    if plain is None:
        return None
    try:
        return int(module.run(args, plain))
    except Error:
        return None  # e.g. locked in a way a plain read cannot wait out: the usual way can
    finally:
        plain.close()


def _say(message: str) -> None:
    """A line on stderr while the command waits (on a terminal or not: it explains the pause)."""
    print(f"coprod-me: {message} (Ctrl+C to stop)", file=sys.stderr, flush=True)


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
