"""A risk category's status for one programme and quarter, as the Overview badges and the
Portfolio show it: the roll-up of its open flags (domain §2.0) and how many of them someone
has taken in hand ("high · 1 mitigating").

One rule for every place that shows it: the badges (gui/rag_badges.py, through
``FlagRegisterService.statuses``), the Portfolio view, its CLI table and its report sheet
(``queries/portfolio.py``) and the rules engine's roll-up (``risks.engine.rollup``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from coprod_me.model.enums import FlagStatus, RiskCategory, Severity

CATEGORY_WORDS: dict[str, str] = {
    RiskCategory.CO_DESTRUCTION.value: "Co-destruction",
    RiskCategory.CLIENTELISM.value: "Clientelism",
    RiskCategory.SUSTAINABILITY.value: "Sustainability",
    RiskCategory.EQUITY.value: "Equity",
    RiskCategory.DATA_INTEGRITY.value: "Data integrity",
}
NO_OPEN_FLAG = "no open flag"
NOT_CHECKED = "not checked yet"
OPEN = (FlagStatus.OPEN.value, FlagStatus.ACKNOWLEDGED.value, FlagStatus.MITIGATING.value)
#: Open flags someone has taken in hand, in the order a badge counts them.
HANDLED = (FlagStatus.ACKNOWLEDGED.value, FlagStatus.MITIGATING.value)
STATUS_WORD = {FlagStatus.ACKNOWLEDGED.value: "acknowledged",
               FlagStatus.MITIGATING.value: "mitigating"}
#: The traffic light of a rolled-up level (as the report's category RAG reads it).
RAG_OF_LEVEL = {None: "green", "info": "green", "low": "green", "medium": "amber",
                "high": "red", "critical": "red"}


def rollup(severities: Iterable[str]) -> str | None:
    """Category RAG: the highest open severity; three or more mediums show as high [CONV]."""
    sev = list(severities)
    if not sev:
        return None
    top = max(sev, key=lambda s: Severity(s).rank)
    if Severity(top).rank < Severity.HIGH.rank and sum(1 for s in sev if s == "medium") >= 3:
        return "high"
    return top


@dataclass(frozen=True)
class CategoryStatus:
    """One category of one programme in one quarter."""

    category: str
    level: str | None  # the roll-up of its open flags; None: no open flag
    acknowledged: int = 0  # open flags acknowledged
    mitigating: int = 0  # open flags being mitigated
    checked: bool = True  # False: the risk rules never ran for the programme

    @property
    def words(self) -> str:
        """'high', 'high · 1 mitigating', 'no open flag' or 'not checked yet'."""
        if not self.checked:
            return NOT_CHECKED
        if self.level is None:
            return NO_OPEN_FLAG
        counts = {FlagStatus.ACKNOWLEDGED.value: self.acknowledged,
                  FlagStatus.MITIGATING.value: self.mitigating}
        return self.level + "".join(f" · {counts[s]} {STATUS_WORD[s]}"
                                    for s in HANDLED if counts[s])

    @property
    def text(self) -> str:
        """What a badge says: 'Clientelism: high · 1 mitigating'."""
        return f"{CATEGORY_WORDS[self.category]}: {self.words}"

    @property
    def rag(self) -> str:
        """green, amber or red; 'not checked' when the rules never ran."""
        return RAG_OF_LEVEL[self.level] if self.checked else "not checked"


def category_statuses(flags: Iterable[tuple[str, str, str]], *, checked: bool = True
                      ) -> dict[str, CategoryStatus]:
    """Every category's status from one programme's flags of one quarter, each given as
    (category, severity, status); the severity is the effective one (an override wins)."""
    severities: dict[str, list[str]] = defaultdict(list)
    handled: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(HANDLED, 0))
    for category, severity, status in flags:
        if status in OPEN:
            severities[category].append(severity)
        if status in HANDLED:
            handled[category][status] += 1
    out = {}
    for c in RiskCategory:
        counts = handled.get(c.value, dict.fromkeys(HANDLED, 0))
        out[c.value] = CategoryStatus(
            c.value, rollup(severities.get(c.value, [])),
            counts[FlagStatus.ACKNOWLEDGED.value], counts[FlagStatus.MITIGATING.value],
            checked)
    return out
