"""The models and the migrations agree; old databases upgrade, copied aside first."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

import coprod_me.model.entities  # noqa: F401  (registers every table on SQLModel.metadata)
from coprod_me.store import database, plain_reads
from coprod_me.store.database import DatabaseError, open_store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_models_and_migrations_do_not_drift(tmp_path: Path):
    store = open_store(tmp_path / "drift.sqlite")
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], f"models changed without a migration: {diff}"


def test_a_database_at_revision_0001_opens_with_its_data(tmp_path: Path):
    db = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "schema-0001.sqlite", db)
    store = open_store(db)
    with store.engine.connect() as conn:
        codes = [r[0] for r in conn.execute(text("SELECT code FROM programme"))]
        n_obs = conn.execute(text("SELECT count(*) FROM observation")).scalar()
    assert codes == ["T-01"] and n_obs == 4


def test_an_upgrade_copies_the_database_aside_first(tmp_path: Path, monkeypatch):
    db = tmp_path / "user.sqlite"
    open_store(db).dispose()
    # a next release's migration, in a copy of the migrations folder
    migrations = tmp_path / "migrations"
    shutil.copytree(plain_reads.MIGRATIONS_DIR, migrations)
    head = database.head_revision()
    (migrations / "versions" / "9999_probe.py").write_text(
        f'revision = "9999"\ndown_revision = "{head}"\nbranch_labels = None\n'
        'depends_on = None\nfrom alembic import op\nimport sqlalchemy as sa\n\n'
        'def upgrade():\n    op.create_table("probe", sa.Column("id", sa.Integer, '
        'primary_key=True))\n\ndef downgrade():\n    op.drop_table("probe")\n')
    monkeypatch.setattr(plain_reads, "MIGRATIONS_DIR", migrations)
    open_store(db).dispose()
    copies = list(tmp_path.glob(f"user.v{head}.*.sqlite"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)


def test_a_database_from_a_newer_release_is_refused(tmp_path: Path):
    db = tmp_path / "new.sqlite"
    open_store(db).dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num='9999'")
    try:
        open_store(db)
    except DatabaseError as exc:
        assert "written by a newer coprod-me (schema 9999)" in str(exc)
    else:
        raise AssertionError("opened a database of an unknown schema")


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("hello")
    try:
        open_store(bad)
    except DatabaseError as exc:
        assert "is not a SQLite database" in str(exc)
    else:
        raise AssertionError("opened a text file as a database")


def test_the_quick_head_lookup_agrees_with_alembic():
    from alembic.script import ScriptDirectory

    alembic_head = ScriptDirectory.from_config(database.alembic_config()).get_current_head()
    assert database.head_revision() == alembic_head


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path):
    import subprocess
    import sys

    open_store(tmp_path / "cur.sqlite").dispose()
    code = ("import sys; from coprod_me.store.database import open_store; "
            f"open_store({str(tmp_path / 'cur.sqlite')!r}).dispose(); "
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
