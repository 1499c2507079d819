"""The guard every user's spreadsheet passes before anything parses it.

A file is read once into memory (``take``): every check, and the reader after them, sees
those bytes, however the file changes on disk meanwhile (a file that changed while it was
read is refused). Then, without parsing it:

- its kind comes from its bytes, not its name: a web page, a PDF or an Excel 2003 XML file
  named .xls, a workbook named .csv, a zip that holds no workbook are each refused by name;
- a zip's directory is bounded before Python's zipfile builds it, and every part a reader
  will open is decompressed as a stream and counted (``check_container``): the count, not
  the size the headers state, is held to ``MAX_UNPACKED_BYTES`` and to the part's stated
  size, so neither a zip bomb nor a zip whose headers understate its size is unpacked past
  them (a part that unpacks to more than its header says is refused); an XML part holding a
  document type or entity declaration (an entity bomb) is refused; a sheet with more cell
  elements than ``MAX_CELLS`` is refused; parts protected with a password are named so.

The native read itself runs in a child process with a memory limit (``native_read``), which
starts while these checks run. Every refusal is an ``UnreadableFile`` whose message is one
line: the file, what is wrong with it, what to do.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from coprod_me.model.errors import DomainError

#: Refused above this file size: 100,000 rows of a long sheet make a 4 MB .xlsx.
MAX_FILE_BYTES = 100 * 2**20
#: Refused above this unpacked size: 100,000 rows of a long sheet unpack to about 40 MB.
MAX_UNPACKED_BYTES = 512 * 2**20
#: A zip's central directory above this size, or with more parts, is not a workbook's.
MAX_DIRECTORY_BYTES = 4 * 2**20
MAX_PARTS = 10_000
#: The parts the guard parses itself (workbook.xml, its relationships) stay below this.
MAX_PARSED_PART_BYTES = 16 * 2**20
#: A sheet's extent: Excel's own grid, and at most this many cells (what calamine allocates
#: for a sheet is its rows × columns, 32 bytes each; 2**23 cells are 256 MB there).
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_CELLS = 2**23

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OUT_STEP = 1 << 20  # decompressed at most this much at a time
_IN_STEP = 1 << 16
_DECLARATIONS = (b"DOCTYPE", b"ENTITY")
_UTF16_DECLARATIONS = tuple(f"<!{d.decode()}".encode(enc) for d in _DECLARATIONS
                            for enc in ("utf-16-le", "utf-16-be"))
_OTHER_DOCUMENTS = {"word/document.xml": "is a Word document, not a spreadsheet",
                    "ppt/presentation.xml": "is a PowerPoint presentation, not a spreadsheet",
                    "xl/workbook.bin": "is an Excel binary workbook (.xlsb), which coprod-me "
                                       "does not read"}


class UnreadableFile(DomainError):
    """The file cannot be read as a spreadsheet; the message says why and what to do."""


@dataclass(frozen=True)
class Snapshot:
    """A file as it was read once: 'xlsx', 'ods', 'xls' or 'csv' by its bytes."""

    path: Path
    data: bytes
    kind: str

    @property
    def name(self) -> str:
        return self.path.name


def mb(n: int) -> str:
    """A size as a message says it: '600 MB', '117 KB'."""
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{max(n // 1024, 1):,} KB"


# ------------------------------------------------------------------------------- the file


def take(path: Path) -> Snapshot:
    """The whole file, read once, with its kind; or a refusal."""
    return _take(path, whole=True)


def kind_of(path: Path) -> str:
    """The file's kind from its first bytes (the checks of ``take`` that need no more)."""
    return _take(path, whole=False).kind


def _take(path: Path, *, whole: bool) -> Snapshot:
    fd = _open(path)
    try:
        before = os.fstat(fd)
        _check_regular(path, before)
        size = before.st_size
        if size == 0:
            raise UnreadableFile(f"{path.name} is empty (0 bytes); ask the sender for the "
                                 "file again")
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(f"{path.name} is {mb(size)}; coprod-me reads spreadsheets up "
                                 f"to {mb(MAX_FILE_BYTES)}. Split it (by quarter or by sheet) "
                                 "and import the parts")
        data = _read(fd, size + 1 if whole else 4096)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if (whole and len(data) != size) or (after.st_size, after.st_mtime_ns) != (
            before.st_size, before.st_mtime_ns):
        raise UnreadableFile(f"{path.name} changed while it was being read (another program "
                             "is writing it); wait until it is saved completely and try again")
    return Snapshot(path, data, _kind(path, data[:4096]))


