"""The NGO import through the value gate (issue 12): the same number reader as paste (in the
file's decimal mark), finite numbers in their unit's range, quarters that have begun within
the programme's life, stored figures kept and their changes listed by default, and figures
that look like typos listed before anything is saved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coprod_me.cli import main
from coprod_me.model.quarter import Quarter
from coprod_me.services import Services
from coprod_me.services.ngo_imports import Choices
from tests.builders import small_programme_rows, with_ratio_indicator, write

NOW = Quarter.containing(date.today())
HEADER = "Indicator;Quarter;Site;Value"


@pytest.fixture
def loaded(services: Services, tmp_path: Path) -> Services:
    rows = with_ratio_indicator(small_programme_rows(), observed=False)
    services.workbooks.load(write(tmp_path / "p.xlsx", rows))
    return services


def _csv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def _by_row(result) -> dict[int, tuple[str, str]]:
    assert result.preview is not None
    return {r.row: (r.status, r.describe()) for r in result.preview.rows}


def test_the_files_decimal_comma_reads_ratios_and_counts(loaded: Services, tmp_path: Path):
    path = _csv(tmp_path / "comma.csv",
                "T-R1;2023Q3;NORTH;0,875",  # says the sender writes decimal commas
                "T-R1;2023Q4;NORTH;1,234",
                "T-P1;2023Q3;NORTH;1.250")
    result = loaded.imports.import_file(path, "T-01")
    assert (result.imported, result.rejected) == (3, 0)
    got = {(o.indicator_code, o.period): o.value for o in loaded.observations.find("T-01")
           if o.strand_code == "NORTH" and o.period in ("2023Q3", "2023Q4")}
    assert got == {("T-R1", "2023Q3"): 0.875, ("T-R1", "2023Q4"): 1.234,
                   ("T-P1", "2023Q3"): 1250.0}


def test_a_ratio_that_reads_two_ways_is_a_row_problem_that_says_what_to_write(
        loaded: Services, tmp_path: Path):
    path = _csv(tmp_path / "point.csv",
                "T-O1;2023Q3;NORTH;61.5",  # says the sender writes decimal points
                "T-R1;2023Q3;NORTH;1,234",
                "T-P1;2023Q3;NORTH;1,250")
    result = loaded.imports.import_file(path, "T-01", dry_run=True)
    assert _by_row(result) == {
        2: ("new", ""),
        3: ("rejected", "can be read as 1.234 or as 1234; write 1234 for the thousands or "
                        "1.234 for the fraction"),
        4: ("new", "")}  # a count's 1,250: the file's decimal point makes it 1250
    assert str(result.errors[0]) == (
        "point.csv, sheet point, row 3, column 'Value' (D3): '1,234' can be read as 1.234 or "
        "as 1234; write 1234 for the thousands or 1.234 for the fraction")
    assert result.preview.rows[2].values == {"value": 1250.0}


def test_every_rule_of_the_gate_rejects_its_row_with_why(loaded: Services, tmp_path: Path):
    path = _csv(tmp_path / "bad.csv",
                "T-P1;2023Q3;NORTH;1e309",
                "T-P1;2023Q3;SOUTH;inf",
                "T-P1;2023Q4;NORTH;-5",
                "T-P1;2023Q4;SOUTH;2,5",
                "T-R1;2023Q3;NORTH;-0,2",
                "T-O1;2023Q3;SOUTH;101",
                "T-P1;2099Q1;NORTH;5000",
                "T-P1;2012Q4;NORTH;0",
                "T-P1;2024Q1;NORTH;nan",
                "T-P1;2024Q1;SOUTH;n/a",
                "T-P1;2024Q2;SOUTH;-")
    result = loaded.imports.import_file(path, "T-01")
    assert _by_row(result) == {
        2: ("rejected", "is too large to be a figure (it is beyond what can be stored); enter "
                        "the figure"),
        3: ("rejected", "is not a number; enter a number such as 12,5 or 1 234,5, or leave "
                        "the cell empty"),
        4: ("rejected", "is a count and cannot be negative"),
        5: ("rejected", "is a count and must be a whole number"),
        6: ("rejected", "is a ratio and cannot be negative"),
        7: ("rejected", "is a percent and must be between 0 and 100"),
        8: ("rejected", f"has not begun (today is in {NOW}); enter figures for quarters up "
                        f"to {NOW}"),
        9: ("rejected", "is more than 10 years before T-01 started (2023-01-01); check the "
                        "year, or correct the programme's start date"),
        10: ("skipped", "no figure (nan): missing, not zero; nothing imported"),
        11: ("skipped", "no figure (n/a): missing, not zero; nothing imported"),
        12: ("skipped", "no figure (-): missing, not zero; nothing imported")}
    assert str(result.errors[6]) == (
        f"bad.csv, sheet bad, row 8, column 'Quarter' (B8): '2099Q1' has not begun (today is "
        f"in {NOW}); enter figures for quarters up to {NOW}")
    assert result.batch_id is None and loaded.observations.quarters("T-01") == [
        "2023Q1", "2023Q2"]


def test_changed_figures_are_kept_and_listed_by_default_and_typos_are_warned_of(
        loaded: Services, tmp_path: Path):
    first = _csv(tmp_path / "q3.csv", "T-P1;2023Q3;NORTH;11800")
    assert loaded.imports.import_file(first, "T-01").imported == 1
    # the next quarter's file: a quarterly count where the running total belongs, and a
    # correction of last quarter's total by a digit
    path = _csv(tmp_path / "q4.csv", "T-P1;2023Q4;NORTH;1250", "T-P1;2023Q3;NORTH;1180")
    kept = loaded.imports.import_file(path, "T-01", dry_run=True)
    assert (kept.imported, kept.updated, kept.skipped) == (1, 0, 1)
    assert kept.changes == ["row 3, T-P1 2023Q3 at NORTH: value 11800 → 1180"]
    assert kept.warnings == [
        "row 2, T-P1 2023Q4 at NORTH: 1250 is below 11800 in 2023Q3, but this series is "
        "cumulative: a running total does not fall"]
    assert kept.as_json()["changes"] == kept.changes
    assert kept.as_json()["warnings"] == kept.warnings
    # the file wins only when asked, and then the warnings say what the update does
    wins = loaded.imports.import_file(path, "T-01", choices=Choices("update", "reject"))
    assert (wins.imported, wins.updated, wins.changes) == (1, 1, [])
    assert wins.warnings == [
        "row 3, T-P1 2023Q3 at NORTH: 1180 is 1/10 of 11800, the figure it replaces"]
    assert wins.saved  # warnings never stop an import


def test_the_cli_lists_the_kept_changes_and_the_unusual_figures(loaded: Services,
                                                                 tmp_path: Path, capsys):
    db = str(loaded.path)
    loaded.close()
    assert main(["import", str(_csv(tmp_path / "q3.csv", "T-P1;2023Q3;NORTH;11800")), "-p",
                 "T-01", "--db", db]) == 0
    path = _csv(tmp_path / "q4.csv", "T-P1;2023Q4;NORTH;1250", "T-P1;2023Q3;NORTH;1180")
    capsys.readouterr()
    assert main(["import", str(path), "-p", "T-01", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("q4.csv, sheet q4: 1 imported, 0 updated, 0 unchanged, 0 skipped "
                          "(no figure), 1 kept as stored, 0 rejected\n")
    assert ("1 row(s) would change figures the database holds; they were skipped "
            "(--on-duplicate update applies them):\n"
            "  row 3, T-P1 2023Q3 at NORTH: value 11800 → 1180\n"
            "1 figure(s) look unusual next to their series; check them:\n"
            "  row 2, T-P1 2023Q4 at NORTH: 1250 is below 11800 in 2023Q3, but this series is "
            "cumulative: a running total does not fall\n") in out
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    assert "keep stored figures and list each change" in " ".join(
        capsys.readouterr().out.split())


def test_the_long_sheets_fast_path_reads_the_gates_cases_as_the_row_reader(
        loaded: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from coprod_me.spreadsheets import ngo_rows

    path = _csv(tmp_path / "mixed.csv",
                *(f"{ind};{q};{site};{v}" for ind, v in (
                    ("T-P1", "1,250"), ("T-P1", "-5"), ("T-P1", "2.5"), ("T-R1", "1,234"),
                    ("T-R1", "0,875"), ("T-O1", "61.5"), ("T-P1", "1e309"))
                  for q in ("2023Q3", "2099Q1") for site in ("NORTH", "SOUTH")))

    def plan() -> str:
        p = loaded.imports.preview(loaded.imports.open(path, "T-01"))
        return repr([(r.row, r.status, r.values, r.problems, r.note, r.warnings)
                     for r in p.rows])

    by_column = plan()
    monkeypatch.setattr(ngo_rows, "long_columns", lambda shape, mapping: None)
    assert plan() == by_column
    assert "has not begun" in by_column and "can be read as" in by_column
