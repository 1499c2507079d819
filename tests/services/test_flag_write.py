"""A rules run writes only what changed in the flag table (issue 14): nothing when nothing
changed, exactly the affected flags when an observation changed, vanished findings retired as
before, the evaluator's handling kept, and the quarters it did not evaluate left alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, func, select

from coprod_me.model import entities as M
from coprod_me.paths import sample_programmes_dir
from coprod_me.services import Services
from tests.builders import set_total

CODE = "RS-01"


@pytest.fixture
def rs(services: Services) -> Services:
    services.workbooks.load(sample_programmes_dir() / f"{CODE}.xlsx")
    services.risk_runs.run(CODE)
    return services


@contextmanager
def _statements(services: Services, params: list[Any] | None = None) -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block (and their parameters, in
    ``params`` when given)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        seen.append(" ".join(statement.split()).upper())
        if params is not None:
            params.append(parameters)

    event.listen(services.store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(services.store.engine, "before_cursor_execute", record)


def _table(statement: str) -> str:
    """The table an INSERT, UPDATE or DELETE statement writes."""
    words = statement.replace("(", " ").split()
    return words[1] if words[0] == "UPDATE" else words[2]


def _rows(services: Services) -> dict[int, dict[str, Any]]:
    """Every stored flag, by id, with every column."""
    with services.store.read() as s:
        t = M.table_of(M.RiskFlag)
        return {r.id: dict(r._mapping) for r in s.connection().execute(select(t))}


def _flag_audit(services: Services, after: int = 0) -> list[M.AuditLog]:
    with services.store.read() as s:
        return list(s.scalars(select(M.AuditLog).where(
            M.AuditLog.entity == "risk_flag", M.AuditLog.id > after)))


def _last_audit_id(services: Services) -> int:
    with services.store.read() as s:
        return int(s.scalar(select(func.max(M.AuditLog.id))) or 0)


def _key(f: Any) -> tuple[str, str, str, str]:
    return (f.quarter, f.rule_id, f.strand or "", f.subject)


def _stored_as(f: Any) -> tuple[Any, ...]:
    """What of a finding its flag stores."""
    return (f.snapshot(1), f.severity, f.category, f.first_raised, f.consecutive, f.suppressed)


def test_a_second_run_that_changes_nothing_writes_no_flag(rs: Services) -> None:
    before, audit_from = _rows(rs), _last_audit_id(rs)
    with _statements(rs) as seen:
        again = rs.risk_runs.run(CODE)
    assert again.flags > 0 and again.new == again.escalated == again.closed == 0
    writes = {(q.split()[0], _table(q)) for q in seen
              if q.startswith(("INSERT", "UPDATE", "DELETE"))}
    # what is written: the run's record (when, by whom) and its audit row, nothing else
    assert writes <= {("UPDATE", "RISK_RUN"), ("INSERT", "AUDIT_LOG")}, writes
    assert _rows(rs) == before
    assert _flag_audit(rs, audit_from) == []


def test_a_changed_observation_changes_exactly_the_affected_flags(rs: Services) -> None:
    old = {_key(f): f for f in rs.risk_runs.evaluate(CODE)}
    before, audit_from = _rows(rs), _last_audit_id(rs)
    set_total(rs, "RS-P1", "IN-BLK", "2024Q2", 16_000)
    new = {_key(f): f for f in rs.risk_runs.evaluate(CODE)}
    affected = {k for k in old.keys() | new.keys()
                if k not in old or k not in new
                or _stored_as(old[k]) != _stored_as(new[k])}
    assert affected  # the edit must matter, or this test proves nothing

    rs.risk_runs.run(CODE)
    after = _rows(rs)
    changed_ids = {i for i in before.keys() | after.keys() if before.get(i) != after.get(i)}
    strands = {st.id: st.code for st in rs.programmes.strands(CODE)}

    def key_of(f: dict[str, Any]) -> tuple[str, str, str, str]:
        return (f["period"], f["rule_id"], strands.get(f["strand_id"], ""), f["subject"])

    assert {key_of(after.get(i) or before[i]) for i in changed_ids} == affected
    audited = {a.entity_id for a in _flag_audit(rs, audit_from)}
    assert audited == changed_ids


def test_a_vanished_finding_is_deleted_untouched_and_closed_when_handled(rs: Services) -> None:
    quarter = max(f.quarter for f in rs.flag_register.register(CODE))
    with rs.store.session(reason="test: flags the rules do not raise") as s:
        pid = s.scalars(select(M.Programme.id).where(M.Programme.code == CODE)).one()
        ghosts = [M.RiskFlag(programme_id=pid, period=quarter, rule_id="DQ-1", subject=subject,
                             category="data_integrity", computed_severity="low",
                             severity="low", status="open", trigger_snapshot="{}")
                  for subject in ("ghost untouched", "ghost handled")]
        s.add_all(ghosts)
    untouched, handled = (g.id for g in ghosts)
    assert untouched is not None and handled is not None
    rs.flag_register.mitigate(handled, mitigation="check the register", owner="M&E officer")
    audit_from = _last_audit_id(rs)

    summary = rs.risk_runs.run(CODE)
    assert summary.closed == 2
    ids = _rows(rs)
    assert untouched not in ids
    closed = rs.flag_register.flag(handled)
    assert closed.status == "closed_resolved"
    assert closed.evaluator_judgement == "[no longer raised by the rules]"
    assert (closed.mitigation, closed.owner) == ("check the register", "M&E officer")
    audit = _flag_audit(rs, audit_from)
    (gone,) = [a for a in audit if a.action == "delete"]
    assert gone.entity_id == untouched and gone.reason == "risk rules run"
    assert json.loads(gone.old or "{}")["subject"] == "ghost untouched"
    assert {(a.entity_id, a.field, a.new) for a in audit if a.action == "update"} == {
        (handled, "status", "closed_resolved"),
        (handled, "evaluator_judgement", "[no longer raised by the rules]")}


def test_the_evaluators_handling_survives_a_rerun(rs: Services) -> None:
    flags = [f for f in rs.flag_register.register(CODE) if f.status == "open"]
    a, m, o = flags[:3]
    reg = rs.flag_register
    reg.acknowledge(a.id, note="known")
    reg.mitigate(m.id, mitigation="train the enumerators", owner="PMU")
    reg.override_severity(o.id, "low" if o.computed_severity != "low" else "high",
                          reason="context the rule cannot see")
    handled = {f.id: reg.flag(f.id) for f in (a, m, o)}
    set_total(rs, "RS-P1", "IN-BLK", "2024Q2", 16_000)  # a run that changes things
    rs.risk_runs.run(CODE)
    rs.risk_runs.run(CODE)
    for fid, was in handled.items():
        now = reg.flag(fid)
        assert (now.status, now.evaluator_judgement, now.mitigation, now.owner,
                now.override_severity, now.override_reason, now.severity) == (
            was.status, was.evaluator_judgement, was.mitigation, was.owner,
            was.override_severity, was.override_reason, was.severity)


def test_quarters_not_evaluated_are_untouched(rs: Services) -> None:
    quarters = rs.flag_register.quarters(CODE)
    last, earlier = quarters[-1], quarters[-2]
    before = {i: r for i, r in _rows(rs).items() if r["period"] == last}
    assert before
    audit_from = _last_audit_id(rs)
    # an edit that a run over the last quarter would see
    set_total(rs, "RS-P1", "IN-BLK", last, 99_000)
    rs.risk_runs.run(CODE, quarter=earlier)
    assert {i: r for i, r in _rows(rs).items() if r["period"] == last} == before
    assert not {a.entity_id for a in _flag_audit(rs, audit_from)} & before.keys()
    rs.risk_runs.run(CODE)  # evaluating it now does change it
    assert {i: r for i, r in _rows(rs).items() if r["period"] == last} != before


def test_judged_locked_quarters_are_not_read_or_written(rs: Services) -> None:
    quarters = rs.flag_register.quarters(CODE)
    for q in quarters[:-2]:
        rs.observations.set_period_status(CODE, q, "locked")
    rs.risk_runs.run(CODE)  # judges the locked quarters once
    frozen = {i: r for i, r in _rows(rs).items() if r["period"] in quarters[:-2]}
    set_total(rs, "RS-P1", "IN-BLK", quarters[-3], 16_000)
    audit_from = _last_audit_id(rs)
    params: list[Any] = []
    with _statements(rs, params) as seen:
        rs.risk_runs.run(CODE)
    # the flags read are those of the quarters evaluated and of the one before them
    reads = [(q, p) for q, p in zip(seen, params, strict=True)
             if q.startswith("SELECT") and " FROM RISK_FLAG" in q]
    assert reads and all("PERIOD IN" in q for q, _ in reads), reads
    read = {v for _, p in reads for v in (p if isinstance(p, (tuple, list)) else p.values())
            if isinstance(v, str) and len(v) == 6 and v[4] == "Q"}
    assert read == set(quarters[-3:])
    assert {i: r for i, r in _rows(rs).items() if r["period"] in quarters[:-2]} == frozen
    assert not {a.entity_id for a in _flag_audit(rs, audit_from)} & frozen.keys()


def test_a_new_flag_inherits_the_handling_of_the_quarter_before_with_its_due_date(
        rs: Services) -> None:
    def su1(quarter: str) -> Any:
        (f,) = [f for f in rs.flag_register.register(CODE, quarter=quarter, strand="ID-KAB")
                if f.rule_id == "SU-1"]
        return f

    rs.flag_register.mitigate(su1("2024Q1").id, mitigation="seek a council resolution",
                              owner="PMU director", due_date=date(2024, 9, 30))
    with rs.store.session(reason="test: forget 2024Q2's flag") as s:
        s.delete(s.get(M.RiskFlag, su1("2024Q2").id))
    audit_from = _last_audit_id(rs)
    rs.risk_runs.run(CODE)
    nxt = su1("2024Q2")
    assert (nxt.status, nxt.owner, nxt.due_date) == ("mitigating", "PMU director",
                                                     date(2024, 9, 30))
    (insert,) = [a for a in _flag_audit(rs, audit_from) if a.action == "insert"]
    assert insert.entity_id == nxt.id
    assert json.loads(insert.new or "{}")["due_date"] == "2024-09-30"