def _open(path: Path) -> int:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        return os.open(path, flags)  # non-blocking: opening a pipe (FIFO) must not wait
    except FileNotFoundError:
        if path.is_symlink():
            raise UnreadableFile(f"{path.name} is a link to {os.readlink(path)}, which does "
                                 "not exist; choose the file itself") from None
        raise UnreadableFile(f"{path} does not exist") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path} is a folder; choose a spreadsheet file") from None
    except PermissionError:
        raise UnreadableFile(f"{path.name} cannot be opened (permission denied); copy it to "
                             "a folder of yours and choose the copy") from None
    except OSError as exc:
        what = ("is a link that leads back to itself" if path.is_symlink()
                else f"cannot be opened ({exc.strerror})")
        raise UnreadableFile(f"{path.name} {what}; choose the spreadsheet file itself"
                             ) from None


def _check_regular(path: Path, st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableFile(f"{path} is a folder; choose a spreadsheet file")
    if not stat.S_ISREG(st.st_mode):
        what = ("a pipe" if stat.S_ISFIFO(st.st_mode) else
                "a socket" if stat.S_ISSOCK(st.st_mode) else "a device")
        link = f", a link to {os.readlink(path)}," if path.is_symlink() else ""
        raise UnreadableFile(f"{path.name}{link} is {what}, not a file; choose a spreadsheet "
                             "file")


def _read(fd: int, limit: int) -> bytes:
    parts: list[bytes] = []
    left = limit
    while left > 0:
        part = os.read(fd, min(left, 1 << 24))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _kind(path: Path, head: bytes) -> str:
    name, suffix = path.name, path.suffix.lower()
    textual = suffix in TEXT_SUFFIXES
    if head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC):
        if textual:
            raise UnreadableFile(f"{name} is a workbook (Excel or LibreOffice), though its name "
                                 f"ends in {suffix}; rename it to .xlsx (.ods, .xls) and try "
                                 "again")
        if head.startswith(_OLE_MAGIC):
            return "xls"
        return "ods" if suffix == ".ods" else "xlsx"
    if head.startswith(b"%PDF"):
        raise UnreadableFile(f"{name} is a PDF document, not a spreadsheet; ask the sender for "
                             "the spreadsheet itself (.xlsx, .ods or .csv)")
    document = _foreign_document(head)
    if document:
        raise UnreadableFile(f"{name} is {document}, which coprod-me does not read, though "
                             f"its name ends in {suffix or 'nothing'}; open it in Excel or "
                             "LibreOffice and save it as .xlsx")
    if textual:
        return "csv"
    if suffix in WORKBOOK_SUFFIXES:
        raise UnreadableFile(f"{name} is not a spreadsheet, though its name ends in {suffix}; "
                             "save it again from Excel or LibreOffice as .xlsx")
    raise UnreadableFile(f"{name} is not a spreadsheet coprod-me can read; save it as .xlsx, "
                         ".ods or .csv")


def _foreign_document(head: bytes) -> str | None:
    """What a file that only looks like a spreadsheet by its name is (web pages saved as
    .xls are common), or None."""
    text = head
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom):].decode(codec, errors="replace").encode("ascii", "replace")
            break
    start = text.lstrip()[:1024].lower()
    if not start.startswith(b"<"):
        return None
    if b"urn:schemas-microsoft-com:office:spreadsheet" in start or b"<workbook" in start:
        return "an Excel 2003 XML file"
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start or \
            b"<table" in start:
        return "a web page (HTML)"
    if start.startswith(b"<?xml"):
        return "an XML file"
    return None


# -------------------------------------------------------------------------- the container


