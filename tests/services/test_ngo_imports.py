"""Importing NGO spreadsheets: every value read, every rejection explained, one undoable batch."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from coprod_me.model import entities as M
from coprod_me.model.errors import Cancelled, DomainError, LockedPeriod, NotFound
from coprod_me.services import Services
from coprod_me.services.ngo_imports import Choices
from coprod_me.spreadsheets.ngo_shape import ColumnMapping
from tests import ngo_files as nf
from tests.builders import small_programme_rows, write


@pytest.fixture
def loaded(services: Services, tmp_path: Path) -> Services:
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    return services


def _state(s: Services) -> list[tuple]:
    return [(o.indicator_code, o.period, o.strand_code, o.dims, o.phase, o.value, o.numerator,
             o.denominator, o.comment) for o in s.observations.find("T-01")]


def _count(s: Services, model) -> int:
    with s.store.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


#: The default before issue 12 (the file wins); now the default keeps stored figures and
#: lists the changes (tested below), so the tests of updating ask for it.
FILE_WINS = Choices("update", "reject")

BEFORE = [
    ("T-O1", "2023Q1", "NORTH", {}, "co_delivery", 61.0, 366.0, 600.0, None),
    ("T-O1", "2023Q2", "NORTH", {}, None, 63.0, None, None, None),
    ("T-O1", "2023Q2", "NORTH", {"sex": "female"}, None, 60.0, None, None, None),
    ("T-P1", "2023Q2", None, {}, None, 4300.0, None, None, None),
]

#: (row, column, value, reason) of every rejection the messy sheet must produce.
MESSY_REJECTIONS = [
    (8, None, None, "states T-P1 2024Q2 as row 18 does, with other figures; keep one of the "
     "two rows (or choose which one wins)"),
    (11, "Valeur", "#DIV/0!", "is a spreadsheet error (#DIV/0!) in cell E11; correct the "
     "formula or enter the figure"),
    (12, "Code indicateur", "T-X9", "is not an indicator of T-01 (it has T-O1, T-O2, T-P1); "
     "correct the code, or create the indicator (the import offers to)"),
    (13, "Site", "EAST", "is not a strand or site of T-01 (it has NORTH, SOUTH); correct it, "
     "leave it empty for the whole programme, or create the strand"),
    (14, None, "2023Q1", "changes a value in quarter 2023Q1 of T-01, which is locked; unlock "
     "the quarter in the app (with a reason) or record a correction there"),
    (15, "Numérateur", 70.0, "is above its denominator (60); numerator cannot exceed "
     "denominator"),
    (16, "Valeur", 120.0, "is a percent and must be between 0 and 100"),
    (17, "Valeur", 40.0, "does not match numerator/denominator (30/60 = 50.0 %); correct one "
     "of the three"),
    (18, None, None, "states T-P1 2024Q2 as row 8 does, with other figures; keep one of the "
     "two rows (or choose which one wins)"),
    (21, "Phase", "Planning", "is not a phase of the service cycle; use one of: "
     "co_commissioning, co_design, co_delivery, co_assessment"),
    (22, "Trimestre", "Feb-Apr 2024", "is not a quarter; write the quarter as 2024Q2 (Q2 2024, "
     "2024 T2, Apr-Jun 2024 and dates also work)"),
    (23, "Valeur", "12,5,3", "is not a number; enter a number such as 12,5 or 1 234,5, or "
     "leave the cell empty"),
]


def test_a_messy_workbook_imports_every_good_row_and_explains_every_rejected_one(
        loaded: Services, tmp_path: Path):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    result = loaded.imports.import_file(path, "T-01", choices=FILE_WINS)

    got = [(e.row, e.column, e.value, e.reason) for e in result.errors]
    assert got == MESSY_REJECTIONS
    assert all(e.sheet == nf.MESSY_SHEET for e in result.errors)
    assert (result.imported, result.updated, result.unchanged, result.skipped,
            result.rejected) == (5, 1, 1, 1, 12)
    assert result.batch_id is not None and result.saved

    state = _state(loaded)
    assert len(state) == len(BEFORE) + 5
    by_key = {(o[0], o[1], o[2], tuple(o[3].items())): o for o in state}
    assert by_key[("T-O1", "2024Q2", "NORTH", ())][4:] == ("co_delivery", 63.5, None, None, "ok")
    assert by_key[("T-O1", "2024Q2", "NORTH", (("sex", "female"),))][5] == 63.0
    assert by_key[("T-O2", "2024Q2", "SOUTH", ())][5] == 52.0
    assert by_key[("T-P1", "2024Q3", "SOUTH", ())][5] == 5.0
    assert by_key[("T-O2", "2024Q3", "NORTH", ())][5:8] == (50.0, 30.0, 60.0)
    assert by_key[("T-O1", "2023Q2", "NORTH", (("sex", "female"),))][5] == 58.0  # updated
    assert ("T-P1", "2024Q3", "NORTH", ()) not in by_key  # n/a is missing, not zero
    assert ("T-P1", "2024Q2", None, ()) not in by_key  # both duplicate rows rejected
    assert by_key[("T-O1", "2023Q1", "NORTH", ())][5] == 61.0  # locked: untouched

    with loaded.store.read() as s:
        batch = s.get(M.ImportBatch, result.batch_id)
        assert batch is not None
        assert (batch.kind, batch.file_name, batch.sheet, batch.programme_code) == (
            "ngo_spreadsheet", "ngo.xlsx", nf.MESSY_SHEET, "T-01")
        assert len(batch.sha256) == 64 and batch.user == "tester"
        assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged,
                batch.rows_rejected) == (5, 1, 1, 12)
        assert json.loads(batch.mapping_json or "{}")["columns"]["Valeur"] == "value"


def test_the_messy_sheet_has_the_one_good_row_the_list_above_names(loaded: Services,
                                                                  tmp_path: Path):
    # row 21 with an unknown phase is rejected; row 24 (numerator/denominator only) is new
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    preview = loaded.imports.preview(loaded.imports.open(path, "T-01"), choices=FILE_WINS)
    statuses = {r.row: r.status for r in preview.rows}
    assert statuses == {5: "new", 6: "new", 7: "new", 8: "rejected", 9: "skipped", 10: "new",
                        11: "rejected", 12: "rejected", 13: "rejected", 14: "rejected",
                        15: "rejected", 16: "rejected", 17: "rejected", 18: "rejected",
                        19: "unchanged", 20: "update", 21: "rejected", 22: "rejected",
                        23: "rejected", 24: "new"}
    assert next(r for r in preview.rows if r.row == 9).note.startswith("no figure (n/a)")
    assert next(r for r in preview.rows if r.row == 20).note == "value 60 → 58"
    assert set(preview.unknown_indicators) == {"T-X9"}
    assert preview.unknown_strands == {"EAST": 13}
    assert _state(loaded) == BEFORE  # a preview writes nothing


def test_reimporting_the_same_file_changes_nothing(loaded: Services, tmp_path: Path):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    first = loaded.imports.import_file(path, "T-01")
    after_first = _state(loaded)
    batches = _count(loaded, M.ImportBatch)
    audits = _count(loaded, M.AuditLog)
    again = loaded.imports.import_file(path, "T-01")
    assert (again.imported, again.updated, again.batch_id) == (0, 0, None)
    assert again.unchanged == first.imported + first.updated + first.unchanged
    assert _state(loaded) == after_first
    assert (_count(loaded, M.ImportBatch), _count(loaded, M.AuditLog)) == (batches, audits)


def test_undo_puts_the_whole_batch_back_and_is_audited(loaded: Services, tmp_path: Path):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    result = loaded.imports.import_file(path, "T-01", choices=FILE_WINS)
    undone = loaded.imports.undo(result.batch_id)
    assert (undone.deleted, undone.restored) == (5, 1)
    assert _state(loaded) == BEFORE
    with loaded.store.read() as s:
        batch = s.get(M.ImportBatch, result.batch_id)
        assert batch.reverted_at is not None
        audit = M.table_of(M.AuditLog)
        rows = s.execute(select(audit.c.action, audit.c.entity, audit.c.field, audit.c.old,
                                audit.c.new, audit.c.reason).where(
            audit.c.reason == f"undo import batch {result.batch_id}")).all()
    assert ("update", "observation", "value", "58.0", "60.0",
            f"undo import batch {result.batch_id}") in rows
    assert any(r[0] == "delete" and '"observations": 5' in r[3] for r in rows)
    with pytest.raises(DomainError, match="was already undone"):
        loaded.imports.undo(result.batch_id)
    with pytest.raises(NotFound, match="there is no import batch 999"):
        loaded.imports.undo(999)


def test_undo_is_refused_once_a_quarter_of_the_batch_is_locked(loaded: Services,
                                                             tmp_path: Path):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    result = loaded.imports.import_file(path, "T-01")
    after = _state(loaded)
    loaded.observations.set_period_status("T-01", "2024Q3", "locked")
    with pytest.raises(LockedPeriod, match="quarter 2024Q3 of T-01 has been locked since"):
        loaded.imports.undo(result.batch_id)
    assert _state(loaded) == after


def test_undo_refuses_to_overwrite_a_later_edit(loaded: Services, tmp_path: Path):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    result = loaded.imports.import_file(path, "T-01", choices=FILE_WINS)
    (obs,) = [o for o in loaded.observations.find("T-01", indicator="T-O1", period="2023Q2")
              if o.dims]
    loaded.observations.update(obs.id, {"value": 57.0})
    with pytest.raises(DomainError, match="was changed again after the import"):
        loaded.imports.undo(result.batch_id)
    assert loaded.observations.get(obs.id).value == 57.0


def test_strict_and_dry_run_save_nothing(loaded: Services, tmp_path: Path):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    strict = loaded.imports.import_file(path, "T-01", strict=True)
    assert (strict.saved, strict.batch_id, strict.rejected) == (False, None, 12)
    dry = loaded.imports.import_file(path, "T-01", dry_run=True, choices=FILE_WINS)
    assert (dry.saved, dry.imported, dry.updated, dry.rejected) == (False, 5, 1, 12)
    assert _state(loaded) == BEFORE
    assert _count(loaded, M.ImportBatch) == 1  # the programme workbook's own


def test_choices_for_duplicates_and_updates(loaded: Services, tmp_path: Path):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    draft = loaded.imports.open(path, "T-01")
    last = loaded.imports.preview(draft, choices=Choices("update", "last"))
    rows = {r.row: r for r in last.rows}
    assert (rows[8].status, rows[18].status) == ("skipped", "new")
    first = loaded.imports.preview(draft, choices=Choices("skip", "first"))
    rows = {r.row: r for r in first.rows}
    assert (rows[8].status, rows[18].status, rows[20].status) == ("new", "skipped", "skipped")
    assert rows[20].note == "the database already holds other figures (value 60 → 58); kept them"
    reject = loaded.imports.preview(draft, choices=Choices("reject", "reject"))
    (problem,) = next(r for r in reject.rows if r.row == 20).problems
    assert problem.reason == ("T-O1 2023Q2 already holds other figures in T-01 (value 60 → 58); "
                              "choose to update them, or correct the row")


def test_cancel_saves_nothing(loaded: Services, tmp_path: Path):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    draft = loaded.imports.open(path, "T-01")
    gate = threading.Event()

    def progress(done: int, _total: int, message: str) -> None:
        if message.startswith("Saving"):
            gate.set()  # cancel once rows are being written, inside the transaction

    with pytest.raises(Cancelled):
        loaded.imports.commit(draft, progress=progress, cancelled=gate.is_set)
    assert _state(loaded) == BEFORE
    assert _count(loaded, M.ImportBatch) == 1


def test_wide_layouts_unpivot(loaded: Services, tmp_path: Path):
    wide = loaded.imports.import_file(nf.wide_quarters_xlsx(tmp_path / "w.xlsx"), "T-01")
    assert (wide.imported, wide.skipped, wide.rejected) == (6, 1, 0)
    hxl = loaded.imports.import_file(nf.hxl_csv_cp1252(tmp_path / "h.csv"), "T-01")
    assert (hxl.imported, hxl.skipped, hxl.rejected) == (3, 1, 0)
    ind = loaded.imports.import_file(nf.wide_indicators_csv_bom(tmp_path / "i.csv"), "T-01",
                                     choices=FILE_WINS)
    # the same cells as w.xlsx, other figures: updates (the file wins, as chosen)
    assert (ind.imported, ind.updated, ind.skipped, ind.rejected) == (0, 4, 1, 0)
    got = {(o[0], o[1], o[2], tuple(o[3].items())): o[5] for o in _state(loaded)
           if o not in BEFORE}
    assert got == {
        ("T-P1", "2024Q1", "NORTH", ()): 1000.0,  # i.csv updated w.xlsx's 100
        ("T-P1", "2024Q2", "NORTH", ()): 1100.0,
        ("T-P1", "2024Q1", "SOUTH", ()): 1250.0,  # "1.250" where the sender writes 61,5
        ("T-P1", "2024Q3", "SOUTH", ()): 900.0,
        ("T-O1", "2024Q1", "NORTH", ()): 61.2,
        ("T-O1", "2024Q2", "NORTH", ()): 64.0,  # 0.64 formatted as 64.0 %
        ("T-P1", "2024Q2", "NORTH", (("sex", "female"),)): 1200.0,
        ("T-P1", "2024Q2", "NORTH", (("sex", "male"),)): 950.0,
        ("T-P1", "2024Q3", "SOUTH", (("sex", "male"),)): 1010.0,
    }


def test_ods_and_xls_sources(loaded: Services, tmp_path: Path):
    ods = nf.minimal_ods(tmp_path / "r.ods", [["Relatório"], [], ["Indicador", "Local",
                                              "Trimestre", "Valor"],
                                              ["T-P1", "NORTH", "2024 T2", 5],
                                              ["T-O1", "SOUTH", "T3 2024", "55,5 %"],
                                              ["T-O2", "SOUTH", "T3 2024", ("pct", 0.52)]])
    r = loaded.imports.import_file(ods, "T-01")
    assert (r.imported, r.rejected) == (3, 0)
    xls = loaded.imports.import_file(nf.FIXTURES / "ngo_report.xls", "T-01")
    assert (xls.imported, xls.rejected, xls.sheet) == (3, 0, "Relatorio")
    got = {(o[0], o[1], o[2]): (o[5], o[8]) for o in _state(loaded) if not o[3]}
    assert got[("T-P1", "2024Q2", "NORTH")] == (5.0, None)
    assert got[("T-O1", "2024Q3", "SOUTH")] == (55.5, None)
    assert got[("T-O2", "2024Q3", "SOUTH")] == (52.0, None)  # an OpenDocument percentage
    assert got[("T-P1", "2024Q1", "NORTH")] == (410.0, "ok")  # a date cell gives the quarter
    assert got[("T-P1", "2024Q2", "SOUTH")] == (1020.0, None)
    assert got[("T-O1", "2024Q2", "NORTH")] == (62.5, "inquérito")


def test_an_exported_observations_sheet_round_trips_with_no_mapping(loaded: Services,
                                                                    tmp_path: Path):
    out = loaded.workbooks.export(["T-01"], tmp_path / "export.xlsx")
    r = loaded.imports.import_file(out, "T-01", sheet="Observations")
    assert (r.imported, r.updated, r.unchanged, r.rejected) == (0, 0, 4, 0)
    raw = nf.observations_sheet_xlsx(tmp_path / "report.xlsx", [
        {"programme_code": "T-01", "indicator_code": "T-O1", "strand_code": "SOUTH",
         "period": "2024Q1", "value": 70, "numerator": 7, "denominator": 10, "n_sample": 10,
         "quality_status": "verified", "comment": "c", "dim:sex": "male", "phase":
         "co_delivery"}])
    draft = loaded.imports.open(raw, "T-01")
    assert draft.sheet == "Observations_raw"
    assert draft.mapping.columns["strand_code"] == "strand"
    assert draft.mapping.columns["dim:sex"] == "dim:sex"
    r = loaded.imports.commit(draft)
    assert (r.imported, r.rejected) == (1, 0)
    (o,) = loaded.observations.find("T-01", indicator="T-O1", period="2024Q1")
    assert (o.strand_code, o.dims, o.value, o.numerator, o.denominator, o.n_sample,
            o.quality_status, o.comment, o.phase) == (
        "SOUTH", {"sex": "male"}, 70.0, 7.0, 10.0, 10, "verified", "c", "co_delivery")


def test_a_saved_mapping_applies_when_the_headers_match(loaded: Services, tmp_path: Path):
    path = nf.wide_indicators_csv_bom(tmp_path / "i.csv")
    draft = loaded.imports.open(path, "T-01")
    mapping = ColumnMapping(draft.mapping.header_row, 1, dict(draft.mapping.columns))
    mapping.columns["Site"] = "ignore"  # the user's correction
    loaded.imports.save_mapping("Eau Propre", draft, mapping)
    again = loaded.imports.open(path, "T-01")
    assert again.mapping_name == "Eau Propre"
    assert again.mapping.columns["Site"] == "ignore"
    named = loaded.imports.open(path, "T-01", mapping_name="Eau Propre")
    assert named.mapping == mapping
    with pytest.raises(NotFound, match="no saved mapping 'Nope'"):
        loaded.imports.open(path, "T-01", mapping_name="Nope")
    (saved,) = loaded.imports.mappings("T-01")
    assert saved.name == "Eau Propre" and saved.programme_code == "T-01"


def test_unknown_indicator_and_strand_can_be_created_then_import(loaded: Services,
                                                                 tmp_path: Path):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    draft = loaded.imports.open(path, "T-01")
    preview = loaded.imports.preview(draft)
    unknown = preview.unknown_indicators["T-X9"]
    assert (unknown.first_row, unknown.unit) == (12, "count")
    loaded.imports.create_indicator("T-01", "T-X9", result_level="output", unit=unknown.unit)
    with pytest.raises(DomainError, match="say how people are better off"):
        loaded.imports.create_indicator("T-01", "T-X8", result_level="outcome_short",
                                        unit="percent")
    assert loaded.imports.strand_code_for("East") == "EAST"
    assert loaded.imports.strand_code_for("Bloc de l'Est") == "BLOC-DE-L-EST"
    loaded.imports.create_strand("T-01", "EAST", name="East block")
    statuses = {r.row: r.status for r in loaded.imports.preview(draft).rows}
    assert (statuses[12], statuses[13]) == ("new", "new")
    ind = loaded.indicators.get("T-01", "T-X9")
    assert (ind.result_level, ind.rba_quadrant, ind.unit) == ("output", "how_much", "count")


def test_the_errors_workbook_holds_the_rejected_rows_with_comments(loaded: Services,
                                                                  tmp_path: Path):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    out = tmp_path / "errors.xlsx"
    result = loaded.imports.import_file(path, "T-01", dry_run=True, errors_path=out)
    assert result.errors_file == out
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (*nf.MESSY_HEADER, "errors")
    assert [r[-1].split(":")[0] for r in rows[1:]] == [
        f"row {n}" for n in (8, 11, 12, 13, 14, 15, 16, 17, 18, 21, 22, 23)]
    assert rows[1][:5] == ("T-P1", "Apr-Jun 2024", None, None, "1 234")
    assert rows[2][4] == "#DIV/0!"
    assert ws["E3"].comment.text.startswith("is a spreadsheet error (#DIV/0!) in cell E11")
    assert ws["C5"].comment.text.startswith("is not a strand or site of T-01")
    # fixed and sent back, the errors workbook maps itself and imports
    ws["C5"] = "SOUTH"
    fixed = tmp_path / "fixed.xlsx"
    ws.parent.save(fixed)
    draft = loaded.imports.open(fixed, "T-01")
    row5 = next(r for r in loaded.imports.preview(draft).rows if r.row == 5)
    assert row5.status == "new" and draft.mapping.columns["errors"] == "ignore"


def test_a_programme_code_column_must_name_this_programme(loaded: Services, tmp_path: Path):
    raw = nf.observations_sheet_xlsx(tmp_path / "r.xlsx", [
        {"programme_code": "RS-01", "indicator_code": "T-O1", "period": "2024Q1", "value": 1}])
    (e,) = loaded.imports.import_file(raw, "T-01").errors
    assert (e.column, e.value, e.reason) == (
        "programme_code", "RS-01", "belongs to programme RS-01, not T-01; import it into that "
        "programme or remove the row")


def test_a_mapping_without_figures_is_refused_with_what_to_do(loaded: Services,
                                                             tmp_path: Path):
    path = nf.wide_indicators_csv_bom(tmp_path / "i.csv")
    draft = loaded.imports.open(path, "T-01")
    mapping = ColumnMapping(1, 1, {k: "ignore" for k in draft.mapping.columns})
    with pytest.raises(DomainError, match="no column maps to value"):
        loaded.imports.preview(draft, mapping)


def test_programme_workbooks_are_told_apart_from_ngo_sheets(loaded: Services, tmp_path: Path):
    book = write(tmp_path / "p.xlsx", small_programme_rows())
    assert loaded.imports.looks_like_programme_workbook(book)
    assert not loaded.imports.looks_like_programme_workbook(
        nf.messy_long_xlsx(tmp_path / "n.xlsx"))
    assert not loaded.imports.looks_like_programme_workbook(nf.hxl_csv_cp1252(tmp_path / "h.csv"))


def test_percent_cells_of_other_units_and_unknown_indicators(loaded: Services, tmp_path: Path):
    def build(wb) -> None:
        ws = wb.active
        ws.append(["Indicator", "Quarter", "Value", "Numerator", "Denominator"])
        ws.append(["T-P1", "2024Q2", 0.4, None, None])  # a count formatted as a percentage
        ws.append(["T-O1", "2024Q2", None, 0.3, 60])  # a numerator formatted as one
        ws.append(["T-Z1", "2024Q2", "63 %", None, None])  # unknown: one complaint only
        ws["C2"].number_format = "0%"
        ws["D3"].number_format = "0%"

    path = nf.with_cached_values(tmp_path / "p.xlsx", build, {})
    result = loaded.imports.import_file(path, "T-01", dry_run=True)
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "Value", "is formatted as a percentage (40 %), but T-P1 is measured in count; "
                     "enter the plain figure"),
        (3, "Numerator", "is formatted as a percentage (30 %), but numerator is a count; "
                         "enter the plain figure"),
        (4, "Indicator", "is not an indicator of T-01 (it has T-O1, T-O2, T-P1); correct the "
                         "code, or create the indicator (the import offers to)"),
    ]
    preview = loaded.imports.preview(loaded.imports.open(path, "T-01"))
    assert preview.unknown_indicators["T-Z1"].unit == "percent"  # guessed from "63 %"


def test_undo_refuses_to_delete_a_row_edited_since(loaded: Services, tmp_path: Path):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    result = loaded.imports.import_file(path, "T-01")
    (obs,) = loaded.observations.find("T-01", indicator="T-P1", period="2024Q3")
    loaded.observations.update(obs.id, {"comment": "checked by phone"})
    with pytest.raises(DomainError, match=rf"observation {obs.id}, which this import created, "
                                          r"was changed since \(comment, by tester\)"):
        loaded.imports.undo(result.batch_id)
    assert loaded.observations.get(obs.id).comment == "checked by phone"


def _varied_long_rows(n: int, seed: int) -> list[list]:
    """Rows of a long sheet written every way the readers know: each cell usually one that
    reads (in one of its spellings), sometimes one the import must report."""
    import random
    from datetime import date

    rnd = random.Random(seed)
    good: list[list] = [
        ["T-O1", "T-O2", "T-P1", "t-p1", "TP1", "Household toilets constructed"],
        ["2024 T2", "T3 2024", "Apr-Jun 2024", "Q4 2024", date(2024, 5, 15), 45400.0,
         "Q2 2023"],
        ["NORTH", "South block", "north", None],
        [None, "co_delivery", "Co-Delivery", "delivery"],
        [12.0, 55.5, "63,5", "45", 0.0, 50.0, None],
        [None] * 8 + [3.0, "30"],
        [None] * 8 + [6.0, "60"],
        [None, 10.0, "12", "400"],
        [None, None, 10.0],
        [None, None, 20.0, 40.0],
        [None, "verified", "Verified", "estimated"],
        [None, "Femmes", "male", "F", "Hombres"],
        [None] * 8 + ["15-24", 25.0],
        [None, "ok", "  spaced  ", 5.0],
        [None, None, "T-01", "t01"],
    ]
    bad: list[list] = [
        ["T-X9", None, 7.0],
        ["Feb-Apr 2024", "2023Q1", "n/a", None, 12.0, True],
        ["EAST", 1.0],
        ["Planning"],
        [120.0, -3.0, "63 %", "1 234", "1.250", "n/a", "-", "abc", "12,5,3", True,
         date(2024, 1, 1), 7, float("inf")],
        [70.0, -1.0],
        [0.0, 2.0],
        [10.5, -2.0, "abc", 3],
        [50.0],
        [5.0],
        ["bogus"],
        ["x" * 205, "other"],
        ["y" * 205],
        [None],
        ["X-99"],
    ]
    rows = []
    for i in range(n):
        row = [rnd.choice(g if rnd.random() < 0.985 else b) for g, b in zip(good, bad,
                                                                           strict=True)]
        if row[12] is None and rnd.random() < 0.8:
            row[12] = f"a{i % 499}"  # keeps most rows apart; the others repeat each other
        rows.append(row)
    return rows


VARIED_HEADER = ["Indicator", "Quarter", "Site", "Phase", "Value", "Numerator", "Denominator",
                 "Sample size", "CI low", "CI high", "Quality", "Sex", "Age", "Comment",
                 "Programme"]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_long_sheet_read_column_by_column_matches_the_row_reader(
        loaded: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str):
    from coprod_me.spreadsheets import ngo_rows

    rows = _varied_long_rows(1500, seed=3 if kind == "xlsx" else 4)

    def write_sheet(path: Path, rows: list[list]) -> Path:
        if kind == "xlsx":
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.append(["Rapport"])
            ws.append(VARIED_HEADER)
            for r in rows:
                ws.append(r)
            for ref in ("E10", "E11", "F12", "I13"):
                ws[ref].number_format = "0%"  # percent-formatted cells: the row reader's
            wb.save(path)
            return path

        def text(v) -> str:
            return "" if v is None else str(v)
        path.write_text("\n".join(";".join(text(v) for v in r)
                                  for r in [VARIED_HEADER, *rows]), encoding="utf-8")
        return path

    first = write_sheet(tmp_path / f"first.{kind}", rows[:600])
    loaded.imports.import_file(first, "T-01", choices=Choices("update", "first"))
    path = write_sheet(tmp_path / f"varied.{kind}", [
        [v + 1 if isinstance(v, float) and i % 7 == 0 and j == 4 else v
         for j, v in enumerate(r)] for i, r in enumerate(rows)])  # some stored, some updated

    def plan() -> list:
        draft = loaded.imports.open(path, "T-01")
        out = []
        for choices in (FILE_WINS, Choices(), Choices("skip", "last"),
                        Choices("reject", "reject")):
            p = loaded.imports.preview(draft, choices=choices)
            out.append((repr([(r.row, r.cell, r.indicator, r.period, r.strand, r.dims,
                               r.values, r.status, r.problems, r.note, r.previous,
                               r.indicator_id, r.strand_id, r.existing_id, r.warnings)
                              for r in p.rows]),
                        list(p.unknown_indicators.items()), list(p.unknown_strands.items()),
                        p.counts))
        return out

    by_column = plan()
    monkeypatch.setattr(ngo_rows, "long_columns", lambda shape, mapping: None)
    by_row = plan()  # every record through RecordReader.read, as unpivot makes them
    assert by_column == by_row
    counts = by_column[0][3]
    assert all(counts[s] > 20 for s in ("new", "update", "unchanged", "skipped", "rejected"))


def test_cancel_while_checking_a_long_sheet_saves_nothing(loaded: Services, tmp_path: Path):
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    draft = loaded.imports.open(path, "T-01")
    seen: list[str] = []

    def progress(_done: int, _total: int, message: str) -> None:
        seen.append(message)

    with pytest.raises(Cancelled):
        loaded.imports.commit(draft, progress=progress,
                              cancelled=lambda: any(m == "Reading columns" for m in seen))
    assert _state(loaded) == BEFORE
    assert _count(loaded, M.ImportBatch) == 1
