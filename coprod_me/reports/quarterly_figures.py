"""The numbers of the quarterly report: statuses, changes, suppression, runway, roll-ups.

Pure functions over the read model (``quarterly_model``); the sheets and the charts both
take their numbers from here, so the workbook and the PNGs cannot disagree.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from coprod_me.model.quarter import Quarter, quarter_range
from coprod_me.model.tracking import Status, Track, on_track
from coprod_me.reports.quarterly_model import (
    Flag,
    IndicatorInfo,
    Measurement,
    ProgrammeData,
    TargetValue,
)

WINDOW = 8  # quarters of history on the Outcomes and Outputs sheets (domain §4.2)
HEADLINE_COUNT = 4  # headline outcomes on the Summary (domain §4.1 asks for 3 to 5)
LOOK_BACK = 4  # quarters a headline looks back for its latest value
ADDITIVE_UNITS = frozenset({"count", "hours", "currency"})
OPEN_STATUSES = frozenset({"open", "acknowledged", "mitigating"})
SEVERITIES = ("info", "low", "medium", "high", "critical")
CATEGORIES = ("co_destruction", "clientelism", "sustainability", "equity", "data_integrity")
CATEGORY_LABELS = {
    "co_destruction": "Value co-destruction", "clientelism": "Clientelism",
    "sustainability": "Sustainability", "equity": "Equity and digital divide",
    "data_integrity": "Data integrity"}
LEVEL_ORDER = ("impact", "outcome_intermediate", "outcome_short", "context", "output",
               "activity", "input")
RAG_OF_TRACK = {Track.ON_TRACK: "green", Track.AT_RISK: "amber", Track.OFF_TRACK: "red",
                Track.NO_DATA: "no data"}
RUNWAY_GREEN, RUNWAY_RED = 80.0, 50.0  # SU-2: committed share of trailing spend [CONV]
OUTPUT_RISE = 0.10  # CD-1: an output up 10 % over two quarters ...
FLAT_PP, FLAT_REL = 2.0, 0.05  # ... while its outcome moves less than 2 pp / 5 %


def window(quarter: str, n: int = WINDOW) -> list[str]:
    q = Quarter.parse(quarter)
    return [str(x) for x in quarter_range(q.shift(-(n - 1)), q)]


def level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def ordered_indicators(indicators: Iterable[IndicatorInfo]) -> list[IndicatorInfo]:
    """Results before effort (domain §1.5.1 E), then by code."""
    return sorted(indicators, key=lambda i: (level_rank(i.result_level), natural(i.code)))


@cache  # a long sheet sorts the same few category names ten thousand times
def natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """'5-14' before '15-24': digits compare as numbers."""
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower())
                 for p in re.split(r"(\d+)", text) if p)


def strand_sort(code: str | None) -> tuple[int, str]:
    return (0, "") if code is None else (1, code)


def combine(unit: str, values: Sequence[float]) -> float | None:
    """Strand values as one programme value: summed where they add up, else averaged."""
    if not values:
        return None
    return sum(values) if unit in ADDITIVE_UNITS else sum(values) / len(values)


# ------------------------------------------------------------------------------ suppression


def is_small(count: float | None, threshold: int) -> bool:
    return count is not None and threshold > 0 and count < threshold


def suppressed(m: Measurement, unit: str, threshold: int) -> bool:
    """A disaggregated cell whose counts could identify people (domain: privacy)."""
    return identifies(bool(m.dims), m.n_sample, m.numerator, m.denominator, m.value, unit,
                      threshold)


def identifies(disaggregated: bool, n_sample: float | None, numerator: float | None,
               denominator: float | None, value: float | None, unit: str,
               threshold: int) -> bool:
    """Whether a cell's counts are small enough to identify people: only a disaggregated
    cell is judged, by its n, numerator and denominator (and its value, for a count). The
    report, the IATI and the DHIS2 exports all withhold by this rule."""
    if not disaggregated:
        return False
    counts = [n_sample, numerator, denominator]
    if unit == "count":
        counts.append(value)
    return any(is_small(c, threshold) for c in counts)


def small_label(threshold: int) -> str:
    return f"<{threshold}"


# ----------------------------------------------------------------------------- series


@dataclass(frozen=True)
class Row:
    """One indicator at one strand (or the programme level) over the report window."""

    indicator: IndicatorInfo
    strand: str | None
    values: dict[str, float]  # quarter -> total, every quarter up to the report quarter
    baseline: float | None
    target: float | None
    target_period: str | None
    latest_period: str | None
    latest: float | None
    status: Status

    def at(self, quarter: str) -> float | None:
        return self.values.get(quarter)

    @property
    def rag(self) -> str:
        return RAG_OF_TRACK[self.status.track]

    def change(self, quarter: str, back: int) -> float | None:
        now, before = self.at(quarter), self.at(str(Quarter.parse(quarter).shift(-back)))
        return None if now is None or before is None else now - before

    def change_since_baseline(self, quarter: str) -> float | None:
        now = self.at(quarter)
        return None if now is None or self.baseline is None else now - self.baseline


def totals(p: ProgrammeData, quarter: str) -> dict[tuple[str, str | None], dict[str, float]]:
    """(indicator, strand) -> quarter -> total value, for quarters up to the report's."""
    out: dict[tuple[str, str | None], dict[str, float]] = defaultdict(dict)
    for m in p.measurements:
        if not m.dims and m.value is not None and m.period <= quarter:
            out[(m.indicator, m.strand)][m.period] = m.value
    return out


