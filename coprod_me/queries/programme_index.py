"""The programme list with its counts, read with plain SQL: no ORM entities needed.

The navigator shows this first, before the SQLModel tables are built (a sixth of a second
of start-up), so it reads the columns by name. ``ProgrammeService.summaries`` builds on the
same rows; a test checks that both agree with the entities.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

_OUTCOME_LEVELS = ("outcome_short", "outcome_intermediate")


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


def _counts(conn: Connection, sql: str, **params: object) -> dict[int, int]:
    return {int(k): int(n) for k, n in conn.execute(text(sql), params)}


def programme_rows(conn: Connection) -> list[ProgrammeRow]:
    """Every programme by code, with its strands and the counts the navigator shows."""
    n_ind = _counts(conn, "SELECT programme_id, count(*) FROM indicator GROUP BY programme_id")
    n_out = _counts(conn, "SELECT programme_id, count(*) FROM indicator WHERE result_level "
                          "IN (:a, :b) GROUP BY programme_id",
                    a=_OUTCOME_LEVELS[0], b=_OUTCOME_LEVELS[1])
    n_obs = _counts(conn, "SELECT i.programme_id, count(*) FROM observation o JOIN indicator "
                          "i ON o.indicator_id = i.id GROUP BY i.programme_id")
    n_obs_strand = _counts(conn, "SELECT strand_id, count(*) FROM observation WHERE "
                                 "strand_id IS NOT NULL GROUP BY strand_id")
    strands: dict[int, list[StrandItem]] = {}
    for sid, pid, code, name, type_ in conn.execute(text(
            "SELECT id, programme_id, code, name, type FROM strand ORDER BY code")):
        strands.setdefault(int(pid), []).append(
            StrandItem(code, name, type_, n_obs_strand.get(int(sid), 0)))
    rows = conn.execute(text(
        "SELECT id, code, name, policy_domain, status, os_level, ors_type, "
        "interaction_mode, intended_outcome, tradition_label_override, is_sample "
        "FROM programme ORDER BY code"))
    return [ProgrammeRow(int(pid), code, name, domain, status, os_level, ors_type, mode,
                         outcome, override, bool(sample), len(strands.get(pid, ())),
                         n_ind.get(pid, 0), n_out.get(pid, 0), n_obs.get(pid, 0),
                         tuple(strands.get(pid, ())))
            for pid, code, name, domain, status, os_level, ors_type, mode, outcome,
            override, sample in rows]
