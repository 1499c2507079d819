"""Quarters (``2024Q2``) as a value type: parsing, formatting, ordering, date bounds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from coprod_me.model.errors import DomainError

# Accept the spellings people type in spreadsheets: 2024Q2, 2024-Q2, 2024 Q2, Q2 2024, Q2-2024.
_YEAR_FIRST = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*[Qq]([1-4])\s*$")
_QUARTER_FIRST = re.compile(r"^\s*[Qq]([1-4])\s*[-/ ]?\s*(\d{4})\s*$")


class InvalidQuarter(DomainError):
    pass


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    year: int
    q: int

    def __post_init__(self) -> None:
        if not 1 <= self.q <= 4:
            raise InvalidQuarter(f"quarter number must be 1 to 4, not {self.q}")
        if not 1900 <= self.year <= 2200:
            raise InvalidQuarter(f"year {self.year} is out of range (1900 to 2200)")

    @classmethod
    def parse(cls, text: str | Quarter) -> Quarter:
        if isinstance(text, Quarter):
            return text
        s = str(text)
        m = _YEAR_FIRST.match(s)
        if m:
            return cls(int(m.group(1)), int(m.group(2)))
        m = _QUARTER_FIRST.match(s)
        if m:
            return cls(int(m.group(2)), int(m.group(1)))
        raise InvalidQuarter(f"'{s}' is not a quarter; write it as 2024Q2")

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * (self.q - 1) + 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def index(self) -> int:
        """Quarters since year 0; differences give distances in quarters."""
        return self.year * 4 + self.q - 1

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        return cls(index // 4, index % 4 + 1)

    def shift(self, quarters: int) -> Quarter:
        return Quarter.from_index(self.index + quarters)

    def next(self) -> Quarter:
        return self.shift(1)

    def previous(self) -> Quarter:
        return self.shift(-1)

    def __sub__(self, other: Quarter) -> int:
        return self.index - other.index

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def quarter_range(first: Quarter, last: Quarter) -> list[Quarter]:
    return [Quarter.from_index(i) for i in range(first.index, last.index + 1)]
