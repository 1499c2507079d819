"""How the Risks tab says flags and rule parameters in words: statuses, provenance tags of
thresholds, the programme-wide strand, and numbers as the rest of the app shows them."""

from __future__ import annotations

from typing import Any

from coprod_me.model.enums import FlagStatus
from coprod_me.model.tracking import fmt

STATUS_WORDS: dict[str, str] = {
    FlagStatus.OPEN.value: "open",
    FlagStatus.ACKNOWLEDGED.value: "acknowledged",
    FlagStatus.MITIGATING.value: "mitigating",
    FlagStatus.CLOSED_RESOLVED.value: "closed: resolved",
    FlagStatus.CLOSED_FALSE_POSITIVE.value: "closed: false positive",
    FlagStatus.SUPPRESSED_INSUFFICIENT_DATA.value: "suppressed: too little data",
}
#: Provenance tags of thresholds (domain §0), said in words for tooltips and the legend.
TAG_WORDS: dict[str, str] = {
    "LIT": "LIT: the value or construct comes straight from the cited literature",
    "ANCHOR": "ANCHOR: a convention set against a published empirical figure",
    "REG": "REG: borrowed from a regulatory screening convention in another field "
           "(its logic, not its legal force)",
    "CONV": "CONV: a professional convention, defensible but not evidence-based; "
            "adjust it to your programme in Rule parameters",
}
#: The header tooltip of a "Source" column (the provenance tag of a threshold).
TAG_LEGEND = ("LIT literature · ANCHOR empirical anchor · REG regulatory convention · "
              "CONV professional convention")
#: The strand of a flag raised on the whole programme.
PROGRAMME_TOTAL = "programme total"


def words(code: str | None) -> str:
    return code.replace("_", " ") if code else ""


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
