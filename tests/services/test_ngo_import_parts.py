"""An NGO sheet read, checked and saved a part at a time says and saves exactly what the
whole sheet would, and holds one part of the sheet at a time."""

from __future__ import annotations

import csv
import threading
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from coprod_me.services import Services
from coprod_me.services.ngo_imports import Choices, ImportService, Preview
from coprod_me.spreadsheets import ngo_plan, ngo_rows
from coprod_me.spreadsheets.ngo_source import Grid
from tests import ngo_files as nf
from tests.builders import small_programme_rows, write

CHOICES = [Choices(), Choices("update", "last"), Choices("skip", "first"),
           Choices("reject", "reject"), Choices("update", "reject")]


@pytest.fixture
def loaded(services: Services, tmp_path: Path) -> Services:
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    return services


def _said(p: Preview) -> dict[str, Any]:
    """All a preview tells the user (its counts, every problem, change and warning)."""
    return {"counts": p.counts, "problems": [(x.row, x.cell, x.as_json()) for x in p.problems],
            "changes": p.changes, "warnings": p.warnings,
            "unknown": (sorted(p.unknown_indicators), sorted(p.unknown_strands.items()))}


def _state(s: Services) -> list[tuple[Any, ...]]:
    return sorted((o.indicator_code, o.period, o.strand_code, str(o.dims), o.phase, o.value,
                   o.numerator, o.denominator, o.comment) for code in ("T-01",)
                  for o in s.observations.find(code))


def _files(tmp_path: Path) -> list[Path]:
    return [nf.messy_long_xlsx(tmp_path / "m.xlsx"), nf.wide_quarters_xlsx(tmp_path / "w.xlsx"),
            nf.wide_indicators_csv_bom(tmp_path / "w.csv")]


@pytest.mark.parametrize("part_rows", [8, 11])
def test_a_sheet_previewed_in_parts_says_what_the_whole_sheet_says(
        loaded: Services, tmp_path: Path, part_rows: int):
    whole, parts = loaded.imports, ImportService(loaded.store, part_rows=part_rows)
    for path in _files(tmp_path):
        draft = parts.open(path, "T-01")
        assert draft.complete is (len(draft.grid.rows) < part_rows)
        for choices in CHOICES:
            expected = _said(whole.preview(whole.open(path, "T-01"), choices=choices))
            assert _said(parts.preview(draft, choices=choices)) == expected, (path, choices)


def test_the_messy_sheet_in_parts_repeats_a_row_across_parts(loaded: Services,
                                                              tmp_path: Path):
    """Rows 8 and 18 state the same observation: in parts of 8 rows they are in different
    parts, and each choice settles them as in one list."""
    path = nf.messy_long_xlsx(tmp_path / "m.xlsx")
    parts = ImportService(loaded.store, part_rows=8)
    draft = parts.open(path, "T-01")
    assert not draft.complete
    last = {r.row: r for r in parts.preview(draft, choices=Choices("update", "last")).rows}
    assert (last[8].status, last[18].status) == ("skipped", "new")
    reject = parts.preview(draft, choices=Choices("reject", "reject"))
    assert [p.row for p in reject.problems if "as row" in p.reason] == [8, 18]


@pytest.mark.parametrize("choices", [Choices(), Choices("update", "last")])
def test_a_commit_in_parts_saves_what_the_whole_sheet_saves_and_undoes(
        tmp_path: Path, choices: Choices):
    results, states = [], []
    for name, part_rows in (("whole", 20_000), ("parts", 8)):
        svc = Services.open(tmp_path / f"{name}.sqlite")
        try:
            svc.workbooks.load(write(tmp_path / f"{name}.xlsx", small_programme_rows()))
            before = _state(svc)
            imports = ImportService(svc.store, part_rows=part_rows)
            out = tmp_path / f"{name}-errors.xlsx"
            r = imports.import_file(nf.messy_long_xlsx(tmp_path / f"{name}-m.xlsx"), "T-01",
                                    choices=choices, errors_path=out)
            results.append((r.imported, r.updated, r.unchanged, r.skipped, r.rejected,
                            [e.as_json() for e in r.errors], r.changes, r.warnings))
            states.append(_state(svc))
            wb = openpyxl.load_workbook(out)
            states.append([tuple(c.value for c in row) for row in wb.active.iter_rows()])
            states.append({c.coordinate: c.comment.text for row in wb.active.iter_rows()
                           for c in row if c.comment})
            assert r.batch_id is not None
            imports.undo(r.batch_id)
            assert _state(svc) == before
        finally:
            svc.close()
    assert results[0] == results[1]
    assert states[:3] == states[3:]


def _long_csv(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Indicator", "Quarter", "Site", "Sex", "Value"])
        for i in range(rows):
            w.writerow(["T-P1", "2024Q1", "NORTH", f"cell{i}", 10 + i % 7])
    return path


def test_a_long_import_holds_one_part_and_a_sample_not_every_row(
        loaded: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = _long_csv(tmp_path / "long.csv", 3000)
    seen: list[int] = []
    real = ngo_rows.read_part

    def read_part(reader: Any, grid: Grid, *args: Any) -> None:
        seen.append(len(grid.rows))
        real(reader, grid, *args)

    monkeypatch.setattr("coprod_me.services.ngo_imports.read_part", read_part)
    monkeypatch.setattr(ngo_plan, "SAMPLE_ROWS", 100)
    monkeypatch.setattr("coprod_me.services.ngo_imports.SAMPLE_ROWS", 100)
    imports = ImportService(loaded.store, part_rows=400)
    result = imports.import_file(path, "T-01")
    assert result.imported == 3000 and result.saved
    assert max(seen) <= 400 and sum(seen) == 3001  # the header row is in the first part
    assert result.preview is not None and len(result.preview.rows) == 100
    assert result.preview.counts["new"] == 3000


def test_a_one_step_import_reads_the_file_once(loaded: Services, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch):
    from coprod_me.services import ngo_imports

    path = _long_csv(tmp_path / "long.csv", 1000)
    opened: list[Path] = []
    real = ngo_imports.open_sheet

    def open_sheet(p: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(p)
        return real(p, *args, **kwargs)

    monkeypatch.setattr(ngo_imports, "open_sheet", open_sheet)
    imports = ImportService(loaded.store, part_rows=300)
    assert imports.import_file(path, "T-01").imported == 1000
    assert len(opened) == 1
    draft = imports.open(path, "T-01")  # the wizard: open, then preview reads it again
    assert imports.preview(draft).counts["unchanged"] == 1000 and len(opened) == 3


def test_strict_or_cancelled_imports_in_parts_leave_nothing(loaded: Services, tmp_path: Path):
    from coprod_me.model.errors import Cancelled

    path = _long_csv(tmp_path / "long.csv", 1000)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("T-P1,2024Q1,NOWHERE,x,5\n")  # a strand the programme lacks, in the last part
    before = _state(loaded)
    imports = ImportService(loaded.store, part_rows=300)
    strict = imports.import_file(path, "T-01", strict=True)
    assert (strict.saved, strict.imported, strict.rejected) == (False, 0, 1)
    assert _state(loaded) == before
    stop = threading.Event()

    def progress(_done: int, _total: int, message: str) -> None:
        if message.startswith("Checked 600 rows"):
            stop.set()  # the first part is saved by now: the second is not

    with pytest.raises(Cancelled):
        imports.import_file(path, "T-01", progress=progress, cancelled=stop.is_set)
    assert stop.is_set()
    assert _state(loaded) == before
    assert imports.import_file(path, "T-01").imported == 1000
