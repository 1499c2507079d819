"""Setting fields from user input (GUI editors, CLI options) with the workbook's own rules."""

from __future__ import annotations

from typing import Any

from coprod_me.model.errors import DomainError
from coprod_me.spreadsheets.cells import CellError, is_blank, to_number
from coprod_me.spreadsheets.programme_workbook import converter_for
from coprod_me.spreadsheets.workbook_format import SHEETS, ColumnSpec

_BY_TABLE: dict[str, dict[str, ColumnSpec]] = {
    s.table.name: {c.attr: c for c in s.columns if c.ref is None} for s in SHEETS
}


def editable_columns(table: str) -> dict[str, ColumnSpec]:
    return _BY_TABLE[table]


def coerce(table: str, attr: str, value: Any) -> Any:
    """A user-entered value as the column stores it; DomainError says what is expected."""
    spec = _BY_TABLE.get(table, {}).get(attr)
    if spec is None:
        raise DomainError(f"'{attr}' is not an editable field of {table}")
    if is_blank(value):
        if spec.required:
            raise DomainError(f"{attr} is required")
        return spec.default
    try:
        return converter_for(spec)(value)
    except DomainError as exc:
        raise DomainError(f"{attr}: '{value}' {exc}") from None


def apply_changes(obj: Any, changes: dict[str, Any]) -> None:
    table = obj.__tablename__
    problems = []
    coerced = {}
    for attr, value in changes.items():
        try:
            coerced[attr] = coerce(table, attr, value)
        except DomainError as exc:
            problems.append(str(exc))
    if problems:
        raise DomainError("; ".join(problems))
    for attr, value in coerced.items():
        setattr(obj, attr, value)


def read_number(text: str) -> float:
    """A number as a user types it (decimal comma or point, grouped thousands, a trailing
    percent sign kept off the value: '60 %' is 60); DomainError says what is wrong."""
    try:
        value = to_number(text, percent=True)
    except CellError as exc:
        raise DomainError(f"'{text}' {exc}") from None
    if value is None:
        raise DomainError("enter a number")
    return value
