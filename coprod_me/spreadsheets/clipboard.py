"""Blocks of cells copied from Excel or LibreOffice: tab-separated text into typed values.

Both put a copied range on the clipboard as text: rows end with a newline (``\\r\\n`` from
Excel, ``\\n`` from LibreOffice, usually also after the last row), cells are separated by
tabs, and a cell holding a tab, a newline or a quote is wrapped in double quotes with its
quotes doubled. The numbers are the cells' *displayed* text, so they come in the writer's
locale: ``12,5``, ``1.234,5``, ``1 234,5``, ``1,234.5``, ``45 %``; they are read by the value
gate's one reader, and "n/a", "-" or a blank in a number column is missing (never zero), as
in an import. Nothing here needs Qt.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from coprod_me.model.errors import DomainError, ValidationFailed
from coprod_me.model.quarter import Quarter
from coprod_me.model.values import AmbiguousNumber, AmbiguousNumbers, is_missing_text, show
from coprod_me.spreadsheets.cells import CellError, is_code, to_number


class CellKind(StrEnum):
    """How a pasted cell is read."""

    TEXT = "text"  # stripped; empty is None
    NUMBER = "number"  # a number; a percent sign is refused
    PERCENT = "percent"  # a number in a percent column: '45 %' and '45%' are 45
    RATIO = "ratio"  # a ratio: like a percent, an ambiguous 1,234 is asked, not guessed
    WHOLE = "whole"  # a whole number (counts, sample sizes)
    QUARTER = "quarter"  # 2024Q2, 2024-Q2, Q2 2024 …
    IGNORE = "ignore"  # read-only columns: whatever was pasted there is left alone


# -------------------------------------------------------------------------------- the block


def parse_block(text: str) -> list[list[str]]:
    """The clipboard text as rows of cell texts, every row as wide as the widest.

    One newline after the last row is dropped; ragged rows (from a text editor) are padded
    with empty cells on the right.
    """
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    pending = False  # something has been read since the last end of row
    at_start = True  # at the start of a cell, where a quote opens a quoted cell
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if at_start and ch == '"':
            close = _closing_quote(text, i + 1)
            if close is not None:
                cell.append(text[i + 1:close].replace('""', '"'))
                i = close + 1
                at_start = False
                pending = True
                continue
        if ch == "\t":
            row.append("".join(cell))
            cell = []
            at_start = True
            pending = True
            i += 1
        elif ch in "\r\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell = [], []
            at_start = True
            pending = False
            i += 2 if text.startswith("\r\n", i) else 1
        else:
            cell.append(ch)
            at_start = False
            pending = True
            i += 1
    if pending:
        row.append("".join(cell))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _closing_quote(text: str, i: int) -> int | None:
    """Index of the quote that closes a quoted cell whose content starts at ``i``."""
    n = len(text)
    while i < n:
        if text[i] == '"':
            if i + 1 < n and text[i + 1] == '"':
                i += 2
                continue
            return i
        i += 1
    return None  # no closing quote: the opening one is an ordinary character


def format_block(grid: Sequence[Sequence[str]]) -> str:
    """Rows of cell texts as clipboard text that Excel and LibreOffice paste as cells."""

    def quoted(cell: str) -> str:
        if any(c in cell for c in '\t\r\n"'):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    return "".join("\t".join(quoted(c) for c in row) + "\n" for row in grid)


# ------------------------------------------------------------------------------ the cells


def to_whole(text: str, *, decimal: str | None = None) -> int | None:
    value = to_number(text, decimal=decimal, whole=True)
    if value is None:
        return None
    if not value.is_integer():
        raise CellError("is not a whole number; enter a whole number such as 600")
    return int(value)


#: Kinds that hold a number, where "n/a", "-" and blanks are missing
NUMBER_KINDS = frozenset({CellKind.NUMBER, CellKind.PERCENT, CellKind.RATIO, CellKind.WHOLE})


def convert_cell(text: str, kind: CellKind, *, decimal: str | None = None,
                 ask: bool = True) -> Any:
    """One cell's text as the value its column holds; CellError says what was expected.

    A number cell that is blank or says "n/a", "-" … is None (missing). ``decimal`` is the
    user's decimal mark; with ``ask`` a percent or ratio that reads two ways (1,234) raises
    AmbiguousNumber, without it ``decimal`` settles it.
    """
    if kind == CellKind.IGNORE:
        return None
    if kind == CellKind.TEXT:
        return text.strip() or None
    if kind == CellKind.QUARTER:
        if not text.strip():
            return None
        try:
            return str(Quarter.parse(text.strip()))
        except DomainError:
            raise CellError("is not a quarter; write it as 2024Q2") from None
    if is_missing_text(text):
        return None
    if kind == CellKind.WHOLE:
        return to_whole(text, decimal=decimal)
    return to_number(text, percent=kind == CellKind.PERCENT, decimal=decimal,
                     ask=ask and kind in (CellKind.PERCENT, CellKind.RATIO))


def convert_block(
    grid: Sequence[Sequence[str]],
    kinds: Sequence[CellKind] | Callable[[int, int], CellKind],
    names: Sequence[str] | Callable[[int], str],
    *,
    decimal: str | None = None,
    ask: bool = True,
) -> list[list[Any]]:
    """Every cell of a block converted; ValidationFailed lists each cell that cannot be read,
    by its row and column in the block ('row 2, column 'value': …'). When the only trouble is
    percents or ratios that read two ways, all with the same mark, AmbiguousNumbers names
    them, so the block can be read again the way the user says (``decimal``, ``ask=False``)."""
    width = max((len(r) for r in grid), default=0)
    if not callable(kinds) and width > len(kinds):
        raise DomainError(f"the block is {width} columns wide, but only {len(kinds)} "
                          "column(s) can take it")
    problems: list[str] = []
    ambiguous: list[tuple[str, AmbiguousNumber]] = []
    out: list[list[Any]] = []
    for r, cells in enumerate(grid):
        row: list[Any] = []
        for c, text in enumerate(cells):
            kind = kinds(r, c) if callable(kinds) else kinds[c]
            try:
                row.append(convert_cell(text, kind, decimal=decimal, ask=ask))
            except CellError as exc:
                name = names(c) if callable(names) else names[c]
                where = f"row {r + 1}, column '{name}': '{text.strip()}'"
                problems.append(f"{where} {exc}")
                if isinstance(exc, AmbiguousNumber):
                    ambiguous.append((f"{where} ({show(exc.as_decimal)} or "
                                      f"{show(exc.as_grouped)})", exc))
                row.append(None)
        out.append(row)
    marks = {exc.mark for _where, exc in ambiguous}
    if ambiguous and len(ambiguous) == len(problems) and len(marks) == 1:
        raise AmbiguousNumbers(marks.pop(), [where for where, _exc in ambiguous])
    if problems:
        raise ValidationFailed(problems, f"{len(problems)} cell(s) of the pasted block cannot "
                                         "be read; nothing was pasted")
    return out


def parse_dims(text: str) -> dict[str, str]:
    """A disaggregation cell typed as ``sex=female; age_band=15-24`` (empty: the total)."""
    out: dict[str, str] = {}
    for part in re.split(r"[;,\n]", text or ""):
        if not part.strip():
            continue
        dim, eq, cat = part.partition("=")
        dim, cat = dim.strip().lower(), cat.strip()
        if not eq or not dim or not cat:
            raise CellError(f"has '{part.strip()}', which is not dimension=category; write "
                            "e.g. sex=female; age_band=15-24")
        if not is_code(dim):
            raise CellError(f"has '{dim}', which is not a dimension code (e.g. sex, age_band)")
        if dim in out:
            raise CellError(f"names the dimension '{dim}' twice")
        out[dim] = cat
    return out
