"""The command line: the same services as the GUI, for batch work.

Exit status: 0 success, 1 a problem the user can fix (message on stderr), 2 misuse.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coprod_me import __version__
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


def build_parser() -> argparse.ArgumentParser:
    common = _db_parent()
    parser = argparse.ArgumentParser(
        prog="coprod-me", parents=[common],
        description="Monitoring-and-evaluation workbench for public-service co-production. "
                    "Without a command, starts the desktop app.")
    parser.add_argument("--version", action="version", version=f"coprod-me {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
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
                       help="a programme's outcome gates (domain §1.5.1 C), met and unmet")
    p.add_argument("code")
    sub.add_parser("check", parents=[common],
                   help="SQLite integrity and foreign-key checks, schema revision")
    p = sub.add_parser("backup", parents=[common],
                       help="consistent copy of the database (safe while the app is open)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    for module in command_modules():
        module.add_parsers(sub, common)
    return parser


def command_modules() -> list[Any]:
    """The modules in ``coprod_me.commands``; each adds its sub-commands and runs them.

    A module defines ``COMMANDS`` (the names it runs), ``add_parsers(sub, common)`` and
    ``run(args, services) -> int``. It must stay cheap to import (no Qt, no openpyxl at
    module level): every ``coprod-me`` invocation imports them all to build the parser.
    """
    import importlib
    import pkgutil

    import coprod_me.commands as package

    names = sorted(info.name for info in pkgutil.iter_modules(package.__path__))
    return [importlib.import_module(f"coprod_me.commands.{name}") for name in names]


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if args.json:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        print(text)


def progress_printer(args: argparse.Namespace) -> Any:
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


def run(args: argparse.Namespace) -> int:
    from coprod_me.services import Services
    from coprod_me.services import database as db

    path = args.db or default_database_path()
    if args.command == "template":
        from coprod_me.services.workbooks import WorkbookService
        out = WorkbookService.template(args.output)
        emit(args, {"file": str(out)}, f"wrote {out}")
        return 0
    services = Services.open(path, create=args.command != "check")
    try:
        for module in command_modules():
            if args.command in module.COMMANDS:
                return int(module.run(args, services))
        if args.command == "demo":
            results = db.load_samples(services.store, progress=progress_printer(args))
            data = [r.as_json() for r in results]
            lines = [f"{', '.join(r.programmes)}: {r.created} created, {r.updated} updated, "
                     f"{r.unchanged} unchanged" for r in results]
            emit(args, data, "\n".join(lines) + f"\ndatabase: {path}")
        elif args.command == "load":
            r = services.workbooks.load(args.file, reason=args.reason,
                                        progress=progress_printer(args))
            lines = [f"{args.file.name}: {r.created} created, {r.updated} updated, "
                     f"{r.unchanged} unchanged"]
            lines += [f"  {name:<22} {c.created:>7} created {c.updated:>6} updated "
                      f"{c.unchanged:>7} unchanged" for name, c in r.counts.items()
                      if c.created or c.updated or c.unchanged]
            emit(args, r.as_json(), "\n".join(lines))
        elif args.command == "export-programme":
            out = services.workbooks.export(args.codes, args.output,
                                            progress=progress_printer(args))
            emit(args, {"file": str(out), "programmes": args.codes}, f"wrote {out}")
        elif args.command == "list":
            rows = services.programmes.summaries()
            data = [vars(r) if not hasattr(r, "__dataclass_fields__") else
                    {k: getattr(r, k) for k in r.__dataclass_fields__} for r in rows]
            lines = [f"{'code':<8} {'indicators':>10} {'outcomes':>8} {'observations':>12} "
                     f"{'gates unmet':>11}  label            name"]
            lines += [f"{r.code:<8} {r.indicators:>10} {r.outcomes:>8} {r.observations:>12} "
                      f"{r.gates_unmet:>11}  {r.tradition_label:<16} {r.name}"
                      + ("  [sample data]" if r.is_sample else "") for r in rows]
            if not rows:
                lines = ["no programmes yet; 'coprod-me demo' loads the five samples"]
            emit(args, data, "\n".join(lines))
        elif args.command == "gates":
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
        elif args.command == "check":
            rep = db.health(services.store)
            data = {"ok": rep.ok, "integrity": rep.integrity,
                    "foreign_key_problems": rep.foreign_key_problems,
                    "schema_revision": rep.revision, "head_revision": rep.head,
                    "database": str(path)}
            text = (f"database {path}\nintegrity: {', '.join(rep.integrity)}\n"
                    f"foreign keys: {'ok' if not rep.foreign_key_problems else ''}"
                    + "\n".join(rep.foreign_key_problems)
                    + f"\nschema revision: {rep.revision} (current {rep.head})")
            emit(args, data, text)
            if not rep.ok:
                raise DomainError(f"{path} failed its checks; restore a backup or run "
                                  "'coprod-me backup' and report the problem")
        elif args.command == "backup":
            out = db.backup(services.store, args.output)
            emit(args, {"file": str(out)}, f"backed up {path} to {out}")
        return 0
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
