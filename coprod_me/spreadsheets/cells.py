"""Turning spreadsheet cells into typed values, with messages that say what was expected.

Numbers are read by the value gate's one reader (``model.values.read_number``, here as
``to_number``), so a workbook, an NGO sheet and a pasted block read ``0,875`` alike.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time
from enum import StrEnum
from functools import cache
from typing import Any

from coprod_me.model.errors import DomainError
from coprod_me.model.quarter import Quarter
from coprod_me.model.values import CellError as CellError
from coprod_me.model.values import NotANumber, finite
from coprod_me.model.values import read_number as to_number

_TRUE = {"true", "yes", "y", "1", "x", "oui", "si", "sí", "ja", "da"}
_FALSE = {"false", "no", "n", "0", "non", "nein", "ne"}
_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")


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


def parse_number(text: str) -> float | None:
    """A number typed as text in a workbook cell, or None; a trailing ``%`` is dropped
    (percent columns hold percents)."""
    try:
        return to_number(text, percent=True)
    except CellError:
        return None


def to_float(value: Any) -> float:
    """A number cell, or a number typed as text; 1,234 typed as text is refused rather than
    read one of its two ways (a workbook cell that holds a number says which)."""
    if value.__class__ is float:  # the common case, first, without a call
        if value - value == 0.0:  # finite: inf - inf and NaN - NaN are NaN
            return value  # type: ignore[no-any-return]
        return finite(value)  # says what is wrong
    if isinstance(value, bool):
        raise CellError("is a true/false value; expected a number")
    if isinstance(value, (int, float)):
        return finite(float(value))
    if isinstance(value, str):
        return _typed_number(value, whole=False)
    raise CellError("is not a number; leave it empty or enter a number")


def to_int(value: Any) -> int:
    if value.__class__ is float and value.is_integer():  # the common case (never inf or NaN)
        return int(value)
    f = _typed_number(value, whole=True) if isinstance(value, str) else to_float(value)
    if not f.is_integer():
        raise CellError("is not a whole number; enter a whole number")
    return int(f)


def _typed_number(text: str, *, whole: bool) -> float:
    """A number typed as text in a workbook cell (a whole number's 1,234 is 1234)."""
    try:
        n = to_number(text, percent=True, whole=whole, ask=not whole)
    except NotANumber:
        n = None
    if n is None:
        raise CellError("is not a number; leave it empty or enter a number")
    return n


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
