"""Zip files written byte by byte, so a test can make what zipfile will not: parts whose
headers understate their size, parts marked encrypted, and bombs of any size written in a
few hundred milliseconds (one deflate segment repeated: a full flush makes each copy decode
on its own, so 600 MB of XML are a few hundred KB to write and nothing to hold).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Deflated:
    """A raw deflate stream with the size and CRC of what it unpacks to."""

    stream: bytes
    size: int
    crc: int
    method: int = 8  # 8 deflated, 0 stored


@dataclass(frozen=True)
class Part:
    name: str
    content: Deflated
    declared: int | None = None  # the size the headers state; the real one when None
    flags: int = 0  # bit 0: encrypted


def deflate(data: bytes) -> Deflated:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Deflated(c.compress(data) + c.flush(), len(data), zlib.crc32(data))


def stored(data: bytes) -> Deflated:
    return Deflated(data, len(data), zlib.crc32(data), method=0)


def _segment(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def repeated(block: bytes, times: int, head: bytes = b"", tail: bytes = b"") -> Deflated:
    """``head + block * times + tail``, deflated without ever building it."""
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = (_segment(head) + _segment(block) * times + last.compress(tail) + last.flush())
    return Deflated(stream, len(head) + len(block) * times + len(tail), crc)


def write_zip(path: Path, parts: list[Part]) -> Path:
    out = bytearray()
    directory = bytearray()
    for part in parts:
        name = part.name.encode()
        c = part.content
        size = c.size if part.declared is None else part.declared
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, part.flags, c.method, 0, 0x21, c.crc,
                           len(c.stream), size, len(name), 0) + name + c.stream
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, part.flags, c.method, 0,
                                 0x21, c.crc, len(c.stream), size, len(name), 0, 0, 0, 0, 0,
                                 offset) + name
    out += directory + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts),
                                   len(directory), len(out), 0)
    path.write_bytes(bytes(out))
    return path


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"


def xlsx_parts(sheet: Deflated, shared_strings: Deflated | None = None,
               sheet_name: str = "Observations", **sheet_part: object) -> list[Part]:
    """The parts of a minimal workbook with one sheet (and shared strings)."""
    types = (f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
             'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
    root = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/'
            f'relationships"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>')
    book = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_REL}">'
            f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/'
            f'relationships"><Relationship Id="rId1" Type="{_REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            + (f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" '
               'Target="sharedStrings.xml"/>' if shared_strings is not None else "")
            + "</Relationships>")
    parts = [Part("[Content_Types].xml", deflate(types.encode())),
             Part("_rels/.rels", deflate(root.encode())),
             Part("xl/workbook.xml", deflate(book.encode())),
             Part("xl/_rels/workbook.xml.rels", deflate(rels.encode())),
             Part("xl/worksheets/sheet1.xml", sheet, **sheet_part)]  # type: ignore[arg-type]
    if shared_strings is not None:
        parts.append(Part("xl/sharedStrings.xml", shared_strings))
    return parts


def sheet_xml() -> tuple[bytes, bytes]:
    """The XML around a sheet's rows: (head, tail)."""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"><sheetData>'
            .encode(), b"</sheetData></worksheet>")


def xlsx(path: Path, rows: bytes, shared_strings: bytes | None = None) -> Path:
    head, tail = sheet_xml()
    sst = None if shared_strings is None else deflate(shared_strings)
    return write_zip(path, xlsx_parts(deflate(head + rows + tail), sst))


_ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
             'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
             'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
             '<office:body><office:spreadsheet><table:table table:name="Observations">')
_ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def ods(path: Path, table: str, manifest_extra: str = "", prolog: str = "") -> Path:
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
                'vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                f'"content.xml" manifest:media-type="text/xml">{manifest_extra}'
                "</manifest:file-entry></manifest:manifest>")
    content = _ODS_HEAD + table + _ODS_TAIL
    if prolog:
        content = content.replace('<?xml version="1.0" encoding="UTF-8"?>',
                                  '<?xml version="1.0" encoding="UTF-8"?>' + prolog)
    return write_zip(path, [
        Part("mimetype", stored(b"application/vnd.oasis.opendocument.spreadsheet")),
        Part("META-INF/manifest.xml", deflate(manifest.encode())),
        Part("content.xml", deflate(content.encode()))])
