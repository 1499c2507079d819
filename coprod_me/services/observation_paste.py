"""What a block pasted into the observation grid does, worked out before anything is saved.

A block copied from Excel or LibreOffice lands at the grid's current cell: its rows on
consecutive grid rows, its columns on the visible columns from there to the right. Past the
last row of an indicator's series, new observations are created for the following quarters
(with the last row's strand and disaggregation, unless the block has those columns). The
plan is made from the rows the grid shows, handed to it (nothing here reads the database):
which observation each block row sets and with which values, which rows are new, and every
problem at once, phrased for the user. The grid saves the plan with
``ObservationService.apply_block`` as one undoable step.

A number cell that is blank or says "n/a", "-" … is missing, never zero, as in an import: it
sets nothing (the stored figure stays), and a new row that states no figure adds nothing.

The grid's columns are declared here too, because a pasted block is read by them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coprod_me.model import enums as E
from coprod_me.model.errors import DomainError, ValidationFailed
from coprod_me.model.quarter import Quarter
from coprod_me.services.observations import BlockRow, ObservationView
from coprod_me.spreadsheets.cells import CellError
from coprod_me.spreadsheets.clipboard import CellKind, convert_block, parse_dims

# The grid's columns ------------------------------------------------------------------------
(COL_INDICATOR, COL_QUARTER, COL_STRAND, COL_DIMS, COL_PHASE, COL_VALUE, COL_NUMERATOR,
 COL_DENOMINATOR, COL_N, COL_QUALITY, COL_SOURCE, COL_COMMENT, COL_LOCKED) = range(13)

TITLES = ("Indicator", "Quarter", "Strand", "Disaggregation", "Phase", "Value", "Numerator",
          "Denominator", "n", "Quality", "Source", "Comment", "Locked")
#: column -> Observation field the column edits
FIELDS: dict[int, str] = {
    COL_PHASE: "phase", COL_VALUE: "value", COL_NUMERATOR: "numerator",
    COL_DENOMINATOR: "denominator", COL_N: "n_sample", COL_QUALITY: "quality_status",
    COL_SOURCE: "data_source", COL_COMMENT: "comment",
}
COLUMN_OF_FIELD = {f: c for c, f in FIELDS.items()}
#: Columns that identify an observation rather than set one of its fields
KEY_COLUMNS = (COL_INDICATOR, COL_QUARTER, COL_STRAND, COL_DIMS)
NUMBER_COLUMNS = (COL_VALUE, COL_NUMERATOR, COL_DENOMINATOR, COL_N)


def cell_kind(column: int, unit: str | None) -> CellKind:
    """How a cell of ``column`` is read, for an indicator measured in ``unit``."""
    if column == COL_QUARTER:
        return CellKind.QUARTER
    if column == COL_VALUE:
        if unit == E.Unit.PERCENT:
            return CellKind.PERCENT
        return CellKind.RATIO if unit == E.Unit.RATIO else CellKind.NUMBER
    if column in (COL_NUMERATOR, COL_DENOMINATOR):
        return CellKind.NUMBER
    if column == COL_N:
        return CellKind.WHOLE
    if column == COL_LOCKED:
        return CellKind.IGNORE
    return CellKind.TEXT


def dims_text(dims: Mapping[str, str]) -> str:
    """A disaggregation cell as the grid shows it: ``age_band=15-24; sex=female``."""
    return "; ".join(f"{d}={c}" for d, c in sorted(dims.items()))


# The plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PastePlan:
    """Where a block lands and what each of its rows sets.

    ``rows`` holds one BlockRow per block row, in order, ready for ``apply_block``; the
    first ``len(rows) - new`` land on observations the grid shows (they change), the last
    ``new`` run past its last row (they are created). ``dropped`` block rows ran past the
    last row too but state no figure, so they add nothing (as in an import) and are left
    out of ``rows``.
    """

    start_row: int  # the grid row of the block's first row
    columns: tuple[int, ...]  # the grid columns the block's columns land on, left to right
    rows: tuple[BlockRow, ...]
    new: int = 0
    dropped: int = 0  # rows past the end that state no figure: nothing is added for them
    notes: tuple[str, ...] = ()  # the cells read as missing ("n/a", "-"), and what followed

    @property
    def height(self) -> int:
        return len(self.rows) + self.dropped

    @property
    def width(self) -> int:
        return len(self.columns)


def plan_paste(grid: Sequence[Sequence[str]], shown: Sequence[ObservationView], *,
               columns: Sequence[int], at_row: int = 0, at_column: int | None = None,
               units: Mapping[str, str] | None = None, indicator: str | None = None,
               decimal: str | None = None, ask: bool = True) -> PastePlan:
    """Where each row of ``grid`` (the block's cell texts) lands, with its cells converted.

    ``shown`` are the grid's rows in order and ``columns`` its visible columns, left to
    right; the block's top-left cell goes to row ``at_row``, column ``at_column`` (None or
    a hidden column: the first visible one). ``units`` maps indicator codes to units (a
    percent indicator's value takes '45 %'); ``decimal`` is the user's decimal mark, for
    numbers such as 4,300; a percent or ratio that reads two ways (1,234) raises
    AmbiguousNumbers, unless ``ask`` is False (the user said how: ``decimal`` settles it).
    ``indicator`` is the indicator of a by-indicator grid, whose
    series grows past its last row; None for the by-quarter grid, where it cannot.

    Nothing is planned when anything is wrong: DomainError when the block does not fit,
    ValidationFailed listing every cell that cannot be read, or every row that lands on a
    locked quarter, on a different observation than its key columns name, or past the end.
    """
    if not grid or not any(grid):
        raise DomainError("the block is empty; nothing to paste")
    visible = list(columns)
    at = visible.index(at_column) if at_column in visible else 0
    width = max(len(cells) for cells in grid)
    if at + width > len(visible):
        raise DomainError(
            f"the block is {width} columns wide, but only {len(visible) - at} column(s) "
            f"from '{TITLES[visible[at]]}' to the right edge can take it; start the paste "
            "further left")
    landing = visible[at:at + width]
    unit_of = dict(units or {})
    n = len(shown)

    def unit_at(r: int) -> str | None:
        grid_row = at_row + r
        if grid_row < n:
            return unit_of.get(shown[grid_row].indicator_code)
        return unit_of.get(indicator or "")

    values = convert_block(grid, lambda r, c: cell_kind(landing[c], unit_at(r)),
                           lambda c: TITLES[landing[c]], decimal=decimal, ask=ask)
    problems: list[str] = []
    rows: list[BlockRow] = []
    for i, cells in enumerate(values):
        given = {landing[j]: (v, grid[i][j]) for j, v in enumerate(cells)}
        grid_row = at_row + i
        try:
            if grid_row < n:
                rows.append(_onto_row(shown[grid_row], given, i))
            else:
                rows.append(_past_the_end(shown, given, i, grid_row - n + 1, indicator))
        except _Refused as exc:
            problems.append(str(exc))
    if problems:
        raise ValidationFailed(problems, f"{len(problems)} problem(s) in the pasted block; "
                                         "nothing was pasted")
    # a row past the end that states no figure adds nothing: missing, not zero
    shown_rows = max(n - at_row, 0)
    dropped = {i for i in range(shown_rows, len(rows))
               if rows[i].changes.get("value") is None and
               rows[i].changes.get("numerator") is None}
    notes = [f"{_label(i)}, column '{TITLES[landing[j]]}': '{text.strip()}' is missing, not "
             "zero; " + ("nothing was added for this row" if i in dropped else
                         "the stored figure stays")
             for i, cells in enumerate(grid) for j, text in enumerate(cells)
             if landing[j] in NUMBER_COLUMNS and text.strip() and values[i][j] is None]
    return PastePlan(at_row, tuple(landing),
                     tuple(r for i, r in enumerate(rows) if i not in dropped),
                     new=max(0, len(rows) - shown_rows - len(dropped)), dropped=len(dropped),
                     notes=tuple(notes))


class _Refused(Exception):
    """One block row cannot be pasted; the message says why (collected, never shown alone)."""


def _label(i: int) -> str:
    return f"row {i + 1} of the block"


def _onto_row(row: ObservationView, given: dict[int, tuple[Any, str]], i: int) -> BlockRow:
    """A block row that lands on an observation the grid shows: it changes its fields."""
    label = _label(i)
    if row.locked:
        raise _Refused(f"{label} lands on {row.key.describe()}, which is in a locked quarter; "
                       "use Correct locked value… for it")
    mismatch = _key_mismatch(row, given)
    if mismatch:
        raise _Refused(f"{label}: {mismatch}")
    return BlockRow(row.indicator_code, row.period, row.strand_code, row.dims,
                    _changes(given), f"{label} ({row.key.describe()})")


def _past_the_end(shown: Sequence[ObservationView], given: dict[int, tuple[Any, str]],
                  i: int, beyond: int, indicator: str | None) -> BlockRow:
    """A block row ``beyond`` rows past the grid's last: a new observation of ``indicator``,
    for the quarter after the last row's unless the block says which."""
    label = _label(i)
    if indicator is None:
        raise _Refused(f"{label} runs past the last row; in the by-quarter view, add the "
                       "observations first (or paste in the by-indicator view)")
    template = shown[-1] if shown else None
    quarter = given.get(COL_QUARTER, (None, ""))[0]
    if quarter is None:
        if template is None:
            raise _Refused(f"{label}: {indicator} has no observations yet, so the quarter is "
                           "not known; paste a block whose first column is the quarter")
        quarter = str(Quarter.parse(template.period).shift(beyond))
    strand = (given[COL_STRAND][0] if COL_STRAND in given else
              template.strand_code if template else None)
    try:
        dims = (parse_dims(given[COL_DIMS][1]) if COL_DIMS in given else
                dict(template.dims) if template else {})
    except CellError as exc:
        raise _Refused(f"{label}, column 'Disaggregation': '{given[COL_DIMS][1].strip()}' "
                       f"{exc}") from None
    return BlockRow(indicator, quarter, strand, dims, _changes(given),
                    f"{label} (new, {quarter})")


def _changes(given: dict[int, tuple[Any, str]]) -> dict[str, Any]:
    """The fields a block row sets; a missing number (blank, n/a) sets nothing."""
    return {FIELDS[c]: v for c, (v, _text) in given.items()
            if c in FIELDS and not (v is None and c in NUMBER_COLUMNS)}


def _key_mismatch(row: ObservationView, given: dict[int, tuple[Any, str]]) -> str | None:
    """A pasted quarter, strand, disaggregation or indicator that is not the row's."""
    for column in KEY_COLUMNS:
        if column not in given:
            continue
        value, text = given[column]
        stored: str | None
        if column == COL_DIMS:
            try:
                same = parse_dims(text) == row.dims
            except CellError:
                same = False
            stored = dims_text(row.dims)
        else:
            stored = {COL_INDICATOR: row.indicator_code, COL_QUARTER: row.period,
                      COL_STRAND: row.strand_code}[column]
            same = (value or None) == stored
        if not same:
            return (f"{TITLES[column].lower()} '{text.strip()}' was pasted on "
                    f"{row.key.describe()} ('{stored or 'empty'}'); quarter, strand and "
                    "disaggregation identify an observation, so paste those columns only "
                    "on matching rows")
    return None
