"""A long NGO sheet read column by column: the fast path for the common shape.

A long sheet (one observation per row, nothing taken from headers) is read a column at a
time: each column's distinct values are read once, then every row whose cells all read
cleanly becomes its preview row directly. Anything else goes through ``RecordReader``, so a
row is read exactly as the careful reader reads it (a test compares the two on varied rows).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from coprod_me.model.disaggregation import dims_key
from coprod_me.model.enums import Unit
from coprod_me.model.errors import Cancelled, DomainError
from coprod_me.model.progress import IsCancelled, Progress
from coprod_me.model.validation import observation_problems
from coprod_me.model.values import SPREADSHEET_ERROR, UNIT_RANGES
from coprod_me.spreadsheets import cells
from coprod_me.spreadsheets.ngo_record_reader import RecordReader
from coprod_me.spreadsheets.ngo_records import ENUMS, NEW, SETTABLE, TEXTS, PreviewRow
from coprod_me.spreadsheets.ngo_shape import (
    DIM_PREFIX,
    FIGURES,
    Shape,
    SourceCell,
    SourceRecord,
    is_empty_row,
    sex_category,
)
from coprod_me.spreadsheets.ngo_values import code_key, is_missing, read_phase, read_quarter

BAD: Any = object()  # a cell only the careful reader can read: the row goes through it
_NUMBER_TYPES = frozenset((bool, int, float))


def _by_value(column: Sequence[Any], convert: Callable[[Any], Any]) -> list[Any]:
    """``convert`` of every cell of a column, called once per distinct value in the order
    they first appear (cells of different number types, which compare equal, one by one)."""
    distinct = dict.fromkeys(column)
    if not _NUMBER_TYPES.isdisjoint(map(type, distinct)) and \
            len(_NUMBER_TYPES.intersection(map(type, column))) > 1:
        return [convert(v) for v in column]
    memo = {v: convert(v) for v in distinct}
    return list(map(memo.__getitem__, column))


class LongSheet:
    """A long sheet (one observation per row, nothing taken from headers) read column by
    column: each column's distinct values are read once, then every row whose cells all read
    cleanly becomes its preview row directly. A row with anything to report, or anything
    out of the ordinary (an error or percent-formatted cell, no figure, a percent sign, a
    value to derive or check from its parts that fails), goes through ``RecordReader.read``
    as a record built as ``unpivot`` builds it, so it is read exactly as before."""

    def __init__(self, reader: RecordReader, shape: Shape,
                 columns: list[tuple[int, str, str]], value_col: int) -> None:
        self.reader = reader
        self.shape = shape
        self.columns = columns
        self.value_col = value_col

    # ------------------------------------------------------------------ one column's cells

    def _converter(self, f: str, fields: set[str]) -> Callable[[Any], Any] | None:
        """What a cell of field ``f`` reads as: the value a clean row stores (None for
        nothing), or BAD; None when the field plays no part in a clean row."""
        reader, look = self.reader, self.reader.names
        cached = reader.cached
        to_text = cells.to_text
        text_of = reader.text_of  # what a text or category cell says (CSV: unescaped)
        if f == "programme_code":
            mine = code_key(look.programme_code)
            return lambda v: None if is_missing(v) or code_key(to_text(v)) == mine else BAD
        if f == "indicator_code" or (f == "indicator_name" and "indicator_code" not in fields):
            known: dict[int, tuple[Any, ...]] = {}

            def indicator(v: Any) -> Any:
                if is_missing(v):
                    return BAD
                ind = cached("indicator", look.find_indicator, to_text(v))
                if ind is None:
                    return BAD
                # (code, id, unit, is a percent, lowest, highest, whole) read off the entity
                # and its unit's range once
                got = known.get(id(ind))
                if got is None:
                    rng = UNIT_RANGES.get(ind.unit)
                    got = known[id(ind)] = (
                        ind.code, ind.id, ind.unit, ind.unit == Unit.PERCENT,
                        rng.low if rng else None, rng.high if rng else None,
                        rng.whole if rng else False)
                return got
            return indicator
        if f == "period":
            window = look.window

            def quarter(v: Any) -> Any:
                if is_missing(v):
                    return BAD
                try:
                    q = cached("quarter", read_quarter, v)
                except DomainError:
                    return BAD
                if window is not None and cached("window", window.problem, q) is not None:
                    return BAD
                return q
            return quarter
        if f == "strand":
            def strand(v: Any) -> Any:
                if is_missing(v):
                    return None
                sid = cached("strand", look.find_strand, to_text(v))
                return BAD if sid is None else (sid, look.strand_codes[sid])
            return strand
        if f.startswith(DIM_PREFIX):
            sex = f == f"{DIM_PREFIX}sex"

            def category(v: Any) -> Any:
                if is_missing(v):
                    return None
                cat = text_of(v)
                if sex:
                    cat = cached("sex", sex_category, cat) or cat
                return BAD if len(cat) > 200 else cat
            return category
        if f == "phase" or f in ENUMS:
            enum = ENUMS.get(f)

            def read(x: Any) -> str:
                return read_phase(x) if enum is None else cells.to_enum(x, enum)

            def choice(v: Any) -> Any:
                if is_missing(v):
                    return None
                try:
                    return cached(f, read, v)
                except DomainError:
                    return BAD
            return choice
        if f in TEXTS:
            return lambda v: None if is_missing(v) else text_of(v)
        if f == "evidence_code":
            def evidence(v: Any) -> Any:
                if is_missing(v):
                    return None
                eid = look.evidence.get(to_text(v))
                return BAD if eid is None else eid
            return evidence
        return None

    def _figures(self, column: Sequence[Any], whole: bool) -> list[Any]:
        """A figure column: finite numbers as they are (whole ones as int for a count of
        people), anything else through ``_figure``."""
        read = self._figure(whole)
        if whole:
            lo = self.reader.n_bounds[0]
            return [int(v) if v.__class__ is float and v.is_integer() and
                    (lo is None or v >= lo) else read(v) for v in column]
        return [v if v.__class__ is float and v - v == 0.0 else read(v) for v in column]

    def _figure(self, whole: bool) -> Callable[[Any], Any]:
        """A figure as ``RecordReader._value`` reads it from a cell that is neither an error
        nor percent-formatted; a percent sign (whose reading depends on the row's indicator)
        and anything it would report are BAD."""
        decimal = self.reader.decimal
        lo = self.reader.n_bounds[0]
        texts: dict[str, Any] = {}

        def number_of(v: Any) -> Any:
            cls = v.__class__
            if cls is float:
                if v != v:
                    return None  # NaN: missing
                if math.isinf(v):
                    return BAD
                number = v
            elif cls is str:
                hit = texts.get(v, texts)
                if hit is not texts:
                    return hit
                hit = texts[v] = number_of_text(v)
                return hit
            elif v is None:
                return None
            else:
                return BAD  # true/false, dates, integers: rare, read carefully
            if whole:
                if not number.is_integer() or (lo is not None and number < lo):
                    return BAD
                return int(number)
            return number

        def number_of_text(v: str) -> Any:
            if is_missing(v):
                return None
            text = v.strip()
            if text.endswith("%") or SPREADSHEET_ERROR.match(text):
                return BAD
            try:  # 1,234 that reads two ways: the careful reader settles it by the unit
                number = cells.to_number(text, decimal=decimal, ask=True)
            except DomainError:
                return BAD
            if number is None:
                return None
            if whole:
                if not number.is_integer() or (lo is not None and number < lo):
                    return BAD
                return int(number)
            return number

        return number_of

    # ------------------------------------------------------------------------------ rows

    def read(self, progress: Progress, cancelled: IsCancelled) -> None:
        """Every data row into ``reader.found.rows``, in sheet order."""
        data_at = self._data_rows()
        conv = self._read_columns(data_at, progress, cancelled)
        self._rows(data_at, conv, self._careful_rows(conv, data_at), progress, cancelled)

    def _data_rows(self) -> list[int]:
        """Where the rows that state something sit in ``grid.rows``."""
        rows = self.reader.grid.rows
        return [i for i in range(max(self.shape.first_data_row - self.reader.grid.row0, 0),
                                 len(rows))
                if (raw := rows[i]) and (((v := raw[0]).__class__ is str and v.strip()) or
                                         v.__class__ is float or not is_empty_row(raw))]

    def _read_columns(self, data_at: list[int], progress: Progress, cancelled: IsCancelled
                      ) -> dict[str, list[Any]]:
        """Each mapped field's cells, read (``_converter``, ``_figures``), one per data row."""
        grid = self.reader.grid
        data = [grid.rows[i] for i in data_at]
        n = len(data)
        narrow = min(map(len, data), default=0)

        wide = max(map(len, data), default=0)
        # a rectangular sheet (as calamine reads one) is turned into columns in one call
        by_column = list(zip(*data, strict=True)) if narrow == wide and n else None

        def column(j: int) -> Sequence[Any]:
            if j < 0:
                return [""] * n
            if by_column is not None and j < narrow:
                return by_column[j]
            if j < narrow:
                return list(map(itemgetter(j), data))
            return [r[j] if j < len(r) else "" for r in data]

        fields = {f for _c, f, _h in self.columns}
        conv: dict[str, list[Any]] = {}
        for k, (col, f, _h) in enumerate(self.columns):
            if cancelled():
                raise Cancelled("import cancelled")
            progress(int(30 * k / len(self.columns)), 100, "Reading columns")
            if f in FIGURES:
                conv[f] = self._figures(column(col - grid.col0), f == "n_sample")
                continue
            convert = self._converter(f, fields)
            if convert is not None:
                conv[f] = _by_value(column(col - grid.col0), convert)
        return conv

    def _careful_rows(self, conv: dict[str, list[Any]], data_at: list[int]) -> set[int]:
        """The rows the careful reader takes: a cell read BAD, an error or percent cell."""
        reader = self.reader
        careful: set[int] = set()
        for cells_read in conv.values():
            if cells_read.count(BAD):
                careful.update(k for k, v in enumerate(cells_read) if v is BAD)
        special = {r for r, _c in reader.errors} | {r for r, _c in reader.percent_cells or ()}
        if special:
            row0 = reader.grid.row0
            careful.update(k for k, i in enumerate(data_at) if row0 + i in special)
        return careful

    def _rows(self, data_at: list[int], conv: dict[str, list[Any]], careful: set[int],
              progress: Progress, cancelled: IsCancelled) -> None:
        """A clean row straight into its preview row; any other through ``_careful``."""
        reader = self.reader
        rows = reader.grid.rows
        row0, col0 = reader.grid.row0, reader.grid.col0
        n = len(data_at)
        fields = {f for _c, f, _h in self.columns}
        nothing = [None] * n
        ind_field = "indicator_code" if "indicator_code" in fields else "indicator_name"
        indicators = conv.get(ind_field) or [BAD] * n
        periods = conv.get("period") or [BAD] * n
        strands = conv.get("strand") or nothing
        # the disaggregation of each row, as the row's dict and its key text
        dim_fields = sorted(f for f in conv if f.startswith(DIM_PREFIX))
        dims_of: dict[tuple[Any, ...], tuple[dict[str, str], str]] = {}
        dim_rows: Iterable[tuple[Any, ...]] = zip(*(conv[f] for f in dim_fields), strict=True) \
            if dim_fields else [()] * n
        names = [f[len(DIM_PREFIX):] for f in dim_fields]
        settable = [f for f in SETTABLE
                    if ("evidence_code" if f == "evidence_id" else f) in conv]
        value_rows = zip(*(conv["evidence_code" if f == "evidence_id" else f]
                           for f in settable), strict=True) if settable else [()] * n
        at = {f: k for k, f in enumerate(settable)}
        ilo, ihi = at.get("ci_low"), at.get("ci_high")
        letter = cells.column_letter(self.value_col + 1)
        fields_at = [(c - col0, f, c, h) for c, f, h in self.columns]
        out = reader.found.rows
        new_row = PreviewRow
        total = n or 1
        figures = [conv.get(f) or nothing for f in ("value", "numerator", "denominator")]
        for k, (i, ind, q, st, dk, vt, value, num, den) in enumerate(zip(
                data_at, indicators, periods, strands, dim_rows, value_rows, *figures,
                strict=True)):
            if k % 2000 == 0:
                if cancelled():
                    raise Cancelled("import cancelled")
                progress(30 + int(50 * k / total), 100, f"Checking row {row0 + i + 1}")
            if k in careful:
                out.append(self._careful(rows[i], row0 + i, fields_at))
                continue
            values = dict(zip(settable, vt, strict=True)) if None not in vt else \
                {f: v for f, v in zip(settable, vt, strict=True) if v is not None}
            code, ind_id, unit, pct, lo, hi, whole = ind
            if pct and value is None and num is not None and den and 0 <= num <= den:
                values["value"] = value = round(100.0 * num / den, 6)  # stated by its parts
            if value is None and num is None:
                out.append(self._careful(rows[i], row0 + i, fields_at))  # no figure
                continue
            if ((num is not None or den is not None or pct) and
                    observation_problems(unit, value, num, den)) or \
                    (value is not None and ((lo is not None and value < lo) or
                                            (hi is not None and value > hi) or
                                            (whole and not value.is_integer()))):
                out.append(self._careful(rows[i], row0 + i, fields_at))  # out of its range
                continue
            if ilo is not None and ihi is not None and vt[ilo] is not None and \
                    vt[ihi] is not None and vt[ilo] > vt[ihi]:
                out.append(self._careful(rows[i], row0 + i, fields_at))
                continue
            d = dims_of.get(dk)
            if d is None:
                pairs = {name: cat for name, cat in zip(names, dk, strict=True) if cat is not None}
                d = dims_of[dk] = (pairs, dims_key(pairs))
            sid, scode = (None, None) if st is None else st
            r = row0 + i + 1
            out.append(new_row(r, f"{letter}{r}", code, q, scode, dict(d[0]), values,
                               NEW, [], "", {}, ind_id, sid, None, d[1]))

    def _careful(self, raw: list[Any], r: int, fields_at: list[tuple[int, str, int, str]]
                 ) -> PreviewRow:
        """The row read by ``RecordReader.read``, from the record ``unpivot`` would make."""
        n = len(raw)
        record = {f: SourceCell(raw[j] if 0 <= j < n else "", r, c, h)
                  for j, f, c, h in fields_at}
        return self.reader.read(SourceRecord(r, record, None, None, (), self.value_col))


