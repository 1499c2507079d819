"""Finding the header of an NGO sheet and reading what its columns mean."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from coprod_me.spreadsheets.ngo_shape import (
    ColumnMapping,
    Target,
    find_shape,
    header_signature,
    mapping_problems,
    suggest_mapping,
    unpivot,
)
from coprod_me.spreadsheets.ngo_source import Grid, read_grid
from tests import ngo_files as nf

HXL = nf.FIXTURES / "hxl"


def _xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def test_the_header_is_found_below_title_rows(tmp_path: Path):
    grid = read_grid(nf.messy_long_xlsx(tmp_path / "m.xlsx"), nf.MESSY_SHEET)
    shape = find_shape(grid)
    assert (shape.header_row, shape.header_rows, shape.first_data_row) == (3, 1, 4)
    assert shape.column_keys() == nf.MESSY_HEADER


def test_merged_headers_are_joined_and_quarter_headers_become_constants(tmp_path: Path):
    grid = read_grid(nf.wide_quarters_xlsx(tmp_path / "w.xlsx"))
    shape = find_shape(grid)
    assert shape.column_keys() == ["Indicador", "Sitio", "Resultados Q1 2024",
                                   "Resultados Q2 2024", "Resultados Jul-Sep 2024"]
    mapping = suggest_mapping(shape)
    assert [Target.parse(t).label() for t in mapping.columns.values()] == [
        "indicator code", "strand or site (code or name)", "value · 2024Q1", "value · 2024Q2",
        "value · 2024Q3"]
    records = unpivot(grid, shape, mapping)
    assert [(r.row + 1, r.period, r.cells["value"].value) for r in records] == [
        (5, "2024Q1", 100), (5, "2024Q2", 150), (6, "2024Q1", "1.250"), (6, "2024Q2", "n/a"),
        (6, "2024Q3", 30), (7, "2024Q1", "61,5 %"), (7, "2024Q2", 0.64)]


def test_the_hxl_reference_sample_maps_from_its_hashtags():
    grid = read_grid(HXL / "input-merged.xlsx")
    shape = find_shape(grid)
    assert (shape.header_row, shape.header_rows, shape.hxl_row) == (0, 2, 2)
    assert shape.hashtags[:5] == ["", "#sector+es", "#subsector+es", "#org+es", "#targeted+f"]
    assert shape.headers[4] == "¿Para quién? Hombres"  # merged group header joined
    mapping = suggest_mapping(shape)
    assert mapping.columns["¿Cuándo? Departamento/Provincia/Estado"] == "strand"  # #adm1
    assert mapping.columns["¿Cuándo?"] == "period"  # #date+reported
    assert mapping.columns["¿Quién? Organización"] == "ignore"  # #org


def test_junk_above_a_csv_header_with_hashtags_is_skipped():
    grid = read_grid(HXL / "input-multiple-headers.csv")
    shape = find_shape(grid)
    assert (shape.header_row, shape.hxl_row, shape.first_data_row) == (1, 2, 3)
    mapping = suggest_mapping(shape)
    assert mapping.columns == {"Org": "ignore", "No hashtag": "ignore", "Province": "strand",
                               "Number affected": "value"}


@pytest.mark.parametrize(("headers", "fields"), [
    (["Indicator code", "Quarter", "Site", "Value", "Comments"],
     ["indicator_code", "period", "strand", "value", "comment"]),
    (["Code indicateur", "Trimestre", "Lieu", "Valeur", "Numérateur", "Dénominateur"],
     ["indicator_code", "period", "strand", "value", "numerator", "denominator"]),
    (["Indicador", "Periodo", "Municipio", "Resultado", "Sexo", "Fuente"],
     ["indicator_code", "period", "strand", "value", "dim:sex", "data_source"]),
    (["Codice indicatore", "Trimestre", "Comune", "Valore", "Fascia d'età", "Commento"],
     ["indicator_code", "period", "strand", "value", "dim:age_band", "comment"]),
    (["Código do indicador", "Trimestre", "Localidade", "Valor", "Tamanho da amostra",
      "Observações"],
     ["indicator_code", "period", "strand", "value", "n_sample", "comment"]),
    (["programme_code", "indicator_code", "strand_code", "period", "value", "dim:age_band"],
     ["programme_code", "indicator_code", "strand", "period", "value", "dim:age_band"]),
])
def test_header_synonyms_in_five_languages(headers: list[str], fields: list[str]):
    grid = Grid("f.csv", "f", [headers, ["x"] * len(headers)], text_only=True)
    mapping = suggest_mapping(find_shape(grid))
    assert list(mapping.columns.values()) == fields


def test_indicators_as_columns_and_sex_in_headers(tmp_path: Path):
    grid = Grid("f.csv", "f", [["Trimestre", "T-O1 Femmes", "T-O1 Hommes", "t_p1"],
                               ["2024 T1", "61", "55", "1000"]], text_only=True)
    mapping = suggest_mapping(find_shape(grid), ["T-O1", "T-P1"])
    assert list(mapping.columns.values()) == [
        "period", "value;indicator=T-O1;sex=female", "value;indicator=T-O1;sex=male",
        "value;indicator=T-P1"]
    records = unpivot(grid, find_shape(grid), mapping)
    assert [(r.indicator, r.dims, r.cells["value"].value) for r in records] == [
        ("T-O1", (("sex", "female"),), "61"), ("T-O1", (("sex", "male"),), "55"),
        ("T-P1", (), "1000")]


def test_two_row_csv_headers_carry_the_group_over_its_blanks():
    grid = Grid("f.csv", "f", [["Indicateur", "Trimestre", "Atteints", ""],
                               ["", "", "Femmes", "Hommes"],
                               ["T-P1", "T2 2024", "5", "6"]], text_only=True)
    shape = find_shape(grid)
    assert shape.column_keys() == ["Indicateur", "Trimestre", "Atteints Femmes",
                                   "Atteints Hommes"]
    assert list(suggest_mapping(shape).columns.values()) == [
        "indicator_code", "period", "value;sex=female", "value;sex=male"]


def test_the_header_row_can_be_given(tmp_path: Path):
    grid = read_grid(_xlsx(tmp_path / "t.xlsx", [["a", "b"], ["Indicator", "Quarter", "Value"],
                                                  ["T-P1", "2024Q2", 3]]))
    shape = find_shape(grid, header_row=2, header_rows=1)
    assert shape.column_keys() == ["Indicator", "Quarter", "Value"]
    assert header_signature(shape) == header_signature(find_shape(grid, 2, 1))


def test_mapping_problems_say_what_to_map():
    grid = Grid("f.csv", "f", [["A", "B", "C"], ["1", "2", "3"]], text_only=True)
    shape = find_shape(grid)
    problems = mapping_problems(ColumnMapping(1, 1, {"A": "value", "B": "value"}), shape)
    assert problems == [
        "two columns map to value; keep one and set the other to (ignore)",
        "no column gives the indicator; map the indicator code column, or name indicators in "
        "the headers of the value columns",
        "no column gives the quarter; map the quarter (or date) column, or use quarters as the "
        "headers of the value columns"]


def test_targets_round_trip_as_text():
    t = Target("value", period="2024Q2", indicator="T-O1", dims=(("sex", "female"),))
    assert Target.parse(t.text()) == t
    assert t.label() == "value · 2024Q2 · T-O1 · sex=female"
    with pytest.raises(Exception, match="is not a field a column can map to"):
        Target.parse("nonsense")