def pick_target(targets: Sequence[TargetValue], quarter: str) -> TargetValue | None:
    """The first target due at or after the report quarter, else the last one set."""
    if not targets:
        return None
    ahead = sorted((t for t in targets if t.period >= quarter), key=lambda t: t.period)
    return ahead[0] if ahead else max(targets, key=lambda t: t.period)


def indicator_rows(p: ProgrammeData, quarter: str) -> list[Row]:
    """One row per indicator × strand with values, results first, programme level first."""
    series = totals(p, quarter)
    targets: dict[tuple[str, str | None], list[TargetValue]] = defaultdict(list)
    for tv in p.targets:
        targets[(tv.indicator, tv.strand)].append(tv)
    rows = []
    for ind in ordered_indicators(p.indicators):
        strands = sorted({s for (code, s) in series if code == ind.code}, key=strand_sort)
        for strand in strands:
            values = series[(ind.code, strand)]
            baseline = ind.baseline_value
            if strand is not None and ind.baseline_period in values:
                baseline = values[ind.baseline_period]  # the strand's own baseline
            t = pick_target(targets.get((ind.code, strand)) or targets.get((ind.code, None))
                            or [], quarter)
            latest_period = max(values) if values else None
            latest = values[latest_period] if latest_period else None
            status = on_track(ind.direction, baseline, latest, t.value if t else None,
                              ind.amber_at, ind.red_at, ind.range_min, ind.range_max,
                              unit=ind.unit)
            rows.append(Row(ind, strand, values, baseline, t.value if t else None,
                            t.period if t else None, latest_period, latest, status))
    return rows


def headline_outcomes(p: ProgrammeData) -> list[IndicatorInfo]:
    outcomes = [i for i in ordered_indicators(p.indicators) if i.is_outcome]
    return outcomes[:HEADLINE_COUNT]


@dataclass(frozen=True)
class Headline:
    indicator: IndicatorInfo
    baseline: float | None
    target: float | None
    value: float | None
    previous: float | None
    status: Status
    basis: str

    @property
    def rag(self) -> str:
        return RAG_OF_TRACK[self.status.track]

    @property
    def trend(self) -> str:
        """An arrow for the direction of travel and whether that is the good direction."""
        if self.value is None or self.previous is None:
            return "–"
        d = self.value - self.previous
        if abs(d) < 1e-9:
            return "→ no change"
        good = d > 0 if self.indicator.direction != "decrease" else d < 0
        if self.indicator.direction == "maintain_range":
            return "↑ up" if d > 0 else "↓ down"
        return ("↑ " if d > 0 else "↓ ") + ("better" if good else "worse")


