"""Reading the values NGO spreadsheets hold: quarters written every way, missing markers,
spreadsheet errors, phases and codes however they are spelt.

Numbers go through ``cells.to_number`` (the value gate's one number reader), and what counts
as missing is the gate's too (``model.values.MISSING_MARKERS``, shared with paste); this
module decides how a quarter, a phase or a code may be written, and which decimal mark a file
uses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from coprod_me.model.cell_text import is_formula_like
from coprod_me.model.enums import Phase
from coprod_me.model.quarter import Quarter
from coprod_me.model.values import MISSING_MARKERS
from coprod_me.spreadsheets.cells import CellError, is_blank


def csv_text(value: Any) -> Any:
    """A CSV field as its writer meant it. A CSV we write (``cell_text.csv_field``, as OWASP
    advises) puts an apostrophe before formula-like text; a field that starts with an
    apostrophe followed by formula-like text (after any further apostrophes) loses that one
    apostrophe, so our own HXL export reads back as the text it was. Anything else is as is."""
    if value.__class__ is str and value.startswith("'") and is_formula_like(value.lstrip("'")):
        return value[1:]
    return value


_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (1900 system, after the 1900 leap bug)
_SERIAL_RANGE = (18264, 73051)  # 1950-01-01 .. 2099-12-31: other numbers are not dates

_MONTHS: dict[str, int] = {}
for _n, _names in enumerate((
    "jan january janvier janv enero ene gennaio gen janeiro",
    "feb february fevrier fevr fev febrero febbraio fevereiro",
    "mar march mars marzo marco",
    "apr april avril avr abril abr aprile",
    "may mai mayo maggio mag maio",
    "jun june juin junio giugno giu junho",
    "jul july juillet juil julio luglio lug julho",
    "aug august aout agosto ago",
    "sep sept september septembre septiembre setiembre set settembre setembro",
    "oct october octobre octubre ottobre ott outubro out",
    "nov november novembre noviembre novembro",
    "dec december decembre diciembre dic dicembre dezembro dez",
), start=1):
    for _name in _names.split():
        _MONTHS[_name] = _n

# Q2 2024, 2024-Q2, 2024 T2, T2 2024, 2T2024, 2024 K2; T is trimestre (FR/ES/IT/PT).
_Q_YEAR_FIRST = re.compile(r"^(\d{4})\s*[-/_ ]?\s*[qtk]\s*([1-4])$")
_Q_QUARTER_FIRST = re.compile(r"^[qtk]\s*([1-4])\s*[-/_ ]?\s*(\d{4})$")
_Q_DIGIT_FIRST = re.compile(r"^([1-4])\s*[qtk]\s*[-/_ ]?\s*(\d{4})$")
# "2nd quarter 2024", "2e trimestre 2024", "2º trimestre 2024", "trimestre 2 2024"
_Q_WORDS = re.compile(
    r"^(?:([1-4])\s*(?:st|nd|rd|th|er|re|e|eme|o|a|º|ª|°)?\s*(?:quarter|trimestre|trim)"
    r"|(?:quarter|trimestre|trim)\s*([1-4]))\s*(?:of\s+|de\s+|del\s+|di\s+)?[-/ ]?\s*(\d{4})$")
# Apr-Jun 2024, April - June 2024, avr.-juin 2024, abr/jun 2024
_MONTH_SPAN = re.compile(
    r"^([a-z]+)\.?\s*(?:-|–|—|/|to|a|au|al|à)\s*([a-z]+)\.?\s*[-/ ]?\s*(\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?\s*[-/ ]?\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[t ].*)?$")

_QUARTER_HINT = ("write the quarter as 2024Q2 (Q2 2024, 2024 T2, Apr-Jun 2024 and dates also "
                 "work)")


def fold(text: str) -> str:
    """Lower case without accents, punctuation as single spaces: how headers are compared."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9#+:%]+", " ", s).split())


def is_missing(value: Any) -> bool:
    """Blank or a marker for 'no figure' (n/a, -, NA, ...)."""
    cls = value.__class__
    if cls is float:  # most cells of a long sheet: answered without a call
        return value != value  # NaN
    if cls is str:
        s = value.strip()
        return not s or (len(s) <= 5 and s.lower() in MISSING_MARKERS)
    return is_blank(value)


