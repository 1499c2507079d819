"""An NGO sheet's rows into preview rows: read, then compared with the file and the database.

``read_rows`` reads every observation the sheet states (a long sheet column by column, any
other record by record through the careful reader; ``read_part`` does it for one part of a
sheet read in parts); ``classify`` then says what committing would do with each row: new,
update, unchanged, skipped or rejected, given the rows repeated in the file, what the
database holds and which quarters are locked (``ngo_plan`` applies it part by part and warns
about the figures that look like typos next to their series). All are pure: the service
reads the programme and the stored observations and hands them in.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Literal

from coprod_me.model.errors import Cancelled
from coprod_me.model.progress import IsCancelled, Progress
from coprod_me.spreadsheets.ngo_long_sheet import LongSheet
from coprod_me.spreadsheets.ngo_record_reader import RecordReader
from coprod_me.spreadsheets.ngo_records import (
    NEW,
    REJECTED,
    SETTABLE,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    PreviewRow,
    ProgrammeNames,
    RowProblem,
    SheetRows,
)
from coprod_me.spreadsheets.ngo_shape import ColumnMapping, Shape, long_columns, unpivot
from coprod_me.spreadsheets.ngo_source import Grid

UpdateChoice = Literal["update", "skip", "reject"]
DuplicateChoice = Literal["first", "last", "reject"]


def read_rows(grid: Grid, shape: Shape, mapping: ColumnMapping, names: ProgrammeNames, *,
              file_name: str, sheet: str, progress: Progress,
              cancelled: IsCancelled) -> SheetRows:
    """Every observation the sheet states as a preview row (new, skipped or rejected so far),
    with progress from 0 to 80 of 100."""
    found = SheetRows()
    reader = RecordReader(file_name, sheet, grid, shape, names, found)
    read_part(reader, grid, shape, mapping, progress, cancelled)
    return found


def read_part(reader: RecordReader, grid: Grid, shape: Shape, mapping: ColumnMapping,
              progress: Progress, cancelled: IsCancelled) -> None:
    """The observations one part of the sheet (``grid``) states, appended to
    ``reader.found.rows``; the reader (made with the sheet's first part, which sets how its
    numbers are written) is kept from part to part."""
    reader.grid = grid
    found = reader.found
    long = long_columns(shape, mapping)
    if long is not None:
        LongSheet(reader, shape, *long).read(progress, cancelled)
        return
    records = unpivot(grid, shape, mapping)
    total = len(records) or 1
    for i in range(len(records)):
        rec = records[i]
        records[i] = None  # type: ignore[call-overload]  # cells freed once read
        if i % 2000 == 0:
            if cancelled():
                raise Cancelled("import cancelled")
            progress(int(80 * i / total), 100, f"Checking row {rec.row + 1}")
        found.rows.append(reader.read(rec))


def classify(rows: list[PreviewRow], *, stored: Mapping[tuple[Any, ...], tuple[Any, ...]],
             locked: Collection[str], programme_code: str, file_name: str, sheet: str,
             updates: UpdateChoice, duplicates: DuplicateChoice) -> None:
    """New, update, unchanged, skipped or rejected: against the file and the database.

    ``stored`` maps (indicator id, quarter, strand id, dims key) to the stored observation's
    (id, *SETTABLE values); ``locked`` holds the programme's locked quarters.
    """
    keys = _repeats(rows, file_name, sheet, duplicates)
    for r, row_key in zip(rows, keys, strict=True):
        if row_key is None or r.status in (REJECTED, SKIPPED) or \
                r.note.startswith("repeats row"):
            continue
        existing = stored.get(row_key)
        in_locked = r.period in locked
        if existing is None:
            r.status = NEW
            if in_locked:
                _locked(r, programme_code, file_name, sheet, "adds a value to")
            continue
        r.existing_id = existing[0]
        held = dict(zip(SETTABLE, existing[1:], strict=True))
        changed = {f: x for f, x in r.values.items() if held.get(f) != x}
        if not changed:
            r.status = UNCHANGED
            continue
        r.previous = {f: held.get(f) for f in changed}
        if in_locked:
            r.status = UPDATE
            _locked(r, programme_code, file_name, sheet, "changes a value in")
            continue
        shown = r.change()
        if updates == "update":
            r.status = UPDATE
            r.note = shown
        elif updates == "skip":
            r.status = SKIPPED
            r.note = f"the database already holds other figures ({shown}); kept them"
        else:
            r.status = REJECTED
            r.problems.append(RowProblem(
                file_name, sheet, r.row, None, None,
                f"{r.indicator} {r.period} already holds other figures in {programme_code}"
                f" ({shown}); choose to update them, or correct the row", r.cell))


def _repeats(rows: list[PreviewRow], file_name: str, sheet: str,
             duplicates: DuplicateChoice) -> list[tuple[Any, ...] | None]:
    """Rows that state the same observation as an earlier row, settled by ``duplicates``;
    returns each row's key (None for a row already skipped or rejected)."""
    seen: dict[tuple[Any, ...], PreviewRow] = {}
    keys: list[tuple[Any, ...] | None] = []  # each row's key, computed once
    for r in rows:
        if r.status in (REJECTED, SKIPPED):
            keys.append(None)
            continue
        text = r.dims_text
        key = (r.indicator_id, r.period, r.strand_id, text) if text is not None else r.key
        keys.append(key)
        first = seen.get(key)
        if first is None:
            seen[key] = r
            continue
        same = {k: x for k, x in first.values.items()} == r.values
        where = r.where()
        if same:
            r.status = UNCHANGED
            r.note = f"repeats row {first.row} ({where}) with the same figures"
            continue
        if duplicates == "first":
            r.status = SKIPPED
            r.note = f"repeats row {first.row} ({where}); the first one is kept"
            continue
        if duplicates == "last":
            first.status = SKIPPED
            first.note = f"repeated by row {r.row} ({where}); the last one is kept"
            seen[key] = r
            continue
        for a, b in ((r, first), (first, r)):
            a.status = REJECTED
            a.problems.append(RowProblem(
                file_name, sheet, a.row, None, None,
                f"states {where} as row {b.row} does, with other figures; keep one of "
                "the two rows (or choose which one wins)", a.cell))
    return keys


def _locked(r: PreviewRow, programme_code: str, file_name: str, sheet: str, verb: str) -> None:
    r.status = REJECTED
    r.problems.append(RowProblem(
        file_name, sheet, r.row, None, r.period,
        f"{verb} quarter {r.period} of {programme_code}, which is locked; unlock the "
        "quarter in the app (with a reason) or record a correction there", r.cell))