def programme_value(ind: IndicatorInfo, rows: Sequence[Row], quarter: str
                    ) -> tuple[float | None, str]:
    """The programme's value: its own total if recorded, else the strands' combined."""
    own = next((r for r in rows if r.strand is None), None)
    if own is not None and own.at(quarter) is not None:
        return own.at(quarter), "programme total"
    values = [v for r in rows if r.strand is not None and (v := r.at(quarter)) is not None]
    if not values:
        return None, "no value this quarter"
    how = "sum" if ind.unit in ADDITIVE_UNITS else "mean"
    return combine(ind.unit, values), f"{how} of {len(values)} strand(s)"


def headline(p: ProgrammeData, ind: IndicatorInfo, rows: Sequence[Row], quarter: str
             ) -> Headline:
    mine = [r for r in rows if r.indicator.code == ind.code]
    value, basis = programme_value(ind, mine, quarter)
    at = Quarter.parse(quarter)
    for back in range(1, LOOK_BACK + 1):  # a yearly survey: show its latest value
        if value is not None:
            break
        value, basis = programme_value(ind, mine, str(at.shift(-back)))
        if value is not None:
            at = at.shift(-back)
            basis = f"{basis}, latest value ({at})"
    previous, _ = programme_value(ind, mine, str(at.previous()))
    own_targets = [t for t in p.targets if t.indicator == ind.code and t.strand is None]
    target: float | None = None
    if own_targets:
        t = pick_target(own_targets, quarter)
        target = t.value if t else None
    else:
        by_strand = [r.target for r in mine if r.strand is not None and r.target is not None]
        target = combine(ind.unit, by_strand)
    status = on_track(ind.direction, ind.baseline_value, value, target, ind.amber_at,
                      ind.red_at, ind.range_min, ind.range_max, unit=ind.unit)
    return Headline(ind, ind.baseline_value, target, value, previous, status, basis)


def divergence(output: Row, outcome: Row | None, quarter: str) -> str:
    """CD-1 "busy, not better": the output rose 10 % in two quarters, the outcome did not."""
    if outcome is None:
        return "no linked outcome values"
    now, before = output.at(quarter), output.at(str(Quarter.parse(quarter).shift(-2)))
    o_change = outcome.change(quarter, 2)
    if now is None or before is None or o_change is None:
        return "not enough data"
    rise = (now - before) / abs(before) if before else (math.inf if now > before else 0.0)
    if outcome.indicator.direction == "decrease":
        o_change = -o_change
    o_before = outcome.at(str(Quarter.parse(quarter).shift(-2))) or 0.0
    if outcome.indicator.unit == "percent":
        flat = abs(o_change) < FLAT_PP
    else:
        flat = abs(o_change) < FLAT_REL * abs(o_before) if o_before else o_change == 0
    if rise >= OUTPUT_RISE and (flat or o_change < 0):
        return "busy, not better" + (" (outcome worse)" if o_change < 0 and not flat else "")
    return "moving together" if rise >= OUTPUT_RISE else "output not rising"


# ------------------------------------------------------------------------------ risks


def effective_severity(f: Flag) -> str:
    return f.override_severity or f.severity


def severity_rank(s: str | None) -> int:
    return SEVERITIES.index(s) if s in SEVERITIES else -1


@dataclass(frozen=True)
class CategoryRag:
    category: str
    level: str | None  # highest open severity after the roll-up; None: nothing open
    rag: str
    open_flags: int
    top_flag: Flag | None


def category_rags(flags: Sequence[Flag] | None, quarter: str,
                  engine: Mapping[str, str | None] | None = None, *,
                  has_data: bool = True) -> list[CategoryRag]:
    """Domain §2.0: the category shows its highest open severity; three or more open
    medium flags show as high. The rules engine's own roll-up wins when it is given.

    A quarter with neither observations nor flags is "no data", not green: nothing was
    checked, so nothing can be said to be clear."""
    out = []
    quiet = not has_data and not any(f.period == quarter for f in flags or ())
    for cat in CATEGORIES:
        if flags is None:
            out.append(CategoryRag(cat, None, "not computed", 0, None))
            continue
        if quiet:
            out.append(CategoryRag(cat, None, "no data", 0, None))
            continue
        here = [f for f in flags if f.category == cat and f.period == quarter
                and f.status in OPEN_STATUSES]
        if not here:
            out.append(CategoryRag(cat, None, "green", 0, None))
            continue
        here.sort(key=lambda f: (-severity_rank(effective_severity(f)), f.rule_id,
                                 f.strand or "", f.subject))
        level = effective_severity(here[0])
        mediums = sum(effective_severity(f) == "medium" for f in here)
        if mediums >= 3 and severity_rank(level) < severity_rank("high"):
            level = "high"
        if engine is not None and engine.get(cat):
            level = engine[cat] or level
        rag = {"info": "green", "low": "green", "medium": "amber"}.get(level, "red")
        out.append(CategoryRag(cat, level, rag, len(here), here[0]))
    return out


