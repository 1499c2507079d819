"""What reading an NGO sheet produces: one preview row per stated observation, its problems.

A ``PreviewRow`` is an observation the file states and what committing would do with it
(new, update, unchanged, skipped or rejected); a ``RowProblem`` says where a cell or row is
wrong, what is wrong and how to fix it, in the sender's words. ``ProgrammeNames`` is what a
cell may name in the programme (indicators, strands, evidence), keyed every way senders
write them, and the quarters it may hold figures for. Nothing here touches a database: the
service reads the programme and hands it in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from coprod_me.model import entities as M
from coprod_me.model.disaggregation import dims_key
from coprod_me.model.enums import DataLabel, QualityStatus, VerificationType
from coprod_me.model.values import QuarterWindow
from coprod_me.spreadsheets.ngo_values import code_key, fold, short

NEW, UPDATE, UNCHANGED, SKIPPED, REJECTED = "new", "update", "unchanged", "skipped", "rejected"
STATUSES = (NEW, UPDATE, UNCHANGED, SKIPPED, REJECTED)

#: Observation fields an import may set, besides the ones that identify it.
SETTABLE = ("phase", "value", "numerator", "denominator", "n_sample", "ci_low", "ci_high",
            "quality_status", "verification_type", "data_source", "collection_method",
            "evidence_id", "comment", "data_label")
ENUMS: dict[str, Any] = {"quality_status": QualityStatus,
                         "verification_type": VerificationType, "data_label": DataLabel}
TEXTS = ("data_source", "collection_method", "comment")
PERCENT_FIELDS = ("value", "ci_low", "ci_high")
PLAIN_FIGURES = frozenset(("value", "numerator", "denominator", "ci_low", "ci_high"))


@dataclass(frozen=True)
class RowProblem:
    """One problem with one cell or row, phrased for the sender: where, what, how to fix."""

    file: str
    sheet: str
    row: int  # as the spreadsheet numbers rows
    column: str | None  # the column's header (or letter)
    value: Any
    reason: str
    cell: str | None = None  # A1 reference when a cell is meant

    def as_json(self) -> dict[str, Any]:
        v = self.value
        if isinstance(v, (date, datetime)):
            v = v.isoformat()
        elif isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
            v = str(v)
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "value": v,
                "reason": self.reason}

    def __str__(self) -> str:
        where = [self.file, f"sheet {self.sheet}", f"row {self.row}"]
        if self.column:
            where.append(f"column '{self.column}'" + (f" ({self.cell})" if self.cell else ""))
        found = "" if self.value is None or self.value == "" else f"'{short(self.value)}' "
        return f"{', '.join(where)}: {found}{self.reason}"


@dataclass(slots=True)
class PreviewRow:
    """One observation the file states, and what committing would do with it."""

    row: int  # 1-based sheet row
    cell: str | None  # the figure's cell (a wide row states several observations)
    indicator: str | None
    period: str | None
    strand: str | None
    dims: dict[str, str]
    values: dict[str, Any]  # field -> typed value (codes resolved later)
    status: str = NEW
    problems: list[RowProblem] = field(default_factory=list)
    note: str = ""
    previous: dict[str, Any] = field(default_factory=dict)  # stored values an update replaces
    # internal: resolved ids
    indicator_id: int | None = None
    strand_id: int | None = None
    existing_id: int | None = None
    dims_text: str | None = None  # internal: dims_key(dims), once known
    warnings: tuple[str, ...] = ()  # what looks implausible next to its series (still saved)

    @property
    def key(self) -> tuple[Any, ...]:
        text = self.dims_text
        if text is None:
            text = self.dims_text = dims_key(self.dims)
        return (self.indicator_id, self.period, self.strand_id, text)

    def describe(self) -> str:
        return "; ".join(p.reason for p in self.problems) or "; ".join(
            (self.note, *self.warnings) if self.note else self.warnings)

    def change(self) -> str:
        """The stored figures the row would change, as 'value 11800 → 1250'."""
        return ", ".join(f"{f} {_shown(old)} → {_shown(self.values.get(f))}"
                         for f, old in self.previous.items())

    def where(self) -> str:
        """The observation the row states, for a message: T-P1 2024Q1 at NORTH (sex=female)."""
        return f"{self.indicator} {self.period}" + (f" at {self.strand}" if self.strand else "") \
            + (f" ({dims_key(self.dims)})" if self.dims else "")


def _shown(x: Any) -> str:
    if x is None:
        return "empty"
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


@dataclass(frozen=True)
class UnknownIndicator:
    code: str
    name: str
    first_row: int
    unit: str  # guessed from the cells: percent when they carry a % sign or format


@dataclass
class SheetRows:
    """A sheet read: its preview rows in sheet order, and what it names that the programme
    lacks (the wizard offers to create them)."""

    rows: list[PreviewRow] = field(default_factory=list)
    unknown_indicators: dict[str, UnknownIndicator] = field(default_factory=dict)
    unknown_strands: dict[str, int] = field(default_factory=dict)  # text -> first row


@dataclass(frozen=True)
class ProgrammeNames:
    """What a cell may name in one programme, keyed by code, code key and folded name."""

    programme_code: str
    indicators: dict[str, M.Indicator]
    strands: dict[str, int]  # -> strand id
    strand_codes: dict[int, str]
    evidence: dict[str, int]  # evidence code -> id
    window: QuarterWindow | None = None  # the quarters the programme may hold figures for

    @classmethod
    def of(cls, programme_code: str, indicators: Iterable[M.Indicator],
           strands: Iterable[M.Strand], evidence: dict[str, int],
           window: QuarterWindow | None = None) -> ProgrammeNames:
        """Codes win over names: names are keyed first, codes after."""
        inds: dict[str, M.Indicator] = {}
        ind_rows = list(indicators)
        for ind in ind_rows:
            inds.setdefault(fold(ind.name), ind)
        for ind in ind_rows:
            inds[code_key(ind.code)] = ind
            inds[ind.code] = ind
        by_text: dict[str, int] = {}
        codes: dict[int, str] = {}
        st_rows = list(strands)
        for st in st_rows:
            assert st.id is not None
            by_text.setdefault(fold(st.name), st.id)
            codes[st.id] = st.code
        for st in st_rows:
            assert st.id is not None
            by_text[code_key(st.code)] = st.id
            by_text[st.code] = st.id
        return cls(programme_code, inds, by_text, codes, evidence, window)

    def find_indicator(self, text: str) -> M.Indicator | None:
        look = self.indicators
        return look.get(text) or look.get(code_key(text)) or look.get(fold(text))

    def find_strand(self, text: str) -> int | None:
        look = self.strands
        return look.get(text) or look.get(code_key(text)) or look.get(fold(text))
