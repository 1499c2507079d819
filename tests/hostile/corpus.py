"""The hostile-input corpus: every file is made at test time, in well under a second each
(bombs are a deflate segment repeated, see ``zips``), and none is kept.

Each case names the file, how to make it, the one line it must be refused with (a regular
expression for the message after ``coprod-me: ``) and whether ``coprod-me load`` reads it too:
the files whose danger is in what a reader unpacks or parses (bombs, far cells, damaged or
protected workbooks), which the load opens through its own request to the reader. Files
refused for what they are (empty, a folder, a link, a web page) are refused by the same first
step for both commands, before either reads anything.
"""

from __future__ import annotations

import os
import random
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests import ngo_files as nf
from tests.hostile import zips as Z

MB = 2**20


@dataclass(frozen=True)
class Case:
    file: str
    make: Callable[[Path], Path]
    message: str  # a regular expression the whole message matches
    load: bool = False  # `coprod-me load` reads it too
    changing: bool = False  # rewritten by another process while it is read

    def __str__(self) -> str:
        return self.file


def _rows(cells: bytes) -> bytes:
    return b'<row r="1"><c r="A1" t="inlineStr"><is><t>Indicator</t></is></c></row>' + cells


def far_cell(path: Path) -> Path:
    return Z.xlsx(path, _rows(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))


def zip_bomb(path: Path) -> Path:  # honest headers: 600 MB of zeros
    head, tail = Z.sheet_xml()
    sheet = Z.deflate(head + _rows(b"") + tail)
    padding = Z.repeated(b"\0" * MB, 600)
    return Z.write_zip(path, [*Z.xlsx_parts(sheet), Z.Part("xl/media/image1.png", padding)])


def lying_zip(path: Path) -> Path:  # the sheet says 116 KB, unpacks to 2 GB
    head, tail = Z.sheet_xml()
    row = b'<row><c t="inlineStr"><is><t>' + b" " * 4000 + b"</t></is></c></row>"
    sheet = Z.repeated(row * 256, 2048, head, tail)
    return Z.write_zip(path, Z.xlsx_parts(sheet, declared=116 * 1024))


def bomb_under_cap(path: Path) -> Path:  # 480 MB of cells from about 3 MB
    head, tail = Z.sheet_xml()
    row = b"<row>" + b"<c><v>1</v></c>" * 1000 + b"</row>"
    return Z.write_zip(path, Z.xlsx_parts(Z.repeated(row, 480 * MB // len(row), head, tail)))


_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
                     for i in range(1, 10)) + "]>")


def entity_bomb(path: Path) -> Path:
    head, tail = Z.sheet_xml()
    head = head.replace(b"?>", b"?>" + _LAUGHS.encode(), 1)
    cell = b'<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return Z.write_zip(path, Z.xlsx_parts(Z.deflate(head + _rows(cell) + tail)))


def entity_bomb_utf16(path: Path) -> Path:  # the declarations in UTF-16 shared strings
    head, tail = Z.sheet_xml()
    sst = ('<?xml version="1.0" encoding="UTF-16"?>' + _LAUGHS + '<sst xmlns="http://schemas.'
           'openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>')
    cell = b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return Z.write_zip(path, Z.xlsx_parts(Z.deflate(head + _rows(cell) + tail),
                                          Z.deflate(sst.encode("utf-16"))))


def string_amplifier(path: Path) -> Path:  # one 30,000-character string in 200,000 cells
    head, tail = Z.sheet_xml()
    cells = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (r, r)
                     for r in range(2, 200_002))
    sst = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
           + b"x" * 30_000 + b"</t></si></sst>")
    return Z.write_zip(path, Z.xlsx_parts(Z.deflate(head + _rows(cells) + tail),
                                          Z.deflate(sst)))


