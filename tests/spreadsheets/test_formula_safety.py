"""Sender text never becomes a live formula in a file we write, and reads back as itself.

Every writer is tried with the payloads of issue 12: the programme workbook export (and its
load back), the errors workbook of an NGO import (and its import back), the flags CSV and
the quarterly report. Cells are checked as openpyxl reads them (type, value, quotePrefix)
and as python-calamine, our reader, returns them.
"""

from __future__ import annotations

import ast
import csv
import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from coprod_me.cli import main
from coprod_me.commands import flags as flags_command
from coprod_me.model import entities as M
from coprod_me.model.cell_text import csv_field, is_formula_like, is_plain_text, stored_text
from coprod_me.services import Services
from coprod_me.services.database import load_samples
from coprod_me.spreadsheets.ngo_values import MISSING_MARKERS
from tests.builders import small_programme_rows, write

#: The payloads of issue 12 (a formula, a command, the other formula starts) and text that
#: merely starts like one.
PAYLOADS = ('=HYPERLINK("http://x","y")', "=1+1", "+1", "-1+1", "@SUM(A1)",
            "=cmd|' /C calc'!A0", "-", "- none -")
#: Text led by white space: a reader may skip it and find a formula after it.
SPACE_LED = ("\t=1+1", "\r=1+1", " =1+1", "\tTAB", "\rCR")
#: Text an .xlsx cell cannot hold verbatim (a CR is turned into a line feed by XML readers,
#: control characters are not XML, and _xHHHH_ is the format's own escape).
ESCAPED = ("two\r\nlines", "x_x0041_y", "bell\x07here", "=a\rb")
ROOT = Path(__file__).resolve().parents[2]
QUARTERS = ("2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1")


# ------------------------------------------------------------------------------ the rules


def test_what_counts_as_formula_like():
    for text in (*PAYLOADS, *SPACE_LED, "\n=1", "\u00a0@x", "\0x", "=a\rb"):
        assert is_formula_like(text), repr(text)
    for value in ("a=b", "plain", "", "  ", "T-01", "2024Q2", 5, -3.0, 0, None, b"=1"):
        assert not is_formula_like(value), repr(value)


def test_plain_text_is_the_text_written_as_it_is():
    for text in ("plain", "", "Households where all members use a toilet", "a=b", "é ü ß"):
        assert is_plain_text(text) and stored_text(text) == text
    for text in (*PAYLOADS, *SPACE_LED, *ESCAPED, "ok\x0b"):
        assert not is_plain_text(text), repr(text)
    assert is_plain_text("two\nlines")  # a line feed is XML: nothing to escape
    assert stored_text("two\r\nlines") == "two_x000D_\nlines"
    assert stored_text("x_x0041_y") == "x_x005F_x0041_y"
    assert stored_text("bell\x07here") == "bell_x0007_here"


def test_csv_fields_are_escaped_as_owasp_advises_and_the_rule_reverses():
    assert csv_field("=1+1") == "'=1+1"
    assert csv_field("'=1+1") == "''=1+1"  # so that dropping one apostrophe is exact
    assert csv_field("'quoted") == "'quoted"  # an apostrophe before plain text stays as it is
    assert csv_field(" =1+1") == "' =1+1"
    assert [csv_field(v) for v in (-1.5, 3, None, "plain", "a=b")] == [
        -1.5, 3, None, "plain", "a=b"]
    for text in (*PAYLOADS, *SPACE_LED, "'=1+1", "''@x", "'plain", "plain", "''"):
        field = csv_field(text)
        assert not is_formula_like(field)
        assert _csv_text(field) == text


def _csv_text(field: Any) -> Any:
    """What the README tells a reader of our CSV: a field that starts with an apostrophe
    followed by formula-like text (after any further apostrophes) had that apostrophe added."""
    if isinstance(field, str) and field.startswith("'") and is_formula_like(field.lstrip("'")):
        return field[1:]
    return field


# ------------------------------------------------------------------------------ helpers


def assert_no_live_text(path: Path) -> list[Any]:
    """Every cell of every sheet: no formula, formula-like text marked to stay text.
    Returns the cells holding text, as openpyxl read them."""
    wb = openpyxl.load_workbook(path)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{path.name} {ws.title}!{c.coordinate}: {c.value!r}"
                if isinstance(c.value, str):
                    texts.append(c)
                    if is_formula_like(c.value):
                        assert c.data_type == "s" and c.quotePrefix, (
                            f"{ws.title}!{c.coordinate}: {c.value!r}")
    return texts


