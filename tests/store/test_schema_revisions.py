"""A database written at every schema revision upgrades to the newest with every row it held.

tests/fixtures/schemas/<revision>.sqlite are written by each revision's own release (see
tools/make_schema_fixtures.py): the five samples, their flags and an NGO import where the
release had them, and a hand-written row in any table it left empty.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from coprod_me.services import Services
from coprod_me.store.database import head_revision, open_store
from coprod_me.store.plain_reads import MIGRATIONS_DIR

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "schemas"
REVISIONS = sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))

Rows = dict[str, dict[int, dict[str, Any]]]


def every_row(db: Path) -> Rows:
    """Every table's rows by rowid, each as column -> value (alembic_version aside)."""
    with closing(sqlite3.connect(db)) as conn:
        tables = [t for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name <> 'alembic_version'")]
        out: Rows = {}
        for table in tables:
            cursor = conn.execute(f'SELECT rowid, * FROM "{table}"')
            names = [d[0] for d in cursor.description][1:]
            out[table] = {row[0]: dict(zip(names, row[1:], strict=True)) for row in cursor}
        return out


def revision_of(db: Path) -> str:
    with closing(sqlite3.connect(db)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_there_is_a_stored_database_for_every_schema_revision():
    assert REVISIONS[-1] == head_revision()
    assert sorted(p.stem for p in SCHEMAS.glob("*.sqlite")) == REVISIONS


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_database_at_each_revision_upgrades_keeping_every_row(revision: str,
                                                                tmp_path: Path):
    db = tmp_path / f"{revision}.sqlite"
    shutil.copy(SCHEMAS / f"{revision}.sqlite", db)
    assert revision_of(db) == revision
    before = every_row(db)
    assert all(before.values()), "every table of the stored database holds a row"

    open_store(db).dispose()

    assert revision_of(db) == head_revision()
    after = every_row(db)
    lost = []
    for table, rows in before.items():
        if table not in after:
            lost.append(f"table {table} is gone")
            continue
        for rowid, row in rows.items():
            now = after[table].get(rowid)
            if now is None:
                lost.append(f"{table} row {rowid} is gone")
                continue
            changed = {k: (v, now.get(k, "<column gone>")) for k, v in row.items()
                       if now.get(k, "<column gone>") != v}
            if changed:
                lost.append(f"{table} row {rowid} changed: {changed}")
    assert not lost, "\n".join(lost[:20])


@pytest.mark.parametrize("revision", REVISIONS)
def test_the_app_reads_an_upgraded_database(revision: str, tmp_path: Path):
    db = tmp_path / f"{revision}.sqlite"
    shutil.copy(SCHEMAS / f"{revision}.sqlite", db)
    with closing(sqlite3.connect(db)) as conn:
        codes = sorted(c for (c,) in conn.execute("SELECT code FROM programme"))
    services = Services.open(db)
    try:
        assert sorted(s.code for s in services.programmes.summaries()) == codes
        result = services.reports.write(["RS-01"], "2024Q2", tmp_path / "report.xlsx")
        assert result.file.exists() and "Outcomes" in result.sheets
    finally:
        services.close()
