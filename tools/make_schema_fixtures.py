"""Write tests/fixtures/schemas/<revision>.sqlite: a database as each schema revision's release
wrote it, for the upgrade test (tests/store/test_schema_revisions.py).

For every migration, the last commit at which it was the newest is checked out into a
temporary git worktree and that commit's own code writes the database: ``coprod-me demo``
(the five samples as that release loaded them), ``coprod-me flags`` where the release has the
rules, and an NGO import with a saved mapping where it has the import. The newest revision is
written by the code in this checkout. A table the release left empty then gets one row written
with plain SQL from the table's own columns (foreign keys pointing at existing rows), so the
upgrade test sees at least one row in every table of every revision.

    python tools/make_schema_fixtures.py            # every revision that has no file yet
    python tools/make_schema_fixtures.py --all      # rewrite them all

Run it after adding a migration and commit the new file.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSIONS = ROOT / "coprod_me" / "store" / "migrations" / "versions"
OUT = ROOT / "tests" / "fixtures" / "schemas"
# a fixed time for the rows written here, so a rewritten file differs only where the app did
STAMP = "2026-11-29 12:00:00.000000"
PARTNER_CSV = ("Indicator,Strand,Quarter,Value\n"
               "RS-O1,IN-BLK,2024Q3,65\n"
               "RS-O1,BD-UPZ,2024Q3,93\n")


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def releases() -> list[tuple[str, str | None]]:
    """(revision, commit) in order; commit None for the newest (this checkout's code)."""
    files = sorted(VERSIONS.glob("[0-9]*.py"))
    out: list[tuple[str, str | None]] = []
    for i, path in enumerate(files):
        revision = path.name.split("_", 1)[0]
        if i + 1 == len(files):
            out.append((revision, None))
            continue
        added = _git("log", "--diff-filter=A", "--format=%H", "--",
                     str(files[i + 1].relative_to(ROOT))).splitlines()[-1]
        out.append((revision, _git("rev-parse", f"{added}^")))
    return out


def _run_release(code_dir: Path, db: Path, work: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(code_dir), "COPROD_ME_USER": "fixture"}

    def cli(*args: str) -> None:
        subprocess.run([sys.executable, "-m", "coprod_me", *args, "--db", str(db)],
                       cwd=code_dir, env=env, check=True, capture_output=True, text=True)

    cli("demo")
    commands = code_dir / "coprod_me" / "commands"
    if (commands / "flags.py").exists():
        cli("flags", "--format", "json")
    if (commands / "imports.py").exists():
        partner = work / "partner.csv"
        partner.write_text(PARTNER_CSV, encoding="utf-8")
        cli("import", str(partner), "--programme", "RS-01", "--save-mapping", "partner-csv")


def _value(conn: sqlite3.Connection, table: str, column: str, type_: str,
           references: dict[str, str]) -> object:
    """A plausible value for a NOT NULL column of a row written by hand."""
    if column in references:
        target = references[column]
        return conn.execute(f'SELECT min(id) FROM "{target}"').fetchone()[0]
    named: dict[str, object] = {
        "rule_id": "CD-1", "param": "min_n", "value_json": "50",
        "reason": "fixture: written by tools/make_schema_fixtures.py",
        "revised_by": "fixture", "user": "fixture", "revision": 1,
        "name": f"fixture {table}", "header_signature": "fixture",
        "mapping_json": json.dumps({"columns": {"Value": "value"}, "header_row": 1,
                                    "header_rows": 1, "version": 1}),
    }
    if column in named:
        return named[column]
    type_ = type_.upper()
    if "INT" in type_ or "BOOL" in type_:
        return 0
    if "FLOAT" in type_ or "REAL" in type_ or "NUMERIC" in type_:
        return 1.0
    if "DATETIME" in type_:
        return STAMP
    if "DATE" in type_:
        return STAMP[:10]
    return f"fixture {column}"


def fill_empty_tables(db: Path) -> list[str]:
    """One hand-written row in every table the release left empty; returns their names."""
    filled = []
    with closing(sqlite3.connect(db)) as conn, conn:
        tables = [t for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name <> 'alembic_version' ORDER BY name")]
        for table in tables:
            if conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]:
                continue
            references = {row[3]: row[2] for row in
                          conn.execute(f'PRAGMA foreign_key_list("{table}")')}
            row = {name: _value(conn, table, name, type_, references)
                   for _cid, name, type_, notnull, _default, pk
                   in conn.execute(f'PRAGMA table_info("{table}")') if notnull and not pk}
            names = ", ".join(f'"{n}"' for n in row)
            marks = ", ".join("?" for _ in row)
            conn.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', list(row.values()))
            filled.append(table)
    return filled


def _self_contained(db: Path) -> None:
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("VACUUM")


def write(revision: str, commit: str | None) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"{revision}.sqlite"
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if commit is None:
            _run_release(ROOT, out, work)
        else:
            tree = work / "release"
            _git("worktree", "add", "--detach", str(tree), commit)
            try:
                _run_release(tree, out, work)
            finally:
                _git("worktree", "remove", "--force", str(tree))
    filled = fill_empty_tables(out)
    _self_contained(out)
    where = commit[:10] if commit else "this checkout"
    print(f"wrote {out.relative_to(ROOT)} ({where}); rows written by hand in: "
          f"{', '.join(filled) or 'none'}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="databases at every schema revision")
    parser.add_argument("--all", action="store_true", help="rewrite the existing files too")
    args = parser.parse_args()
    for revision, commit in releases():
        if args.all or not (OUT / f"{revision}.sqlite").exists():
            write(revision, commit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
