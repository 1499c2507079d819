"""The value gate: what a typed, pasted, loaded or imported observation value may be.

One number reader for every door (a grid cell, a pasted block, a programme workbook, an NGO
sheet): ``read_number`` reads a number as a spreadsheet displays it, in the writer's decimal
mark (the user's locale in the app, the mark a file shows), refuses anything that is not a
finite number, and raises ``AmbiguousNumber`` rather than guess when ``1,234`` could be
either 1.234 or 1234 on a scale of fractions. What counts as *missing* (blank, "n/a", "-")
is decided here too, for paste and import alike: missing, never zero.

The unit ranges (``unit_problem``) and the quarters a programme may hold figures for
(``QuarterWindow``) are the gate's other rules; plausibility warnings are in
``model.plausibility``. Everything here is pure: callers pass the locale, the programme's
dates and today's date in.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from coprod_me.model.enums import Unit
from coprod_me.model.errors import DomainError
from coprod_me.model.quarter import Quarter


class CellError(DomainError):
    """A cell's value is wrong; the message says what was expected (the caller adds where)."""


class NotANumber(CellError):
    """Text that is no number at all (not one that is out of range or ambiguous)."""

    def __init__(self) -> None:
        super().__init__("is not a number; enter a number such as 12,5 or 1 234,5, or leave "
                         "the cell empty")


class AmbiguousNumber(CellError):
    """``1,234`` on a ratio or percent: 1.234 with a decimal comma, 1234 with a thousands
    comma. The message says what to write instead; a window asks which was meant."""

    def __init__(self, text: str, mark: str, as_decimal: float, as_grouped: float,
                 advice: str) -> None:
        self.text = text
        self.mark = mark  # the mark that appears once, followed by three digits
        self.as_decimal = as_decimal
        self.as_grouped = as_grouped
        super().__init__(f"can be read as {show(as_decimal)} or as {show(as_grouped)}; "
                         f"{advice}")

    @property
    def other_mark(self) -> str:
        """The decimal mark under which ``text`` reads as thousands."""
        return "." if self.mark == "," else ","


class AmbiguousNumbers(DomainError):
    """Several cells of a block that read two ways, all with the same mark: the window asks
    once which reading the block means (``places`` say which cells, in the user's words)."""

    def __init__(self, mark: str, places: list[str]) -> None:
        self.mark = mark
        self.places = list(places)
        super().__init__(f"{len(places)} cell(s) can be read two ways:\n"
                         + "\n".join(f"- {p}" for p in places))


#: What people write for "no figure": missing, never zero (import and paste alike).
MISSING_MARKERS = frozenset({
    "n/a", "na", "n.a.", "n.a", "-", "–", "—", "--", "..", "...", "?", "nd", "n.d.", "n/d",
    "s/d", "s.d.", "sd", "null", "none", "nan",
})


def is_missing_text(text: str) -> bool:
    """Blank, or a marker for 'no figure' (n/a, -, NA, ...)."""
    s = text.strip()
    return not s or (len(s) <= 5 and s.lower() in MISSING_MARKERS)


