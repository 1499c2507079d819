"""The quarterly report on paper (issue 15): what LibreOffice prints of it, and the workbook
settings that decide it.

The PDF checks convert the RS-01 report and the five-programme portfolio report with
LibreOffice and read every word's box with ``pdftotext -bbox``. A word box is 1.30 times
the font size high (measured on Carlito, the metric twin of Calibri that LibreOffice uses:
8 pt words are 10.39 pt high, 9 pt 11.72, 11 pt 14.30), so a word under 8 pt is one lower
than 8 × 1.30. A rotated word (an axis title) has its box turned: it is wider per letter
than it is high, and is measured by its width instead. They skip, saying why, when
LibreOffice or poppler's pdftotext is not installed (CI installs both).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from coprod_me.reports import paper
from coprod_me.services import Services
from coprod_me.services.database import load_samples

QUARTER = "2024Q2"
CODES = ["HL-01", "HR-01", "KR-01", "RS-01", "ULL-01"]
#: the body of a one-programme report (every sheet but the data sheets), in pages
ONE_PROGRAMME_PAGES = 15
#: the five samples side by side: the front sheets grow with each programme's rows (41 pages
#: once the IPTT joined and funders were named beside their codes; a little room above that)
PORTFOLIO_PAGES = 44
NOT_PRINTED = ("IndicatorDefinitions", "Observations_raw")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """RS-01 alone and all five samples, with the risk rules run so the Risks sheet and
    the Summary's risk lines are filled as a user's would be."""
    folder = tmp_path_factory.mktemp("print")
    services = Services.open(folder / "samples.sqlite")
    try:
        load_samples(services.store)
        codes = [code for code, _name in services.reports.programme_codes()]
        assert sorted(codes) == CODES
        for code in codes:
            services.risk_runs.run(code, quarter=QUARTER)
        out = {"rs01": folder / "rs01.xlsx", "portfolio": folder / "portfolio.xlsx"}
        services.reports.write(["RS-01"], QUARTER, out["rs01"])
        services.reports.write(codes, QUARTER, out["portfolio"])
        return out
    finally:
        services.close()


# ------------------------------------------------------------------ the PDF, as printed


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    width: float
    height: float
    top: float

    @property
    def points(self) -> float:
        """The font size the box implies; a rotated word's box is turned."""
        rotated = self.width / max(len(self.text), 1) > self.height
        return (self.width if rotated else self.height) / paper.BOX_HEIGHT_PER_PT


def _pdf(xlsx: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the print layout is checked "
                    "where it is (CI installs it)")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: it reads the printed words")
    outdir = tmp_path_factory.mktemp("pdf")
    # a profile of its own, so parallel runs and a user's open LibreOffice do not collide
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)],
                   check=True, capture_output=True, timeout=300)
    pdf = outdir / (xlsx.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice made no PDF of {xlsx.name}"
    return pdf


def _words(pdf: Path) -> list[Word]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    words = []
    for n, page in enumerate(out.split("<page ")[1:], start=1):
        for x0, y0, x1, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                r"(.*?)</word>", page):
            words.append(Word(n, html.unescape(text), float(x1) - float(x0),
                              float(y1) - float(y0), float(y0)))
    return words


def _sheets(words: list[Word]) -> dict[int, str]:
    """Each page's running header (programme, quarter, sheet name): the words in the top
    margin."""
    return {n: text for n, text in _pages([w for w in words if w.top < 0.6 * 72]).items()}


def _pages(words: list[Word]) -> dict[int, str]:
    text: dict[int, list[str]] = {}
    for w in words:
        text.setdefault(w.page, []).append(w.text)
    return {n: " ".join(ws) for n, ws in text.items()}


