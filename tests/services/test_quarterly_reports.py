"""The quarterly report of the sample programmes, read back with openpyxl and python-calamine."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlmodel import select

from coprod_me.model import entities as M
from coprod_me.model.errors import Cancelled, DomainError, NotFound
from coprod_me.reports.quarterly_model import SECTIONS
from coprod_me.services import Services
from coprod_me.services.database import load_samples, sample_workbooks
from coprod_me.services.quarterly_reports import OBSERVATION_HEADERS
from coprod_me.spreadsheets.programme_workbook import write_workbook

QUARTER = "2024Q2"


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Services:
    services = Services.open(tmp_path_factory.mktemp("db") / "samples.sqlite")
    load_samples(services.store)
    yield services
    services.close()


@pytest.fixture(scope="module")
def rs01(samples: Services, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "rs01.xlsx"
    samples.reports.write(["RS-01"], QUARTER, out)
    return out


def calamine(path: Path) -> dict[str, list[list[Any]]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def table_rows(rows: list[list[Any]], first_header: str) -> list[dict[str, Any]]:
    """The rows of the table whose header row starts with ``first_header``."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    header = [h for h in rows[start] if h != ""]
    out = []
    for r in rows[start + 1:]:
        if not any(v != "" for v in r):
            break
        out.append(dict(zip(header, r, strict=False)))
    return out


def test_the_sheets_come_in_the_order_of_the_domain_brief(rs01: Path):
    assert openpyxl.load_workbook(rs01).sheetnames == list(SECTIONS)
    assert CalamineWorkbook.from_path(str(rs01)).sheet_names == list(SECTIONS)


def test_headline_numbers_of_rs01(rs01: Path):
    sheets = calamine(rs01)
    summary = {r["Outcome"]: r for r in table_rows(sheets["Summary"], "Outcome")}
    assert list(summary) == ["RS-O1", "RS-O2", "RS-O3", "RS-O6"]  # outcomes only, 3 to 5
    # three strands' totals averaged: IN 63, BD 94, ID 78
    assert summary["RS-O1"][f"This quarter ({QUARTER})"] == pytest.approx(78.3333, abs=1e-3)
    assert summary["RS-O1"]["Baseline"] == 69.6
    assert summary["RS-O1"]["Trend"] == "↑ better"
    # RS-O3 is verified once a year: its latest value is shown and says so
    assert "latest value (2024Q1)" in summary["RS-O3"]["Basis"]

    outcomes = table_rows(sheets["Outcomes"], "Code")
    in_blk = next(r for r in outcomes if r["Code"] == "RS-O1"
              and r["Strand"] == "India (IN-BLK)")
    assert [in_blk[q] for q in ("2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2")] \
        == [61, 63, 63, 64, 64, 63]
    assert in_blk["Baseline"] == 58 and in_blk["Target"] == 85
    assert in_blk["Change on last quarter"] == -1
    # outcomes only on the Outcomes sheet, outputs only on Outputs
    assert {r["Code"][:4] for r in outcomes} == {"RS-O"}

    outputs = table_rows(sheets["Outputs"], "Drives outcome")
    p1 = next(r for r in outputs if r["Code"] == "RS-P1" and r["Strand"] == "India (IN-BLK)"
              and r["Drives outcome"] == "RS-O1")
    assert p1[QUARTER] == 13500
    assert p1["Outcome this quarter"] == 63
    assert p1["CD-1 busy, not better"].startswith("busy, not better")  # +47 %, O1 -1 pp


def test_each_output_sits_beside_the_outcome_it_drives(rs01: Path):
    outputs = table_rows(calamine(rs01)["Outputs"], "Drives outcome")
    header = list(outputs[0])
    assert header.index("Drives outcome") < header.index("Code")  # outcome on the left
    drives = [r["Drives outcome"] for r in outputs]
    # grouped by outcome: once an outcome's outputs end, it does not come back
    groups = [d for i, d in enumerate(drives) if i == 0 or d != drives[i - 1]]
    assert len(groups) == len(set(groups))