def show(x: float) -> str:
    """A number for a message: whole numbers without a decimal part, no thousands marks."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else f"{x:g}"


# ------------------------------------------------------------------------- reading numbers

#: Characters people and spreadsheets put between groups of thousands, besides . and ,
_GROUP_MARKS = " \u00a0\u202f\u2009\u2007'\u2019"
_MINUS = "\u2212\u2013"  # minus sign, en dash (some locales display negatives with them)
_EXPONENT = re.compile(r"[eE][+-]?\d+$")
SPREADSHEET_ERROR = re.compile(r"^#[A-Z0-9/]+[!?]?$|^#N/A$", re.IGNORECASE)
#: One mark, once, between a group leader (1-999, no leading zero) and three digits: 1,234
_TWO_WAYS = re.compile(r"^([1-9]\d{0,2})([.,])(\d{3})$")


def read_number(text: str, *, decimal: str | None = None, percent: bool = False,
                whole: bool = False, ask: bool = False) -> float | None:
    """A number as a spreadsheet displays it; empty is None.

    Decimal commas (``12,5``) and points both work; thousands may be grouped with points,
    commas, spaces, non-breaking or thin spaces or apostrophes (``1.234,5``, ``1,234.5``,
    ``1 234,5``, Indian ``1,23,456``). ``0,875`` is 0.875 whatever the locale (no group of
    thousands starts with a zero). One mark followed by exactly three digits (``1,234``)
    reads two ways; ``decimal`` (the user's or the file's decimal mark, '.' or ',') settles
    it: the decimal mark is a decimal, the other a thousands mark. With ``ask`` (a ratio or a
    percent, where 1.234 and 1234 are both plausible) a reading ``decimal`` does not make
    decimal is refused with AmbiguousNumber instead; with ``whole`` (a count) and no known
    mark, the thousands reading is the only whole one and is taken. With ``percent`` a
    trailing percent sign is allowed and dropped: ``45 %`` is 45. Infinite numbers (1e309)
    are refused.
    """
    s = text.strip()
    if not s:
        return None
    if SPREADSHEET_ERROR.match(s):
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
    two = _TWO_WAYS.match(s) if not exponent else None
    if two is not None:
        number = _settle(text.strip(), two, sign, decimal, whole, ask)
    else:
        plain = _plain_number(s, decimal)
        if plain is None:
            raise NotANumber
        number = float(sign + plain + exponent)
    if not math.isfinite(number):
        raise CellError("is too large to be a figure (it is beyond what can be stored); enter "
                        "the figure")
    return number


def _settle(text: str, two: re.Match[str], sign: str, decimal: str | None, whole: bool,
            ask: bool) -> float:
    """1,234: a decimal where ``decimal`` says so; otherwise thousands, asked about first
    with ``ask``."""
    lead, mark, tail = two.groups()
    as_decimal = float(f"{sign}{lead}.{tail}")
    as_grouped = float(f"{sign}{lead}{tail}")
    if decimal == mark:
        return as_decimal
    if ask:
        raise AmbiguousNumber(text, mark, as_decimal, as_grouped,
                              _advice(lead, mark, tail, sign, decimal))
    if decimal is not None or whole:
        return as_grouped
    return as_decimal  # nothing says otherwise: a mark that appears once is the decimal


def _advice(lead: str, mark: str, tail: str, sign: str, decimal: str | None) -> str:
    """What to write instead of an ambiguous 1,234, so that it reads one way only."""
    grouped = f"{sign}{lead}{tail}"
    if decimal is not None:  # the other mark is the decimal one
        return f"write {grouped} for the thousands or {sign}{lead}{decimal}{tail} for the " \
               "fraction"
    return (f"write {grouped} for the thousands, or add a fourth decimal "
            f"({sign}{lead}{mark}{tail}0) for the fraction")


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
        at = s.index(dec)
        if decimal in (".", ",") and dec != decimal and len(s) - at - 1 == 3 and at > 0 \
                and s[0] != "0":
            dec = ""  # 4,300 where the decimal mark is a point: grouping (never 0,875)
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
    """1 234 567 (threes) or Indian 12,34,567 (twos, then three); no group leads with 0."""
    if not all(g.isdigit() for g in groups) or not 1 <= len(groups[0]) <= 3 or \
            groups[0].startswith("0"):
        return False
    rest = groups[1:]
    if all(len(g) == 3 for g in rest):
        return True
    return len(rest[-1]) == 3 and all(len(g) == 2 for g in rest[:-1]) and len(groups[0]) <= 2


def finite(number: float) -> float:
    """A number read from a cell that holds one, refused when infinite or not a number."""
    if not math.isfinite(number):
        raise CellError("is not a finite number; enter the figure")
    return number


# ----------------------------------------------------------------------------- unit ranges


@dataclass(frozen=True, slots=True)
class UnitRange:
    """The values a unit can take: (lowest, highest), None when open; whole numbers only."""

    low: float | None
    high: float | None
    whole: bool = False
    what: str = ""  # the unit in words, for the message

    def problem(self, value: float) -> str | None:
        """What is wrong with ``value`` in this unit, or None."""
        if self.whole and not value.is_integer():
            return f"is {self.what} and must be a whole number"
        if self.low is not None and self.high is not None and not \
                self.low <= value <= self.high:
            return f"is {self.what} and must be between {show(self.low)} and {show(self.high)}"
        if self.low is not None and value < self.low:
            return f"is {self.what} and cannot be negative"
        return None


#: Units whose values are bounded. Percent and a score out of 100 are 0-100; a count is a
#: whole number of people or things; rates, ratios, hours and days cannot be negative.
#: Currency (a net transfer) and an index (a composite on any scale) are not bounded.
#: An indicator's range_min/range_max are not limits: they are the band a maintain_range
#: indicator aims to stay in, so a value outside them is off track, not wrong.
UNIT_RANGES: dict[str, UnitRange] = {
    Unit.PERCENT: UnitRange(0.0, 100.0, what="a percent"),
    Unit.SCORE_0_100: UnitRange(0.0, 100.0, what="a score out of 100"),
    Unit.COUNT: UnitRange(0.0, None, whole=True, what="a count"),
    Unit.RATIO: UnitRange(0.0, None, what="a ratio"),
    Unit.RATE_PER_1000: UnitRange(0.0, None, what="a rate per 1,000"),
    Unit.RATE: UnitRange(0.0, None, what="a rate"),
    Unit.HOURS: UnitRange(0.0, None, what="a number of hours"),
    Unit.DAYS: UnitRange(0.0, None, what="a number of days"),
}

#: Units where a value is usually a fraction, so an ambiguous 1,234 is asked, not guessed.
FRACTION_UNITS = frozenset({Unit.RATIO, Unit.PERCENT})


def unit_problem(unit: str | None, value: float) -> str | None:
    """What is wrong with an observation's ``value`` in ``unit`` (None: nothing)."""
    rng = UNIT_RANGES.get(unit)  # type: ignore[arg-type]  # None: no unit, no range
    return None if rng is None else rng.problem(value)


