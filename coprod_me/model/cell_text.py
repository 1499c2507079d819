"""How a value becomes a spreadsheet cell or a CSV field: text stays text, numbers stay numbers.

Text in our files comes from senders (NGO files, workbooks, typed comments). A spreadsheet
program runs text that starts like a formula: ``=HYPERLINK(...)`` becomes a link that sends
data away, ``=cmd|...`` asks to start a program, and ``+1``, ``-1+1``, ``@SUM(A1)`` are
evaluated as soon as someone edits the cell (OWASP "CSV injection", CWE-1236). Every writer
of workbooks and CSV decides here, so the rule is the same in every file we produce:

- a number (int, float) is written as a number, never as text;
- text is written as text; when it is formula-like the cell is also marked "text typed with
  a leading apostrophe" (``quotePrefix``), so editing it in Excel or LibreOffice keeps it text;
- characters an .xlsx cell cannot hold as they are (carriage return, control characters, and
  text that looks like the format's own ``_xHHHH_`` escape) are escaped the way Excel does it,
  so a reader gives back exactly the text we wrote;
- in CSV, which has no cell types, a formula-like field gets an apostrophe in front
  (OWASP's advice); see ``csv_field``.
"""

from __future__ import annotations

import re

#: What a formula (or, in CSV, a command) may start with. Tab and carriage return lead
#: because some readers drop them, or split a field at them, leaving what follows at the start
#: of a cell; NUL after OWASP ASVS 1.2.10.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
_FORMULA_LIKE = re.compile(r"[\t\r\0]|\s*[=+\-@]")
#: What an .xlsx cell cannot carry verbatim: XML 1.0 has no control characters, XML readers
#: turn a carriage return into a line feed, and readers (python-calamine, Excel, LibreOffice)
#: decode ``_xHHHH_`` as the character HHHH.
_TO_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r]|_(?=x[0-9A-Fa-f]{4}_)")
#: The longest text one spreadsheet cell holds (Excel's limit; longer text is cut by readers).
CELL_TEXT_LIMIT = 32767


def is_formula_like(value: object) -> bool:
    """Text a spreadsheet program could read as a formula: it starts with ``= + - @`` (also
    after white space, which a program may skip), or with a tab, carriage return or NUL.
    Numbers, empty text and None are not."""
    return isinstance(value, str) and _FORMULA_LIKE.match(value) is not None


def is_plain_text(text: str) -> bool:
    """Text a writer may hand to openpyxl as it is: not formula-like and nothing to escape.

    Writers of large sheets test each string with this and build a protected cell only for
    the few that need one; the common case costs two string methods, no regular expression.
    """
    if text.isprintable() and "_x" not in text:  # no control character, nothing to escape
        return not text.startswith(FORMULA_STARTS) and not (
            text[:1] == " " and _FORMULA_LIKE.match(text))
    return _FORMULA_LIKE.match(text) is None and _TO_ESCAPE.search(text) is None


def stored_text(text: str) -> str:
    """``text`` as an .xlsx cell stores it, escaped as Excel escapes it: a carriage return or
    a control character as ``_x000D_`` (``_xHHHH_``), and an ``_`` that would start such an
    escape as ``_x005F_``. python-calamine, Excel and LibreOffice read back ``text`` exactly."""
    return _TO_ESCAPE.sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    return f"_x{ord(m.group()):04X}_"


def csv_field(value: object) -> object:
    """A value as a field of a CSV we write: numbers and None as they are, text with an
    apostrophe in front when it is formula-like, as OWASP advises.

    A spreadsheet program shows such a field as text starting with the apostrophe; nothing
    runs. Text that itself begins with apostrophes before a formula-like start gets one more,
    so the rule reverses exactly: a field that starts with an apostrophe followed by
    formula-like text (after any further apostrophes) lost that one apostrophe to be ours.
    """
    if not isinstance(value, str) or not is_formula_like(value.lstrip("'")):
        return value
    return "'" + value