def test_number_formats_carry_units_and_tables_filter(rs01: Path):
    wb = openpyxl.load_workbook(rs01)
    ws = wb["Outcomes"]
    assert ws.freeze_panes == "A3"
    assert set(ws.tables) >= {"Outcomes"}
    ref = ws.tables["Outcomes"].ref
    assert ref.startswith("A2:")
    header = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "RS-O1")
    assert row[header.index(QUARTER)].number_format == '0.0" %"'
    assert "pp" in row[header.index("Change on last quarter")].number_format
    assert ws.page_setup.orientation == "landscape"
    # printed at full size (issue 15): fitted to the page width it printed at 4 pt
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.scale == 100
    assert "RS-01" in ws.oddHeader.left.text and QUARTER in ws.oddHeader.center.text
    assert "&P" in ws.oddFooter.right.text
    assert ws.print_area  # spilled text cannot widen the printed page
    # no table header repeated above the pages of charts (issue 15)
    assert not ws.print_title_rows
    assert wb["DataQuality"].print_title_rows is None  # two printed tables there
    assert wb["Capacity"].print_title_rows in ("$2:$2", "2:2")
    for sheet in wb.worksheets:
        assert not sheet.merged_cells.ranges, f"{sheet.title} has merged cells"


def test_rag_and_severity_columns_are_conditionally_formatted(rs01: Path):
    wb = openpyxl.load_workbook(rs01)
    formulas = {}
    for cf in wb["Outcomes"].conditional_formatting:
        for rule in cf.rules:
            formulas[rule.formula[0]] = str(cf.sqref)
    assert {'"green"', '"amber"', '"red"'} <= set(formulas)
    header = [c.value for c in wb["Outcomes"][2]]
    rag_letter = openpyxl.utils.get_column_letter(header.index("RAG") + 1)
    assert formulas['"red"'].startswith(f"{rag_letter}3:")
    severity = {r.formula[0] for cf in wb["Risks"].conditional_formatting for r in cf.rules}
    assert severity == set() or '"high"' in severity
    gaps = [r.formula[0] for cf in wb["Disaggregation"].conditional_formatting
            for r in cf.rules]
    assert any("<0.8" in f and "ISNUMBER" in f for f in gaps)  # four-fifths screen
    scales = [r for cf in wb["Capacity"].conditional_formatting for r in cf.rules]
    assert scales and scales[0].type == "colorScale"


def test_native_charts_read_their_numbers_from_the_sheet(rs01: Path):
    wb = openpyxl.load_workbook(rs01)
    outcomes = wb["Outcomes"]
    assert len(outcomes._charts) == 12  # 4 headline outcomes × 3 strands
    chart = outcomes._charts[0]
    refs = [s.val.numRef.f for s in chart.series]
    assert all(r.startswith("'Outcomes'!$C$") or r.startswith("Outcomes!$C$") for r in refs)
    titles = [s.tx.strRef.f for s in chart.series]
    assert len(titles) == 3  # history, target line, baseline
    # the referenced cells hold the history of RS-O1 at BD-UPZ
    row = int(refs[0].rsplit("$", 1)[1])
    assert outcomes.cell(row, 2).value == "RS-O1 BD-UPZ"
    assert outcomes.cell(row, 10).value == 94.0  # 2024Q2 in the 8th quarter column (J)
    assert outcomes.cell(row + 1, 2).value.startswith("target")
    assert {len(wb[s]._charts) > 0 for s in ("Outputs", "Participation", "Sustainability")} \
        == {True}
    runway = wb["Sustainability"]._charts[0]
    assert runway.title is not None


def test_suppression_hides_small_counts_and_keeps_them_out_of_ratios(rs01: Path):
    rows = table_rows(calamine(rs01)["Disaggregation"], "Indicator")
    # RS-O3 at ID-KAB 2024Q1: 3 of 3 poorest-quintile villages (sample data)
    small = next(r for r in rows if r["Indicator"] == "RS-O3" and r["Strand"] == "ID-KAB"
                 and r["Quarter"] == "2024Q1" and r["Category"] == "poorest_quintile")
    assert small["n"] == "<5" and small["Numerator"] == "<5" and small["Denominator"] == "<5"
    assert small["Value"] == "" and small["Outcome-gap ratio"] == ""
    assert "suppressed" in small["Note"]
    other = next(r for r in rows if r["Indicator"] == "RS-O3" and r["Strand"] == "ID-KAB"
                 and r["Quarter"] == "2024Q1" and r["Category"] == "other")
    # the suppressed category is not the reference of the gap ratio either
    assert other["Outcome-gap ratio"] == 1.0


