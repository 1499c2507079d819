"""Checks on single records shared by the services (GUI, CLI) and the workbook loader."""

from __future__ import annotations

import re
from typing import Any

from annotated_types import Ge, Le
from sqlmodel import SQLModel

from coprod_me.model.enums import Unit
from coprod_me.model.errors import DomainError
from coprod_me.model.values import show, unit_problem

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


def check_code(code: str, what: str) -> str:
    """A programme, strand or indicator code, stripped; DomainError saying the form if not."""
    code = (code or "").strip()
    if not _CODE.match(code):
        raise DomainError(f"{what} code '{code}' is not valid; use 1 to 40 letters, digits, "
                          "'-', '_' or '.', starting with a letter or digit (e.g. RS-01)")
    return code


#: Value agrees with numerator / denominator within half a percentage point (domain §1.11).
PERCENT_TOLERANCE = 0.5


def observation_problems(
    unit: str | None,
    value: float | None,
    numerator: float | None,
    denominator: float | None,
) -> list[tuple[str, float | None, str]]:
    """(field, value found, what to fix) for each problem with an observation's numbers: its
    unit's range (``values.UNIT_RANGES``), a numerator within a percent's denominator, a
    percent that agrees with its parts."""
    out: list[tuple[str, float | None, str]] = []
    if value is None and numerator is None:
        out.append(("value", None, "is empty and so is numerator; enter the value (or "
                                   "numerator and denominator)"))
    if denominator is not None and denominator <= 0:
        out.append(("denominator", denominator, "must be above zero"))
    if numerator is not None and numerator < 0:
        out.append(("numerator", numerator, "cannot be negative"))
    # A percent is a share of its denominator; a rate's events can outnumber its population
    # (1,200 visits among 1,000 enrolled) and a ratio can exceed 1.
    if unit == Unit.PERCENT and numerator is not None and denominator is not None and \
            numerator > denominator:
        out.append(("numerator", numerator,
                    f"is above its denominator ({show(denominator)}); numerator cannot exceed "
                    "denominator"))
    wrong = None if value is None else unit_problem(unit, value)
    if wrong is not None:
        out.append(("value", value, wrong))
    if (unit == Unit.PERCENT and value is not None and numerator is not None
            and denominator and 0 <= numerator <= denominator):
        implied = 100.0 * numerator / denominator
        if abs(implied - value) > PERCENT_TOLERANCE:
            out.append(("value", value,
                        f"does not match numerator/denominator ({show(numerator)}/"
                        f"{show(denominator)} = {implied:.1f} %); correct one of the three"))
    return out


def field_bounds(model: type[SQLModel], attr: str) -> tuple[Any, Any]:
    """The (lowest, highest) a field allows, from its ``Field(ge=..., le=...)``; None if open."""
    f = model.model_fields.get(attr)
    meta = f.metadata if f is not None else []
    lo = next((m.ge for m in meta if isinstance(m, Ge)), None)
    hi = next((m.le for m in meta if isinstance(m, Le)), None)
    return lo, hi
