"""Writing the flags a rules run creates, thousands at a time, each audited as the ORM would.

Building tens of thousands of instrumented SQLModel objects and letting the unit of work
insert them cost more than the rules themselves; a run builds plain ``NewFlag`` rows and
``insert_flags`` writes them in one executemany per programme, with the audit rows the
store's flush hook would have written for them, field for field.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from coprod_me.model import entities as M
from coprod_me.store.session import insert_audited

_FLAG_TABLE = M.table_of(M.RiskFlag)
_FLAG_COLUMNS = tuple(c.name for c in _FLAG_TABLE.c)


class NewFlag:
    """A flag a run creates: the columns of ``RiskFlag`` as plain attributes."""

    __slots__ = _FLAG_COLUMNS

    def __init__(self, programme_id: int, strand_id: int | None, period: str, rule_id: str,
                 rule_version: int, subject: str, category: str, computed_severity: str,
                 severity: str, status: str, trigger_snapshot: str,
                 first_raised_period: str, consecutive_periods: int) -> None:
        self.id: int | None = None
        self.programme_id = programme_id
        self.strand_id = strand_id
        self.period = period
        self.rule_id = rule_id
        self.rule_version = rule_version
        self.subject = subject
        self.category = category
        self.computed_severity = computed_severity
        self.severity = severity
        self.status = status
        self.trigger_snapshot = trigger_snapshot
        self.first_raised_period = first_raised_period
        self.consecutive_periods = consecutive_periods
        self.evaluator_judgement: str | None = None
        self.override_severity: str | None = None
        self.override_reason: str | None = None
        self.mitigation: str | None = None
        self.owner: str | None = None
        self.due_date: date | None = None
        self.import_batch_id: int | None = None


def insert_flags(session: Session, rows: list[NewFlag]) -> None:
    """Insert the new flags in one executemany, each audited as the store audits an insert;
    the flags land where the unit of work put them, before the run's deletes. Sets each
    row's id."""
    records = [{c: getattr(r, c) for c in _FLAG_COLUMNS} for r in rows]
    first = insert_audited(session, _FLAG_TABLE, records)
    for i, r in enumerate(rows, start=first):
        r.id = i
