"""``check`` and ``backup``: the database file itself, read as it is (never created, upgraded
or written: an old schema is reported, not upgraded)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coprod_me.commands import EXISTING
from coprod_me.commands.output import emit
from coprod_me.model.errors import DomainError

COMMANDS = {"check": EXISTING, "backup": EXISTING}


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    sub.add_parser("check", parents=[common],
                   help="SQLite integrity and foreign-key checks, schema revision (reads "
                        "only: the file is left byte for byte as it was)")
    p = sub.add_parser("backup", parents=[common],
                       help="consistent copy of the database (safe while the app is open)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")


def run(args: argparse.Namespace, services: Any) -> int:
    path = services.path
    if args.command == "backup":
        out = services.database.backup(args.output)
        emit(args, {"file": str(out)}, f"backed up {path} to {out}")
        return 0
    rep = services.database.health()
    data = {"ok": rep.ok, "integrity": rep.integrity,
            "foreign_key_problems": rep.foreign_key_problems,
            "schema_revision": rep.revision, "head_revision": rep.head,
            "upgrade_due": rep.upgrade_due, "database": str(path)}
    text = (f"database {path}\nintegrity: {', '.join(rep.integrity)}\n"
            f"foreign keys: {'ok' if not rep.foreign_key_problems else ''}"
            + "\n".join(rep.foreign_key_problems)
            + f"\nschema revision: {rep.revision or 'none'} (current {rep.head})"
            + _schema_note(rep.revision, rep.upgrade_due))
    emit(args, data, text)
    if not rep.ok:
        raise DomainError(f"{path} failed its checks; restore a backup or run "
                          "'coprod-me backup' and report the problem")
    return 0


def _schema_note(revision: str | None, upgrade_due: bool) -> str:
    if revision is None:
        return ": not a coprod-me database yet"
    if upgrade_due:
        return (": an upgrade is due; coprod-me copies the file aside and upgrades it the "
                "next time it opens it for work (the app, or any command but check and backup)")
    return ""