@pytest.fixture(scope="module")
def rs01_pdf(reports: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> list[Word]:
    return _words(_pdf(reports["rs01"], tmp_path_factory))


@pytest.fixture(scope="module")
def portfolio_pdf(reports: dict[str, Path],
                  tmp_path_factory: pytest.TempPathFactory) -> list[Word]:
    return _words(_pdf(reports["portfolio"], tmp_path_factory))


def test_the_height_factor_reads_a_known_8_pt_word(tmp_path_factory: pytest.TempPathFactory):
    """The factor the checks rely on, measured afresh: an 8 pt and a 12 pt word."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Eightpoint"
    ws["A1"].font = openpyxl.styles.Font(name="Calibri", size=8)
    ws["A2"] = "Twelvepoint"
    ws["A2"].font = openpyxl.styles.Font(name="Calibri", size=12)
    path = tmp_path_factory.mktemp("factor") / "factor.xlsx"
    wb.save(path)
    sizes = {w.text: w.points for w in _words(_pdf(path, tmp_path_factory))}
    assert sizes["Eightpoint"] == pytest.approx(8, abs=0.15)
    assert sizes["Twelvepoint"] == pytest.approx(12, abs=0.2)


@pytest.mark.parametrize("name", ["rs01_pdf", "portfolio_pdf"])
def test_no_printed_word_is_under_8_pt(name: str, request: pytest.FixtureRequest):
    words: list[Word] = request.getfixturevalue(name)
    small = [w for w in words if w.points < paper.MIN_FONT_PT - 0.1]
    assert not small, [(w.page, w.text, round(w.points, 1)) for w in small[:10]]


def test_the_one_programme_body_fits_in_15_pages(rs01_pdf: list[Word]):
    pages = _pages(rs01_pdf)
    assert len(pages) <= ONE_PROGRAMME_PAGES, len(pages)
    # README on one page, then the reader sheets; nothing of the data sheets
    headers = _sheets(rs01_pdf)
    assert "README" in headers[1] and "README" not in headers[2]
    for text in headers.values():
        assert not any(sheet in text for sheet in NOT_PRINTED), text


def test_the_portfolio_report_stays_within_its_bound(portfolio_pdf: list[Word]):
    pages = _pages(portfolio_pdf)
    assert len(pages) <= PORTFOLIO_PAGES, len(pages)
    headers = _sheets(portfolio_pdf)
    assert any("Portfolio" in text for text in headers.values())
    for text in headers.values():
        assert not any(sheet in text for sheet in NOT_PRINTED), text


@pytest.mark.parametrize("name", ["rs01_pdf", "portfolio_pdf"])
def test_printed_pages_hold_no_chart_data_cut_titles_or_raw_dumps(
        name: str, request: pytest.FixtureRequest):
    pages = _pages(request.getfixturevalue(name))
    for text in pages.values():
        assert "Numbers behind the charts" not in text
        assert "…" not in text  # chart titles whole
        assert "metrics." not in text and "base_severity" not in text
        if "Charts:" in text:  # a page of charts has no repeated table header above them
            head = text.split("Charts:", 1)[0]
            assert "Baseline" not in head and "RAG" not in head, head


def test_the_summary_says_figures_in_their_unit(rs01_pdf: list[Word]):
    # the page's words in reading order of each cell: columns interleave line by line
    summary = " ".join(t for t in _pages(rs01_pdf).values() if "Headline outcomes" in t)
    assert {"78.3", "88.3", "60"} <= set(summary.split())
    assert not re.search(r"\d\.\d{3,}", summary)  # no 78.33333 anywhere on the page
    assert "(IN-BLK):" in summary.split() and "RS-C-HH-TOILET-ACCESS" not in summary


def test_the_summary_why_is_rounded_by_unit_and_names_strands(reports: dict[str, Path]):
    ws = openpyxl.load_workbook(reports["rs01"])["Summary"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(r for r in rows if r[0] == "Outcome")
    why = {r[0]: r[header.index("Why")] for r in rows[rows.index(header) + 1:]
           if r[0] and str(r[0]).startswith("RS-O")}
    assert why["RS-O1"] == "78.3 % has not crossed the amber threshold 60 %; target 88.3 %"
    assert why["RS-O6"] == "0.86 has not crossed the amber threshold 0.8; target 0.9"
    flags = next(r for r in rows if r[0] == "RAG")
    top = {r[1]: r[flags.index("Top flag")] for r in rows[rows.index(flags) + 1:] if r[1]}
    assert top["Data integrity"].startswith("DQ-1 high in India (IN-BLK): ")
    assert not re.match(r"\d", top["Data integrity"])  # no count run into the text


# --------------------------------------------------------------- the workbook's settings


def _printed_cells(ws: openpyxl.worksheet.worksheet.Worksheet):
    area = ws.print_area
    if not area:
        return
    for ref in area if isinstance(area, list) else area.split(","):
        ref = ref.split("!")[-1].replace("$", "")
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        yield from (c for row in ws.iter_rows(min_row=min_row, max_row=max_row,
                                              min_col=min_col, max_col=max_col)
                    for c in row)


def test_every_sheet_prints_a4_landscape_at_full_size(reports: dict[str, Path]):
    for path in reports.values():
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            assert ws.page_setup.orientation == "landscape", ws.title
            assert int(ws.page_setup.paperSize) == paper.A4, ws.title
            assert not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            assert int(ws.page_setup.scale) == 100, ws.title


def test_printed_columns_fit_the_page_and_no_printed_font_is_small(reports: dict[str, Path]):
    for path in reports.values():
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            if ws.title in NOT_PRINTED:
                continue
            ref = ws.print_area.split("!")[-1].replace("$", "")
            _c0, _r0, last_col, _r1 = range_boundaries(ref)
            width = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width
                        or 8.43 for i in range(1, last_col + 1))
            assert width <= paper.COLUMN_BUDGET + 0.5, (ws.title, width)
            for cell in _printed_cells(ws):
                if cell.value is not None:
                    size = cell.font.sz or paper.BASE_FONT_PT
                    assert size >= paper.MIN_FONT_PT, (ws.title, cell.coordinate, size)


def test_data_sheets_and_chart_numbers_are_out_of_the_print_range(reports: dict[str, Path]):
    wb = openpyxl.load_workbook(reports["rs01"])
    for name in NOT_PRINTED:
        ws = wb[name]
        assert ws.max_row > 10, f"{name} still holds its data"
        cells = [c for c in _printed_cells(ws)]
        assert len(cells) == 1 and cells[0].value is None, f"{name} prints nothing"
    for name in ("Outcomes", "Outputs", "Participation", "Sustainability"):
        ws = wb[name]
        printed = {c.value for c in _printed_cells(ws)}
        assert "Chart" not in printed and "Series" not in printed, name
        # the numbers behind the charts are still on the sheet, below the print area
        assert any(r[0] == "Chart" for r in ws.iter_rows(values_only=True)), name


def test_no_raw_trigger_dump_in_a_printed_cell(reports: dict[str, Path]):
    for path in reports.values():
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for cell in _printed_cells(ws):
                text = str(cell.value or "")
                assert "metrics." not in text and "base_severity" not in text, \
                    (ws.title, cell.coordinate, text[:80])


def test_strands_are_named_beside_their_code_on_paper(reports: dict[str, Path]):
    wb = openpyxl.load_workbook(reports["rs01"])
    for name, header in (("Outcomes", "Strand"), ("Outputs", "Strand"), ("Risks", "Strand")):
        ws = wb[name]
        rows = [[c.value for c in row] for row in _printed_cells_rows(ws)]
        start = next(i for i, r in enumerate(rows) if header in r)
        col = rows[start].index(header)
        strands = {r[col] for r in rows[start + 1:] if r[col]}
        assert strands, name
        assert all(re.fullmatch(r".+ \([A-Z]{2}-[A-Z]+\)|programme", s) for s in strands), \
            (name, strands)


def _printed_cells_rows(ws: openpyxl.worksheet.worksheet.Worksheet):
    ref = ws.print_area.split("!")[-1].replace("$", "")
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col)


def test_a_count_keeps_its_distance_from_the_text_after_it(reports: dict[str, Path]):
    """The Summary once printed '1CD-1 high…': a number right before text is indented."""
    ws = openpyxl.load_workbook(reports["rs01"])["Summary"]
    numbers = [c for row in ws.iter_rows() for c in row[:1]
               if isinstance(c.value, int) and c.row > 2]
    assert numbers  # the decisions' numbers
    for cell in numbers:
        assert cell.alignment.horizontal == "right" and cell.alignment.indent >= 1


def test_readme_fits_one_page(reports: dict[str, Path]):
    ws = openpyxl.load_workbook(reports["rs01"])["README"]
    height = sum((ws.row_dimensions[r].height or paper.LINE_POINTS)
                 for r in range(1, ws.max_row + 1))
    assert height <= paper.PAGE_HEIGHT_PT