@dataclass
class Container:
    """What the guard found in a workbook's container: its kind and, for .xlsx, the part
    that holds each sheet."""

    kind: str
    sheet_parts: dict[str, str]


def check_container(snap: Snapshot, reading: Collection[str] | None = None,
                    watch: Mapping[str, Callable[[bytes], None]] | None = None) -> Container:
    """Refuse a workbook whose container is hostile or damaged.

    ``reading`` names the sheets that will be read (None: all of them); the parts of other
    .xlsx sheets are not unpacked, since no reader opens them. ``watch[sheet]`` is given
    the sheet's XML piece by piece as it is unpacked (an .xlsx sheet).
    """
    if snap.kind == "xls":
        if _ENCRYPTED in snap.data:
            raise protected(snap.name)
        return Container("xls", {})
    if snap.kind == "csv":
        return Container("csv", {})
    _check_directory(snap)
    try:
        with zipfile.ZipFile(io.BytesIO(snap.data)) as z:
            return _check_parts(snap, z, reading, watch or {})
    except zipfile.BadZipFile:
        raise _damaged(snap.name, "not a complete zip archive") from None
    except (EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise _damaged(snap.name, str(exc) or type(exc).__name__) from None


def _check_directory(snap: Snapshot) -> None:
    """The central directory's size and count, read from its end record before zipfile
    builds an object for every entry."""
    data = snap.data
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or len(data) < at + 22:
        raise _damaged(snap.name, "not a complete zip archive")
    entries, size = struct.unpack_from("<HI", data, at + 10)
    if entries == 0xFFFF or size == 0xFFFFFFFF:  # ZIP64: the counts are in its record
        loc = at - 20
        if loc < 0 or data[loc:loc + 4] != b"PK\x06\x07":
            raise _damaged(snap.name, "its ZIP64 directory is missing")
        (record,) = struct.unpack_from("<Q", data, loc + 8)
        if record + 56 > len(data) or data[record:record + 4] != b"PK\x06\x06":
            raise _damaged(snap.name, "its ZIP64 directory is missing")
        entries, size = struct.unpack_from("<QQ", data, record + 32)
    if entries > MAX_PARTS or size > MAX_DIRECTORY_BYTES:
        raise UnreadableFile(f"{snap.name} holds {entries:,} parts ({mb(size)} of directory), "
                             "far more than any workbook (it may be built to exhaust memory); "
                             "it was not read. Ask the sender for the file saved again from "
                             "Excel or LibreOffice")


def _check_parts(snap: Snapshot, z: zipfile.ZipFile, reading: Collection[str] | None,
                 watch: Mapping[str, Callable[[bytes], None]]) -> Container:
    name = snap.name
    infos = z.infolist()
    if len(infos) > MAX_PARTS:
        raise _damaged(name, f"{len(infos):,} parts")
    if any(i.flag_bits & 0x1 for i in infos):
        raise protected(name)
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            f"{name} unpacks to {declared // 2**20} MB, above the "
            f"{MAX_UNPACKED_BYTES // 2**20} MB coprod-me accepts (it may be a zip "
            "bomb); if it is genuine, split it into smaller files")
    kind = _workbook_kind(name, z)
    unpacking = _Unpacking(snap, declared)
    first: list[zipfile.ZipInfo] = []
    sheet_parts: dict[str, str] = {}
    if kind == "xlsx":  # what says which part holds which sheet, checked before it is parsed
        first = [i for i in infos if i.filename in ("xl/workbook.xml",
                                                     "xl/_rels/workbook.xml.rels")]
        for info in first:
            unpacking.measure(info)
            if info.file_size > MAX_PARSED_PART_BYTES:
                raise _damaged(name, f"{info.filename} is {mb(info.file_size)}")
        sheet_parts = _sheet_parts(name, z)
    sheet_of = {part: sheet for sheet, part in sheet_parts.items()}
    if kind == "ods":
        sheet_of["content.xml"] = ""  # all the sheets are in content.xml
    rest = [i for i in infos if i not in first and not i.is_dir() and (
        reading is None or i.filename not in sheet_of or sheet_of[i.filename] in reading
        or i.filename == "content.xml")]
    for info in sorted(rest, key=lambda i: i.filename in sheet_of):  # the sheets last
        sheet = sheet_of.get(info.filename)
        if sheet is None:
            unpacking.measure(info)
            continue
        count, seen = _CellCount(name, sheet, kind), watch.get(sheet)
        unpacking.measure(info, count if seen is None else _Both(count, seen))
    if kind == "ods" and b"encryption-data" in _small(z, z.NameToInfo.get(
            "META-INF/manifest.xml")):
        raise protected(name)
    return Container(kind, sheet_parts)