# -------------------------------------------------------------------------------- quarters

#: Room for a baseline before the programme starts. A baseline is the latest measure before
#: the work began, and population surveys (DHS/NFHS, censuses) come every five years or so:
#: two rounds before the start, the history a turn-the-curve chart shows, reach ten years
#: back (RS-01's basis compares NFHS-3, 2005-06, with NFHS-4, 2015-16; KR-01 charts the
#: digital divide from 2016, six years before it began).
BASELINE_YEARS = 10
#: Room after the planned end: post-exit measurements are due at least 12 months after the
#: end (SU-9) and declared units are re-verified 12 months or more later (SU-6); three years
#: leaves room for one that comes a year or two late.
POST_EXIT_YEARS = 3


@dataclass(frozen=True, slots=True)
class QuarterWindow:
    """The quarters a programme may hold figures for: none that has not begun, none long
    before its start or long after its planned end."""

    current: Quarter  # today's quarter: the last that has begun
    first: Quarter | None = None  # BASELINE_YEARS before the start
    last: Quarter | None = None  # POST_EXIT_YEARS after the planned end
    start: date | None = None
    end: date | None = None
    programme: str = "the programme"

    @classmethod
    def of(cls, programme: str, start: date | None, end: date | None, today: date
           ) -> QuarterWindow:
        first = Quarter.containing(start).shift(-4 * BASELINE_YEARS) if start else None
        last = Quarter.containing(end).shift(4 * POST_EXIT_YEARS) if end else None
        return cls(Quarter.containing(today), first, last, start, end, programme)

    def problem(self, quarter: str) -> str | None:
        """Why ``quarter`` (canonical, 2024Q2) cannot hold a figure, said after the quarter
        ('2099Q1 has not begun …'), or None."""
        q = Quarter.parse(quarter)
        if q > self.current:
            return (f"has not begun (today is in {self.current}); enter figures for quarters "
                    f"up to {self.current}")
        if self.first is not None and q < self.first:
            return (f"is more than {BASELINE_YEARS} years before {self.programme} started "
                    f"({self.start}); check the year, or correct the programme's start date")
        if self.last is not None and q > self.last:
            return (f"is more than {POST_EXIT_YEARS} years after {self.programme}'s planned "
                    f"end ({self.end}); check the year, or move the planned end date if the "
                    "programme was extended")
        return None