def calamine_sheets(path: Path) -> dict[str, list[list[Any]]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def calamine_texts(path: Path) -> set[Any]:
    return {v for rows in calamine_sheets(path).values() for r in rows for v in r}


def column(sheets: dict[str, list[list[Any]]], sheet: str, header: str) -> list[Any]:
    rows = sheets[sheet]
    i = rows[0].index(header)
    return [r[i] for r in rows[1:]]


# ------------------------------------------------------------------- the programme workbook


def payload_programme(texts: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    """The small programme with ``texts`` in its names, comments, sources, methods,
    categories and notes, and an index indicator whose figures are negative."""
    rows = small_programme_rows()
    cycle = iter(texts * 20)
    (programme,) = rows["Programmes"]
    programme.update(name=next(cycle), description=next(cycle), lead_person=next(cycle))
    for r in rows["Actors"] + rows["Strands"]:
        r["name"] = next(cycle)
    for r in rows["Indicators"]:
        r.update(name=next(cycle), definition=next(cycle), data_source=next(cycle),
                 collection_method=next(cycle), known_limitations=next(cycle))
    rows["Indicators"].append(
        {"programme_code": "T-01", "code": "T-X1", "name": "Net trust index",
         "result_level": "output", "rba_quadrant": "how_well", "unit": "index",
         "direction": "increase", "baseline_value": -1.5, "baseline_period": "2022Q4"})
    rows["ResultLinks"][0]["assumption_text"] = next(cycle)
    rows["Targets"][0]["rationale"] = next(cycle)
    for r in rows["Observations"]:
        r.update(comment=next(cycle), data_source=next(cycle), collection_method=next(cycle))
    for i, text in enumerate(texts):
        rows["Observations"].append(
            {"programme_code": "T-01", "indicator_code": "T-O1", "strand_code": "SOUTH",
             "period": "2023Q2", "value": 50.0 + i, "dim:sex": text, "comment": text})
    rows["Observations"].append({"programme_code": "T-01", "indicator_code": "T-X1",
                                 "period": "2023Q2", "value": -2.5, "comment": "-"})
    rows["Notes"] = [{"programme_code": "T-01", "code": f"N-{i}", "entity": "indicator",
                      "entity_key": "T-O1", "period": "2023Q2", "text": text,
                      "author": text, "created_at": datetime(2023, 7, 1, tzinfo=UTC)}
                     for i, text in enumerate(texts)]
    return rows


def _cli(*args: str) -> None:
    assert main(list(args)) == 0, args


def _content(path: Path) -> dict[str, bytes]:
    """A workbook's members with the times that differ between two exports masked, as
    tools/output_fingerprint.py compares them."""
    times = re.compile(rb"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?")
    with zipfile.ZipFile(path) as z:
        return {name: times.sub(b"<TIME>", z.read(name)) for name in sorted(z.namelist())}


def test_an_untouched_export_of_formula_like_names_loads_back_unchanged(tmp_path: Path,
                                                                       capsys):
    source = write(tmp_path / "source.xlsx", payload_programme(PAYLOADS + ESCAPED))
    first, second = tmp_path / "first.sqlite", tmp_path / "second.sqlite"
    _cli("load", str(source), "--db", str(first))
    exported = tmp_path / "export.xlsx"
    _cli("export-programme", "T-01", "-o", str(exported), "--db", str(first))
    _cli("load", str(exported), "--db", str(second))
    again = tmp_path / "again.xlsx"
    _cli("export-programme", "T-01", "-o", str(again), "--db", str(second))
    assert _content(exported) == _content(again)  # byte for byte, times aside
    # and loading the export over the database it came from changes nothing
    capsys.readouterr()
    _cli("load", str(exported), "--db", str(first), "--json")
    assert '"updated": 0' in capsys.readouterr().out

    cells = assert_no_live_text(exported)
    shown = {c.value for c in cells}
    assert set(PAYLOADS) <= shown  # openpyxl: the very text, typed as text
    # openpyxl does not undo the format's escapes; calamine, Excel and LibreOffice do
    assert {stored_text(t) for t in ESCAPED} <= shown
    sheets = calamine_sheets(exported)
    found = calamine_texts(exported)
    assert set(PAYLOADS + ESCAPED) <= found  # calamine: the very text, escapes undone
    assert column(sheets, "Programmes", "name") == [PAYLOADS[0]]
    assert set(PAYLOADS) <= set(column(sheets, "Observations", "dim:sex"))
    assert set(PAYLOADS) <= set(column(sheets, "Notes", "text"))
    # numbers stay numbers, negative ones included
    assert -2.5 in column(sheets, "Observations", "value")
    assert -1.5 in column(sheets, "Indicators", "baseline_value")
    ws = openpyxl.load_workbook(exported)["Observations"]
    negative = [c for row in ws.iter_rows() for c in row if c.value == -2.5]
    assert [(c.data_type, c.quotePrefix) for c in negative] == [("n", False)]


def test_white_space_led_text_is_written_exactly_and_loads_back_trimmed(services: Services,
                                                                       tmp_path: Path):
    """The loader drops white space around every cell's text (as the NGO import does), so a
    text led by a tab or CR comes back without it; what follows stays text either way."""
    services.workbooks.load(write(tmp_path / "source.xlsx", small_programme_rows()))
    with services.store.session(reason="test") as s:  # as a direct edit could store it
        obs = s.scalars(select(M.Observation).order_by(M.Observation.id)).all()
        for o, text in zip(obs, SPACE_LED, strict=False):
            o.comment = text
        s.scalars(select(M.Programme)).one().description = SPACE_LED[-1]
    exported = services.workbooks.export(["T-01"], tmp_path / "export.xlsx")
    assert_no_live_text(exported)
    comments = column(calamine_sheets(exported), "Observations", "comment")
    assert comments == list(SPACE_LED[:len(comments)])  # exactly what is stored
    again = Services.open(tmp_path / "again.sqlite")
    again.workbooks.load(exported)
    back = again.workbooks.export(["T-01"], tmp_path / "back.xlsx")
    assert column(calamine_sheets(back), "Observations", "comment") == [
        t.strip() for t in SPACE_LED[:len(comments)]]
    assert_no_live_text(back)
    again.close()


def test_the_template_and_the_readme_sheet_hold_no_formula(services: Services, tmp_path: Path):
    assert_no_live_text(services.workbooks.template(tmp_path / "template.xlsx"))


# ----------------------------------------------------------------------- errors workbook


def _ngo_sheet(path: Path) -> Path:
    """An NGO sheet whose rows are all rejected (unknown strand), with payloads in every
    text cell, an extra column headed by a payload, and negative figures."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Report"
    ws.append(["indicator", "quarter", "site", "value", "comment", "data source", "@remarks"])
    for i, text in enumerate(PAYLOADS):
        ws.append(["T-P1", QUARTERS[i], "EAST", -5 - i, text, text, text])
    for c in ws["E"] + ws["F"] + ws["G"]:
        c.data_type = "s"  # the sender's text as text (openpyxl would make '=' a formula)
    wb.save(path)
    return path


def test_the_errors_workbook_keeps_the_senders_text_as_text(services: Services,
                                                           tmp_path: Path):
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    source = _ngo_sheet(tmp_path / "ngo.xlsx")
    assert CalamineWorkbook.from_path(str(source)).get_sheet_by_name("Report").to_python()[
        1][4] == PAYLOADS[0]  # the sender's file holds text, not formulas
    out = tmp_path / "errors.xlsx"
    result = services.imports.import_file(source, "T-01", dry_run=True, errors_path=out)
    # every row is refused, for its unknown strand and its negative count
    assert {e.row for e in result.errors} == set(range(2, len(PAYLOADS) + 2))
    assert {e.reason for e in result.errors if e.column == "value"} == {
        "is a count and cannot be negative"}
    assert_no_live_text(out)
    rows = calamine_sheets(out)["Report"]
    assert rows[0][-2:] == ["@remarks", "errors"]
    assert [r[4:7] for r in rows[1:]] == [[t, t, t] for t in PAYLOADS]
    assert [r[3] for r in rows[1:]] == [float(-5 - i) for i in range(len(PAYLOADS))]
    ws = openpyxl.load_workbook(out)["Report"]
    assert {ws.cell(row=r, column=4).data_type for r in range(2, ws.max_row + 1)} == {"n"}
    assert ws["C2"].comment is not None  # the bad cell still carries its reason

    # fixed and sent back, the errors workbook imports the sender's very text
    wb = openpyxl.load_workbook(out)
    for r in range(2, wb["Report"].max_row + 1):
        wb["Report"].cell(row=r, column=3).value = "SOUTH"
        wb["Report"].cell(row=r, column=4).value = 10 + r
    fixed = tmp_path / "fixed.xlsx"
    wb.save(fixed)
    assert services.imports.import_file(fixed, "T-01").errors == []
    stored = {o.period: o.comment for o in services.observations.find("T-01")
              if o.strand_code == "SOUTH"}
    # (the import reads a lone "-" as "no data", in a comment too: MISSING_MARKERS)
    assert stored == {q: None if t in MISSING_MARKERS else t
                      for q, t in zip(QUARTERS, PAYLOADS, strict=True)}


def test_the_errors_workbook_of_a_csv_keeps_text_and_escapes(services: Services,
                                                            tmp_path: Path):
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    source = tmp_path / "ngo.csv"
    with source.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["indicator", "quarter", "site", "value", "comment"])
        for text in (*PAYLOADS, *ESCAPED, "-3"):
            w.writerow(["T-P1", "2024Q1", "EAST", "-7", text])
    out = tmp_path / "errors.xlsx"
    services.imports.import_file(source, "T-01", dry_run=True, errors_path=out)
    assert_no_live_text(out)
    (rows,) = calamine_sheets(out).values()
    assert [r[4] for r in rows[1:]] == [*PAYLOADS, *ESCAPED, "-3"]
    assert {r[3] for r in rows[1:]} == {"-7"}  # a CSV's cells are the sender's text


# --------------------------------------------------------------------------- flags CSV


def test_the_flags_csv_quotes_every_field_and_escapes_formula_like_text():
    rows = [{"rule_id": "CD-4", "programme": "T-01", "strand": None, "subject": text,
             "quarter": "2024Q2", "severity": "high", "status": "open",
             "category": "co_destruction", "why": text + " fell 12 %", "metrics": {"x": -1}}
            for text in (*PAYLOADS, *SPACE_LED, "'=1+1", "plain")]
    out = flags_command._csv(rows)
    assert out.splitlines()[0] == ",".join(f'"{f}"' for f in flags_command.FIELDS)
    read = list(csv.reader(io.StringIO(out, newline="")))
    assert all(not is_formula_like(field) for r in read for field in r)
    for r, given in zip(read[1:], rows, strict=True):
        assert _csv_text(r[3]) == given["subject"]
        assert _csv_text(r[8]) == given["why"]
        assert r[2] == "" and r[9] == '{"x": -1}'
    assert read[1][3] == "'" + PAYLOADS[0]
    assert read[-1][3] == "plain"
    assert '"a;=1+1"' in flags_command._csv([{**rows[-1], "subject": "a;=1+1"}])


def test_flags_csv_of_indicators_named_like_formulas(services: Services, db_path: Path,
                                                    capsys):
    """Some rules' reasons begin with an indicator's name (CD-1, CD-4 on HL-01)."""
    load_samples(services.store)
    with services.store.session(reason="test") as s:
        hl01 = s.scalars(select(M.Programme).where(M.Programme.code == "HL-01")).one()
        indicators = s.scalars(select(M.Indicator).where(
            M.Indicator.programme_id == hl01.id).order_by(M.Indicator.code)).all()
        for ind, text in zip(indicators, PAYLOADS * 3, strict=False):
            ind.name = text + " " + ind.name
    capsys.readouterr()
    _cli("flags", "--db", str(db_path), "--programme", "HL-01", "--all-quarters",
         "--format", "csv")
    read = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert not [f for r in read for f in r if is_formula_like(f)]
    why = [_csv_text(r[8]) for r in read[1:]]
    led = {w.split(" ")[0] for w in why if w.startswith(tuple(PAYLOADS))}
    assert "=1+1" in led and len(led) >= 2, why  # the listing holds them, escaped
    assert all(r[8].startswith("'") for r in read[1:] if is_formula_like(_csv_text(r[8])))


def test_our_importer_refuses_the_flags_csv_rather_than_read_it_as_figures(tmp_path: Path,
                                                                         capsys):
    """The one CSV we write is a listing for people and their tools, not an input of ours:
    `coprod-me import` says so and stores nothing, so it never keeps our apostrophes."""
    db = tmp_path / "db.sqlite"
    _cli("load", str(write(tmp_path / "p.xlsx", small_programme_rows())), "--db", str(db))
    rows = [{"rule_id": "CD-4", "programme": "T-01", "strand": "NORTH", "subject": "T-O1",
             "quarter": "2023Q2", "severity": "high", "status": "open",
             "category": "co_destruction", "why": "=1+1", "metrics": {}}]
    listing = tmp_path / "flags.csv"
    listing.write_text(flags_command._csv(rows))
    before = db.read_bytes()
    capsys.readouterr()
    assert main(["import", str(listing), "--programme", "T-01", "--db", str(db)]) == 1
    assert "no column maps to value" in capsys.readouterr().err
    assert db.read_bytes() == before


# ---------------------------------------------------------------------- quarterly report


def test_the_quarterly_report_keeps_sender_text_as_text(services: Services, tmp_path: Path):
    services.workbooks.load(write(tmp_path / "p.xlsx", payload_programme(PAYLOADS)))
    out = tmp_path / "report.xlsx"
    services.reports.write(["T-01"], "2023Q2", out)
    cells = assert_no_live_text(out)
    assert set(PAYLOADS) <= {c.value for c in cells}
    found = calamine_texts(out)
    assert set(PAYLOADS) <= found
    assert -2.5 in found  # the negative figure stays a number
    ws = openpyxl.load_workbook(out)["Observations_raw"]
    assert {c.data_type for row in ws.iter_rows() for c in row if c.value == -2.5} == {"n"}


def test_the_quarterly_report_writes_text_the_format_must_escape(services: Services,
                                                                tmp_path: Path):
    """A control character in a note stopped the report (openpyxl refuses it); a CR came
    back as a line feed."""
    services.workbooks.load(write(tmp_path / "p.xlsx", payload_programme(ESCAPED)))
    out = tmp_path / "report.xlsx"
    services.reports.write(["T-01"], "2023Q2", out)
    assert_no_live_text(out)
    assert set(ESCAPED) <= calamine_texts(out)


# -------------------------------------------------------------- the only way cells go in


WRITERS = ("coprod_me/spreadsheets/workbook_writer.py", "coprod_me/spreadsheets/ngo_errors.py")


@pytest.mark.parametrize("module", WRITERS)
def test_the_workbook_writers_make_every_cell_through_cell_writing(module: str):
    """Each ``append`` gets ``row(...)``, or a list of ``cell(...)`` and ``*row(...)``; no
    cell is made or given a value any other way."""
    tree = ast.parse((ROOT / module).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert ast.unparse(node.func) != "ws.cell", f"{module}:{node.lineno}: ws.cell"
            if node.func.attr == "append" and ast.unparse(node.func.value) == "ws":
                (arg,) = node.args
                assert _made_by_cell_writing(arg), f"{module}:{node.lineno}"
        if isinstance(node, ast.Name):
            assert node.id != "WriteOnlyCell", f"{module}:{node.lineno}"
        if isinstance(node, ast.Assign):
            for t in node.targets:
                assert not (isinstance(t, ast.Attribute) and t.attr == "value"), (
                    f"{module}:{node.lineno}")


def _made_by_cell_writing(arg: ast.expr) -> bool:
    def call_of(n: ast.expr, name: str) -> bool:
        return isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name

    if call_of(arg, "row"):
        return True
    if isinstance(arg, ast.ListComp):
        return call_of(arg.elt, "cell")
    if isinstance(arg, ast.List):
        return all(call_of(e, "cell") or (isinstance(e, ast.Starred) and call_of(e.value, "row"))
                   for e in arg.elts)
    return isinstance(arg, ast.Name)  # a row built above from row(...) and cell(...)


def test_the_report_writer_gives_cells_their_values_in_one_place():
    """quarterly_workbook may not import spreadsheets/: its cells are made in ``_styled`` and
    ``_cell`` only, their values set in ``_put`` only (by model.cell_text's rules), and rows
    go out through ``_append``."""
    tree = ast.parse((ROOT / "coprod_me/reports/quarterly_workbook.py").read_text())
    places: dict[str, set[str]] = {"WriteOnlyCell": set(), "value=": set(), "append": set()}
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Call):
                if isinstance(node.func, ast.Name) and node.func.id == "WriteOnlyCell":
                    places["WriteOnlyCell"].add(fn.name)
                    assert ast.unparse(node) == "WriteOnlyCell(self.ws)", "made with a value"
                if (isinstance(node.func, ast.Attribute) and node.func.attr == "append"
                        and ast.unparse(node.func.value) == "self.ws"):
                    places["append"].add(fn.name)
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Attribute) and t.attr == "value":
                        places["value="].add(fn.name)
    assert places == {"WriteOnlyCell": {"_styled", "_cell"}, "value=": {"_put"},
                      "append": {"_append", "_blank"}}
