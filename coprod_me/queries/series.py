"""An indicator's numbers as the charts and the indicator table read them.

Totals by quarter (observations without a disaggregation), single-dimension cells, targets
and result links, as plain tuples keyed by database ids: ``services.series`` and
``services.indicator_status`` shape them into the chart series and the status table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlmodel import Session, col, select

from coprod_me.model import entities as M

#: (quarter, strand id or None for the programme level, value)
QuarterValue = tuple[str, int | None, float]


def strands_by_id(session: Session, programme_id: int | None) -> dict[int | None, M.Strand]:
    return {st.id: st for st in session.scalars(
        select(M.Strand).where(M.Strand.programme_id == programme_id))}


def recorded_values(session: Session, indicator_id: int | None
                    ) -> list[tuple[int | None, str, str, float | None]]:
    """Every value of the indicator: (strand id, quarter, dims key, value), cells included."""
    return [(sid, period, key, value) for sid, period, key, value in session.execute(
        select(M.Observation.strand_id, M.Observation.period, M.Observation.dims_key,
               M.Observation.value).where(M.Observation.indicator_id == indicator_id,
                                          col(M.Observation.value).is_not(None)))]


def target_values(session: Session, indicator_id: int | None
                  ) -> list[tuple[int | None, str, float]]:
    """The indicator's targets: (strand id, quarter, value)."""
    return [(sid, period, value) for sid, period, value in session.execute(
        select(M.Target.strand_id, M.Target.period, M.Target.value)
        .where(M.Target.indicator_id == indicator_id))]


def disaggregated_values(session: Session, indicator_id: int | None, strand_id: int | None
                         ) -> list[tuple[str, str, float | None]]:
    """The indicator's cells (not its totals) at a strand or at the programme level (None):
    (quarter, dims key, value)."""
    return [(period, key, value) for period, key, value in session.execute(
        select(M.Observation.period, M.Observation.dims_key, M.Observation.value).where(
            M.Observation.indicator_id == indicator_id, M.Observation.dims_key != "",
            col(M.Observation.value).is_not(None),
            M.Observation.strand_id == strand_id if strand_id is not None else
            col(M.Observation.strand_id).is_(None)))]


def linked_codes(session: Session, indicator_id: int | None, *, upstream: bool) -> list[str]:
    """Codes of the indicators linked to this one: what drives it (``upstream``), else what
    it should drive."""
    here, there = ((M.ResultLink.to_indicator_id, M.ResultLink.from_indicator_id)
                   if upstream else
                   (M.ResultLink.from_indicator_id, M.ResultLink.to_indicator_id))
    ids = list(session.scalars(select(there).where(here == indicator_id)))
    return sorted(session.scalars(select(M.Indicator.code).where(
        col(M.Indicator.id).in_(ids))))


def totals_by_indicator(session: Session, indicator_ids: Sequence[int | None]
                        ) -> dict[int | None, list[QuarterValue]]:
    """Each indicator's totals (no disaggregation), every quarter and strand."""
    values: dict[int | None, list[QuarterValue]] = defaultdict(list)
    for ind_id, period, strand_id, value in session.execute(
            select(M.Observation.indicator_id, M.Observation.period,
                   M.Observation.strand_id, M.Observation.value).where(
                col(M.Observation.indicator_id).in_(indicator_ids),
                M.Observation.dims_key == "", col(M.Observation.value).is_not(None))):
        values[ind_id].append((period, strand_id, value))
    return values


def targets_by_indicator(session: Session, indicator_ids: Sequence[int | None]
                         ) -> dict[int | None, list[QuarterValue]]:
    """Each indicator's targets, every quarter and strand."""
    targets: dict[int | None, list[QuarterValue]] = defaultdict(list)
    for t in session.scalars(select(M.Target).where(
            col(M.Target.indicator_id).in_(indicator_ids))):
        targets[t.indicator_id].append((t.period, t.strand_id, t.value))
    return targets


def links_by_indicator(session: Session, indicators: Sequence[M.Indicator]
                       ) -> dict[int | None, list[str]]:
    """Each indicator's outgoing links: the codes of the indicators it should drive."""
    code_of = {i.id: i.code for i in indicators}
    links: dict[int | None, list[str]] = defaultdict(list)
    for lk in session.scalars(select(M.ResultLink).where(
            col(M.ResultLink.from_indicator_id).in_(list(code_of)))):
        links[lk.from_indicator_id].append(code_of[lk.to_indicator_id])
    return links
