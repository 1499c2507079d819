"""The programme list as the navigator shows it, light enough for the window's first paint.

Only the outcome gates need the indicator entities; ``programme_index`` leaves them unknown
(None), and ``ProgrammeService.summaries`` fills them in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coprod_me.model.coaching import derive_tradition_label
from coprod_me.queries.programme_index import ProgrammeRow, StrandItem, programme_rows
from coprod_me.store.session import Store

__all__ = ["ProgrammeSummary", "StrandItem", "programme_index", "summarise"]


@dataclass(frozen=True)
class ProgrammeSummary:
    code: str
    name: str
    policy_domain: str | None
    status: str
    tradition_label: str
    tradition_overridden: bool
    is_sample: bool
    strands: int
    indicators: int
    outcomes: int
    observations: int
    gates_unmet: int | None  # None: not counted yet (the first paint of the navigator)
    strand_items: tuple[StrandItem, ...] = ()


def summarise(rows: list[ProgrammeRow], gates_unmet: Mapping[int, int] | None = None
              ) -> list[ProgrammeSummary]:
    out = []
    for p in rows:
        label, _why = derive_tradition_label(p.interaction_mode, p.os_level, p.ors_type,
                                             p.intended_outcome)
        out.append(ProgrammeSummary(
            p.code, p.name, p.policy_domain, p.status, p.tradition_label_override or label,
            bool(p.tradition_label_override), p.is_sample, p.strands, p.indicators, p.outcomes,
            p.observations, None if gates_unmet is None else gates_unmet[p.id],
            p.strand_items))
    return out


def programme_index(store: Store) -> list[ProgrammeSummary]:
    """Every programme with its counts and strands, the gates not counted (plain SQL)."""
    with store.engine.connect() as conn:
        return summarise(programme_rows(conn))
