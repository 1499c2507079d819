"""``coprod-me export iati``: the sample programmes as IATI 2.03, valid or not written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from coprod_me.cli import main
from coprod_me.reports.iati_activity import ruleset_problems
from coprod_me.services import Services
from coprod_me.services.iati_exports import schema

SAMPLES = ["RS-01", "HL-01", "HR-01", "KR-01", "ULL-01"]


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("iati") / "demo.sqlite"
    assert main(["demo", "--db", str(db), "--json"]) == 0
    return db


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> str:
    db = tmp_path / "demo.sqlite"
    db.write_bytes(demo_template.read_bytes())
    return str(db)


def _valid(path: Path) -> etree._ElementTree:
    """The file as written, parsed afresh and checked against the shipped XSDs and rules."""
    tree = etree.parse(str(path))
    assert schema().validate(tree), schema().error_log
    for a in tree.getroot().iter("iati-activity"):
        assert ruleset_problems(a) == []
    return tree


def test_rs01_is_valid_iati_with_its_results(demo_db: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    out = tmp_path / "rs01.xml"
    assert main(["export", "iati", "-p", "RS-01", "-o", str(out), "--db", demo_db]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"wrote {out} (RS-01): valid IATI 2.03, 3 results")
    (a,) = _valid(out).getroot().iter("iati-activity")
    assert a.findtext("iati-identifier") == "XI-IATI-SAMPLE-RS01-RS-01"
    assert "SAMPLE DATA" in a.findtext("description/narrative")
    assert sum(float(c.get("percentage")) for c in a.iter("recipient-country")) == 100
    assert [c.get("code") for c in a.iter("recipient-country")] == ["IN", "BD", "ID"]
    assert sorted({r.get("type") for r in a.iter("result")}) == ["1", "2", "3"]
    assert a.find(".//indicator/period/actual") is not None
    assert a.find(".//actual/dimension") is not None
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_a_portfolio_file_has_one_valid_activity_per_programme(
        demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    out = tmp_path / "portfolio.xml"
    assert main(["export", "iati", "-p", ",".join(SAMPLES), "-o", str(out), "--db", demo_db,
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["programmes"] == SAMPLES and data["suppression_threshold"] == 5
    ids = [a.findtext("iati-identifier") for a in _valid(out).getroot().iter("iati-activity")]
    assert ids == [f"XI-IATI-SAMPLE-{c.replace('-', '')}-{c}" for c in SAMPLES]


def test_an_incomplete_programme_is_refused_naming_what_is_missing(
        demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    services = Services.open(demo_db)
    services.programmes.update("RS-01", {"iati_identifier": None, "sector_code": None})
    services.close()
    capsys.readouterr()
    out = tmp_path / "rs01.xml"
    assert main(["export", "iati", "-p", "RS-01,KR-01", "-o", str(out), "--db",
                 demo_db]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert err.startswith("coprod-me: cannot write IATI: RS-01 lacks iati_identifier "
                          "(iati-identifier), sector_code (sector/@code);")
    assert "Profile tab" in err and "Programmes sheet" in err
    assert not out.exists() and list(tmp_path.iterdir()) == [Path(demo_db)]


def test_a_failed_check_writes_nothing_and_says_why_in_one_line(
        demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    services = Services.open(demo_db)
    services.programmes.update("RS-01", {"reporting_org_ref": "XM-DAC-0000"})
    services.close()
    out = tmp_path / "rs01.xml"
    out.write_text("the previous file")
    capsys.readouterr()
    assert main(["export", "iati", "-p", "RS-01", "-o", str(out), "--db", demo_db]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("coprod-me: not valid IATI 2.03: XI-IATI-SAMPLE-RS01-RS-01 "
                          "iati-identifier: must start with the reporting-org ref "
                          "'XM-DAC-0000'") and "\n" not in err
    assert out.read_text() == "the previous file"


@pytest.mark.parametrize(("argv", "output", "message"), [
    (["-p", "NOPE"], "x.xml", "no programme with code 'NOPE'"),
    (["-p", "RS-01"], "x.txt", "an IATI file is XML; name it .xml"),
    (["-p", "RS-01"], "no/such/folder/x.xml", "does not exist; create it first"),
])
def test_mistakes_exit_1_with_one_line(demo_db: str, tmp_path: Path, argv: list[str],
                                       output: str, message: str,
                                       capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    out = tmp_path / output
    assert main(["export", "iati", *argv, "-o", str(out), "--db", demo_db]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_a_bad_option_value_is_refused_by_the_parser_as_every_command_does(
        demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "x.xml"
    with pytest.raises(SystemExit) as exited:
        main(["export", "iati", "-p", "RS-01", "--threshold", "-1", "-o", str(out),
              "--db", demo_db])
    assert exited.value.code == 2
    assert "the threshold cannot be negative" in capsys.readouterr().err
    assert not out.exists()