def _workbook_kind(name: str, z: zipfile.ZipFile) -> str:
    names = set(z.namelist())
    if "xl/workbook.xml" in names:
        return "xlsx"
    mimetype = _small(z, z.NameToInfo.get("mimetype"))
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet") or (
            not mimetype and "content.xml" in names):
        return "ods"
    what = next((w for part, w in _OTHER_DOCUMENTS.items() if part in names), None)
    if what is None and mimetype.startswith(b"application/vnd.oasis.opendocument."):
        kind = mimetype.decode("ascii", "replace").rsplit(".", 1)[-1]
        what = f"is an OpenDocument {kind}, not a spreadsheet"
    if what is not None:
        raise UnreadableFile(f"{name} {what}; open it in Excel or LibreOffice and save it as "
                             ".xlsx")
    raise UnreadableFile(f"{name} is a zip archive, not a spreadsheet (it holds no "
                         "workbook); if it contains one, unzip it and choose that file")


def _small(z: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> bytes:
    """The first 64 KB of a small part (the mimetype, the manifest), or b''."""
    if info is None:
        return b""
    with z.open(info) as fh:  # zipfile stops at the size the header states
        return fh.read(65_536)


def _sheet_parts(name: str, z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the part holding it, as workbook.xml and its relationships say."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        wb = fromstring(z.read("xl/workbook.xml"))
        rels = fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    except (DefusedXmlException, SyntaxError) as exc:
        raise _damaged(name, f"xl/workbook.xml cannot be read: {exc}") from None
    targets = {el.get("Id"): el.get("Target") or "" for el in rels}
    out: dict[str, str] = {}
    for el in wb.iter(f"{ns_main}sheet"):
        target = targets.get(el.get(f"{ns_rel}id"), "")
        if target:
            out[el.get("name") or ""] = (target.lstrip("/") if target.startswith("/")
                                         else "xl/" + target)
    return out


class _CellCount:
    """Counts a sheet's cell elements while it is unpacked; refuses past ``MAX_CELLS``."""

    def __init__(self, name: str, sheet: str, kind: str) -> None:
        self.name, self.sheet = name, sheet
        # <c also counts the few <col and <cfRule elements: a bound, not a census
        self.needle = b"<c" if kind == "xlsx" else b"<table:table-cell"
        self.n = 0

    def __call__(self, chunk: bytes) -> None:
        self.n += chunk.count(self.needle)
        if self.n > MAX_CELLS:
            where = f"sheet {self.sheet} holds" if self.sheet else "its sheets hold"
            raise UnreadableFile(
                f"{self.name}: {where} more than {MAX_CELLS:,} cells, more than coprod-me "
                "reads at once (it may be built to exhaust memory); delete the empty rows and "
                "columns around the table, or split it, and save it again")


class _Both:
    def __init__(self, *watches: Callable[[bytes], None]) -> None:
        self.watches = watches

    def __call__(self, chunk: bytes) -> None:
        for watch in self.watches:
            watch(chunk)


class _Unpacking:
    """The parts of one zip unpacked as streams, against one budget of unpacked bytes."""

    def __init__(self, snap: Snapshot, declared: int) -> None:
        self.snap, self.declared = snap, declared
        self.left = MAX_UNPACKED_BYTES

    def measure(self, info: zipfile.ZipInfo, watch: Callable[[bytes], None] | None = None
                ) -> None:
        """Unpack one part: its real size (refused past what is left of the budget), no
        document type or entity declaration in it."""
        name = self.snap.name
        size = 0
        tail = b""
        utf16: tuple[bytes, ...] = ()
        for chunk in inflate(self.snap, info):
            if size == 0 and chunk[:2] in (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"):
                utf16 = _UTF16_DECLARATIONS
            size += len(chunk)
            if size > info.file_size:  # never unpacked further than the headers say
                raise UnreadableFile(
                    f"{name} unpacks to more than its headers say ({info.filename}: more than "
                    f"{mb(info.file_size)}), as a zip bomb does; it was not read. Ask the "
                    "sender for the file again")
            if size > self.left:
                raise UnreadableFile(
                    f"{name} unpacks to more than {mb(MAX_UNPACKED_BYTES)} (its headers say "
                    f"{mb(self.declared)}), the most coprod-me accepts (it may be a zip bomb); "
                    "if it is genuine, split it into smaller files")
            if _declares(tail + chunk[:24], utf16) or _declares(chunk, utf16):
                raise UnreadableFile(
                    f"{name} contains XML entity declarations ({info.filename}), which "
                    "spreadsheets never need (it may be an XML bomb); it was not read. Ask the "
                    "sender for the file saved again from Excel or LibreOffice")
            tail = chunk[-24:]
            if watch is not None:
                watch(chunk)
        if size != info.file_size:
            raise _damaged(name, f"{info.filename} unpacks to {size:,} bytes where its header "
                                 f"says {info.file_size:,}")
        self.left -= size


def _declares(data: bytes, utf16: tuple[bytes, ...]) -> bool:
    if utf16:
        return any(n in data for n in utf16)
    if data.find(b"!") < 0:  # found at memchr's speed: most parts have no "!" at all
        return False
    i = data.find(b"<!")
    while i >= 0:
        if data.startswith(_DECLARATIONS, i + 2):
            return True
        i = data.find(b"<!", i + 2)
    return False


def inflate(snap: Snapshot, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's content in pieces of at most 1 MB, decompressed from the bytes its central
    directory entry points at (the sizes its headers state are not relied on)."""
    data = snap.data
    at = info.header_offset
    if data[at:at + 4] != b"PK\x03\x04":
        raise _damaged(snap.name, f"{info.filename} is not where its directory says")
    name_len, extra_len = struct.unpack_from("<HH", data, at + 26)
    start = at + 30 + name_len + extra_len
    raw = memoryview(data)[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(raw), _OUT_STEP):
            yield bytes(raw[i:i + _OUT_STEP])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise UnreadableFile(f"{snap.name} uses a compression that spreadsheets do not use "
                             f"(method {info.compress_type} in {info.filename}); save it "
                             "again from Excel or LibreOffice")
    d = zlib.decompressobj(-15)
    try:
        for i in range(0, len(raw), _IN_STEP):
            piece: bytes | memoryview = raw[i:i + _IN_STEP]
            while piece:
                out = d.decompress(piece, _OUT_STEP)
                piece = d.unconsumed_tail
                if out:
                    yield out
            if d.eof:
                return
        out = d.flush()
        if out:
            yield out
    except zlib.error as exc:
        raise _damaged(snap.name, f"{info.filename}: {exc}") from None


def _damaged(name: str, why: str) -> UnreadableFile:
    return UnreadableFile(f"{name} is damaged or truncated ({why}); ask the sender for the "
                          "file again")


def protected(name: str) -> UnreadableFile:
    return UnreadableFile(
        f"{name} is protected with a password; open it in Excel or LibreOffice, remove "
        "the password (File > Info > Protect Workbook > Encrypt with Password) and save "
        "it again")


def xml_pieces(snap: Snapshot, info: zipfile.ZipInfo, before: bytes = b"<") -> Iterator[bytes]:
    """A part's XML in pieces, each ending just before an occurrence of ``before`` (so an
    element that starts with it is never cut in two)."""
    carry = b""
    for chunk in inflate(snap, info):
        data = carry + chunk if carry else chunk
        cut = data.rfind(before)
        if cut <= 0:
            carry = data[-65_536:]  # no element starts here: only a long text runs on
            continue
        carry = data[cut:]
        yield data[:cut]
    if carry:
        yield carry
