"""Opening what NGOs send: CSV encodings and delimiters, cell formats calamine does not give,
and hostile or broken files, each refused with one clear message (files made by the tests)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from coprod_me.services import Services
from coprod_me.spreadsheets import untrusted
from coprod_me.spreadsheets.ngo_source import UnreadableFile, read_grid, sheet_names
from tests import ngo_files as nf
from tests.builders import small_programme_rows, write


def _plain_xlsx(path: Path, rows: list[list] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for r in rows if rows is not None else [["Indicator", "Quarter", "Value"],
                                             ["T-P1", "2024Q2", 5]]:
        ws.append(r)
    wb.save(path)
    return path


def _rewrite(src: Path, dst: Path, member: str, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == member:
                data = change(data)
            zout.writestr(info.filename, data)
    return dst


def test_csv_encodings_and_delimiters_are_sniffed(tmp_path: Path):
    grid = read_grid(nf.hxl_csv_cp1252(tmp_path / "h.csv"))
    assert grid.rows[1] == ["Indicateur", "Période", "Département", "Femmes atteintes",
                            "Hommes atteints"]
    grid = read_grid(nf.wide_indicators_csv_bom(tmp_path / "i.csv"))
    assert grid.rows[0] == ["Trimestre", "Site", "T-O1", "T-P1"]  # no BOM left on 'Trimestre'
    p = tmp_path / "c.csv"
    p.write_text('Indicator,Quarter,Value\nT-P1,Q2 2024,"1,234"\n', encoding="utf-8")
    assert read_grid(p).rows[1] == ["T-P1", "Q2 2024", "1,234"]


def test_percent_formats_and_error_cells_come_from_the_sheet_xml(tmp_path: Path):
    grid = read_grid(nf.messy_long_xlsx(tmp_path / "m.xlsx"), nf.MESSY_SHEET)
    assert grid.percent_cells == {(6, 4)}  # E7, 0.52 shown as 52 %
    assert grid.errors == {(10, 4): "#DIV/0!"}  # E11; calamine gives ''
    assert grid.cell(10, 4) == "" and grid.cell(9, 4) == 5.0  # cached formula value
    assert sheet_names(tmp_path / "m.xlsx") == [nf.MESSY_SHEET, "Notes"]


def test_not_a_workbook(tmp_path: Path):
    p = tmp_path / "r.xlsx"
    p.write_text("hello")
    with pytest.raises(UnreadableFile, match=r"^r.xlsx is not a spreadsheet, though its name "
                                             r"ends in .xlsx; save it again"):
        read_grid(p)


def test_a_truncated_workbook(tmp_path: Path):
    good = _plain_xlsx(tmp_path / "good.xlsx").read_bytes()
    p = tmp_path / "cut.xlsx"
    p.write_bytes(good[: len(good) // 2])
    with pytest.raises(UnreadableFile, match=r"^cut.xlsx is damaged or truncated"):
        read_grid(p)


def test_an_xml_bomb_is_not_read(tmp_path: Path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')

    def change(data: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", data)
        return bomb.encode() + body.replace(b"<t>T-P1</t>", b"<t>&lol2;</t>")

    p = _rewrite(_plain_xlsx(tmp_path / "a.xlsx"), tmp_path / "bomb.xlsx",
                 "xl/worksheets/sheet1.xml", change)
    with pytest.raises(UnreadableFile, match=r"^bomb.xlsx contains XML entity declarations "
                                             r"\(xl/worksheets/sheet1.xml\).*XML bomb"):
        read_grid(p)


def test_a_zip_bomb_is_refused_above_the_stated_size(tmp_path: Path, monkeypatch):
    # the limit is 512 MB; lowered here so the test writes 9 MB, not half a gigabyte
    monkeypatch.setattr(untrusted, "MAX_UNPACKED_BYTES", 8 * 2**20)
    p = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(_plain_xlsx(tmp_path / "a.xlsx")) as zin, \
            zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr("xl/media/padding.bin", b"\0" * (9 * 2**20))
    assert p.stat().st_size < 100_000  # a high compression ratio: a bomb
    with pytest.raises(UnreadableFile, match=r"^zip.xlsx unpacks to 9 MB, above the 8 MB "
                                             r"coprod-me accepts \(it may be a zip bomb\)"):
        read_grid(p)


def test_a_password_protected_workbook(tmp_path: Path):
    # Excel stores an encrypted workbook as an OLE file with an EncryptedPackage stream
    p = tmp_path / "secret.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
                  + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64
                  + "EncryptedPackage".encode("utf-16-le") + b"\0" * 2048)
    with pytest.raises(UnreadableFile, match=r"^secret.xlsx is protected with a password; "
                                             r"open it in Excel or LibreOffice, remove"):
        read_grid(p)


def test_an_empty_file_and_an_empty_workbook(tmp_path: Path, services: Services):
    p = tmp_path / "zero.xlsx"
    p.write_bytes(b"")
    with pytest.raises(UnreadableFile, match=r"^zero.xlsx is empty \(0 bytes\)"):
        read_grid(p)
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    empty = _plain_xlsx(tmp_path / "empty.xlsx", [])
    with pytest.raises(Exception, match=r"^empty.xlsx, sheet Data, is empty; choose the sheet "
                                        r"that holds the figures"):
        services.imports.open(empty, "T-01")


def test_a_million_styled_blank_rows_are_not_kept(tmp_path: Path):
    def change(data: bytes) -> bytes:
        rows = b"".join(b'<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/></row>'
                        % (r, r) for r in range(3, 1_048_577))
        data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:Z1048576"', data)
        return data.replace(b"</sheetData>", rows + b"</sheetData>")

    p = _rewrite(_plain_xlsx(tmp_path / "a.xlsx"), tmp_path / "styled.xlsx",
                 "xl/worksheets/sheet1.xml", change)
    grid = read_grid(p)
    assert grid.rows == [["Indicator", "Quarter", "Value"], ["T-P1", "2024Q2", 5.0]]


def test_32000_character_cells_are_read_and_cut_in_messages(tmp_path: Path,
                                                             services: Services):
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    long_text = "x" * 32000
    p = _plain_xlsx(tmp_path / "long.xlsx", [["Indicator", "Quarter", "Value", "Comment"],
                                             [long_text, "2024Q2", 5, long_text],
                                             ["T-P1", "2024Q2", 5, long_text]])
    result = services.imports.import_file(p, "T-01")
    (e,) = result.errors
    assert (e.row, e.column, len(e.value)) == (2, "Indicator", 32000)
    assert len(str(e)) < 400  # the message names the cell without repeating 32,000 characters
    assert result.imported == 1
    (obs,) = services.observations.find("T-01", indicator="T-P1", period="2024Q2")
    assert obs.comment == long_text


def test_hostile_files_leave_the_database_untouched(tmp_path: Path, services: Services):
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    before = services.observations.find("T-01")
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(UnreadableFile):
        services.imports.import_file(bad, "T-01")
    assert services.observations.find("T-01") == before


def test_utf16_without_a_byte_order_mark_is_read_as_utf16(tmp_path: Path, services: Services):
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    text = "Indicator,Quarter,Value\nT-P1,2024Q2,5\n"
    for codec in ("utf-16-le", "utf-16-be"):
        p = tmp_path / f"{codec}.csv"
        p.write_bytes(text.encode(codec))  # no BOM: once read as UTF-8, 'no column maps'
        assert read_grid(p).rows == [["Indicator", "Quarter", "Value"], ["T-P1", "2024Q2", "5"]]
    assert services.imports.import_file(tmp_path / "utf-16-le.csv", "T-01").imported == 1


def test_a_link_to_a_spreadsheet_is_read_as_the_spreadsheet(tmp_path: Path):
    target = _plain_xlsx(tmp_path / "real.xlsx")
    link = tmp_path / "link.xlsx"
    link.symlink_to(target)
    assert read_grid(link).rows == read_grid(target).rows
    assert sheet_names(link) == ["Data"]


def test_csv_limits_are_one_line_each(tmp_path: Path):
    p = tmp_path / "field.csv"
    p.write_text('Indicator,Comment\nT-P1,"' + "x" * 1_000_000 + '"\n')  # one 1 MB field
    with pytest.raises(UnreadableFile, match=r"^field\.csv, line 2: a field is longer than "
                                             r"131,072 characters, more than any spreadsheet "
                                             r"cell holds; shorten it"):
        read_grid(p)  # its quote is closed: no word of one left open
    p = tmp_path / "many.csv"
    p.write_text(",".join(["1"] * 20_000))
    with pytest.raises(UnreadableFile, match=r"^many\.csv, line 1, has 20,000 columns"):
        read_grid(p)