def giant_cell(path: Path) -> Path:  # 40 MB of text in one cell
    head, tail = Z.sheet_xml()
    cell = Z.repeated(b"y" * MB, 40, head + _rows(b'<row r="2"><c r="A2" t="inlineStr"><is><t>'),
                      b"</t></is></c></row>" + tail)
    return Z.write_zip(path, Z.xlsx_parts(cell))


def many_parts(path: Path) -> Path:
    empty = Z.deflate(b"")
    return Z.write_zip(path, [Z.Part(f"xl/media/{i}.bin", empty) for i in range(20_000)])


def encrypted_parts(path: Path) -> Path:
    return Z.write_zip(path, [Z.Part(p.name, p.content, flags=1) for p in Z.xlsx_parts(
        Z.deflate(b"\x8a\x17 scrambled by a password"))])


_FAR_ROW = ('<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
            'table:number-columns-repeated="16384" office:value-type="float" office:value="1">'
            "<text:p>1</text:p></table:table-cell></table:table-row>")


def ods_far(path: Path) -> Path:  # one value repeated over the whole grid
    return Z.ods(path, _FAR_ROW)


def ods_entity_bomb(path: Path) -> Path:
    return Z.ods(path, "<table:table-row><table:table-cell><text:p>&lol9;</text:p>"
                       "</table:table-cell></table:table-row>", prolog=_LAUGHS)


def ods_encrypted(path: Path) -> Path:
    return Z.ods(path, "", manifest_extra='<manifest:encryption-data manifest:checksum-type='
                                          '"SHA1/1K" manifest:checksum="AAAA"/>')


def encrypted_workbook(path: Path) -> Path:
    """An Excel workbook saved with a password: a compound file holding EncryptionInfo and
    EncryptedPackage streams (a real one's layout, random bytes for the content)."""
    free, end, fat_sector, no = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    info_sectors, package_sectors = 8, 16
    fat = [fat_sector, end]
    fat += [*range(3, 2 + info_sectors), end]
    first_package = 2 + info_sectors
    fat += [*range(first_package + 1, first_package + package_sectors), end]
    fat += [free] * (128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int,
              size: int) -> bytes:
        encoded = (name.encode("utf-16-le") + b"\0\0") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", left, right, child) + bytes(16 + 4 + 16)
                + struct.pack("<IQ", start, size))

    directory = (entry("Root Entry", 5, no, no, 1, end, 0)
                 + entry("EncryptionInfo", 2, no, 2, no, 2, info_sectors * 512)
                 + entry("EncryptedPackage", 2, no, no, no, first_package,
                         package_sectors * 512)
                 + entry("", 0, no, no, no, 0, 0))
    content = random.Random(7).randbytes((info_sectors + package_sectors) * 512)
    path.write_bytes(header + struct.pack("<128I", *fat) + directory + content)
    return path


def web_page(path: Path) -> Path:
    path.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><table>"
                    "<tr><td>Indicator</td><td>Value</td></tr></table></body></html>")
    return path


def excel_2003_xml(path: Path) -> Path:
    path.write_text('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook '
                    'xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet '
                    'ss:Name="Observations"/></Workbook>')
    return path


def pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n")
    return path


def text_named_xlsx(path: Path) -> Path:
    path.write_text("Indicator,Quarter,Value\nT-P1,2024Q2,5\n")
    return path


def plain_zip(path: Path) -> Path:
    return Z.write_zip(path, [Z.Part("readme.txt", Z.deflate(b"figures to follow"))])


def word_document(path: Path) -> Path:
    return Z.write_zip(path, [Z.Part("word/document.xml", Z.deflate(b"<w:document/>"))])


def binary_workbook(path: Path) -> Path:
    return Z.write_zip(path, [Z.Part("xl/workbook.bin", Z.deflate(b"\x83\x01\x00"))])


def workbook_named_csv(path: Path) -> Path:
    return Z.xlsx(path, _rows(b""))


