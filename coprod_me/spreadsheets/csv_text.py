"""A CSV file as rows of text, read within limits.

The encoding is found from the bytes: a byte-order mark (UTF-8, UTF-16, UTF-32), UTF-16
without one (every other byte zero), else UTF-8, else Windows-1252 (Excel's "CSV" in Western
Europe). Binary data and NUL characters are refused, as are a line longer than
``MAX_LINE_CHARACTERS`` (checked before the csv module splits it), a field longer than the
csv module's limit (an unclosed quote, usually), a row wider than ``untrusted.MAX_COLUMNS``
and more than ``untrusted.MAX_ROWS`` rows or ``untrusted.MAX_CELLS`` cells. Each refusal is
one line naming the file and the line.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator

from coprod_me.spreadsheets import untrusted
from coprod_me.spreadsheets.untrusted import Snapshot, UnreadableFile

#: A longer line is no spreadsheet's row: 16,384 columns of 60 characters.
MAX_LINE_CHARACTERS = 2**20
#: Read to find the delimiter (the csv sniffer slows down fast on longer samples).
_SNIFF_CHARACTERS = 8192
#: Bytes a text file holds: all but the control characters other than tab, line feed,
#: vertical tab, form feed, carriage return and the old end-of-file mark (0x1a).
_TEXT_BYTES = bytes(b for b in range(256)
                    if (b >= 0x20 and b != 0x7F) or b in b"\t\n\v\f\r\x1a")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


def read_csv(snap: Snapshot) -> list[list[str]]:
    """Every row of the file, trailing blank rows left out."""
    rows = list(iter_csv(snap))
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return rows


def iter_csv(snap: Snapshot) -> Iterator[list[str]]:
    """The file's rows one by one (trailing blank rows included), so a large file is read a
    part at a time; a file with more rows or cells than allowed is refused before the first
    row (only a file with that many line breaks or delimiters has its rows counted first)."""
    name = snap.name
    text = decode(snap)
    delimiter = "\t" if snap.path.suffix.lower() == ".tsv" else _delimiter(text)
    del snap  # the file's bytes, once decoded, are not kept while the rows are read
    breaks = text.count("\n") + text.count("\r")
    if breaks >= untrusted.MAX_ROWS or breaks + text.count(delimiter) >= untrusted.MAX_CELLS:
        for _row in _checked_rows(name, text, delimiter):
            pass
    return _checked_rows(name, text, delimiter)


def _checked_rows(name: str, text: str, delimiter: str) -> Iterator[list[str]]:
    reader = csv.reader(_lines(name, text), delimiter=delimiter)
    n = cells = ended = 0
    try:
        for row in reader:
            if len(row) > untrusted.MAX_COLUMNS:
                raise UnreadableFile(
                    f"{name}, line {reader.line_num}, has {len(row):,} columns; a spreadsheet "
                    f"has at most {untrusted.MAX_COLUMNS:,}. Check that it is the CSV file "
                    "meant (the delimiter may be wrong), or save it from the spreadsheet again")
            cells += len(row)
            if n >= untrusted.MAX_ROWS or cells > untrusted.MAX_CELLS:
                what = (f"{untrusted.MAX_ROWS:,} rows" if n >= untrusted.MAX_ROWS
                        else f"{untrusted.MAX_CELLS:,} cells")
                raise UnreadableFile(
                    f"{name} has more than {what}, more than coprod-me reads at once; split "
                    "it (by quarter, for example) and import the parts")
            n += 1
            ended = reader.line_num
            yield row
    except csv.Error as exc:
        raise UnreadableFile(_csv_problem(name, ended + 1, reader.line_num, exc)) from None


def _csv_problem(name: str, start: int, line: int, exc: csv.Error) -> str:
    """What is wrong with the record that began on line ``start`` (read up to ``line``)."""
    if "field larger than field limit" in str(exc):
        longer = (f"a field is longer than {csv.field_size_limit():,} characters, more than "
                  "any spreadsheet cell holds")
        if line > start:  # the field ran on over lines: most likely a quote left open
            return (f"{name}, line {line}: {longer} (it runs on from line {start}: a quote "
                    "(\") is probably not closed). Correct it, or save the file from the "
                    "spreadsheet again")
        return (f"{name}, line {line}: {longer}; shorten it (a long text belongs in a "
                "document, not the sheet), or save the file from the spreadsheet again")
    return (f"{name}, line {line}, cannot be read as CSV ({exc}); save the file from the "
            "spreadsheet again as CSV")


def _lines(name: str, text: str) -> Iterator[str]:
    """The lines as the csv module splits them (CR, LF, CRLF), each checked for length
    before the csv module builds a row from it."""
    for number, m in enumerate(_LINE.finditer(text), start=1):
        line = m.group()
        if not line:
            return
        if len(line) > MAX_LINE_CHARACTERS:
            raise UnreadableFile(
                f"{name}, line {number}, is {len(line):,} characters long (coprod-me reads "
                f"lines of up to {MAX_LINE_CHARACTERS:,}); it does not look like a spreadsheet "
                "saved as CSV: open it in a spreadsheet program and save it as .xlsx")
        yield line


def decode(snap: Snapshot) -> str:
    """The file's text, its encoding found from its bytes."""
    data, name = snap.data, snap.name
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _without_nul(name, data.decode(codec, errors="replace"))
    utf16 = _utf16_without_bom(data[:4096])
    if utf16 is not None:
        try:
            return _without_nul(name, data.decode(utf16))
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                f"{name} looks like UTF-16 text but is damaged at byte {exc.start:,}; save it "
                "again from the spreadsheet as 'CSV UTF-8'") from None
    _refuse_binary(name, data[:65_536])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    return _without_nul(name, text)


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte of the sample is zero (Latin text
    in UTF-16), else None."""
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 8:
        return None
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zero_odd > 0.4 and zero_even < 0.05:
        return "utf-16-le"
    if zero_even > 0.4 and zero_odd < 0.05:
        return "utf-16-be"
    return None


def _refuse_binary(name: str, sample: bytes) -> None:
    control = len(sample.translate(None, _TEXT_BYTES))
    if control > max(8, len(sample) // 100):
        raise UnreadableFile(
            f"{name} is not a text file: it holds binary data ({control:,} control characters "
            "in its first 64 KB); if it is a spreadsheet, save it again as .xlsx or as "
            "'CSV UTF-8'")


def _without_nul(name: str, text: str) -> str:
    at = text.find("\x00")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise UnreadableFile(
            f"{name} contains NUL characters (first on line {line:,}), which a text file "
            "never holds: it may be damaged or not a CSV file; save it again from the "
            "spreadsheet as CSV")
    return text


def _delimiter(text: str) -> str:
    sample = "\n".join(text[:_SNIFF_CHARACTERS].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","
