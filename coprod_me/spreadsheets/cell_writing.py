"""The one way the programme workbook and the errors workbook put values into cells.

openpyxl makes a formula of any text that starts with ``=`` and writes other text verbatim,
so sender text such as ``=HYPERLINK(...)`` would go out live. Here text stays text (and reads
back as the same text) and numbers stay numbers, by the rules of ``model.cell_text``; the
quarterly report, which may not import this package, builds its cells from the same rules.
Both writers stream rows in openpyxl's write-only mode.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from coprod_me.model.cell_text import is_formula_like, is_plain_text, stored_text


def cell(
    ws: Any,
    value: Any,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    alignment: Alignment | None = None,
    comment: Comment | None = None,
) -> Any:
    """One cell of ``ws`` holding ``value``, styled; text is stored as text, escaped where the
    file format needs it, and marked to stay text when edited if it is formula-like."""
    c = WriteOnlyCell(ws)
    if isinstance(value, str) and not is_plain_text(value):
        c.value = stored_text(value)
        c.data_type = "s"  # never a formula, whatever the text starts with
        if is_formula_like(value):
            c.quotePrefix = True  # Excel and LibreOffice keep it text when it is edited
    else:
        c.value = value
    if font is not None:
        c.font = font
    if fill is not None:
        c.fill = fill
    if alignment is not None:
        c.alignment = alignment
    if comment is not None:
        c.comment = comment
    return c


def row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """A row for ``ws.append``: values openpyxl writes faithfully go as they are (a large
    sheet streams fastest so), text that needs care as a cell made by ``cell``."""
    return [v if not isinstance(v, str) or is_plain_text(v) else cell(ws, v) for v in values]