def test_a_higher_threshold_suppresses_more(samples: Services, tmp_path: Path):
    out = tmp_path / "strict.xlsx"
    samples.reports.write(["RS-01"], QUARTER, out, suppression_threshold=1000)
    rows = table_rows(calamine(out)["Disaggregation"], "Indicator")
    counts = [r[k] for r in rows for k in ("n", "Numerator", "Denominator")]
    assert "<1000" in counts
    assert not [c for c in counts if isinstance(c, float) and c < 1000]
    assert all(r["Value"] == "" for r in rows if "<1000" in (r["n"], r["Numerator"]))
    raw = calamine(out)["Observations_raw"]
    col = {h: i for i, h in enumerate(raw[0])}
    dims = [i for h, i in col.items() if str(h).startswith("dim:")]
    for r in raw[1:]:  # a disaggregated row under the threshold is withheld
        if any(r[i] for i in dims):
            assert all(r[col[k]] == "" or r[col[k]] >= 1000
                       for k in ("n_sample", "numerator", "denominator"))


def test_no_flags_computed_yet_is_said_plainly(rs01: Path):
    risks = calamine(rs01)["Risks"]
    text = " ".join(str(c) for r in risks[:3] for c in r)
    assert "no flags computed yet" in text
    summary = table_rows(calamine(rs01)["Summary"], "RAG")
    assert {r["RAG"] for r in summary} == {"not computed"}


def test_stored_flags_appear_in_the_register_with_their_trigger(samples: Services,
                                                                tmp_path: Path):
    out = tmp_path / "hr.xlsx"
    samples.reports.write(["HR-01"], "2021Q4", out)
    flags = table_rows(calamine(out)["Risks"], "Rule")
    (cl1,) = [f for f in flags if f["Rule"] == "CL-1"]
    assert cl1["Severity"] == "medium" and cl1["Status"] == "closed false positive"
    assert "2,680" in cl1["Thresholds"], cl1["Thresholds"]  # what it was judged against
    summary = table_rows(calamine(out)["Summary"], "RAG")
    assert {r["RAG"] for r in summary} == {"green"}  # the one flag is closed


def test_formula_like_text_stays_text(samples: Services, tmp_path: Path):
    with samples.store.session(reason="test") as s:
        rs01 = s.scalars(select(M.Programme).where(M.Programme.code == "RS-01")).one()
        note = s.scalars(select(M.Note).where(M.Note.code == "N-02",
                                              M.Note.programme_id == rs01.id)).one()
        old_text = note.text
        note.text = '=HYPERLINK("http://example.com","click")'
        obs = s.scalars(select(M.Observation).join(M.Indicator).where(
            M.Observation.period == QUARTER, M.Indicator.programme_id == rs01.id)).first()
        old_comment, obs_id = obs.comment, obs.id
        obs.comment = "@SUM(A1:A2)"
        s.add(M.Note(programme_id=note.programme_id, code="N-XX", entity="indicator",
                     entity_key="RS-O2", period=QUARTER, text="-1+2 fewer people",
                     created_at=datetime(2024, 7, 1, tzinfo=UTC)))
    try:
        out = tmp_path / "formula.xlsx"
        samples.reports.write(["RS-01"], QUARTER, out)
        wb = openpyxl.load_workbook(out)
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and c.value[:1] in "=+-@"]
        texts = {c.value for c in cells}
        assert '=HYPERLINK("http://example.com","click")' in texts
        assert "@SUM(A1:A2)" in texts and "-1+2 fewer people" in texts
        assert all(c.data_type == "s" for c in cells)
        assert all(c.quotePrefix for c in cells if c.value[:1] in "=+@-")
        raw = calamine(out)
        assert any("@SUM(A1:A2)" in r for r in raw["Observations_raw"])
    finally:
        with samples.store.session(reason="test") as s:
            s.delete(s.scalars(select(M.Note).where(M.Note.code == "N-XX")).one())
            s.get(M.Note, note.id).text = old_text
            s.get(M.Observation, obs_id).comment = old_comment


