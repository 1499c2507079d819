"""HXL round trip (issue 18): a programme's observations exported as HXL and imported into a
fresh store that holds the same programme but no observations come back identical, field by
field; formula-like text survives the apostrophe the export puts before it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from coprod_me.queries.imports import evidence_ids
from coprod_me.queries.indicators import indicators_of
from coprod_me.queries.observations import observations_of
from coprod_me.queries.programmes import get_programme, strands_of
from coprod_me.services import Services
from coprod_me.services.database import sample_workbooks
from coprod_me.services.hxl_exports import HxlExportService
from coprod_me.services.ngo_imports import ColumnMapping

#: what says where an observation sits in one store rather than what it states
_BOOKKEEPING = {"id", "indicator_id", "strand_id", "evidence_id", "entered_by", "entered_at",
                "import_batch_id"}


def _sample(code: str) -> Path:
    (path,) = [p for p in sample_workbooks() if p.stem == code]
    return path


def _definitions(source: Path, out: Path, *emptied: str) -> Path:
    """The workbook with the named sheets emptied below their header row."""
    wb = openpyxl.load_workbook(source)
    for name in emptied:
        wb[name].delete_rows(2, wb[name].max_row)
    wb.save(out)
    return out


def _observations(services: Services, code: str) -> list[dict[str, Any]]:
    """Every stored field of every observation, ids replaced by the codes they stand for."""
    with services.store.read() as s:
        p = get_programme(s, code)
        indicators = {i.id: i.code for i in indicators_of(s, p.id)}
        strands = {st.id: st.code for st in strands_of(s, p.id)}
        evidence = {eid: c for c, eid in evidence_ids(s, p.id).items()}
        out = []
        for o in observations_of(s, p.id):
            row = {k: v for k, v in o.model_dump().items() if k not in _BOOKKEEPING}
            row.update(indicator=indicators[o.indicator_id], strand=strands.get(o.strand_id),
                       evidence=evidence.get(o.evidence_id))
            out.append(row)
    return sorted(out, key=lambda r: (r["indicator"], r["period"], r["strand"] or "",
                                      r["dims_key"]))


def _fresh(tmp_path: Path, code: str) -> Services:
    """A store with the programme's definitions and no observations (and no reporting
    periods: the import rightly refuses figures for a locked quarter)."""
    second = Services.open(tmp_path / "second.sqlite")
    second.workbooks.load(_definitions(_sample(code), tmp_path / f"{code}-definitions.xlsx",
                                       "Observations", "ReportingPeriods"))
    assert second.observations.find(code) == []
    return second


@pytest.mark.parametrize("code", ["RS-01", "HL-01"])
def test_export_then_import_into_a_fresh_store_gives_identical_observations(
        code: str, tmp_path: Path):
    first = Services.open(tmp_path / "first.sqlite")
    first.workbooks.load(_sample(code))
    out = HxlExportService(first.store).write([code], tmp_path / f"{code}.csv")
    before = _observations(first, code)
    assert out.rows == len(before) > 100
    assert any(r["dims_key"] for r in before)  # breakdowns are part of the trip

    second = _fresh(tmp_path, code)
    draft = second.imports.open(out.file, code)
    assert draft.mapping_name is None  # read by its own hashtags and names
    result = second.imports.import_file(out.file, code)
    assert (result.imported, result.rejected, result.skipped) == (len(before), 0, 0)
    after = _observations(second, code)
    assert len(after) == len(before)
    for a, b in zip(before, after, strict=True):
        assert a == b
    first.close()
    second.close()


def test_every_column_is_mapped_by_its_hashtag_or_its_name(tmp_path: Path):
    first = Services.open(tmp_path / "first.sqlite")
    first.workbooks.load(_sample("HL-01"))
    out = HxlExportService(first.store).write(["HL-01"], tmp_path / "hl.csv")
    draft = first.imports.open(out.file, "HL-01")
    mapping: ColumnMapping = draft.mapping
    with out.file.open(encoding="utf-8", newline="") as f:
        names, tags = next(csv.reader(f)), next(csv.reader(f))
    assert tags == out.columns
    assert draft.shape.hxl_row == 1 and draft.shape.first_data_row == 2
    fields = [mapping.target(key).field for key in draft.shape.column_keys()]
    assert "ignore" not in fields
    assert fields == [
        "programme_code", "indicator_code", "indicator_name", "strand", "period", "phase",
        "dim:age_band", "dim:digital_access", "dim:sex", "value", "numerator", "denominator",
        "n_sample", "quality_status", "verification_type", "data_source", "evidence_code",
        "comment", "data_label"]
    assert names[6:9] == ["Age band", "Digital access", "Sex"]
    assert tags[6:9] == ["#group+dim+age_band", "#group+dim+digital_access", "#group+dim+sex"]
    first.close()


#: text a spreadsheet program would run, and text that merely starts like a formula
TEXTS = ("=1+1", '=HYPERLINK("http://x","y")', "-3 since Q1", "+1 site", "@SUM(A1)",
         "'=already quoted", "l'école, 12 % ; ok", "Ünïcode — 漢字")


def test_formula_like_text_and_full_values_come_back_as_they_were(tmp_path: Path):
    """The export puts an apostrophe before formula-like text; the import drops it again.
    Values are the programme's own: a small disaggregated count is written in full."""
    code = "HL-01"
    first = Services.open(tmp_path / "first.sqlite")
    first.workbooks.load(_definitions(_sample(code), tmp_path / "unlocked.xlsx",
                                      "ReportingPeriods"))
    views = [o for o in first.observations.find(code) if o.dims][:len(TEXTS)]
    for view, text in zip(views, TEXTS, strict=True):
        first.observations.update(view.id, {"comment": text, "data_source": text})
    small = next(o for o in first.observations.find(code, indicator="HL-P2"))
    first.observations.update(small.id, {"value": 3.0})
    out = HxlExportService(first.store).write([code], tmp_path / "hl.csv")

    with out.file.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    comments = {r[rows[1].index("#meta+comment")] for r in rows[2:]}
    assert {"'=1+1", "'-3 since Q1", "'+1 site", "'@SUM(A1)", "''=already quoted",
            "l'école, 12 % ; ok", "Ünïcode — 漢字"} <= comments
    assert "=1+1" not in comments
    values = [r[rows[1].index("#indicator+value+num")] for r in rows[2:]
              if r[rows[1].index("#indicator+code")] == "HL-P2"]
    assert "3" in values

    second = _fresh(tmp_path, code)
    assert second.imports.import_file(out.file, code).rejected == 0
    assert _observations(second, code) == _observations(first, code)
    stored = {o.comment for o in second.observations.find(code)}
    assert set(TEXTS) <= stored
    first.close()
    second.close()


def test_the_new_hashtags_leave_other_senders_columns_as_they_were():
    """Only ``#group+dim+NAME`` is a breakdown: a partner's ``#group+code`` or plain ``#group``
    still falls to its header; ``+sample`` and ``+ci_low`` beat ``+num`` (the value)."""
    from coprod_me.spreadsheets.ngo_shape import Shape, suggest_mapping

    tags = ["#indicator+code", "#date", "#group+code", "#group", "#group+dim+channel",
            "#indicator+num", "#indicator+num+sample", "#indicator+num+ci_low"]
    names = ["a", "b", "Population group", "Social group", "c", "d", "e", "f"]
    shape = Shape(0, 1, 1, names, tags, 2)
    mapping = suggest_mapping(shape)
    assert [mapping.target(k).field for k in shape.column_keys()] == [
        "indicator_code", "period", "ignore", "dim:social_group", "dim:channel", "value",
        "n_sample", "ci_low"]
