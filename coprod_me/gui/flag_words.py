"""How the Risks tab says flags and rule parameters in words: statuses, provenance tags of
thresholds, the programme-wide strand, and numbers as the rest of the app shows them."""

from __future__ import annotations

from typing import Any

from coprod_me.model.enums import FlagStatus
from coprod_me.model.tracking import fmt
from coprod_me.services.flag_register import PROVENANCE, value_text

STATUS_WORDS: dict[str, str] = {
    FlagStatus.OPEN.value: "open",
    FlagStatus.ACKNOWLEDGED.value: "acknowledged",
    FlagStatus.MITIGATING.value: "mitigating",
    FlagStatus.CLOSED_RESOLVED.value: "closed: resolved",
    FlagStatus.CLOSED_FALSE_POSITIVE.value: "closed: false positive",
    FlagStatus.SUPPRESSED_INSUFFICIENT_DATA.value: "suppressed: too little data",
}
#: Where a threshold comes from, in words (the rule data's tags, "measured" for a number the
#: rule computed, "checklist" for a checklist's risk answer), for tooltips and the legend.
TAG_WORDS: dict[str, str] = PROVENANCE
#: The header tooltip of a "Source" column (the provenance tag of a threshold).
TAG_LEGEND = ("LIT from the literature · ANCHOR anchored on a published benchmark · REG "
              "regulatory · CONV convention chosen by coprod-me (docs/rules.md) · measured: "
              "computed from the data, no threshold")
#: The strand of a flag raised on the whole programme.
PROGRAMME_TOTAL = "programme total"


def words(code: str | None) -> str:
    return code.replace("_", " ") if code else ""


def _figure(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _percent(v: float) -> str:
    """A percentage with one decimal at most, as a flag's text says it ("46.7 %", "10 %")."""
    text = f"{v:,.1f}".rstrip("0").rstrip(".")
    return ("0" if text == "-0" else text) + " %"


def show_threshold(v: Any, unit: str | None) -> str:
    """A threshold's value with its unit ("25 %", "2 percentage points"; a relative change
    as the percentage the flag's text says: "10 %")."""
    if unit == "relative" and _figure(v):
        return _percent(float(v) * 100)
    if unit and _figure(v):
        return value_text(v, unit)
    return show_number(v)


def show_observed(v: Any, unit: str | None) -> str:
    """What was observed against a threshold, in the threshold's unit (0.47 of a relative
    threshold is "47 %")."""
    if unit == "relative" and _figure(v):
        return _percent(float(v) * 100)
    if unit == "percent" and _figure(v):
        return _percent(float(v))
    return show_number(v)


def show_number(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int | float):
        return fmt(float(v))
    if isinstance(v, list | tuple):
        return ", ".join(show_number(x) for x in v)
    return str(v)