def test_two_runs_give_the_same_cells_except_the_generation_time(samples: Services,
                                                                 tmp_path: Path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    samples.reports.write(["RS-01", "KR-01"], QUARTER, a,
                          generated_at=datetime(2024, 8, 1, 9, 0, tzinfo=UTC))
    samples.reports.write(["RS-01", "KR-01"], QUARTER, b,
                          generated_at=datetime(2024, 8, 2, 17, 30, tzinfo=UTC))
    first, second = calamine(a), calamine(b)
    assert list(first) == list(second)
    for name in first:
        if name == "README":
            diff = [(x, y) for x, y in zip(first[name], second[name], strict=True) if x != y]
            assert [x[0] for x, _y in diff] == ["Generated"]
        else:
            assert first[name] == second[name], name


def test_portfolio_compares_programmes_on_a_sheet_of_its_own(samples: Services,
                                                             tmp_path: Path):
    out = tmp_path / "portfolio.xlsx"
    result = samples.reports.write(["RS-01", "HL-01", "KR-01"], QUARTER, out)
    names = CalamineWorkbook.from_path(str(out)).sheet_names
    assert names == ["README", "Portfolio", *SECTIONS[1:]]
    rows = table_rows(calamine(out)["Portfolio"], "Programme")
    assert [r["Programme"] for r in rows] == ["RS-01", "HL-01", "KR-01"]
    assert all(r["Outcomes on track"] + r["Outcomes at risk"] + r["Outcomes off track"]
               + r["Outcomes without data"] > 0 for r in rows)
    outcomes = table_rows(calamine(out)["Outcomes"], "Programme")
    assert {r["Programme"] for r in outcomes} == {"RS-01", "HL-01", "KR-01"}
    assert result.programmes == ["RS-01", "HL-01", "KR-01"]


def test_sections_choose_the_sheets_and_readme_stays(samples: Services, tmp_path: Path):
    out = tmp_path / "some.xlsx"
    result = samples.reports.write(["RS-01"], QUARTER, out,
                                   sections=["risks", "Summary"])
    assert result.sheets == ["README", "Summary", "Risks"]
    with pytest.raises(DomainError, match="unknown section"):
        samples.reports.write(["RS-01"], QUARTER, out, sections=["Charts"])


def test_unknown_programme_or_bad_output_is_a_clear_error(samples: Services, tmp_path: Path):
    with pytest.raises(NotFound, match="NOPE"):
        samples.reports.write(["NOPE"], QUARTER, tmp_path / "x.xlsx")
    with pytest.raises(DomainError, match="xlsx"):
        samples.reports.write(["RS-01"], QUARTER, tmp_path / "x.pdf")
    with pytest.raises(DomainError, match="does not exist"):
        samples.reports.write(["RS-01"], QUARTER, tmp_path / "no" / "x.xlsx")


def test_cancel_leaves_the_previous_report_untouched(samples: Services, tmp_path: Path):
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"the report of last quarter")
    gate = threading.Event()

    def progress(_done: int, _total: int, message: str) -> None:
        if message.startswith("Writing"):
            gate.set()  # the user presses Cancel while the file is being written
    with pytest.raises(Cancelled):
        samples.reports.write(["RS-01"], QUARTER, out, progress=progress,
                              cancelled=gate.is_set)
    assert out.read_bytes() == b"the report of last quarter"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]  # no partial file