def excel_serial_date(serial: float) -> date:
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def read_quarter(value: Any) -> str:
    """A quarter in canonical form (``2024Q2``) from text, a date cell or an Excel serial."""
    if isinstance(value, datetime):
        return str(Quarter.containing(value.date()))
    if isinstance(value, date):
        return str(Quarter.containing(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return str(Quarter.containing(excel_serial_date(value)))
        raise CellError(f"is a number, not a quarter; {_QUARTER_HINT}")
    q = quarter_from_text(str(value))
    if q is None:
        raise CellError(f"is not a quarter; {_QUARTER_HINT}")
    return q


def quarter_from_text(text: str) -> str | None:
    """The quarter a text names, or None (no exception: headers are tried as quarters too)."""
    s = unicodedata.normalize("NFKD", text.strip())
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().strip()
    if not s or len(s) > 40:
        return None
    try:
        for rx, y, q in ((_Q_YEAR_FIRST, 1, 2), (_Q_QUARTER_FIRST, 2, 1), (_Q_DIGIT_FIRST, 2, 1)):
            m = rx.match(s)
            if m:
                return str(Quarter(int(m.group(y)), int(m.group(q))))
        m = _Q_WORDS.match(s)
        if m:
            return str(Quarter(int(m.group(3)), int(m.group(1) or m.group(2))))
        m = _MONTH_SPAN.match(s)
        if m:
            first, last = _MONTHS.get(m.group(1)), _MONTHS.get(m.group(2))
            if first is not None and last is not None:
                if first % 3 != 1 or last != first + 2:
                    return None  # not a calendar quarter (e.g. Feb-Apr)
                return str(Quarter(int(m.group(3)), (first - 1) // 3 + 1))
        m = _ISO_DATE.match(s)
        if m:
            return str(Quarter.containing(date(int(m.group(1)), int(m.group(2)),
                                               int(m.group(3)))))
        m = _DAY_MONTH_YEAR.match(s)
        if m:
            return _day_month_quarter(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _MONTH_YEAR.match(s)
        if m and m.group(1) in _MONTHS:
            return str(Quarter(int(m.group(2)), (_MONTHS[m.group(1)] - 1) // 3 + 1))
        parts = s.replace(",", " ").split()
        if len(parts) == 3 and parts[0].isdigit() and parts[1] in _MONTHS and \
                parts[2].isdigit() and len(parts[2]) == 4:  # 1 March 2015
            return str(Quarter.containing(date(int(parts[2]), _MONTHS[parts[1]],
                                               int(parts[0]))))
    except (ValueError, CellError, Exception):  # impossible dates, years out of range
        return None
    return None


def _day_month_quarter(a: int, b: int, year: int) -> str | None:
    """03/05/2024 is 3 May in most of the world and March 5 in the US: when the two readings
    fall in different quarters the text is ambiguous and refused."""
    readings = set()
    for day, month in ((a, b), (b, a)):
        if 1 <= month <= 12 and 1 <= day <= 31:
            try:
                readings.add(str(Quarter.containing(date(year, month, day))))
            except ValueError:
                continue
    return readings.pop() if len(readings) == 1 else None


def read_phase(value: Any) -> str:
    """A service-cycle phase however it is written: Co-Delivery, co delivery, delivery."""
    s = fold(str(value)).replace(" ", "_")
    allowed = [p.value for p in Phase]
    for candidate in (s, "co_" + s, s.replace("coproduction_", "co_"),
                      "co_" + s.removeprefix("co")):
        if candidate in allowed:
            return candidate
    synonyms = {"co_conception": "co_design", "co_diseno": "co_design",
                "co_progettazione": "co_design", "co_entrega": "co_delivery",
                "co_prestation": "co_delivery", "co_erogazione": "co_delivery",
                "co_evaluation": "co_assessment", "co_evaluacion": "co_assessment",
                "co_valutazione": "co_assessment", "co_avaliacao": "co_assessment",
                "co_commissionnement": "co_commissioning"}
    for candidate in (s, "co_" + s.removeprefix("co_")):
        if candidate in synonyms:
            return synonyms[candidate]
    raise CellError("is not a phase of the service cycle; use one of: " + ", ".join(allowed))


def code_key(text: str) -> str:
    """A code compared the forgiving way: case, spaces, hyphens and underscores ignored."""
    return re.sub(r"[\s_\-.]+", "", fold(text))


def short(value: Any, limit: int = 60) -> str:
    """A cell value for a message: long texts (32,000 characters fit in a cell) are cut."""
    text = value.isoformat() if isinstance(value, (date, datetime)) else (
        str(int(value)) if isinstance(value, float) and value.is_integer() else str(value))
    return text if len(text) <= limit else text[:limit - 1] + "…"


# 61,5 / 1.234,56 / 0,875 (no group of thousands starts with 0) / 12,3456 say comma
_COMMA_DECIMAL = re.compile(r"^[-+]?\d[\d\s.\u00a0]*,\d{1,2}(\s*%)?$|^[-+]?\d+,\d{4,}$"
                            r"|^[-+]?0,\d+(\s*%)?$")
_POINT_DECIMAL = re.compile(r"^[-+]?\d[\d\s,\u00a0]*\.\d{1,2}(\s*%)?$|^[-+]?\d+\.\d{4,}$"
                            r"|^[-+]?0\.\d+(\s*%)?$")


def decimal_mark(texts: Iterable[Any], limit: int = 5000) -> str | None:
    """The decimal mark a sender uses, from the figures they typed as text: "61,5" or
    "0,875" says comma, so their "1.250" is 1250; None when their texts do not say."""
    comma = point = 0
    for i, t in enumerate(texts):
        if i >= limit:
            break
        if not isinstance(t, str):
            continue
        s = t.strip()
        if _COMMA_DECIMAL.match(s):
            comma += 1
        elif _POINT_DECIMAL.match(s):
            point += 1
    if comma > point:
        return ","
    if point > comma:
        return "."
    return None
