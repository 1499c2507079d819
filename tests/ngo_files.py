"""NGO spreadsheets as they really arrive, generated at test time.

openpyxl cannot write a formula's cached value, and python-calamine reads only cached values:
``with_cached_values`` writes the workbook with openpyxl, then rewrites the formula cells'
XML with the ``<v>`` (and ``t="e"`` for error values) that Excel would have stored.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

FIXTURES = Path(__file__).parent / "fixtures" / "ngo"


def with_cached_values(path: Path, build: Callable[[Workbook], None],
                       cached: dict[tuple[str, str], Any]) -> Path:
    """Save ``build``'s workbook, then give each formula cell ``cached[(sheet, ref)]`` as the
    value Excel computed (a string starting with # is an error value)."""
    wb = Workbook()
    build(wb)
    titles = [ws.title for ws in wb.worksheets]
    wb.save(path)
    data = {}
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            data[info.filename] = (info, z.read(info.filename))
    for (sheet, ref), value in cached.items():
        member = f"xl/worksheets/sheet{titles.index(sheet) + 1}.xml"
        info, xml = data[member]
        text = xml.decode()
        # openpyxl writes an empty <v/> with the standard library's XML writer, <v></v> with
        # lxml's (used when lxml is installed)
        pattern = re.compile(rf'<c r="{ref}"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v></v>)</c>')
        m = pattern.search(text)
        assert m, f"no formula at {sheet}!{ref}"
        if isinstance(value, str) and value.startswith("#"):
            cell = f'<c r="{ref}" t="e"><f>{m.group(2)}</f><v>{value}</v></c>'
        else:
            cell = f'<c r="{ref}"{m.group(1)}><f>{m.group(2)}</f><v>{value}</v></c>'
        text = text[:m.start()] + cell + text[m.end():]
        data[member] = (info, text.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, content in data.values():
            z.writestr(info, content)
    return path


# The messy long sheet: title rows, French headers, every way of writing a figure and a
# quarter, and one row for each problem the import must report. Row numbers are the sheet's.
MESSY_ROWS: list[list[Any]] = [
    # 5: decimal comma, strand by name, phase in another spelling
    ["T-O1", "T2 2024", "North block", "Co-Delivery", "63,5", None, None, None, "ok"],
    # 6: "63 %" as text, sex in French
    ["T-O1", "2024-Q2", "NORTH", None, "63 %", None, None, "Femmes", None],
    # 7: a date for the quarter, a percent-formatted cell (0.52 shown as 52 %)
    ["T-O2", date(2024, 5, 15), "south", None, 0.52, None, None, None, None],
    # 8: month span, thousands with a space
    ["T-P1", "Apr-Jun 2024", None, None, "1 234", None, None, None, None],
    # 9: n/a is missing, never zero
    ["T-P1", "Q3 2024", "NORTH", None, "n/a", None, None, None, None],
    # 10: a formula with its cached value
    ["T-P1", "Q3 2024", "SOUTH", None, "=2+3", None, None, None, None],
    # 11: a formula whose cached value is an error
    ["T-P1", "Q4 2024", "SOUTH", None, "=1/0", None, None, None, None],
    # 12: unknown indicator
    ["T-X9", "Q2 2024", None, None, 10, None, None, None, None],
    # 13: unknown strand
    ["T-O1", "Q2 2024", "EAST", None, 50, None, None, None, None],
    # 14: a locked quarter (2023Q1 holds 61)
    ["T-O1", "2023Q1", "NORTH", None, 62, None, None, None, None],
    # 15: numerator above denominator
    ["T-O1", "Q3 2024", "SOUTH", None, None, 70, 60, None, None],
    # 16: a percentage above 100
    ["T-O2", "Q3 2024", "SOUTH", None, "120", None, None, None, None],
    # 17: value inconsistent with numerator / denominator
    ["T-O1", "Q4 2024", "SOUTH", None, 40, 30, 60, None, None],
    # 18: repeats row 8 with another figure
    ["T-P1", "Apr-Jun 2024", None, None, "1 300", None, None, None, None],
    # 19: the database holds exactly this (unchanged)
    ["T-O1", "Q2 2023", "NORTH", None, 63, None, None, None, None],
    # 20: the database holds 60 for women: an update
    ["T-O1", "Q2 2023", "NORTH", None, 58, None, None, "female", None],
    # 21: not a phase of the service cycle
    ["T-P1", "Q1 2025", None, "Planning", 3, None, None, None, None],
    # 22: not a calendar quarter
    ["T-P1", "Feb-Apr 2024", None, None, 3, None, None, None, None],
    # 23: not a number
    ["T-P1", "Q2 2024", "SOUTH", None, "12,5,3", None, None, None, None],
    # 24: numerator and denominator only: the value follows (50 %)
    ["T-O2", "2024 T3", "NORTH", None, None, "30", "60", None, None],
]
MESSY_HEADER = ["Code indicateur", "Trimestre", "Site", "Phase", "Valeur", "Numérateur",
                "Dénominateur", "Sexe", "Commentaire"]
MESSY_SHEET = "Données T2"


def messy_long_xlsx(path: Path) -> Path:
    def build(wb: Workbook) -> None:
        ws = wb.active
        ws.title = MESSY_SHEET
        ws["A1"] = "Rapport trimestriel — ONG Eau Propre"
        ws.merge_cells("A1:I1")
        ws["A2"] = "Préparé par : Awa, 3 juillet 2024"
        ws.append([])
        ws.append(MESSY_HEADER)  # row 4
        for row in MESSY_ROWS:
            ws.append(row)
        ws["E7"].number_format = "0%"
        ws["E7"].value = 0.52
        ws["B7"].number_format = "dd/mm/yyyy"
        other = wb.create_sheet("Notes")
        other["A1"] = "Nothing to import here"

    return with_cached_values(path, build, {(MESSY_SHEET, "E10"): 5,
                                            (MESSY_SHEET, "E11"): "#DIV/0!"})


def wide_quarters_xlsx(path: Path) -> Path:
    """Quarters as columns under a merged 'Résultats' header, a title above."""
    wb = Workbook()
    ws: Worksheet = wb.active  # type: ignore[assignment]
    ws.title = "Suivi"
    ws["A1"] = "Suivi des indicateurs 2024"
    ws["A3"], ws["B3"], ws["C3"] = "Indicador", "Sitio", "Resultados"
    ws.merge_cells("C3:E3")
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws["C4"], ws["D4"], ws["E4"] = "Q1 2024", "Q2 2024", "Jul-Sep 2024"
    ws.append(["T-P1", "NORTH", 100, 150, None])
    ws.append(["T-P1", "SOUTH", "1.250", "n/a", 30])
    ws.append(["T-O1", "NORTH", "61,5 %", 0.64, None])
    ws["D7"].number_format = "0.0%"
    wb.save(path)
    return path


def hxl_csv_cp1252(path: Path) -> Path:
    """Semicolon CSV in Windows-1252 with an HXL row; sex as #reached+f / #reached+m."""
    lines = [
        "Données collectées par l'ONG;;;;",
        "Indicateur;Période;Département;Femmes atteintes;Hommes atteints",
        "#indicator+code;#date;#adm1+name;#reached+f;#reached+m",
        "T-P1;T2 2024;North block;1 200;950",
        "T-P1;T3 2024;South block;-;1 010",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def wide_indicators_csv_bom(path: Path) -> Path:
    """UTF-8 with BOM, tab-separated, indicators as columns, quarters as rows."""
    lines = ["Trimestre\tSite\tT-O1\tT-P1", "2024 T1\tNORTH\t61,2\t1 000",
             "2024 T2\tNORTH\t\t1 100", "2024 T3\tSOUTH\tNA\t900"]
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    return path


def minimal_ods(path: Path, rows: list[list[Any]], sheet: str = "Dados") -> Path:
    """An OpenDocument spreadsheet written by hand (LibreOffice is not needed to make one)."""
    def cell(v: Any) -> str:
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, tuple):  # ("percent", 0.52): a percentage cell, shown as 52 %
            return (f'<table:table-cell office:value-type="percentage" office:value="{v[1]}">'
                    f"<text:p>{v[1] * 100:g} %</text:p></table:table-cell>")
        if isinstance(v, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{v}">'
                    f"<text:p>{v}</text:p></table:table-cell>")
        return (f'<table:table-cell office:value-type="string"><text:p>{v}</text:p>'
                "</table:table-cell>")

    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>"
                   for r in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return path


def observations_sheet_xlsx(path: Path, rows: list[dict[str, Any]]) -> Path:
    """A sheet with the programme workbook's Observations headers (the report's
    Observations_raw uses the same), as another tool would write it."""
    headers = ["programme_code", "indicator_code", "strand_code", "period", "phase", "value",
               "numerator", "denominator", "n_sample", "quality_status", "comment", "dim:sex"]
    wb = Workbook()
    ws: Worksheet = wb.active  # type: ignore[assignment]
    ws.title = "Observations_raw"
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h) for h in headers])
    wb.save(path)
    return path
