"""DHIS2 data value sets of RS-01 checked against values written out by hand from the
sample's 2024Q2 observations (tools/samples/rs01.py), the mapping's edits, and the sheet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from coprod_me.model.errors import DomainError, ValidationFailed
from coprod_me.paths import sample_programmes_dir
from coprod_me.services import Services
from coprod_me.services.dhis2_exports import dhis2_number, unmapped

# RS-01, 2024Q2, from the sample's observations: (indicator, site, breakdown, value, comment).
# Percent has one decimal, the ratio two, counts none, as the report shows them; DHIS2 gets
# no thousands separator and no trailing zero. RS-O3 has no 2024Q2 observation.
P4_IN = "Provider MIS 96 % (cf. SBM-G MIS 96 % nationally, R [IASG])"
P5_IN = "Independent survey 79 % vs MIS 96 %: 17 points"
OBSERVED = [
    ("O1", "IN-BLK", "", "63", None), ("O1", "IN-BLK", "social_group=sc_st", "50.3", None),
    ("O1", "IN-BLK", "social_group=other", "68.5", None),
    ("O6", "IN-BLK", "", "0.73", None), ("O6", "IN-BLK", "sex=female", "0.71", None),
    ("O6", "IN-BLK", "sex=male", "0.74", None),
    ("O2", "IN-BLK", "", "25", None), ("O2", "IN-BLK", "sex=female", "24", None),
    ("O2", "IN-BLK", "sex=male", "26", None),
    ("O4", "IN-BLK", "", "63", None), ("O4", "IN-BLK", "social_group=sc_st", "59.1", None),
    ("O4", "IN-BLK", "social_group=other", "64.7", None),
    ("O5", "IN-BLK", "", "9", None), ("O5", "IN-BLK", "sex=female", "8.7", None),
    ("O5", "IN-BLK", "sex=male", "9.3", None),
    ("P1", "IN-BLK", "", "13500", None), ("P2", "IN-BLK", "", "116", None),
    ("P3", "IN-BLK", "", "600", None), ("P4", "IN-BLK", "", "96", P4_IN),
    ("P5", "IN-BLK", "", "79", P5_IN),
    ("O1", "BD-UPZ", "", "94", None),
    ("O1", "BD-UPZ", "social_group=poorest_quintile", "90.2", None),
    ("O1", "BD-UPZ", "social_group=other", "95", None),
    ("O6", "BD-UPZ", "", "0.95", None), ("O6", "BD-UPZ", "sex=female", "0.93", None),
    ("O6", "BD-UPZ", "sex=male", "0.96", None),
    ("O2", "BD-UPZ", "", "3", None), ("O2", "BD-UPZ", "sex=female", "2.8", None),
    ("O2", "BD-UPZ", "sex=male", "3.2", None),
    ("O4", "BD-UPZ", "", "74", None),
    ("O4", "BD-UPZ", "social_group=poorest_quintile", "71", None),
    ("O4", "BD-UPZ", "social_group=other", "74.8", None),
    ("O5", "BD-UPZ", "", "4.7", None), ("O5", "BD-UPZ", "sex=female", "4.4", None),
    ("O5", "BD-UPZ", "sex=male", "5", None),
    ("P1", "BD-UPZ", "", "5950", None), ("P2", "BD-UPZ", "", "94", None),
    ("P3", "BD-UPZ", "", "400", None), ("P4", "BD-UPZ", "", "97.5", None),
    ("P5", "BD-UPZ", "", "96", None),
    ("O1", "ID-KAB", "", "78", None),
    ("O1", "ID-KAB", "social_group=poorest_quintile", "72.2", None),
    ("O1", "ID-KAB", "social_group=other", "79.5", None),
    ("O6", "ID-KAB", "", "0.91", None), ("O6", "ID-KAB", "sex=female", "0.89", None),
    ("O6", "ID-KAB", "sex=male", "0.92", None),
    ("O2", "ID-KAB", "", "14", None), ("O2", "ID-KAB", "sex=female", "13", None),
    ("O2", "ID-KAB", "sex=male", "15", None),
    ("O4", "ID-KAB", "", "66", None),
    ("O4", "ID-KAB", "social_group=poorest_quintile", "63", None),
    ("O4", "ID-KAB", "social_group=other", "66.8", None),
    ("O5", "ID-KAB", "", "8.9", None), ("O5", "ID-KAB", "sex=female", "8.6", None),
    ("O5", "ID-KAB", "sex=male", "9.2", None),
    ("P1", "ID-KAB", "", "11200", None), ("P2", "ID-KAB", "", "112", None),
    ("P3", "ID-KAB", "", "660", None), ("P4", "ID-KAB", "", "84", None),
    ("P5", "ID-KAB", "", "81", None),
]
# the sample's mapping (its Dhis2Mappings sheet), written out again here
COC = {"": "default", "sex=female": "SEX_F", "sex=male": "SEX_M",
       "social_group=other": "SG_OTHER", "social_group=poorest_quintile": "SG_POOR_Q1",
       "social_group=sc_st": "SG_SC_ST"}
OU = {"IN-BLK": "OU_IN_BLK", "BD-UPZ": "OU_BD_UPZ", "ID-KAB": "OU_ID_KAB"}


def expected_values() -> list[dict[str, str]]:
    out = []
    for ind, site, dims, value, comment in OBSERVED:
        v = {"dataElement": f"CLTS_{ind}", "period": "2024Q2", "orgUnit": OU[site],
             "categoryOptionCombo": COC[dims], "value": value}
        if comment:
            v["comment"] = comment
        out.append(v)
    return out


def _key(v: dict[str, str]) -> tuple[str, str, str]:
    return v["dataElement"], v["orgUnit"], v["categoryOptionCombo"]


@pytest.fixture
def rs01(services: Services) -> Services:
    services.workbooks.load(sample_programmes_dir() / "RS-01.xlsx")
    return services


def test_json_matches_the_hand_written_values_field_by_field(rs01: Services, tmp_path: Path):
    out = tmp_path / "rs01.json"
    result = rs01.dhis2_exports.write("RS-01", "2024Q2", out, "json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data) == ["dataSet", "period", "dataValues"]
    assert data["dataSet"] == "CLTS_QUARTERLY" and data["period"] == "2024Q2"
    got = sorted(data["dataValues"], key=_key)
    want = sorted(expected_values(), key=_key)
    assert len(got) == len(want) == 60 == len(result.values)
    for g, w in zip(got, want, strict=True):
        assert g == w, _key(w)
    assert result.withheld == 0 and not result.problems


def test_csv_has_dhis2s_columns_and_the_same_values(rs01: Services, tmp_path: Path):
    out = tmp_path / "rs01.csv"
    rs01.dhis2_exports.write("RS-01", "2024Q2", out, "csv")
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["dataelement", "period", "orgunit", "categoryoptioncombo",
                       "attributeoptioncombo", "value", "storedby", "lastupdated",
                       "comment", "followup"]
    got = sorted(rows[1:], key=lambda r: (r[0], r[2], r[3]))
    want = sorted(([v["dataElement"], "2024Q2", v["orgUnit"], v["categoryOptionCombo"], "",
                    v["value"], "", "", v.get("comment", ""), "false"]
                   for v in expected_values()), key=lambda r: (r[0], r[2], r[3]))
    assert got == want


def test_attribute_option_combo_goes_on_the_set_and_each_value(rs01: Services):
    rs01.dhis2_exports.set_target("RS-01", "attribute_option_combo", "", "FUNDER_WB")
    data = rs01.dhis2_exports.value_set("RS-01", "2024Q2").as_json()
    assert data["attributeOptionCombo"] == "FUNDER_WB"
    assert all(v["attributeOptionCombo"] == "FUNDER_WB"
               for v in data["dataValues"])  # type: ignore[attr-defined]


def test_an_unmapped_value_blocks_the_export_with_its_reason(rs01: Services, tmp_path: Path):
    rs01.dhis2_exports.set_target("RS-01", "data_element", "RS-O6", "")
    rs01.dhis2_exports.set_target("RS-01", "org_unit", "ID-KAB", "")
    rs01.dhis2_exports.set_target("RS-01", "category_option_combo", "sex=female", "")
    vs = rs01.dhis2_exports.value_set("RS-01", "2024Q2")
    assert "RS-O6 IN-BLK the total: no data element for indicator RS-O6" in vs.problems
    assert ("RS-O2 ID-KAB breakdown 'sex=female': strand ID-KAB has no org unit; "
            "breakdown 'sex=female' has no category option combo") in vs.problems
    # RS-O6: 3 sites x 3 cells; ID-KAB: 20 values, 3 of them RS-O6; sex=female elsewhere:
    # RS-O2, RS-O5 at two sites (RS-O6's already counted)
    assert len(vs.problems) == 9 + 17 + 4
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "rs01.json"
    with pytest.raises(DomainError) as err:
        rs01.dhis2_exports.write("RS-01", "2024Q2", out, "json")
    text = str(err.value)
    assert text.startswith("30 of 60 value(s) of RS-01 2024Q2 cannot be mapped to DHIS2 (")
    for reason in ("no data element for indicator RS-O6", "strand ID-KAB has no org unit",
                   "breakdown 'sex=female' has no category option combo"):
        assert reason in text
    assert "'coprod-me export dhis2 --check' lists them all" in text
    assert "\n" not in text
    assert list(folder.iterdir()) == []


def test_small_disaggregated_counts_are_withheld_as_in_the_report(rs01: Services):
    # at IN-BLK, RS-O6 female has n = 75 and RS-O1 sc_st a numerator of 91: under 100 both
    # are withheld (a total never is), the rest is sent
    vs = rs01.dhis2_exports.value_set("RS-01", "2024Q2", threshold=100)
    assert vs.withheld == 2 and len(vs.values) == 58
    sent = {(v.data_element, v.org_unit, v.category_option_combo) for v in vs.values}
    assert ("CLTS_O6", "OU_IN_BLK", "SEX_F") not in sent
    assert ("CLTS_O1", "OU_IN_BLK", "SG_SC_ST") not in sent
    assert ("CLTS_O6", "OU_IN_BLK", "default") in sent


def test_uid_scheme_names_each_target_that_is_no_uid(rs01: Services):
    vs = rs01.dhis2_exports.value_set("RS-01", "2024Q2", id_scheme="uid")
    assert "the data set is mapped to 'CLTS_QUARTERLY', which is not a DHIS2 UID " \
           "(11 letters and digits, the first a letter)" in vs.problems


def test_numbers_as_dhis2_takes_them():
    assert dhis2_number(1234567.4, "count") == "1234567"
    assert dhis2_number(47.26, "percent") == "47.3"
    assert dhis2_number(0.7349, "ratio") == "0.73"
    assert dhis2_number(12.0, "rate_per_1000") == "12"
    assert dhis2_number(-0.0001, "percent") == "0"


def test_missing_programme_quarter_and_bad_options_are_one_line(rs01: Services,
                                                                tmp_path: Path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "x.json"
    for call in (lambda: rs01.dhis2_exports.write("XX-99", "2024Q2", out, "json"),
                 lambda: rs01.dhis2_exports.write("RS-01", "2019Q1", out, "json"),
                 lambda: rs01.dhis2_exports.write("RS-01", "2024Q2", out, "xml"),
                 lambda: rs01.dhis2_exports.write("RS-01", "2024Q2", folder / "no" / "x.json",
                                          "json")):
        with pytest.raises(DomainError) as err:
            call()
        assert "\n" not in str(err.value)
    assert list(folder.iterdir()) == []


def test_mapping_lists_what_still_needs_a_target_and_edits_are_audited(rs01: Services):
    rows = rs01.dhis2_exports.mapping("RS-01")
    assert unmapped(rows) == []
    assert [r.source for r in rows if r.kind == "category_option_combo"] == list(sorted(COC))
    rs01.dhis2_exports.set_target("RS-01", "data_element", "RS-O3", "")
    assert [(r.kind, r.source) for r in unmapped(rs01.dhis2_exports.mapping("RS-01"))] == [
        ("data_element", "RS-O3")]
    old = rs01.dhis2_exports.set_target("RS-01", "data_element", "RS-O1", "CLTS_O1_V2")
    assert old == "CLTS_O1"
    trail = rs01.database.audit_trail("dhis2_mapping")
    assert any(e.field == "target" and e.old == "CLTS_O1" and e.new == "CLTS_O1_V2"
               for e in trail)
    with pytest.raises(DomainError):
        rs01.dhis2_exports.set_target("RS-01", "indicator", "RS-O1", "X")


def test_the_sheet_round_trips_through_the_programme_workbook(rs01: Services,
                                                              tmp_path: Path):
    rs01.dhis2_exports.set_target("RS-01", "attribute_option_combo", "", "FUNDER_WB")
    before = [(r.kind, r.source, r.target) for r in rs01.dhis2_exports.mapping("RS-01")]
    book = rs01.workbooks.export(["RS-01"], tmp_path / "rs01.xlsx")
    fresh = Services.open(tmp_path / "fresh.sqlite")
    try:
        fresh.workbooks.load(book)
        after = [(r.kind, r.source, r.target) for r in fresh.dhis2_exports.mapping("RS-01")]
    finally:
        fresh.close()
    assert after == before
    assert ("attribute_option_combo", "", "FUNDER_WB") in after


def test_a_workbook_row_of_an_unknown_kind_is_refused(rs01: Services, tmp_path: Path):
    from openpyxl import load_workbook

    book = rs01.workbooks.export(["RS-01"], tmp_path / "rs01.xlsx")
    wb = load_workbook(book)
    ws = wb["Dhis2Mappings"]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[headers.index("kind")].value == "data_set":
            row[headers.index("kind")].value = "dataset"
    wb.save(book)
    with pytest.raises(ValidationFailed) as err:
        rs01.workbooks.load(book)
    assert err.value.problems == [
        "rs01.xlsx, sheet Dhis2Mappings, row 2, column 'kind': 'dataset' must be one of: "
        "data_set, data_element, org_unit, category_option_combo, attribute_option_combo"]


def test_a_workbook_written_before_the_sheet_still_loads(rs01: Services, tmp_path: Path):
    from openpyxl import load_workbook

    book = rs01.workbooks.export(["RS-01"], tmp_path / "rs01.xlsx")
    wb = load_workbook(book)
    del wb["Dhis2Mappings"]
    wb.save(book)
    fresh = Services.open(tmp_path / "fresh.sqlite")
    try:
        fresh.workbooks.load(book)
        assert [r.target for r in fresh.dhis2_exports.mapping("RS-01") if r.target] == []
    finally:
        fresh.close()
