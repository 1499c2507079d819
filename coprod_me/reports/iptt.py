"""The Indicator Performance Tracking Table (IPTT): per indicator and quarter, the baseline,
the target, the actual, the cumulative, the share of the life-of-programme target reached,
the variance and the deviation narrative.

Pure: the read model in, ``IpttRow``s out (the report's IPTT sheet and the app's IPTT dialog
both show these). The rules, so a reader knows what each figure is:

- **Rows**: outcomes (results side) before outputs, each by code; one row per indicator and
  quarter of the programme's reporting periods up to the report quarter (the quarters with
  observations when no reporting period is recorded).
- **Programme level**: the programme's own total (strand empty) where recorded, else the
  strands' values combined as everywhere in the report (``quarterly_figures.programme_value``:
  summed for counts, hours and money, else their mean). Targets are combined the same way
  (the Summary's headline rule): the programme's own target for the quarter, else the strands'
  targets for that quarter combined.
- **Target of a quarter**: only a target set *for that quarter*. A quarter without its own
  target shows none, has no variance and needs no narrative; the % of the life-of-programme
  (LoP) target still says how far along the indicator is. The LoP target is the target of
  the last period that has one.
- **Cumulative indicators** (``is_cumulative``) record the total to date each quarter (the
  observation checks warn when such a series falls). Their *actual* is the quarter's gain
  (the total to date less the last earlier one, or less the baseline for the first), their
  *cumulative* the total to date, i.e. the running sum of the gains from the baseline; the
  variance and the % of the LoP target compare the cumulative, as their targets are totals
  to date. Other indicators leave the cumulative empty.
- **% of the LoP target**: actual (the cumulative for a cumulative indicator) ÷ LoP target ×
  100, whatever the direction, as funders' IPTTs compute it: for a "decrease" indicator,
  over 100 % means still above the target.
- **Variance**: (actual − target) ÷ |target| × 100, signed so that a positive variance is
  better than the target (reversed for a "decrease" indicator; a "maintain range" one reads
  as an increase). Over 10 % either way (as rounded to one decimal) with no narrative for
  the indicator and quarter (the programme's or a strand's), the row needs a narrative.
- Figures are rounded by unit (``model.amounts.UNIT_DECIMALS``), percentages to one decimal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from coprod_me.model.amounts import UNIT_DECIMALS
from coprod_me.reports import quarterly_figures as F
from coprod_me.reports.quarterly_model import IndicatorInfo, ProgrammeData, TargetValue

VARIANCE_LIMIT = 10.0  # % of the target either way before a narrative is asked (IPTT practice)
NARRATIVE_NEEDED = "narrative needed"


@dataclass(frozen=True)
class IpttRow:
    """One indicator in one quarter, at the programme level."""

    indicator: IndicatorInfo
    quarter: str
    baseline: float | None
    target: float | None  # set for this quarter; None when the quarter has none
    actual: float | None  # a cumulative indicator: the quarter's gain
    cumulative: float | None  # a cumulative indicator's total to date; else None
    lop_target: float | None
    lop_period: str | None
    percent_of_lop: float | None
    variance: float | None  # % of the target, positive = better than the target
    narrative: str | None  # the programme's, then each strand's under its name
    basis: str  # how the actual was obtained ("programme total", "mean of 3 strand(s)")

    #: the programme's own narrative alone (what the app edits)
    programme_narrative: str | None = None

    @property
    def needs_narrative(self) -> bool:
        return (self.variance is not None and abs(self.variance) > VARIANCE_LIMIT
                and not self.narrative)

    @property
    def status(self) -> str:
        return NARRATIVE_NEEDED if self.needs_narrative else ""


def iptt_quarters(p: ProgrammeData, quarter: str) -> list[str]:
    """The quarters the IPTT shows: the reporting periods up to ``quarter``, else the
    quarters with a total recorded up to it."""
    recorded = [q for q in p.reporting_quarters if q <= quarter]
    if recorded:
        return sorted(set(recorded))
    return sorted({m.period for m in p.measurements if not m.dims and m.period <= quarter})


def rounded(value: float | None, unit: str) -> float | None:
    """A figure to its unit's decimals (``model.amounts``)."""
    return None if value is None else round(value, UNIT_DECIMALS.get(unit, 1))


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def target_at(ind: IndicatorInfo, targets: Sequence[TargetValue], period: str
              ) -> float | None:
    """The programme's target for ``period``: its own, else its strands' combined."""
    here = [t for t in targets if t.period == period]
    own = [t.value for t in here if t.strand is None]
    if own:
        return own[0]
    return F.combine(ind.unit, [t.value for t in here])


