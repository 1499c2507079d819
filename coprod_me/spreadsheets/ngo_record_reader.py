"""The careful reader: one source record (``unpivot``'s) into a typed preview row.

Every cell is read as the sender may have written it (codes or names, quarters in many
spellings, decimal commas, percent signs and formats, spreadsheet errors) and passes the value
gate (``model.values``: finite numbers in their unit's range, a 1,234 that reads two ways on a
ratio or percent refused with what to write instead, quarters that have begun and lie within
the programme's life); every problem is reported on the row, as where, what and how to fix.
Every wide sheet goes through here record by record; a long sheet sends here only the rows
its column-by-column reader (``ngo_long_sheet``) cannot read cleanly.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from coprod_me.model import entities as M
from coprod_me.model.enums import Unit
from coprod_me.model.errors import DomainError
from coprod_me.model.validation import field_bounds, observation_problems
from coprod_me.model.values import FRACTION_UNITS, SPREADSHEET_ERROR
from coprod_me.spreadsheets import cells
from coprod_me.spreadsheets.ngo_records import (
    ENUMS,
    PERCENT_FIELDS,
    PLAIN_FIGURES,
    REJECTED,
    SETTABLE,
    SKIPPED,
    TEXTS,
    PreviewRow,
    ProgrammeNames,
    RowProblem,
    SheetRows,
    UnknownIndicator,
)
from coprod_me.spreadsheets.ngo_shape import (
    DIM_PREFIX,
    Shape,
    SourceCell,
    SourceRecord,
    sex_category,
)
from coprod_me.spreadsheets.ngo_source import Grid
from coprod_me.spreadsheets.ngo_values import (
    code_key,
    csv_text,
    decimal_mark,
    fold,
    is_missing,
    read_phase,
    read_quarter,
    short,
)


class RecordReader:
    """Turns source records into typed preview rows, reporting every bad cell.

    Rows are returned; indicators and strands the programme lacks are noted in ``found``.
    """

    def __init__(self, file_name: str, sheet: str, grid: Grid, shape: Shape,
                 names: ProgrammeNames, found: SheetRows) -> None:
        self.file_name = file_name
        self.sheet = sheet
        self.names = names
        self.found = found
        self.grid = grid
        # a CSV's text may carry the apostrophe our CSV writers put before formula-like text
        self.text_of: Any = (lambda v: cells.to_text(csv_text(v))) if grid.text_only else \
            cells.to_text
        self.percent_cells = grid.percent_cells
        self.errors = grid.errors
        self.n_bounds = field_bounds(M.Observation, "n_sample")
        first = max(shape.first_data_row - grid.row0, 0)
        self.decimal = decimal_mark(v for row in grid.rows[first:first + 2000] for v in row)
        # Quarters, phases, codes and categories repeat row after row: read each text once.
        self.memo: dict[str, dict[Any, Any]] = {
            k: {} for k in ("quarter", "window", "phase", "indicator", "strand", "sex", *ENUMS)}

    def cached(self, kind: str, read: Any, v: Any) -> Any:
        memo = self.memo[kind]
        try:
            hit = memo[v]
        except KeyError:
            try:
                hit = read(v)
            except DomainError as exc:
                hit = exc
            if len(memo) < 50_000:
                memo[v] = hit
        if isinstance(hit, DomainError):
            raise hit
        return hit

    def problem(self, row: PreviewRow, c: SourceCell | None, reason: str, value: Any = None,
                column: str | None = None) -> None:
        ref = None if c is None else f"{cells.column_letter(c.col + 1)}{c.row + 1}"
        row.problems.append(RowProblem(
            self.file_name, self.sheet, row.row,
            c.header if c is not None else column,
            value if value is not None or c is None else c.value,
            reason, ref))

    def read(self, rec: SourceRecord) -> PreviewRow:
        cells_ = rec.cells
        value_cell = cells_.get("value") or (cells_.get("numerator") if rec.value_col is None
                                             else None)
        ref = None
        if rec.value_col is not None:
            ref = f"{cells.column_letter(rec.value_col + 1)}{rec.row + 1}"
        elif value_cell is not None:
            ref = f"{cells.column_letter(value_cell.col + 1)}{value_cell.row + 1}"
        row = PreviewRow(rec.row + 1, ref, None, rec.period, None, dict(rec.dims), {})
        # programme
        pc = cells_.get("programme_code")
        code = self.names.programme_code
        if pc is not None and not is_missing(pc.value) and \
                code_key(cells.to_text(pc.value)) != code_key(code):
            self.problem(row, pc, f"belongs to programme {cells.to_text(pc.value)}, not "
                         f"{code}; import it into that programme or remove the row")
        ind = self._read_indicator(row, rec)
        unit = ind.unit if ind is not None else None
        # quarter
        c = cells_.get("period")
        if rec.period is None:
            if c is None or is_missing(c.value):
                self.problem(row, c, "has no quarter; enter it as 2024Q2",
                             column=None if c else "period")
            else:
                try:
                    row.period = self.cached("quarter", read_quarter, c.value)
                except DomainError as exc:
                    self.problem(row, c, str(exc))
        window = self.names.window
        if row.period is not None and window is not None:
            wrong = self.cached("window", window.problem, row.period)
            if wrong is not None:
                self.problem(row, c, wrong, value=row.period, column="period")
        self._read_strand(row, cells_.get("strand"))
        self._read_dims(row, cells_)
        # figures and the rest
        for f in SETTABLE:
            c = cells_.get("evidence_code" if f == "evidence_id" else f)
            if c is None:
                continue
            v = self._value(row, f, c, unit)
            if v is not None:
                row.values[f] = v
        self._check_figures(row, unit, cells_)
        if not row.problems and row.values.get("value") is None and \
                row.values.get("numerator") is None:
            row.status = SKIPPED
            shown = next((short(c.value) for f, c in cells_.items() if f in ("value",
                          "numerator") and not cells.is_blank(c.value)), "blank")
            row.note = f"no figure ({shown}): missing, not zero; nothing imported"
        elif row.problems:
            row.status = REJECTED
        return row

    def _read_indicator(self, row: PreviewRow, rec: SourceRecord) -> M.Indicator | None:
        """The row's indicator (from its header or its cells), or None, reported."""
        cells_ = rec.cells
        names = self.names
        ind = None
        text = rec.indicator
        c = cells_.get("indicator_code") or cells_.get("indicator_name")
        if text is None and c is not None and not is_missing(c.value):
            text = cells.to_text(c.value)
        if text is None:
            self.problem(row, c, "has no indicator; enter the indicator's code",
                         column=None if c else "indicator")
            return None
        ind = self.cached("indicator", names.find_indicator, text)
        if ind is None:
            named = cells_.get("indicator_name")
            if named is not None and not is_missing(named.value):
                ind = names.indicators.get(fold(cells.to_text(named.value)))
        if ind is None:
            known = sorted({i.code for i in names.indicators.values()})
            self.problem(row, c, f"is not an indicator of {names.programme_code} "
                         f"(it has {', '.join(known[:8])}{' ...' if len(known) > 8 else ''});"
                         " correct the code, or create the indicator (the import offers to)",
                         value=text, column="indicator")
            unknown = self.found.unknown_indicators
            if text not in unknown and len(text) <= 40:
                named = cells_.get("indicator_name")
                unknown[text] = UnknownIndicator(
                    text, cells.to_text(named.value) if named and not
                    is_missing(named.value) else text, row.row, self._unit_guess(rec))
            row.indicator = text
        else:
            row.indicator = ind.code
            row.indicator_id = ind.id
        return ind

    def _read_strand(self, row: PreviewRow, c: SourceCell | None) -> None:
        if c is None or is_missing(c.value):
            return
        names = self.names
        text = cells.to_text(c.value)
        sid = self.cached("strand", names.find_strand, text)
        if sid is None:
            known = sorted(names.strand_codes.values())
            self.problem(row, c, f"is not a strand or site of {names.programme_code} "
                         f"(it has {', '.join(known) or 'none'}); correct it, leave it "
                         "empty for the whole programme, or create the strand")
            self.found.unknown_strands.setdefault(text, row.row)
        else:
            row.strand_id = sid
            row.strand = names.strand_codes[sid]

    def _read_dims(self, row: PreviewRow, cells_: dict[str, SourceCell]) -> None:
        for f, c in cells_.items():
            if not f.startswith(DIM_PREFIX) or is_missing(c.value):
                continue
            dim = f[len(DIM_PREFIX):]
            cat = self.text_of(c.value)
            if dim == "sex":
                cat = self.cached("sex", sex_category, cat) or cat
            if len(cat) > 200:
                self.problem(row, c, "is too long for a category; use a short code")
                continue
            row.dims[dim] = cat
        row.dims = dict(sorted(row.dims.items()))

    def _unit_guess(self, rec: SourceRecord) -> str:
        c = rec.cells.get("value")
        if c is None:
            return Unit.COUNT
        if isinstance(c.value, str) and c.value.strip().endswith("%"):
            return Unit.PERCENT
        if self.percent_cells and (c.row, c.col) in self.percent_cells:
            return Unit.PERCENT
        return Unit.COUNT

    def _value(self, row: PreviewRow, f: str, c: SourceCell, unit: str | None) -> Any:
        v = c.value
        if v.__class__ is float and f in PLAIN_FIGURES and not self.errors and not \
                self.percent_cells and not math.isnan(v) and not math.isinf(v):
            return v  # the common case of a long sheet, without the checks below
        err = self.errors.get((c.row, c.col)) if self.errors else None
        if err is not None:
            self.problem(row, c, f"is a spreadsheet error ({err}) in cell "
                         f"{cells.column_letter(c.col + 1)}{c.row + 1}; correct the formula or "
                         "enter the figure", value=err)
            return None
        if is_missing(v):
            return None
        if f == "evidence_id":
            code = cells.to_text(v)
            eid = self.names.evidence.get(code)
            if eid is None:
                self.problem(row, c, f"is not an evidence code of {self.names.programme_code}; "
                             "correct it or leave it empty")
            return eid
        if f == "phase":
            try:
                return self.cached("phase", read_phase, v)
            except DomainError as exc:
                self.problem(row, c, str(exc))
                return None
        if f in ENUMS:
            try:
                return self.cached(f, lambda x: cells.to_enum(x, ENUMS[f]), v)
            except DomainError as exc:
                self.problem(row, c, str(exc))
                return None
        if f in TEXTS:
            return self.text_of(v)
        return self._figure(row, f, c, unit)

    def _figure(self, row: PreviewRow, f: str, c: SourceCell, unit: str | None) -> Any:
        """A figure cell that is neither missing nor a known spreadsheet error."""
        v = c.value
        # an unknown indicator's unit is unknown: its "63 %" is reported once, as unknown
        percent = (unit == Unit.PERCENT or unit is None) and f in PERCENT_FIELDS
        try:
            if isinstance(v, bool):
                raise cells.CellError("is a true/false value; enter a number")
            if isinstance(v, (date, datetime)):
                raise cells.CellError("is a date, not a number; enter the figure")
            if isinstance(v, (int, float)):
                number = float(v)
                if math.isnan(number) or math.isinf(number):
                    raise cells.CellError("is not a finite number; enter the figure")
                if self.percent_cells and (c.row, c.col) in self.percent_cells:
                    if f not in PERCENT_FIELDS:
                        raise cells.CellError(
                            f"is formatted as a percentage ({number * 100:g} %), but {f} is "
                            "a count; enter the plain figure")
                    if unit != Unit.PERCENT and unit is not None:
                        raise cells.CellError(
                            f"is formatted as a percentage ({number * 100:g} %), but "
                            f"{row.indicator} is measured in {unit}; enter the plain figure")
                    number = round(number * 100, 9)  # 0.52 shown as 52 % is 52
            else:
                text = cells.to_text(v)
                if SPREADSHEET_ERROR.match(text):
                    raise cells.CellError(
                        f"is a spreadsheet error ({text}) in cell "
                        f"{cells.column_letter(c.col + 1)}{c.row + 1}; correct the formula or "
                        "enter the figure")
                parsed = cells.to_number(
                    text, percent=percent, decimal=self.decimal,
                    whole=f == "n_sample" or (f == "value" and unit == Unit.COUNT),
                    ask=f in PERCENT_FIELDS and unit in FRACTION_UNITS)
                if parsed is None:
                    return None
                number = parsed
        except cells.CellError as exc:
            msg = str(exc)
            if "percent sign" in msg and unit is not None:
                msg = (f"has a percent sign, but {row.indicator} is measured in {unit}; enter "
                       "the plain figure")
            self.problem(row, c, msg)
            return None
        if f == "n_sample":
            lo, _hi = self.n_bounds
            if not number.is_integer() or (lo is not None and number < lo):
                self.problem(row, c, "is not a whole number of people or items; enter a whole "
                             "number")
                return None
            return int(number)
        return number

    def _check_figures(self, row: PreviewRow, unit: str | None,
                       cells_: dict[str, SourceCell]) -> None:
        v = row.values
        value, num, den = v.get("value"), v.get("numerator"), v.get("denominator")
        if unit == Unit.PERCENT and value is None and num is not None and den and \
                0 <= num <= den:
            v["value"] = value = round(100.0 * num / den, 6)  # stated by its parts
        if value is None and num is None:
            return
        bad = {p.column for p in row.problems}
        for f, found, message in observation_problems(unit, value, num, den):
            c = cells_.get(f)
            if c is not None and c.header in bad:
                continue  # already reported as unreadable
            self.problem(row, c, message, value=found, column=f)
        lo, hi = v.get("ci_low"), v.get("ci_high")
        if lo is not None and hi is not None and lo > hi:
            self.problem(row, cells_.get("ci_low"), "is above ci_high; swap them")
