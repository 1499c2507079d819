"""What an NGO import shows the wizard and the CLI: the sheet read and its suggested mapping
(``ImportDraft``), what committing would do row by row (``Preview``), how repeated and
changed rows are settled (``Choices``), and the results of a commit or an undo, with the saved
mappings listed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import Any

from coprod_me.spreadsheets import cells
from coprod_me.spreadsheets.ngo_records import (
    NEW,
    REJECTED,
    SKIPPED,
    STATUSES,
    UPDATE,
    PreviewRow,
    RowProblem,
    UnknownIndicator,
)
from coprod_me.spreadsheets.ngo_rows import DuplicateChoice, UpdateChoice
from coprod_me.spreadsheets.ngo_shape import DIM_PREFIX, FIELDS, ColumnMapping, Shape
from coprod_me.spreadsheets.ngo_source import Grid, SheetStream
from coprod_me.spreadsheets.ngo_values import short


@dataclass(frozen=True)
class Choices:
    """What happens to rows that change a stored value, and to rows repeated in the file.

    ``updates``: skip (the database keeps its value, and the changes are listed: the
    default, so that a file never overwrites figures without the user seeing them first),
    update (the file wins) or reject. ``duplicates``: first or last of the repeated rows
    wins, or reject them all.
    """

    updates: UpdateChoice = "skip"
    duplicates: DuplicateChoice = "reject"

    @classmethod
    def from_cli(cls, on_duplicate: str | None) -> Choices:
        """``--on-duplicate skip|update|error`` governs both kinds of duplicate; without it
        stored figures are kept (the changes listed) and repeated rows rejected."""
        if on_duplicate is None:
            return cls()
        return {"skip": cls("skip", "first"), "update": cls("update", "last"),
                "error": cls("reject", "reject")}[on_duplicate]


@dataclass
class ImportDraft:
    """A sheet read and understood: what the wizard shows on its mapping page."""

    path: Path
    programme_code: str
    sheets: list[str]
    sheet: str
    grid: Grid
    shape: Shape
    mapping: ColumnMapping
    mapping_name: str | None  # the saved mapping applied, if any
    signature: str
    sha256: str
    #: ``grid`` holds the whole sheet; else its first rows, and the sheet is read again in
    #: parts (``stream`` goes on reading it, once, for a one-step import)
    complete: bool = True
    stream: SheetStream | None = field(default=None, repr=False)

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def column_keys(self) -> list[str]:
        return self.shape.column_keys()

    def samples(self, key: str, n: int = 3) -> list[str]:
        """The first values of a column, for the mapping table."""
        col = self.column_keys.index(key)
        out = []
        for r in range(self.shape.first_data_row, self.grid.row0 + len(self.grid.rows)):
            v = self.grid.cell(r, col)
            if not cells.is_blank(v):
                out.append(short(v, 24))
            if len(out) >= n:
                break
        return out

    @staticmethod
    def targets() -> list[str]:
        """Plain targets a column can be given (header constants come from suggestions)."""
        return [*FIELDS, *(f"{DIM_PREFIX}{d}" for d in ("sex", "age_band", "disability_wgss",
                                                         "locality", "social_group",
                                                         "income_quintile", "channel",
                                                         "provider"))]


@dataclass
class Preview:
    """What committing would do. ``rows`` holds every row of a sheet held whole; of a large
    sheet (read in parts) the first rows and every rejected, skipped or updated one, while
    ``tally`` counts all rows and ``warning_lines`` lists every warning."""

    draft: ImportDraft
    mapping: ColumnMapping
    choices: Choices
    rows: list[PreviewRow]
    unknown_indicators: dict[str, UnknownIndicator] = field(default_factory=dict)
    unknown_strands: dict[str, int] = field(default_factory=dict)  # text -> first row
    tally: dict[str, int] | None = None  # rows by status (None: count ``rows``)
    warning_lines: list[str] | None = None  # None: from ``rows``
    #: the cells of the rejected rows (0-based sheet row -> cells), when the sheet is not
    #: held whole (``draft.complete`` False), for the errors workbook
    rejected_cells: dict[int, list[Any]] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return self.counts[status]

    @property
    def counts(self) -> dict[str, int]:
        if self.tally is not None:
            return dict(self.tally)
        found = Counter(map(attrgetter("status"), self.rows))
        return {s: found[s] for s in STATUSES}

    @property
    def problems(self) -> list[RowProblem]:
        return [p for r in self.rows if r.status == REJECTED for p in r.problems]

    @property
    def changes(self) -> list[str]:
        """The rows skipped because they would change figures the database holds, each with
        its change ('row 12, T-P1 2024Q1 at NORTH: value 11800 → 1250')."""
        return [f"row {r.row}, {r.where()}: {r.change()}" for r in self.rows
                if r.status == SKIPPED and r.previous]

    @property
    def warnings(self) -> list[str]:
        """The figures to be saved that look unusual next to their series, each with why."""
        if self.warning_lines is not None:
            return list(self.warning_lines)
        return [f"row {r.row}, {r.where()}: {w}" for r in self.rows
                if r.warnings and r.status in (NEW, UPDATE) for w in r.warnings]


@dataclass
class ImportResult:
    file: str
    sheet: str
    programme_code: str
    batch_id: int | None
    imported: int
    updated: int
    unchanged: int
    skipped: int
    rejected: int
    errors: list[RowProblem]
    saved: bool
    errors_file: Path | None = None
    preview: Preview | None = field(default=None, repr=False)  # what was planned, row by row
    changes: list[str] = field(default_factory=list)  # stored figures kept (Preview.changes)
    warnings: list[str] = field(default_factory=list)  # unusual figures (Preview.warnings)

    def as_json(self) -> dict[str, Any]:
        return {"imported": self.imported, "updated": self.updated,
                "unchanged": self.unchanged, "rejected": self.rejected, "batch": self.batch_id,
                "errors": [p.as_json() for p in self.errors], "skipped": self.skipped,
                "changes": self.changes, "warnings": self.warnings,
                "saved": self.saved, "file": self.file, "sheet": self.sheet,
                "programme": self.programme_code}


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    deleted: int
    restored: int


@dataclass(frozen=True)
class SavedMapping:
    name: str
    programme_code: str | None
    header_signature: str
    mapping: ColumnMapping
    updated_at: datetime