def variance(ind: IndicatorInfo, actual: float | None, target: float | None) -> float | None:
    """(actual − target) ÷ |target| × 100, positive when better than the target."""
    if actual is None or target is None or target == 0:
        return None
    v = 100.0 * (actual - target) / abs(target)
    return -v if ind.direction == "decrease" else v


def iptt_rows(p: ProgrammeData, quarter: str) -> list[IpttRow]:
    """The IPTT of one programme up to ``quarter`` (see the module's rules)."""
    quarters = iptt_quarters(p, quarter)
    rows_by_code: dict[str, list[F.Row]] = defaultdict(list)
    for r in F.indicator_rows(p, quarter):
        rows_by_code[r.indicator.code].append(r)
    targets: dict[str, list[TargetValue]] = defaultdict(list)
    for t in p.targets:
        targets[t.indicator].append(t)
    narratives: dict[tuple[str, str], list[tuple[str | None, str]]] = defaultdict(list)
    for n in p.narratives:
        narratives[(n.indicator, n.period)].append((n.strand, n.text))
    order = sorted(p.indicators, key=lambda i: (not i.is_results_side, F.natural(i.code)))
    out: list[IpttRow] = []
    for ind in order:
        out += _indicator_rows(p, ind, quarters, rows_by_code[ind.code], targets[ind.code],
                               narratives)
    return out


def _indicator_rows(p: ProgrammeData, ind: IndicatorInfo, quarters: list[str],
                    rows: list[F.Row], targets: list[TargetValue],
                    texts: dict[tuple[str, str], list[tuple[str | None, str]]]
                    ) -> list[IpttRow]:
    u = ind.unit
    lop_period = max((t.period for t in targets), default=None)
    lop = target_at(ind, targets, lop_period) if lop_period else None
    out = []
    before: float | None = ind.baseline_value  # a cumulative indicator's last total to date
    for q in quarters:
        value, basis = F.programme_value(ind, rows, q)
        cumulative = None
        actual = value
        if ind.is_cumulative:
            cumulative = value
            actual = None if value is None or before is None else value - before
            if value is not None:
                before = value
        judged = cumulative if ind.is_cumulative else actual
        target = target_at(ind, targets, q)
        share = None if judged is None or not lop else 100.0 * judged / lop
        out.append(IpttRow(
            ind, q, rounded(ind.baseline_value, u), rounded(target, u), rounded(actual, u),
            rounded(cumulative, u), rounded(lop, u), lop_period, _pct(share),
            _pct(variance(ind, judged, target)), _narrative(p, texts.get((ind.code, q))),
            basis, next((text for strand, text in texts.get((ind.code, q), ())
                         if strand is None), None)))
    return out


def _narrative(p: ProgrammeData, texts: list[tuple[str | None, str]] | None) -> str | None:
    """The programme's narrative first, then each strand's under its name."""
    if not texts:
        return None
    parts = [text if strand is None else f"{strand_label(p, strand)}: {text}"
             for strand, text in sorted(texts, key=lambda st: F.strand_sort(st[0]))]
    return "\n".join(parts)


def strand_label(p: ProgrammeData, strand: str | None) -> str:
    """'India (IN-BLK)': a strand's name without the description a register writes after
    it, its code in brackets; 'programme' for the programme as a whole."""
    if strand is None:
        return "programme"
    name = p.strand_name(strand).split(": ", 1)[0]
    return f"{name} ({strand})" if name != strand else strand
