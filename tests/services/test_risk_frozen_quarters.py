"""Locked quarters the rules already judged keep their flags and are not evaluated again;
the quarters after them must come out exactly as a full evaluation would make them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coprod_me.paths import sample_programmes_dir
from coprod_me.queries.risk_snapshot import build_snapshots
from coprod_me.risks.engine import evaluate
from coprod_me.services import Services

SAMPLES = ("RS-01", "ULL-01", "HR-01", "HL-01", "KR-01")


def _key(f):
    return (f.rule_id, f.strand or "", f.subject, f.quarter, f.severity, f.why,
            f.first_raised, f.consecutive, f.suppressed)


def _register(services: Services, code: str):
    return sorted((f.rule_id, f.strand or "", f.subject, f.quarter, f.severity, f.computed_severity,
                   f.status, f.why) for f in services.flag_register.register(code))


@pytest.mark.parametrize("code", SAMPLES)
def test_judged_locked_quarters_are_skipped_and_change_nothing(services: Services,
                                                                code: str) -> None:
    services.workbooks.load(sample_programmes_dir() / f"{code}.xlsx")
    quarters = sorted(set(services.risk_runs.evaluations(code)[0][0].quarters))
    assert len(quarters) >= 4
    # lock all but the last two quarters, as a programme a few years in would have them
    for q in quarters[:-2]:
        services.observations.set_period_status(code, q, "locked")
    services.risk_runs.run(code)  # judges the locked quarters once
    first = _register(services, code)

    ((snap, findings),) = services.risk_runs.evaluations(code)
    assert snap.frozen_quarters == set(quarters[:-2])
    assert {f.quarter for f in findings} <= set(quarters[-2:])
    # the same findings as evaluating every quarter from scratch, over every quarter's data
    with services.store.read() as s:
        (complete,) = build_snapshots(s, [code], complete=True)
    assert set(complete.spreads) >= set(snap.spreads)
    read = {q for by_q in snap.spreads.values() for q in by_q}
    assert not read or min(read) >= quarters[-4]  # breakdowns only from two before the first
    full = [f for f in evaluate(replace(complete, frozen_quarters=frozenset()))
            if f.quarter in quarters[-2:]]
    assert sorted(map(_key, findings)) == sorted(map(_key, full))

    again = services.risk_runs.run(code)
    assert again.new == again.escalated == again.closed == again.reopened == 0
    assert again.kept_quarters == len(quarters) - 2
    assert _register(services, code) == first


def test_the_snapshots_light_rows_read_like_core_rows(services: Services) -> None:
    """The rules read small tables as light named tuples made straight from the driver's
    rows; dates, datetimes and booleans must come out exactly as SQLAlchemy would give them."""
    from sqlalchemy import select

    from coprod_me.model import entities as M
    from coprod_me.queries.risk_snapshot import rows_by_programme
    from coprod_me.services.database import load_samples

    load_samples(services.store)
    services.risk_runs.run()  # reporting periods get their judged time (a datetime)
    with services.store.read() as s:
        for model in (M.Allocation, M.FundingSource, M.Sponsor, M.FeedbackRecord,
                      M.ChannelRecord, M.ReportingPeriod, M.CapacityAssessment, M.Evidence,
                      M.Indicator, M.ParticipationRecord):
            core = {r.id: r for r in s.connection().execute(select(M.table_of(model))).all()}
            light = {r.id: r for rows in rows_by_programme(s, model, None).values() for r in rows}
            assert core.keys() == light.keys() and core, model
            for key, row in light.items():
                for name in row._fields:
                    a, b = getattr(core[key], name), getattr(row, name)
                    assert (a, type(a)) == (b, type(b)), (model.__name__, name)
