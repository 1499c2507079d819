"""Reading and writing programme workbooks (the format is in ``workbook_format``).

Writing uses openpyxl in write-only mode (streams rows, so 100,000 observations stay within
memory); reading uses python-calamine for speed. Reading never stops at the first problem:
it returns every problem with sheet, row, column, the value found and what is expected.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coprod_me.model.enums import STANDARD_DIMENSIONS
from coprod_me.model.errors import Cancelled, DomainError
from coprod_me.model.progress import IsCancelled, Progress, never, no_progress
from coprod_me.spreadsheets import cells
from coprod_me.spreadsheets.native_read import open_workbook
from coprod_me.spreadsheets.workbook_format import (
    DIM_PREFIX,
    FORMAT_VERSION,
    README_LINES,
    SHEETS,
    ColumnSpec,
    SheetSpec,
    expected_for,
)


class NotAWorkbook(DomainError):
    pass


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int | None
    column: str | None
    value: Any
    message: str

    def __str__(self) -> str:
        where = [self.file, f"sheet {self.sheet}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        found = "" if self.value is None else f"'{cells.show(self.value)}' "
        return f"{', '.join(where)}: {found}{self.message}"


_NONE_BAD: frozenset[str] = frozenset()


@dataclass(slots=True)
class ParsedRow:
    row: int  # as Excel numbers it: the header is usually row 1
    values: dict[str, Any]  # header -> typed value; blank cells are left out
    dims: dict[str, str]
    dims_key: str = ""
    bad: frozenset[str] = _NONE_BAD  # headers whose cell could not be read
    key: tuple[Any, ...] = ()  # the row's identity, filled in when it is checked


@dataclass
class ParsedSheet:
    spec: SheetSpec
    headers: list[str]  # spec headers present in the file
    rows: list[ParsedRow]
    #: Headers that look like a breakdown column but are not written as one (``dim_sex``):
    #: rows differing only there are not told apart, so their repeats are not reported.
    unread_breakdowns: tuple[str, ...] = ()


@dataclass
class ParsedWorkbook:
    path: Path
    sheets: dict[str, ParsedSheet]
    problems: list[Problem]


# ------------------------------------------------------------------------------------------
# Reading


def converter_for(col: ColumnSpec) -> Callable[[Any], Any]:
    k = col.kind
    if k == "float":
        return cells.to_float
    if k == "int":
        return cells.to_int
    if k == "bool":
        return cells.to_bool
    if k == "date":
        return cells.to_date
    if k == "datetime":
        return cells.to_datetime
    if k == "quarter":
        return cells.to_quarter
    if k == "enum":
        enum = col.enum
        assert enum is not None
        return lambda v: cells.to_enum(v, enum)
    if k == "list":
        return lambda v: cells.to_list(v, col.list_of)
    return cells.to_text  # text and ref (codes)


def read_workbook(
    path: Path | str,
    *,
    progress: Progress = no_progress,
    cancelled: IsCancelled = never,
) -> ParsedWorkbook:
    """Parse a programme workbook; problems are collected, not raised."""
    path = Path(path)
    fname = path.name
    wb = open_workbook(path, [s.name for s in SHEETS], keep_first_row=True, cancelled=cancelled)
    problems: list[Problem] = []
    present = set(wb.sheet_names)
    missing = [s.name for s in SHEETS if s.name not in present and not s.optional]
    if not present & {s.name for s in SHEETS}:
        raise NotAWorkbook(
            f"{fname} is not a coprod-me programme workbook: it has none of the sheets "
            f"{', '.join(s.name for s in SHEETS[:4])}, ... Start from 'coprod-me template' or "
            "use the import wizard for other spreadsheets.")
    for name in missing:
        problems.append(Problem(fname, name, None, None, None,
                                "sheet is missing; add it (it may be empty below its header "
                                "row) or start from 'coprod-me template'"))
    parsed: dict[str, ParsedSheet] = {}
    total = len(SHEETS)
    for i, spec in enumerate(SHEETS):
        if cancelled():
            raise Cancelled()
        progress(i, total, f"Reading sheet {spec.name}")
        if spec.name not in present:
            continue
        sheet = wb.get_sheet_by_name(spec.name)
        start = sheet.start or (0, 0)  # None for a sheet with no cells at all
        parsed[spec.name] = _parse_sheet(fname, spec, sheet.iter_rows(), start, problems,
                                         cancelled)
    return ParsedWorkbook(path, parsed, problems)


def _cached(conv: Callable[[Any], Any], limit: int = 20000) -> Callable[[Any], Any]:
    """Remember successful conversions: codes, enum values and quarters repeat row after row.

    Failures are not remembered, so every bad cell is still reported where it is.
    """
    memo: dict[Any, Any] = {}

    def convert(v: Any) -> Any:
        try:
            return memo[v]
        except KeyError:
            out = conv(v)
            if len(memo) < limit:
                memo[v] = out
            return out

    return convert


def _blank(v: Any) -> bool:
    return v is None or v == "" or (v.__class__ is str and not v.strip())


#: How one column is read: (index, header, converter, required column or None, dimension,
#: is_float).
_ColumnPlan = tuple[int, str, Callable[[Any], Any] | None, ColumnSpec | None, str | None, bool]


#: A header cell as read: (index, the column it names or None, the dimension code or None).
_HeaderColumn = tuple[int, ColumnSpec | None, str | None]


def _parse_sheet(
    fname: str,
    spec: SheetSpec,
    rows: Iterator[list[Any]],
    start: tuple[int, int],
    problems: list[Problem],
    cancelled: IsCancelled,
) -> ParsedSheet:
    row0, col0 = start  # calamine skips empty leading rows and columns; messages must not
    raw_header = next(rows, None)
    if raw_header is None:
        problems.append(Problem(fname, spec.name, 1, None, None,
                                "has no header row; copy the header row from the template"))
        return ParsedSheet(spec, [], [])
    header_row = row0 + 1
    unread: list[str] = []
    columns = _read_header(fname, spec, raw_header, header_row, col0, problems, unread)
    # Dimension columns in dimension order, so a row's dims come out already sorted.
    columns.sort(key=lambda c: (c[2] is not None, c[2] or ""))
    out = _read_rows(fname, spec.name, rows, header_row, _column_plan(columns), problems,
                     cancelled)
    return ParsedSheet(spec, [c.header for _, c, _ in columns if c is not None], out,
                       tuple(unread))


#: A header written like a breakdown column but not as one: dim_sex, 'dim sex', Dim:Sex.
_BREAKDOWN_LIKE = re.compile(r"^\s*dim\s*[:_\-. ]\s*([A-Za-z][\w\-]*)\s*$", re.IGNORECASE)


def _breakdown_like(header: str, header_cells: list[str]) -> str | None:
    """The dimension code a header seems to mean when it looks like a breakdown column that
    is not written as one: 'dim_sex' or 'Dim:Sex', or a bare dimension code ('sex') in a
    header that has 'dim:' columns; None otherwise."""
    m = _BREAKDOWN_LIKE.match(header)
    if m:
        return m.group(1).lower()
    bare = header.strip().lower()
    if bare in STANDARD_DIMENSIONS and any(h.startswith(DIM_PREFIX) for h in header_cells):
        return bare
    return None


def _read_header(
    fname: str,
    spec: SheetSpec,
    raw_header: list[Any],
    header_row: int,
    col0: int,
    problems: list[Problem],
    unread: list[str],
) -> list[_HeaderColumn]:
    """The columns the header names, in file order; every header problem is collected,
    a required column missing from the header included. A header that looks like a
    breakdown column but is not written as one is said so, and added to ``unread``."""
    header_cells = [cells.to_text(h) if not cells.is_blank(h) else "" for h in raw_header]
    while header_cells and not header_cells[-1]:
        header_cells.pop()
    columns: list[_HeaderColumn] = []
    seen: dict[str, int] = {}
    for idx, h in enumerate(header_cells):
        letter = cells.column_letter(col0 + idx + 1)
        if not h:
            problems.append(Problem(fname, spec.name, header_row, letter, None,
                                    "header is empty; name the column or delete it"))
            continue
        if h in seen:
            first = cells.column_letter(col0 + seen[h] + 1)
            problems.append(Problem(fname, spec.name, header_row, h, None,
                                    f"header appears twice (columns {first} and {letter}); "
                                    "keep one"))
            continue
        seen[h] = idx
        if spec.has_dims and h.startswith(DIM_PREFIX):
            dim_code = h[len(DIM_PREFIX):].strip().lower()
            if not cells.is_code(dim_code):
                problems.append(Problem(fname, spec.name, header_row, h, None,
                                        "is not a dimension code; write dim: followed by a code "
                                        "such as dim:sex or dim:age_band"))
                continue
            columns.append((idx, None, dim_code))
            continue
        col = spec.by_header.get(h)
        meant = _breakdown_like(h, header_cells) if spec.has_dims and col is None else None
        if meant is not None:
            unread.append(h)
            problems.append(Problem(
                fname, spec.name, header_row, h, None,
                f"looks like a breakdown column but was not recognised as one: a breakdown "
                f"column is written 'dim:' and the dimension code in lower case "
                f"('{DIM_PREFIX}{meant}'); rename the header (rows that differ only in this "
                "column are not checked for repeats until it is read)"))
            continue
        if col is None:
            close = difflib.get_close_matches(h, list(spec.by_header), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else "; remove it or rename it"
            extra = " or a 'dim:<dimension>' column" if spec.has_dims else ""
            problems.append(Problem(fname, spec.name, header_row, h, None,
                                    f"is not a column of sheet {spec.name}{extra}{hint}"))
            continue
        columns.append((idx, col, None))
    for col in spec.columns:
        if col.required and col.header not in seen:
            problems.append(Problem(fname, spec.name, header_row, col.header, None,
                                    "required column is missing; add it to the header row"))
    return columns


def _column_plan(columns: list[_HeaderColumn]) -> list[_ColumnPlan]:
    """How each column is read; converters of values that repeat remember their results."""
    plan: list[_ColumnPlan] = []
    for idx, col, dim in columns:
        if col is None:
            plan.append((idx, "", None, None, dim, False))
            continue
        convert = converter_for(col)
        if col.kind in ("enum", "quarter", "ref", "list", "text", "date"):
            convert = _cached(convert)
        plan.append((idx, col.header, convert, col if col.required else None, None,
                     col.kind == "float"))
    return plan


def _read_rows(
    fname: str,
    sheet: str,
    rows: Iterator[list[Any]],
    header_row: int,
    plan: list[_ColumnPlan],
    problems: list[Problem],
    cancelled: IsCancelled,
) -> list[ParsedRow]:
    """The rows below the header, typed; empty rows are skipped, bad cells collected."""
    out: list[ParsedRow] = []
    float_ = float
    str_ = str
    for r, raw in enumerate(rows, start=header_row + 1):
        if r % 5000 == 0 and cancelled():
            raise Cancelled()
        values: dict[str, Any] = {}
        dims: dict[str, str] = {}
        key_parts: list[str] = []
        bad: set[str] | None = None
        missing: list[ColumnSpec] = []
        n = len(raw)
        for idx, header, conv, required, dim, is_float in plan:
            v = raw[idx] if idx < n else None
            cls = v.__class__
            if is_float and cls is float_ and v - v == 0.0:  # type: ignore[operator]  # finite
                values[header] = v  # the common case, without a call
                continue
            if v is None or (cls is str_ and (v == "" or not v.strip())):
                if required is not None:
                    missing.append(required)
                continue
            if dim is not None:
                category = cells.to_text(v)
                dims[dim] = category
                key_parts.append(f"{dim}={category}")
                continue
            assert conv is not None
            try:
                values[header] = conv(v)
            except DomainError as exc:
                bad = bad or set()
                bad.add(header)
                problems.append(Problem(fname, sheet, r, header, v, str(exc)))
        if not values and not dims and not bad and all(_blank(v) for v in raw):
            continue  # an empty row
        for col in missing:
            problems.append(Problem(fname, sheet, r, col.header, None,
                                    f"is required; enter {expected_for(col)}"))
        out.append(ParsedRow(r, values, dims, ";".join(key_parts),
                             frozenset(bad) if bad else _NONE_BAD))
    return out


# ------------------------------------------------------------------------------------------
# Writing

def write_workbook(
    path: Path | str,
    rows_by_sheet: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    title: str = "coprod-me programme workbook",
    progress: Progress = no_progress,
    cancelled: IsCancelled = never,
) -> Path:
    """Write rows (header -> value; ``dim:<code>`` keys for disaggregation) to a workbook.

    openpyxl is imported here, on first use: it costs a quarter of a second at start-up.
    """
    from coprod_me.spreadsheets.workbook_writer import write_rows

    return write_rows(path, rows_by_sheet, title=title, progress=progress,
                      cancelled=cancelled)


def column_reference_markdown() -> str:
    """The column-by-column reference, as docs/workbook-format.md holds it."""
    out = [
        "# The programme workbook format",
        "",
        f"Format version {FORMAT_VERSION}. Generated from the model by "
        "`python -m coprod_me.spreadsheets.programme_workbook > docs/workbook-format.md`; "
        "a test fails when this file is out of date.",
        "",
        *[f"- {line}" for line in README_LINES],
        "- Columns may come in any order; optional columns may be left out (a left-out column "
        "leaves the stored value as it is). Unknown columns are refused with a suggestion.",
        "- Every sheet below must be present, even if empty (`coprod-me template -o FILE` "
        "writes one with all sheets, drop-downs and this reference in a README sheet).",
        "",
    ]
    for spec in SHEETS:
        out += [f"## {spec.name}", "", spec.description, "",
                "Identified by: " + ", ".join(f"`{k}`" for k in spec.key), "",
                "| column | type | required | allowed values / meaning |",
                "|---|---|---|---|"]
        for col in spec.columns:
            kind = f"code → {col.ref.sheet}" if col.ref else col.kind
            allowed = ", ".join(f"`{a}`" for a in col.allowed)
            meaning = "; ".join(x for x in (allowed, col.description,
                                            f"default `{cells.show(col.default)}`"
                                            if col.default not in (None, "") else "") if x)
            out.append(f"| `{col.header}` | {kind} | {'yes' if col.required else ''} | "
                       f"{meaning} |")
        if spec.has_dims:
            out.append("| `dim:<dimension>` | text | | one column per disaggregation dimension "
                       "(`dim:sex`, `dim:age_band`, ...); the cell holds the category; all "
                       "empty for a total |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(column_reference_markdown())
