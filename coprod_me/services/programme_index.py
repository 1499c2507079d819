"""The programme list as the navigator and ``coprod-me list`` show it, and a programme's
outcome gates, light enough for the window's first paint and a small command.

``programme_index`` leaves the gates unknown (None) for the first paint; ``ProgrammeReads``
counts them from plain rows, on SQLAlchemy's connection (``ProgrammeService``) or on a plain
read-only ``sqlite3`` one (``coprod-me list`` and ``gates``, which then import neither
SQLAlchemy nor the entities).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coprod_me.model.coaching import (
    Gate,
    derive_tradition_label,
    structural_gates,
    unmet_gates,
)
from coprod_me.model.errors import NotFound
from coprod_me.queries.programme_index import (
    GateRows,
    ProgrammeRow,
    StrandItem,
    gate_rows,
    programme_ids,
    programme_rows,
)
from coprod_me.store.plain_reads import plain_reader

if TYPE_CHECKING:
    from coprod_me.queries.programme_index import PlainConnection
    from coprod_me.store.session import Store

__all__ = ["PlainServices", "ProgrammeReads", "ProgrammeSummary", "StrandItem", "programme_codes",
           "programme_index",
           "summarise"]


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


def programme_codes(store: Store) -> list[str]:
    """Every programme's code, sorted (plain SQL, no counts)."""
    with store.engine.connect() as conn:
        return sorted(programme_ids(conn))


class ProgrammeReads:
    """The programme list with its gates counted, and one programme's gates, on one
    connection (the ``programmes`` of the small commands' plain services)."""

    def __init__(self, conn: PlainConnection) -> None:
        self.conn = conn

    def summaries(self) -> list[ProgrammeSummary]:
        rows = programme_rows(self.conn)
        facts = gate_rows(self.conn)
        return summarise(rows, {p.id: len(unmet_gates(_gates(facts.get(p.id))))
                                for p in rows})

    def gates(self, code: str) -> list[Gate]:
        pid = programme_ids(self.conn).get(code)
        if pid is None:
            raise NotFound.programme(code)
        return _gates(gate_rows(self.conn, pid).get(pid))


def _gates(facts: GateRows | None) -> list[Gate]:
    if facts is None:  # a programme with no indicator and no phase
        return structural_gates([], [], ())
    return structural_gates(facts.indicators, facts.links, facts.phases)


class PlainServices:
    """What ``coprod-me list`` and ``gates`` use of ``Services``, on a plain read-only
    ``sqlite3`` connection (``store.plain_reads``): ``programmes`` and ``close``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.programmes = ProgrammeReads(conn)

    @classmethod
    def open(cls, path: Path, *, look: float) -> PlainServices | None:
        """None when the database must be opened the usual way (see ``plain_reader``)."""
        conn = plain_reader(path, look=look)
        return None if conn is None else cls(conn, path)

    def close(self) -> None:
        self.conn.close()