def flag_changes(flags: Sequence[Flag], quarter: str) -> list[tuple[Flag, str]]:
    """The quarter's flags with new / escalated / continuing / closed, plus last quarter's
    flags that did not come back (closed). The rules engine's own word wins when given."""
    previous_q = str(Quarter.parse(quarter).previous())
    before = {(f.strand, f.rule_id, f.subject): f for f in flags if f.period == previous_q}
    out: list[tuple[Flag, str]] = []
    seen = set()
    for f in flags:
        if f.period != quarter:
            continue
        key = (f.strand, f.rule_id, f.subject)
        seen.add(key)
        if f.change:
            change = f.change
        elif f.status not in OPEN_STATUSES:
            change = "closed" if f.status.startswith("closed") else f.status.replace("_", " ")
        elif key not in before:
            change = "new"
        elif severity_rank(effective_severity(f)) > severity_rank(
                effective_severity(before[key])):
            change = "escalated"
        else:
            change = "continuing"
        out.append((f, change))
    for key, f in before.items():
        if key not in seen and f.status in OPEN_STATUSES:
            out.append((f, f.change or "not raised this quarter"))
    out.sort(key=lambda fc: (CATEGORIES.index(fc[0].category)
                             if fc[0].category in CATEGORIES else 99,
                             -severity_rank(effective_severity(fc[0])), fc[0].rule_id,
                             fc[0].strand or "", fc[0].subject, fc[0].period))
    return out


# ---------------------------------------------------------------------------- runway


@dataclass(frozen=True)
class Runway:
    strand: str | None
    quarter: str
    spend: float | None
    trailing_spend: float
    committed_ahead: float
    percent: float | None

    @property
    def rag(self) -> str:
        if self.percent is None:
            return "no data"
        if self.percent >= RUNWAY_GREEN:
            return "green"
        return "amber" if self.percent >= RUNWAY_RED else "red"


def _quarters_of(start: Quarter, end: Quarter) -> list[str]:
    return [str(q) for q in quarter_range(start, end)] if end >= start else []


def runway(p: ProgrammeData, quarter: str) -> list[Runway]:
    """Committed funding for the next four quarters over the spend of the last four.

    Each source's committed amount is spread evenly over the quarters of its period (the
    sample programmes document this method, SU-2)."""
    committed: dict[tuple[str | None, str], float] = defaultdict(float)
    for f in p.funding:
        if f.committed_amount is None or f.period_start is None or f.period_end is None:
            continue
        qs = _quarters_of(Quarter.containing(f.period_start), Quarter.containing(f.period_end))
        for q in qs:
            committed[(f.strand, q)] += f.committed_amount / len(qs)
    spend: dict[tuple[str | None, str], float] = defaultdict(float)
    for s in p.spend:
        spend[(s.strand, s.period)] += s.amount
    strands = sorted({k[0] for k in spend} | {k[0] for k in committed}, key=strand_sort)
    out = []
    for strand in strands:
        for q in window(quarter):
            qq = Quarter.parse(q)
            trailing = sum(spend.get((strand, str(qq.shift(-i))), 0.0) for i in range(4))
            ahead = sum(committed.get((strand, str(qq.shift(i))), 0.0) for i in range(1, 5))
            pct = 100.0 * ahead / trailing if trailing > 0 else None
            out.append(Runway(strand, q, spend.get((strand, q)), trailing, ahead, pct))
    return [r for r in out if r.trailing_spend > 0 or r.committed_ahead > 0]
