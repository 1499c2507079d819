"""Turning spreadsheet cells into typed values, with messages that say what was expected."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time
from enum import StrEnum
from functools import cache
from typing import Any

from coprod_me.model.errors import DomainError
from coprod_me.model.quarter import Quarter

_TRUE = {"true", "yes", "y", "1", "x", "oui", "si", "sí", "ja", "da"}
_FALSE = {"false", "no", "n", "0", "non", "nein", "ne"}
#: Characters people and spreadsheets put between groups of thousands, besides . and ,
_GROUP_MARKS = " \u00a0\u202f\u2009\u2007'\u2019"
_MINUS = "\u2212\u2013"  # minus sign, en dash (some locales display negatives with them)
_EXPONENT = re.compile(r"[eE][+-]?\d+$")
_SPREADSHEET_ERROR = re.compile(r"^#[A-Z0-9/]+[!?]?$|^#N/A$", re.IGNORECASE)
_NOT_A_NUMBER = "is not a number; enter a number such as 12,5 or 1 234,5, or leave the cell empty"


_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")


class CellError(DomainError):
    """A cell's value is wrong; the message says what was expected (the caller adds where)."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def show(value: Any) -> str:
    """A cell value as the user would recognise it in a message."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def to_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).strip()


def to_number(text: str, *, percent: bool = False, decimal: str | None = None) -> float | None:
    """A number as a spreadsheet displays it; empty is None.

    Decimal commas (``12,5``) and points both work; thousands may be grouped with points,
    commas, spaces, non-breaking or thin spaces or apostrophes (``1.234,5``, ``1,234.5``,
    ``1 234,5``, Indian ``1,23,456``). When one mark appears once it is the decimal mark,
    unless ``decimal`` (the user's locale, '.' or ',') says otherwise and exactly three digits
    follow it (``4,300`` is 4300 where the decimal mark is a point). With ``percent`` a
    trailing percent sign is allowed and dropped: ``45 %`` is 45.
    """
    s = text.strip()
    if not s:
        return None
    if _SPREADSHEET_ERROR.match(s):
        raise CellError(f"is a spreadsheet error ({s}); correct it in the spreadsheet or leave "
                        "the cell empty")
    if s.endswith("%"):
        if not percent:
            raise CellError("has a percent sign, but this column is not a percent; enter a "
                            "plain number")
        s = s[:-1].rstrip()
    sign = ""
    if s[:1] in ("+", "-") or (s[:1] and s[0] in _MINUS):
        sign = "-" if s[0] != "+" else ""
        s = s[1:].lstrip()
    exponent = ""
    m = _EXPONENT.search(s)
    if m:
        exponent, s = m.group(0), s[:m.start()]
    number = _plain_number(s, decimal)
    if number is None:
        raise CellError(_NOT_A_NUMBER)
    return float(sign + number + exponent)


def _plain_number(s: str, decimal: str | None) -> str | None:
    """Digits with grouping and one decimal mark, as Python's float() reads them."""
    if not s or not all(c.isdigit() or c in ".," or c in _GROUP_MARKS for c in s):
        return None
    if not any(c.isdigit() for c in s):
        return None
    for mark in _GROUP_MARKS:
        s = s.replace(mark, "_")
    points, commas = s.count("."), s.count(",")
    if points and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        if s.count(dec) > 1:
            return None
    elif points + commas == 1:
        dec = "." if points else ","
        digits_after = len(s) - s.index(dec) - 1
        if decimal in (".", ",") and dec != decimal and digits_after == 3 and \
                s.index(dec) > 0:
            dec = ""  # 4,300 where the decimal mark is a point: grouping
    else:
        dec = ""  # no mark, or one kind of mark several times: grouping
    whole, _, frac = s.partition(dec) if dec else (s, "", "")
    for group in ".,":
        if group != dec:
            whole = whole.replace(group, "_")
    if "_" in frac or "." in frac or "," in frac:
        return None
    if "_" in whole and not _valid_groups(whole.split("_")):
        return None
    whole = whole.replace("_", "")
    if not whole and not frac:
        return None
    return (whole or "0") + ("." + frac if frac else "")


def _valid_groups(groups: list[str]) -> bool:
    """1 234 567 (threes) or Indian 12,34,567 (twos, then three)."""
    if not all(g.isdigit() for g in groups) or not 1 <= len(groups[0]) <= 3:
        return False
    rest = groups[1:]
    if all(len(g) == 3 for g in rest):
        return True
    return len(rest[-1]) == 3 and all(len(g) == 2 for g in rest[:-1]) and len(groups[0]) <= 2


def parse_number(text: str) -> float | None:
    """A number typed as text in a workbook cell, or None; a trailing ``%`` is dropped
    (percent columns hold percents)."""
    try:
        return to_number(text, percent=True)
    except CellError:
        return None


def to_float(value: Any) -> float:
    if value.__class__ is float:  # the common case, first
        if math.isinf(value):
            raise CellError("is infinite; expected a finite number")
        return value  # type: ignore[no-any-return]
    if isinstance(value, bool):
        raise CellError("is a true/false value; expected a number")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isinf(value):
            raise CellError("is infinite; expected a finite number")
        return float(value)
    if isinstance(value, str):
        n = parse_number(value)
        if n is not None:
            return n
    raise CellError("is not a number; leave it empty or enter a number")


def to_int(value: Any) -> int:
    f = to_float(value)
    if not f.is_integer():
        raise CellError("is not a whole number; enter a whole number")
    return int(f)


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        s = value.strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
    raise CellError("is not true/false; enter TRUE or FALSE (yes/no also work)")


def to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise CellError("is not a date; enter a date cell or text like 2024-03-31")


def to_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime.combine(value, time())
    elif isinstance(value, str):
        try:
            dt = datetime.fromisoformat(value.strip())
        except ValueError:
            raise CellError("is not a date and time; enter text like 2024-03-31T14:00") from None
    else:
        raise CellError("is not a date and time; enter text like 2024-03-31T14:00")
    # Excel cells carry no time zone; the workbook format stores UTC.
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def to_quarter(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        raise CellError("is a date; enter the quarter as text like 2024Q2")
    try:
        return str(Quarter.parse(to_text(value)))
    except DomainError:
        raise CellError("is not a quarter; write it as 2024Q2") from None


@cache
def _allowed(enum: type[StrEnum]) -> frozenset[str]:
    return frozenset(m.value for m in enum)


def to_enum(value: Any, enum: type[StrEnum]) -> str:
    if value.__class__ is str and value in _allowed(enum):
        return value  # type: ignore[no-any-return]
    s = to_text(value)
    allowed = [m.value for m in enum]
    if s in allowed:
        return s
    low = {a.lower(): a for a in allowed}
    norm = s.lower().replace(" ", "_").replace("-", "_")
    for candidate in (s.lower(), norm):
        if candidate in low:
            return low[candidate]
    raise CellError(f"is not one of the allowed values: {', '.join(allowed)}")


def to_list(value: Any, enum: type[StrEnum] | None) -> str:
    """A comma-separated list, each item checked, returned in canonical form."""
    items = [p.strip() for p in to_text(value).replace(";", ",").split(",") if p.strip()]
    out = []
    for item in items:
        if enum is not None:
            try:
                out.append(to_enum(item, enum))
            except CellError:
                allowed = ", ".join(m.value for m in enum)
                raise CellError(f"has '{item}', which is not one of: {allowed}") from None
        else:
            code = item.lower()
            if not _SLUG.match(code):
                raise CellError(f"has '{item}', which is not a code (lower-case letters, digits "
                                "and underscores, starting with a letter)")
            out.append(code)
    return ",".join(dict.fromkeys(out))


def is_code(text: str) -> bool:
    return bool(_SLUG.match(text))


def column_letter(n: int) -> str:
    """Spreadsheet column name of the 1-based column number n (1 -> A, 28 -> AB)."""
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out
