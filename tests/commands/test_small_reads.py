"""``coprod-me list`` and ``gates`` read a current database with sqlite3 alone (no SQLAlchemy,
no entities), say the same as the full store does, and fall back to it for anything else:
no file yet, an older schema, a file that is not a database."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from coprod_me.cli import main
from coprod_me.services import Services
from tests.builders import small_programme_rows, write

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"


@pytest.fixture
def t01(tmp_path: Path) -> Path:
    db = tmp_path / "t01.sqlite"
    services = Services.open(db)
    try:
        services.workbooks.load(write(tmp_path / "t01.xlsx", small_programme_rows()))
        services.programmes.create("EMPTY", "A programme with nothing in it yet")
    finally:
        services.close()
    return db


def _modules_after(argv: list[str]) -> tuple[int, str, set[str]]:
    """Run the command in a fresh interpreter; its exit status, output and which of the
    heavy libraries it imported."""
    code = ("import sys, json; from coprod_me.__main__ import main; "
            f"rc = main({argv!r}); "
            "print(json.dumps([rc, sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic', "
            "'coprod_me.model.entities') if m in sys.modules)]), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    rc, heavy = json.loads(done.stderr.strip().splitlines()[-1])
    return rc, done.stdout, set(heavy)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", [["list"], ["gates", "T-01"], ["list", "--json"]])
def test_a_current_database_is_read_with_sqlite3_alone_and_left_as_it_was(
        t01: Path, command: list[str]):
    before = _sha(t01)
    rc, out, heavy = _modules_after([*command, "--db", str(t01)])
    assert rc == 0 and heavy == set()
    assert "T-01" in out or "G5 At least one outcome is verified" in out
    assert _sha(t01) == before


def test_the_plain_read_says_what_the_store_says(t01: Path, capsys):
    assert main(["list", "--json", "--db", str(t01)]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main(["gates", "EMPTY", "--json", "--db", str(t01)]) == 0
    plain_gates = json.loads(capsys.readouterr().out)
    services = Services.open(t01)
    try:
        summaries = services.programmes.summaries()
        gates = services.programmes.gates("EMPTY")
    finally:
        services.close()
    assert [(p["code"], p["indicators"], p["outcomes"], p["observations"], p["gates_unmet"])
            for p in plain] == [("EMPTY", 0, 0, 0, 2), ("T-01", 3, 2, 4, 0)]  # G1, G5
    assert plain == json.loads(json.dumps([asdict(r) for r in summaries]))
    assert plain[1]["strand_items"][0] == {"code": "NORTH", "name": "North block",
                                           "type": "site", "observations": 3}
    assert [(g["code"], g["met"], g["details"]) for g in plain_gates["gates"]] == [
        (g.code, g.met, list(g.details)) for g in gates]


def test_an_unknown_code_is_one_line_and_exit_1(t01: Path, capsys):
    assert main(["gates", "NOPE", "--db", str(t01)]) == 1
    assert capsys.readouterr().err == (
        "coprod-me: no programme with code 'NOPE'; 'coprod-me list' shows the codes\n")


def test_an_older_schema_is_upgraded_the_usual_way(tmp_path: Path):
    db = tmp_path / "old.sqlite"
    db.write_bytes((SCHEMAS / "0001.sqlite").read_bytes())
    rc, out, heavy = _modules_after(["list", "--db", str(db)])
    assert rc == 0 and "sqlalchemy" in heavy  # opened for work: upgraded, then listed
    assert "RS-01" in out
    # now current: the next listing reads plainly
    rc, out, heavy = _modules_after(["list", "--db", str(db)])
    assert rc == 0 and heavy == set() and "RS-01" in out


def test_no_file_or_not_a_database_goes_the_usual_way(tmp_path: Path, capsys):
    new = tmp_path / "new.sqlite"
    assert main(["list", "--db", str(new)]) == 0  # created, as before
    assert "no programmes yet" in capsys.readouterr().out
    junk = tmp_path / "notes.sqlite"
    junk.write_text("not a database\n" * 20)
    assert main(["list", "--db", str(junk)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "notes.sqlite" in err and "Traceback" not in err