def truncated(path: Path) -> Path:
    whole = nf.messy_long_xlsx(path.with_name("whole.xlsx")).read_bytes()
    path.write_bytes(whole[:len(whole) // 2])
    return path


def damaged_xls(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(3).randbytes(8000))
    return path


def too_big(path: Path) -> Path:  # sparse: 101 MB on paper, nothing on disk
    with path.open("wb") as fh:
        fh.truncate(101 * MB)
    return path


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def folder(path: Path) -> Path:
    path.mkdir()
    return path


def dangling_link(path: Path) -> Path:
    path.symlink_to(path.with_name("gone.xlsx"))
    return path


def link_loop(path: Path) -> Path:
    path.symlink_to(path.name)
    return path


def link_to_device(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


def pipe(path: Path) -> Path:
    os.mkfifo(path)
    return path


def changing(path: Path) -> Path:
    nf.messy_long_xlsx(path.with_name("source.xlsx"))
    path.write_bytes(b"")
    return path


def garbage_csv(path: Path) -> Path:
    path.write_bytes(random.Random(11).randbytes(200_000))
    return path


def huge_line(path: Path) -> Path:  # 50 MB, 26 million columns, one line
    path.write_bytes(b"Indicator,Quarter,Value\n" + b"1," * (25 * MB) + b"\n")
    return path


def unclosed_quote(path: Path) -> Path:  # the quote runs on for 1 MB, over many lines
    path.write_text('Indicator,Quarter,Comment\nT-P1,2024Q2,"' + "more text,\n" * 100_000)
    return path


def wide(path: Path) -> Path:
    path.write_text(",".join(["1"] * 20_000) + "\n")
    return path


def nul_bytes(path: Path) -> Path:
    path.write_bytes(b"Indicator,Quarter,Value\nT-P1,2024Q2,5\nT-P1,2024Q3,\x006\n")
    return path


def damaged_utf16(path: Path) -> Path:  # UTF-16 without a BOM, a lone surrogate inside
    text = "Indicator,Quarter,Value\nT-P1,2024Q2,5\n".encode("utf-16-le")
    path.write_bytes(text[:20] + b"\x00\xd8" + text[20:])
    return path


def too_many_rows(path: Path) -> Path:
    path.write_bytes(b"Indicator,Quarter,Value\n" + b"T-P1,2024Q2,5\n" * 1_100_000)
    return path


CASES = [
    Case("far-cell.xlsx", far_cell, r"far-cell\.xlsx, sheet Observations, has cells from A1 as "
         r"far as XFD1048576 \(1,048,576 rows × 16,384 columns; coprod-me reads at most "
         r"8,388,608 cells from one sheet\); delete what lies below and to the right of the "
         r"table, or copy the table to a new sheet, and save it again", load=True),
    Case("zip-bomb.xlsx", zip_bomb, r"zip-bomb\.xlsx unpacks to 600 MB, above the 512 MB "
         r"coprod-me accepts \(it may be a zip bomb\); if it is genuine, split it into smaller "
         r"files", load=True),
    Case("lying-zip.xlsx", lying_zip, r"lying-zip\.xlsx unpacks to more than its headers say "
         r"\(xl/worksheets/sheet1\.xml: more than 116 KB\), as a zip bomb does; it was not "
         r"read\. Ask the sender for the file again", load=True),
    Case("bomb-under-cap.xlsx", bomb_under_cap, r"bomb-under-cap\.xlsx: sheet Observations "
         r"holds more than 8,388,608 cells, more than coprod-me reads at once \(it may be built "
         r"to exhaust memory\); delete the empty rows and columns around the table, or split "
         r"it, and save it again", load=True),
    Case("entity-bomb.xlsx", entity_bomb, r"entity-bomb\.xlsx contains XML entity declarations "
         r"\(xl/worksheets/sheet1\.xml\), which spreadsheets never need \(it may be an XML "
         r"bomb\); it was not read\. Ask the sender for the file saved again from Excel or "
         r"LibreOffice", load=True),
    Case("entity-bomb-utf16.xlsx", entity_bomb_utf16, r"entity-bomb-utf16\.xlsx contains XML "
         r"entity declarations \(xl/sharedStrings\.xml\).*"),
    Case("string-amplifier.xlsx", string_amplifier, r"string-amplifier\.xlsx needs more than "
         r"768 MB of memory to read \(it may be damaged or built to exhaust memory\); open it "
         r"in Excel or LibreOffice, save a copy as \.xlsx and try again", load=True),
    Case("giant-cell.xlsx", giant_cell, r"giant-cell\.xlsx, sheet Observations, could not be "
         r"read \(a cell holds 41,943,040 characters; a spreadsheet cell holds at most "
         r"32,767\); save it again as \.xlsx and try again", load=True),
    Case("many-parts.xlsx", many_parts, r"many-parts\.xlsx holds 20,000 parts \(1 MB of "
         r"directory\), far more than any workbook .*it was not read\. Ask the sender .*"),
    Case("encrypted-parts.xlsx", encrypted_parts, r"encrypted-parts\.xlsx is protected with a "
         r"password; open it in Excel or LibreOffice, remove the password \(File > Info > "
         r"Protect Workbook > Encrypt with Password\) and save it again"),
    Case("encrypted.xlsx", encrypted_workbook, r"encrypted\.xlsx is protected with a password; "
         r"open it in Excel or LibreOffice, remove the password.*"),
    Case("encrypted.ods", ods_encrypted, r"encrypted\.ods is protected with a password.*"),
    Case("far-repeat.ods", ods_far, r"far-repeat\.ods, sheet Observations, has cells from A1 "
         r"as far as XFD1048576 \(1,048,576 rows × 16,384 columns; .*", load=True),
    Case("entity-bomb.ods", ods_entity_bomb, r"entity-bomb\.ods contains XML entity "
         r"declarations \(content\.xml\).*"),
    Case("web-page.xls", web_page, r"web-page\.xls is a web page \(HTML\), which coprod-me "
         r"does not read, "
         r"though its name ends in \.xls; open it in Excel or LibreOffice and save it as "
         r"\.xlsx"),
    Case("excel-2003.xls", excel_2003_xml, r"excel-2003\.xls is an Excel 2003 XML file, which "
         r"coprod-me does not read, though its name ends in \.xls; .*"),
    Case("report.xlsx", pdf, r"report\.xlsx is a PDF document, not a spreadsheet; ask the "
         r"sender for the spreadsheet itself \(\.xlsx, \.ods or \.csv\)"),
    Case("text.xlsx", text_named_xlsx, r"text\.xlsx is not a spreadsheet, though its name ends "
         r"in \.xlsx; save it again from Excel or LibreOffice as \.xlsx"),
    Case("plain-zip.xlsx", plain_zip, r"plain-zip\.xlsx is a zip archive, not a spreadsheet "
         r"\(it holds no workbook\); if it contains one, unzip it and choose that file"),
    Case("letter.xlsx", word_document, r"letter\.xlsx is a Word document, not a spreadsheet; "
         r"open it in Excel or LibreOffice and save it as \.xlsx"),
    Case("binary.xlsx", binary_workbook, r"binary\.xlsx is an Excel binary workbook \(\.xlsb\), "
         r"which coprod-me does not read; open it in Excel or LibreOffice and save it as "
         r"\.xlsx"),
    Case("workbook.csv", workbook_named_csv, r"workbook\.csv is a workbook \(Excel or "
         r"LibreOffice\), though its name ends in \.csv; rename it to \.xlsx \(\.ods, \.xls\) "
         r"and try again"),
    Case("truncated.xlsx", truncated, r"truncated\.xlsx is damaged or truncated \(not a "
         r"complete zip archive\); ask the sender for the file again"),
    Case("damaged.xls", damaged_xls, r"damaged\.xls could not be read as a spreadsheet \(.+\); "
         r"open it in Excel or LibreOffice, save it as \.xlsx and try again", load=True),
    Case("too-big.xlsx", too_big, r"too-big\.xlsx is 101 MB; coprod-me reads spreadsheets up "
         r"to 100 MB\. Split it \(by quarter or by sheet\) and import the parts"),
    Case("empty.xlsx", empty, r"empty\.xlsx is empty \(0 bytes\); ask the sender for the file "
         r"again"),
    Case("folder.xlsx", folder, r".*/folder\.xlsx is a folder; choose a spreadsheet file"),
    Case("dangling.xlsx", dangling_link, r"dangling\.xlsx is a link to .*/gone\.xlsx, which "
         r"does not exist; choose the file itself"),
    Case("loop.xlsx", link_loop, r"loop\.xlsx is a link that leads back to itself; choose the "
         r"spreadsheet file itself"),
    Case("zero.csv", link_to_device, r"zero\.csv, a link to /dev/zero, is a device, not a file; "
         r"choose a spreadsheet file"),
    Case("pipe.csv", pipe, r"pipe\.csv is a pipe, not a file; choose a spreadsheet file"),
    Case("changing.xlsx", changing, r"changing\.xlsx (changed while it was being read \(another "
         r"program is writing it\); wait until it is saved completely and try again|is empty "
         r"\(0 bytes\).*|is damaged or truncated .*|is not a spreadsheet, though .*)",
         changing=True),
    Case("garbage.csv", garbage_csv, r"garbage\.csv is not a text file: it holds binary data "
         r"\([\d,]+ control characters in its first 64 KB\); if it is a spreadsheet, save it "
         r"again as \.xlsx or as 'CSV UTF-8'"),
    Case("huge-line.csv", huge_line, r"huge-line\.csv, line 2, is 52,428,801 characters long "
         r"\(coprod-me reads lines of up to 1,048,576\); it does not look like a spreadsheet "
         r"saved as CSV: open it in a spreadsheet program and save it as \.xlsx"),
    Case("unclosed-quote.csv", unclosed_quote, r"unclosed-quote\.csv, line \d+: a field is "
         r"longer than 131,072 characters, more than any spreadsheet cell holds \(it runs on "
         r"from line 2: a quote \(\"\) is probably not closed\)\. Correct it, or save the file "
         r"from the spreadsheet again"),
    Case("wide.csv", wide, r"wide\.csv, line 1, has 20,000 columns; a spreadsheet has at most "
         r"16,384\. Check that it is the CSV file meant \(the delimiter may be wrong\), or save "
         r"it from the spreadsheet again"),
    Case("nul.csv", nul_bytes, r"nul\.csv contains NUL characters \(first on line 3\), which a "
         r"text file never holds: it may be damaged or not a CSV file; save it again from the "
         r"spreadsheet as CSV"),
    Case("damaged-utf16.csv", damaged_utf16, r"damaged-utf16\.csv looks like UTF-16 text but is "
         r"damaged at byte [\d,]+; save it again from the spreadsheet as 'CSV UTF-8'"),
    Case("too-many-rows.csv", too_many_rows, r"too-many-rows\.csv has more than 1,048,576 rows, "
         r"more than coprod-me reads at once; split it \(by quarter, for example\) and import "
         r"the parts"),
]


def make_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {case.file: case.make(folder / case.file) for case in CASES}


_REWRITE = """
import sys
path, source = sys.argv[1], open(sys.argv[2], "rb").read()
half = source[:len(source) // 2]
while True:  # never complete: every read sees a file being written
    with open(path, "wb") as fh:
        for i in range(0, len(half), 4096):
            fh.write(half[i:i + 4096])
            fh.flush()
"""


@contextmanager
def rewritten(path: Path) -> Iterator[None]:
    """Another process writing ``path`` over and over while the block runs."""
    writer = subprocess.Popen([sys.executable, "-c", _REWRITE, str(path),
                               str(path.with_name("source.xlsx"))])
    try:
        yield
    finally:
        writer.kill()
        writer.wait()
