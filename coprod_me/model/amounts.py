"""Figures as people read them in their unit: a flag's text, a status line, an export.

A percent shows one decimal at most, a count none, a ratio two; trailing zeros go, thousands
are grouped, and the unit's suffix follows ("47 %", "1,250", "0.35", "12.5 per 1,000").
"""

from __future__ import annotations

#: Decimals a figure of each unit is shown with in a flag's text.
UNIT_DECIMALS = {"percent": 1, "rate_per_1000": 1, "rate": 1, "count": 0, "hours": 1,
                 "score_0_100": 1, "ratio": 2, "days": 1, "currency": 0, "index": 2}
_UNIT_SUFFIX = {"percent": " %", "rate_per_1000": " per 1,000", "score_0_100": " points",
                "hours": " h", "days": " days"}


def amount(v: float | None, unit: str, *, suffix: bool = True) -> str:
    """A figure in its unit as a flag's text shows it: the unit's decimals at most (trailing
    zeros dropped), thousands grouped, the unit's suffix ("47 %", "1,250", "0.35")."""
    if v is None:
        return "n/a"
    decimals = UNIT_DECIMALS.get(unit, 1)
    text = f"{v:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0."):
        text = "0"
    return text + (_UNIT_SUFFIX.get(unit, "") if suffix else "")
