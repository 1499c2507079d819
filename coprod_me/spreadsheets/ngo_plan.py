"""An NGO sheet classified a part at a time, so that a large file is never held whole.

``SheetPlan.add`` takes one part's preview rows (``ngo_rows.read_part``) and settles them as
``ngo_rows.classify`` does; what it keeps of every row is small: the hash of its key (to find
a row repeated in a later part), its figure if it is saved (for the series warnings), and the
counts. The preview keeps the first rows as a sample and every row with something to show
(rejected, skipped, updated), not every record.

A row repeated across parts cannot be settled in its own part (with "last" or "reject" the
later row changes the earlier one), so the first pass notes the keys repeated across parts
(``repeated``) and the caller plans again with them ``defer``-red: every row of such a key
is held back and settled with the others of its key at the end (``finish``), as
``classify`` would settle them in one list. Without repeats (the usual file) one pass does.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from typing import Any

from coprod_me.model.plausibility import Proposed, series_warnings
from coprod_me.spreadsheets.ngo_records import (
    NEW,
    REJECTED,
    SETTABLE,
    SKIPPED,
    STATUSES,
    UPDATE,
    PreviewRow,
)
from coprod_me.spreadsheets.ngo_rows import DuplicateChoice, UpdateChoice, classify
from coprod_me.spreadsheets.ngo_source import Grid

#: A preview of a file read in parts keeps this many rows whatever they are, as a sample.
SAMPLE_ROWS = 2000
_KEPT = (REJECTED, SKIPPED, UPDATE)


class SheetPlan:
    """What committing would do with each row, settled part by part.

    ``sample`` is how many rows the preview keeps whatever they are (None: all);
    ``keep_cells`` keeps the sheet cells of the rejected rows (for the errors workbook of a
    file not held whole). ``stored``, ``locked`` and the choices are as ``classify`` takes
    them; ``cumulative`` holds the ids of the cumulative indicators.
    """

    def __init__(self, *, stored: Mapping[tuple[Any, ...], tuple[Any, ...]],
                 locked: Collection[str], programme_code: str, file_name: str, sheet: str,
                 updates: UpdateChoice, duplicates: DuplicateChoice,
                 cumulative: Collection[int], defer: Collection[int] = (),
                 sample: int | None = None, keep_cells: bool = False) -> None:
        self._classify: dict[str, Any] = {
            "stored": stored, "locked": locked, "programme_code": programme_code,
            "file_name": file_name, "sheet": sheet, "updates": updates,
            "duplicates": duplicates}
        self.stored, self.cumulative = stored, cumulative
        self.defer = frozenset(defer)
        self.sample = sample
        self.keep_cells = keep_cells
        self.tally: Counter[str] = Counter()
        self.kept: list[tuple[int, PreviewRow]] = []  # (place in the file, row)
        self.cells: dict[int, list[Any]] = {}  # 0-based sheet row -> its cells (rejected rows)
        self.repeated: set[int] = set()  # key hashes met in two parts
        self._seen: set[int] = set()  # key hashes of the parts settled so far
        self._deferred: list[tuple[int, PreviewRow]] = []
        self._held_cells: dict[int, list[Any]] = {}  # the deferred rows' cells
        self._series = _SeriesLog()
        self._at = 0

    def add(self, rows: list[PreviewRow], grid: Grid) -> list[PreviewRow]:
        """Settle one part's rows (``grid`` holds its cells); returns the rows settled, to be
        written (the deferred ones come from ``finish``)."""
        now: list[tuple[int, PreviewRow]] = []
        keys: set[int] = set()
        for r in rows:
            at = self._at
            self._at += 1
            if r.status not in (REJECTED, SKIPPED):
                h = hash(r.key)
                if h in self.defer:
                    self._deferred.append((at, r))
                    self._keep_cells(r, grid, self._held_cells)
                    continue
                if h in self._seen:
                    self.repeated.add(h)
                keys.add(h)
            now.append((at, r))
        self._seen |= keys
        return self._settle(now, grid)

    def finish(self) -> list[PreviewRow]:
        """Settle the rows held back (all rows of the keys repeated across parts)."""
        held, self._deferred = self._deferred, []
        settled = self._settle(held, None)
        self._held_cells = {}
        return settled

    def _settle(self, rows: list[tuple[int, PreviewRow]], grid: Grid | None
                ) -> list[PreviewRow]:
        plain = [r for _at, r in rows]
        classify(plain, **self._classify)
        self.tally.update(r.status for r in plain)
        sample = self.sample
        kept, log = self.kept, self._series.add
        for at, r in rows:
            status = r.status
            if status == NEW:
                if sample is None or at < sample:
                    kept.append((at, r))
                if r.values.get("value") is not None:
                    log(at, r)
                continue
            if sample is None or at < sample or status in _KEPT:
                kept.append((at, r))
            if status == REJECTED:
                if grid is not None:
                    self._keep_cells(r, grid, self.cells)
                elif r.row - 1 in self._held_cells:
                    self.cells[r.row - 1] = self._held_cells[r.row - 1]
            elif status == UPDATE and "value" in r.previous and \
                    r.values.get("value") is not None:
                log(at, r)
        return plain

    def _keep_cells(self, r: PreviewRow, grid: Grid, into: dict[int, list[Any]]) -> None:
        if self.keep_cells:
            i = r.row - 1 - grid.row0
            if 0 <= i < len(grid.rows):
                into[r.row - 1] = grid.rows[i]

    @property
    def counts(self) -> dict[str, int]:
        return {s: self.tally[s] for s in STATUSES}

    def rows(self) -> list[PreviewRow]:
        """The rows kept, in sheet order."""
        self.kept.sort(key=lambda kept: kept[0])
        return [r for _at, r in self.kept]

    def warnings(self) -> list[str]:
        """Every figure to be saved that looks unusual next to its series (the stored
        figures and the file's), as 'row 12, T-P1 2024Q1 at NORTH: ...', in sheet order; the
        kept rows get theirs (``PreviewRow.warnings``)."""
        found = self._series.warnings(self.stored, self.cumulative)
        kept = {at: r for at, r in self.kept}
        lines: list[str] = []
        for at in sorted(found):
            row, where, texts = found[at]
            if at in kept:
                kept[at].warnings = tuple(texts)
            lines += [f"row {row}, {where}: {w}" for w in texts]
        return lines


class _SeriesLog:
    """The figures to be saved, by series (indicator, strand, disaggregation), four machine
    words a row: the series warnings need every quarter of a series at once. (Figures are
    kept as floats: ``values.show`` writes a whole float as it writes the int.)"""

    def __init__(self) -> None:
        # series -> (place in the file, sheet row, quarter number, figure) one after another
        self.series: dict[tuple[Any, ...], array[float]] = {}
        self.quarters: dict[str, int] = {}
        self.indicators: dict[int | None, str | None] = {}  # id -> code, for the messages
        self.strands: dict[int | None, str | None] = {}
        self.previous: dict[int, Any] = {}  # place -> the stored value an update replaces

    def add(self, at: int, r: PreviewRow) -> None:
        key = (r.indicator_id, r.strand_id, r.dims_text)
        s = self.series.get(key)
        if s is None:
            s = self.series[key] = array("d")
            self.indicators.setdefault(r.indicator_id, r.indicator)
            self.strands.setdefault(r.strand_id, r.strand)
        if "value" in r.previous:
            self.previous[at] = r.previous["value"]
        q = self.quarters.setdefault(r.period or "", len(self.quarters))
        s.extend((at, r.row, q, r.values["value"]))

    def warnings(self, stored: Mapping[tuple[Any, ...], tuple[Any, ...]],
                 cumulative: Collection[int]) -> dict[int, tuple[int, str, list[str]]]:
        """(sheet row, where, warnings) by place in the file, as ``classify``'s rows would
        be flagged in one list."""
        if not self.series:
            return {}
        at_value = 1 + SETTABLE.index("value")
        held: dict[tuple[Any, ...], dict[str, float]] = defaultdict(dict)
        for (ind, quarter, strand, dims), values in stored.items():
            key = (ind, strand, dims)
            if key in self.series and values[at_value] is not None:
                held[key][quarter] = values[at_value]
        quarter_of = list(self.quarters)
        out: dict[int, tuple[int, str, list[str]]] = {}
        for key, s in self.series.items():
            places = [int(x) for x in s[0::4]]
            periods = [quarter_of[int(q)] for q in s[2::4]]
            proposed: list[Proposed] = [(p, v, self.previous.get(at)) for at, p, v in
                                        zip(places, periods, s[3::4], strict=True)]
            for i, text in series_warnings(held.get(key, {}), proposed,
                                           cumulative=key[0] in cumulative):
                at = places[i]
                if at not in out:
                    out[at] = (int(s[4 * i + 1]), self._where(key, periods[i]), [])
                out[at][2].append(text)
        return out

    def _where(self, key: tuple[Any, ...], period: str) -> str:
        """As ``PreviewRow.where`` says it for the series' rows."""
        strand, dims = self.strands.get(key[1]), key[2]
        return f"{self.indicators.get(key[0])} {period}" + (f" at {strand}" if strand else "") \
            + (f" ({dims})" if dims else "")