def test_a_crash_while_saving_leaves_no_half_report(samples: Services, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    from openpyxl.workbook.workbook import Workbook

    real_save = Workbook.save

    def broken_save(self: Any, filename: str) -> None:
        real_save(self, filename)
        Path(filename).write_bytes(b"PK half a zip")  # the disk filled up half way
        raise OSError("disk full")
    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        samples.reports.write(["RS-01"], QUARTER, tmp_path / "r.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_pngs_are_the_same_charts_drawn_by_matplotlib(samples: Services, tmp_path: Path):
    result = samples.reports.write(["HL-01"], QUARTER, tmp_path / "hl.xlsx",
                                   png_dir=tmp_path / "png")
    assert len(result.pngs) == result.charts > 0
    names = {p.name for p in result.pngs}
    assert any(n.endswith("turn-the-curve.png") for n in names)
    assert any("funding-runway" in n for n in names) or any("participation" in n
                                                               for n in names)
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in result.pngs)


# ------------------------------------------------------------------------- round trip


def _programme_without_observations(tmp_path: Path, code: str) -> Services:
    """A fresh database holding the sample programme with every observation left out."""
    (source,) = [p for p in sample_workbooks() if p.stem == code]
    wb = openpyxl.load_workbook(source)
    ws = wb["Observations"]
    ws.delete_rows(2, ws.max_row)
    stripped = tmp_path / f"{code}-no-observations.xlsx"
    wb.save(stripped)
    fresh = Services.open(tmp_path / "fresh.sqlite")
    fresh.workbooks.load(stripped)
    return fresh


def _observations(services: Services, code: str, quarter: str) -> set[tuple[Any, ...]]:
    with services.store.read() as s:
        p = s.scalars(select(M.Programme).where(M.Programme.code == code)).one()
        ind = {i.id: i.code for i in s.scalars(select(M.Indicator).where(
            M.Indicator.programme_id == p.id))}
        strand = {st.id: st.code for st in s.scalars(select(M.Strand).where(
            M.Strand.programme_id == p.id))}
        return {(ind[o.indicator_id], strand.get(o.strand_id), o.period, o.dims_key, o.value,
                 o.numerator, o.denominator, o.n_sample, o.phase, o.quality_status,
                 o.verification_type, o.data_source, o.collection_method, o.comment,
                 o.data_label, o.ci_low, o.ci_high)
                for o in s.scalars(select(M.Observation).where(
                    M.Observation.period == quarter))
                if o.indicator_id in ind}


def test_observations_raw_loads_back_into_the_same_observations(samples: Services,
                                                                tmp_path: Path):
    """The sheet's columns are the programme workbook's Observations columns, so its rows
    load through the programme-workbook loader as they are."""
    out = tmp_path / "report.xlsx"
    samples.reports.write(["RS-01"], QUARTER, out, suppression_threshold=0)
    raw = calamine(out)["Observations_raw"]
    header = raw[0]
    assert tuple(header[:len(OBSERVATION_HEADERS)]) == OBSERVATION_HEADERS
    assert all(str(h).startswith("dim:") for h in header[len(OBSERVATION_HEADERS):])
    rows = [{h: v for h, v in zip(header, r, strict=True) if v != ""} for r in raw[1:]]

    fresh = _programme_without_observations(tmp_path, "RS-01")
    assert _observations(fresh, "RS-01", QUARTER) == set()
    book = write_workbook(tmp_path / "back.xlsx", {"Observations": rows})
    fresh.workbooks.load(book)
    expected = _observations(samples, "RS-01", QUARTER)
    assert len(expected) == len(rows) > 20
    assert _observations(fresh, "RS-01", QUARTER) == expected
    fresh.close()


def test_observations_raw_imports_back_through_the_ngo_import(samples: Services,
                                                              tmp_path: Path):
    """``coprod-me import report.xlsx --programme RS-01`` finds Observations_raw itself and
    maps its headers without a saved mapping."""
    out = tmp_path / "report.xlsx"
    samples.reports.write(["RS-01"], QUARTER, out, suppression_threshold=0)
    fresh = _programme_without_observations(tmp_path, "RS-01")
    result = fresh.imports.import_file(out, "RS-01")
    assert (result.sheet, result.rejected) == ("Observations_raw", 0)
    expected = _observations(samples, "RS-01", QUARTER)
    assert result.imported == len(expected) > 20
    assert _observations(fresh, "RS-01", QUARTER) == expected
    fresh.close()


def test_flags_from_the_rules_engine_fill_the_register_and_the_summary(tmp_path: Path):
    services = Services.open(tmp_path / "rules.sqlite")
    load_samples(services.store)
    services.risk_runs.run("RS-01", quarter=QUARTER)
    out = tmp_path / "rs01.xlsx"
    result = services.reports.write(["RS-01"], QUARTER, out)
    assert result.flags_computed == {"RS-01": True}
    flags = table_rows(calamine(out)["Risks"], "Rule")
    by_rule = {(f["Rule"], f["Strand"]): f for f in flags}
    # domain §3.1: busy, not better at IN-BLK; reported vs verified gap; ID-KAB's runway
    assert by_rule[("CD-1", "India (IN-BLK)")]["Severity"] == "high"
    assert by_rule[("DQ-1", "India (IN-BLK)")]["Change"] == "new"
    assert by_rule[("SU-2", "Indonesia (ID-KAB)")]["Change"] == "escalated"
    summary = {r["Risk category"]: r for r in table_rows(calamine(out)["Summary"],
                                                          "RAG")}
    engine = services.flag_register.rag("RS-01", QUARTER)
    assert summary["Value co-destruction"]["Level"] == engine["co_destruction"] == "high"
    assert summary["Value co-destruction"]["RAG"] == "red"
    assert summary["Clientelism"]["RAG"] == "green"
    outputs = table_rows(calamine(out)["Outputs"], "Drives outcome")
    p1 = next(r for r in outputs if r["Code"] == "RS-P1" and r["Strand"] == "India (IN-BLK)"
              and r["Drives outcome"] == "RS-O1")
    assert p1["CD-1 busy, not better"].startswith("CD-1 flag high")
    services.close()


class _RuleBug(Exception):
    pass


@pytest.mark.parametrize("method", ["changes", "rag"])
def test_a_failure_in_the_rules_engine_fails_the_report(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        method: str):
    """A bug in the rules is the report's failure: the report used to swallow it and work
    the flag changes out itself, so the same quarter could quietly read differently."""
    from coprod_me.services import quarterly_reports

    services = Services.open(tmp_path / "rules.sqlite")
    try:
        load_samples(services.store)
        services.risk_runs.run("RS-01", quarter=QUARTER)

        def broken(*_args: Any, **_kw: Any) -> Any:
            raise _RuleBug(f"a bug in {method}")
        monkeypatch.setattr(quarterly_reports.FlagRegisterService, method, broken)
        out = tmp_path / "rs01.xlsx"
        with pytest.raises(_RuleBug, match=f"a bug in {method}"):
            services.reports.write(["RS-01"], QUARTER, out)
        assert not out.exists()
        with pytest.raises(_RuleBug):
            services.reports.read_model(["RS-01"], QUARTER)
    finally:
        services.close()


def test_the_register_says_each_threshold_in_its_unit(samples: Services, tmp_path: Path):
    """The Risks sheet once printed the whole trigger snapshot flattened ('base_severity =
    medium; … metrics.previous = 0.7507684…'); it now says what each flag was judged
    against, one line each, in the threshold's unit."""
    samples.risk_runs.run("RS-01")
    out = tmp_path / "rs.xlsx"
    samples.reports.write(["RS-01"], "2024Q2", out)
    flags = {f["Rule"]: f for f in table_rows(calamine(out)["Risks"], "Rule")}
    assert "Trigger values" not in next(iter(flags.values()))
    assert flags["SU-2"]["Thresholds"].split("\n") == [
        "runway floor (%): 46 % against 80 % (CONV)",
        "runway floor, high (%): 46 % against 50 % (CONV)"]
    assert "output rise (relative): 46.7 % against 10 % (CONV)" in flags["CD-1"]["Thresholds"]


def test_the_summary_names_each_top_flag_in_words(samples: Services, tmp_path: Path):
    """The Summary's risk lines said 'DQ-1 high at IN-BLK: RS-C-HH-TOILET-ACCESS'; they now
    name the strand and say the flag's first sentence."""
    samples.risk_runs.run("RS-01")
    out = tmp_path / "rs.xlsx"
    samples.reports.write(["RS-01"], "2024Q2", out)
    lines = {r["Risk category"]: r["Top flag"]
             for r in table_rows(calamine(out)["Summary"], "RAG")}
    assert lines["Data integrity"].startswith("DQ-1 high in India (IN-BLK): Households with a "
                                              "toilet, as reported by the provider MIS")
    assert "RS-C-HH-TOILET-ACCESS" not in lines["Data integrity"]
    assert lines["Clientelism"] == "no open flag"
