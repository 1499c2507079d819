"""The programme list with its counts, and what the outcome gates read, in plain SQL: no ORM
entities, and no SQLAlchemy at all when given a DB-API connection.

The navigator shows this first, before the SQLModel tables are built (a sixth of a second
of start-up), so it reads the columns by name; ``coprod-me list`` and ``gates`` read through
it on a plain read-only ``sqlite3`` connection, so a small command does not import or build
what it does not use. ``ProgrammeService`` reads the same rows through SQLAlchemy: one set of
queries for both. Every value in the SQL is a constant or an id read from the database, so
no parameter style is needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy import Connection

    PlainConnection = Connection | sqlite3.Connection

_OUTCOME_LEVELS = ("outcome_short", "outcome_intermediate")


def _rows(conn: PlainConnection, sql: str) -> Iterable[Any]:
    """The rows of ``sql`` on a SQLAlchemy connection or a DB-API one."""
    if hasattr(conn, "exec_driver_sql"):  # SQLAlchemy's: the SQL as the driver takes it
        return conn.exec_driver_sql(sql)
    return conn.execute(sql)


@dataclass(frozen=True)
class StrandItem:
    """A strand or site as the navigator lists it under its programme."""

    code: str
    name: str
    type: str
    observations: int


@dataclass(frozen=True)
class ProgrammeRow:
    id: int
    code: str
    name: str
    policy_domain: str | None
    status: str
    os_level: str | None
    ors_type: str | None
    interaction_mode: str | None
    intended_outcome: str | None
    tradition_label_override: str | None
    is_sample: bool
    strands: int
    indicators: int
    outcomes: int
    observations: int
    strand_items: tuple[StrandItem, ...]


def _counts(conn: PlainConnection, sql: str) -> dict[int, int]:
    return {int(k): int(n) for k, n in _rows(conn, sql)}


def programme_rows(conn: PlainConnection) -> list[ProgrammeRow]:
    """Every programme by code, with its strands and the counts the navigator shows."""
    n_ind = _counts(conn, "SELECT programme_id, count(*) FROM indicator GROUP BY programme_id")
    n_out = _counts(conn, "SELECT programme_id, count(*) FROM indicator WHERE result_level "
                          f"IN {_OUTCOME_LEVELS!r} GROUP BY programme_id")
    n_obs = _counts(conn, "SELECT i.programme_id, count(*) FROM observation o JOIN indicator "
                          "i ON o.indicator_id = i.id GROUP BY i.programme_id")
    n_obs_strand = _counts(conn, "SELECT strand_id, count(*) FROM observation WHERE "
                                 "strand_id IS NOT NULL GROUP BY strand_id")
    strands: dict[int, list[StrandItem]] = {}
    for sid, pid, code, name, type_ in _rows(
            conn, "SELECT id, programme_id, code, name, type FROM strand ORDER BY code"):
        strands.setdefault(int(pid), []).append(
            StrandItem(code, name, type_, n_obs_strand.get(int(sid), 0)))
    rows = _rows(
        conn, "SELECT id, code, name, policy_domain, status, os_level, ors_type, "
              "interaction_mode, intended_outcome, tradition_label_override, is_sample "
              "FROM programme ORDER BY code")
    return [ProgrammeRow(int(pid), code, name, domain, status, os_level, ors_type, mode,
                         outcome, override, bool(sample), len(strands.get(pid, ())),
                         n_ind.get(pid, 0), n_out.get(pid, 0), n_obs.get(pid, 0),
                         tuple(strands.get(pid, ())))
            for pid, code, name, domain, status, os_level, ors_type, mode, outcome,
            override, sample in rows]


def programme_ids(conn: PlainConnection) -> dict[str, int]:
    """Every programme's id by code (a code typed by a user never goes into the SQL)."""
    return {code: int(pid) for pid, code in _rows(conn, "SELECT id, code FROM programme")}


# ------------------------------------------------------------------------- outcome gates

@dataclass(frozen=True)
class GateIndicatorRow:
    """An indicator's columns the outcome gates read (``model.coaching.GateIndicator``)."""

    id: int
    programme_id: int
    code: str
    result_level: str
    phases: str | None
    baseline_value: float | None
    direction: str
    unit: str
    numerator_def: str | None
    denominator_def: str | None
    disaggregation_required: str | None
    verification_type: str | None


@dataclass(frozen=True)
class GateLinkRow:
    from_indicator_id: int
    to_indicator_id: int
    assumption_text: str


@dataclass
class GateRows:
    """What the outcome gates of one programme read."""

    indicators: list[GateIndicatorRow]
    links: list[GateLinkRow]
    phases: set[str]


def gate_rows(conn: PlainConnection, programme_id: int | None = None) -> dict[int, GateRows]:
    """The outcome gates' facts by programme id: every programme's, or one's."""
    where = "" if programme_id is None else f" WHERE programme_id = {int(programme_id)}"
    facts: dict[int, GateRows] = {}
    owner: dict[int, int] = {}
    for row in _rows(conn, "SELECT id, programme_id, code, result_level, phases, "
                           "baseline_value, direction, unit, numerator_def, denominator_def, "
                           "disaggregation_required, verification_type FROM indicator"
                           + where + " ORDER BY id"):
        ind = GateIndicatorRow(*row)
        owner[ind.id] = ind.programme_id
        facts.setdefault(ind.programme_id, GateRows([], [], set())).indicators.append(ind)
    for pid, phase in _rows(conn, "SELECT DISTINCT programme_id, phase FROM programme_phase"
                                  + where):
        facts.setdefault(int(pid), GateRows([], [], set())).phases.add(phase)
    for from_id, to_id, assumption in _rows(
            conn, "SELECT from_indicator_id, to_indicator_id, assumption_text FROM result_link "
                  "ORDER BY id"):
        if (pid := owner.get(from_id)) is not None:
            facts[pid].links.append(GateLinkRow(from_id, to_id, assumption))
    return facts
