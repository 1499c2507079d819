"""The Portfolio's read model: every programme in one quarter, one row each, for the policy
unit's question "which of our programmes need attention this quarter?".

``PortfolioFacts`` is what the read floor (``queries/portfolio.py``) gathers for all the
programmes at once; ``portfolio_figures.portfolio_rows`` turns it into ``PortfolioRow``s;
``COLUMNS`` is the table the GUI's Portfolio view and ``coprod-me portfolio`` show (the
report's Portfolio sheet, ``portfolio_sheet``, shows it too, shaped for paper).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coprod_me.model import entities as M
from coprod_me.model.amounts import amount
from coprod_me.model.category_status import CATEGORY_WORDS, CategoryStatus
from coprod_me.model.enums import RiskCategory, Severity
from coprod_me.model.quarter import Quarter

#: How far back the outcome statuses read: the report's headline looks back four quarters
#: for a yearly survey's value and compares it with the quarter before that one.
LOOK_BACK = 5

COMPLETENESS = (
    "Data completeness: of the totals expected this quarter, the share that has a value. "
    "Expected is every indicator at every strand (at the programme as a whole when the "
    "programme has no strands); a total is an observation without a breakdown. An "
    "indicator reported for the programme as a whole this quarter (a survey, say) counts as "
    "reported at all its strands.")
ATTENTION = ("Needs attention: a risk category amber or red, an outcome off track, or an "
             "outcome gate unmet.")


@dataclass(frozen=True)
class PortfolioRow:
    """One programme in one quarter."""

    code: str
    name: str
    quarter: str
    #: one per risk category, in ``RiskCategory`` order
    categories: tuple[CategoryStatus, ...]
    on_track: int
    at_risk: int
    off_track: int
    no_data: int
    #: (indicator × strand) totals expected this quarter, and how many have a value
    expected_totals: int
    reported_totals: int
    #: the codes of the outcome gates not met ("G1", "G4")
    gates_unmet: tuple[str, ...] = ()

    @property
    def outcomes(self) -> int:
        return self.on_track + self.at_risk + self.off_track + self.no_data

    @property
    def completeness(self) -> float | None:
        """Percent of the expected totals reported; None when nothing is expected."""
        if not self.expected_totals:
            return None
        return 100.0 * self.reported_totals / self.expected_totals

    @property
    def needs_attention(self) -> bool:
        """See ``ATTENTION``."""
        return (any(c.rag in ("amber", "red") for c in self.categories)
                or self.off_track > 0 or bool(self.gates_unmet))

    def category(self, category: str) -> CategoryStatus:
        return next(c for c in self.categories if c.category == category)


@dataclass(frozen=True)
class ProgrammeFacts:
    """What one programme's row is computed from."""

    id: int
    code: str
    name: str
    indicators: list[M.Indicator] = field(default_factory=list)
    links: list[M.ResultLink] = field(default_factory=list)
    phases: set[str] = field(default_factory=set)
    strands: dict[int, str] = field(default_factory=dict)  # id -> code
    #: (category, effective severity, status) of its flags this quarter
    flags: list[tuple[str, str, str]] = field(default_factory=list)
    checked: bool = False  # the risk rules ran for it


@dataclass(frozen=True)
class PortfolioFacts:
    quarter: str
    programmes: Sequence[ProgrammeFacts]
    #: indicator id -> (strand id or None, quarter, value): its totals over ``window``
    totals: Mapping[int, Sequence[tuple[int | None, str, float]]]
    #: indicator id -> (strand id or None, quarter, value): its targets
    targets: Mapping[int, Sequence[tuple[int | None, str, float]]]


def window(quarter: str) -> tuple[str, str]:
    """The first and last quarter whose totals the rows read."""
    q = Quarter.parse(quarter)
    return str(q.shift(-LOOK_BACK)), str(q)


# ------------------------------------------------------------------------------ the table


@dataclass(frozen=True)
class PortfolioColumn:
    """One column of the Portfolio as the view and ``coprod-me portfolio`` show it."""

    header: str
    tip: str
    text: Callable[[PortfolioRow], str]
    #: what the column sorts by (a number or a text, the same kind in every row)
    key: Callable[[PortfolioRow], Any]
    category: str | None = None  # a risk category's column: coloured as its badge is
    number: bool = False  # right-aligned


def _percent(row: PortfolioRow) -> str:
    share = row.completeness
    if share is None:
        return "nothing expected"
    return f"{amount(share, 'percent')} ({row.reported_totals} of {row.expected_totals})"


def _category_column(category: str) -> PortfolioColumn:
    def key(row: PortfolioRow) -> tuple[int, int]:
        st = row.category(category)
        rank = -2 if not st.checked else -1 if st.level is None else Severity(st.level).rank
        return rank, st.acknowledged + st.mitigating
    return PortfolioColumn(
        CATEGORY_WORDS[category],
        f"{CATEGORY_WORDS[category]}: the highest open severity this quarter (three or more "
        "open medium flags count as high), with how many of its open flags are acknowledged "
        "or being mitigated; as the programme's Overview badge says it.",
        lambda row: row.category(category).words, key, category=category)


def _count(header: str, tip: str, attr: str) -> PortfolioColumn:
    return PortfolioColumn(header, tip, lambda row: str(getattr(row, attr)),
                           lambda row: getattr(row, attr), number=True)


_HEADLINE = ("as the report's Summary judges each outcome: its programme value this quarter "
             "(or its latest in the four before) against its target, thresholds or baseline")
COLUMNS: tuple[PortfolioColumn, ...] = (
    PortfolioColumn("Programme", "The programme's code", lambda r: r.code, lambda r: r.code),
    PortfolioColumn("Name", "The programme's name", lambda r: r.name, lambda r: r.name.lower()),
    *(_category_column(c.value) for c in RiskCategory),
    _count("On track", f"Outcomes on track, {_HEADLINE}.", "on_track"),
    _count("At risk", f"Outcomes at risk (amber), {_HEADLINE}.", "at_risk"),
    _count("Off track", f"Outcomes off track (red), {_HEADLINE}.", "off_track"),
    _count("No data", "Outcomes with no value this quarter or the four before, or nothing to "
           "judge it against.", "no_data"),
    PortfolioColumn("Data complete", COMPLETENESS, _percent,
                    lambda r: -1.0 if r.completeness is None else r.completeness, number=True),
    PortfolioColumn("Gates unmet", "The outcome gates (coprod-me gates) this programme does "
                    "not meet; 'none' when all hold.",
                    lambda r: ", ".join(r.gates_unmet) or "none",
                    lambda r: (len(r.gates_unmet), r.gates_unmet)),
)
