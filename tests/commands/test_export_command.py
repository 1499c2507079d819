"""``coprod-me export FORMAT``: the shape of the command family, as argparse gives it."""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_me.cli import main


def _usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    return capsys.readouterr().err.strip().splitlines()[-1]


def test_export_without_a_format_names_the_missing_argument(
        capsys: pytest.CaptureFixture[str]):
    assert _usage_error(["export"], capsys) == (
        "coprod-me export: error: the following arguments are required: FORMAT")


def test_an_unknown_format_lists_the_three(capsys: pytest.CaptureFixture[str]):
    assert _usage_error(["export", "xml"], capsys) == (
        "coprod-me export: error: argument FORMAT: invalid choice: 'xml' (choose from "
        "'iati', 'dhis2', 'hxl')")


def test_a_format_without_its_required_options_is_a_usage_error(
        capsys: pytest.CaptureFixture[str]):
    assert _usage_error(["export", "hxl", "-o", "x.csv"], capsys) == (
        "coprod-me export hxl: error: the following arguments are required: "
        "--programme/-p")


def test_db_before_the_command_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """``--db X export hxl ...`` opens X, as ``export hxl ... --db X`` does."""
    db = tmp_path / "given.sqlite"
    capsys.readouterr()
    assert main(["--db", str(db), "export", "hxl", "-p", "XX-99", "-o",
                 str(tmp_path / "x.csv")]) == 1
    assert capsys.readouterr().err == (
        "coprod-me: no programme with code 'XX-99'; 'coprod-me list' shows the codes\n")
    assert db.exists() and not (tmp_path / "x.csv").exists()


def test_the_help_lists_the_three_formats(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exc:
        main(["export", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    listed = [line.split()[0] for line in text.splitlines()
              if line.startswith("    ") and line.split()[0] in ("iati", "dhis2", "hxl")]
    assert listed == ["iati", "dhis2", "hxl"]
    assert "IATI 2.03" in text and "DHIS2" in text and "HXL" in text
