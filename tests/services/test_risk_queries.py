"""The read floor of the risk services: the flag, run and parameter lookups they call."""

from __future__ import annotations

from coprod_me.paths import sample_programmes_dir
from coprod_me.queries.programmes import get_programme
from coprod_me.queries.risk_flags import flag_quarters, flags_of, stored_flags, strand_codes
from coprod_me.queries.risk_runs import last_risk_run, periods_never_judged
from coprod_me.queries.rule_parameters import min_n_overrides, parameter_override
from coprod_me.services import Services


def _flagged(services: Services, *codes: str) -> Services:
    for code in codes:
        services.workbooks.load(sample_programmes_dir() / f"{code}.xlsx")
    services.risk_runs.run()
    return services


def test_stored_flags_are_those_of_the_programme_and_quarter_pairs_asked(
        services: Services) -> None:
    _flagged(services, "RS-01", "HL-01")
    with services.store.read() as s:
        rs, hl = get_programme(s, "RS-01").id, get_programme(s, "HL-01").id
        assert rs is not None and hl is not None
        rs_q, hl_q = flag_quarters(s, rs)[-1], flag_quarters(s, hl)[0]
        assert rs_q != hl_q  # so the pairs, not each column, must do the picking
        got = stored_flags(s, {(rs, rs_q), (hl, hl_q)})
        want = {(f.programme_id, f.period, f.rule_id, f.subject)
                for f in [*flags_of(s, rs, quarter=rs_q), *flags_of(s, hl, quarter=hl_q)]}
        assert {(f.programme_id, f.period, f.rule_id, f.subject) for f in got} == want
        assert want and stored_flags(s, set()) == []


def test_flags_of_narrows_by_strand_and_an_empty_strand_list_matches_none(
        services: Services) -> None:
    _flagged(services, "RS-01")
    with services.store.read() as s:
        pid = get_programme(s, "RS-01").id
        codes = strand_codes(s, pid)
        every = flags_of(s, pid)
        some = [next(f.strand_id for f in every if f.strand_id is not None)]
        by_strand = flags_of(s, pid, strand_ids=some)
        assert some[0] in codes and {f.strand_id for f in by_strand} == set(some)
        assert sorted(f.id for f in by_strand) == sorted(
            f.id for f in every if f.strand_id == some[0])
        assert len(by_strand) < len(every)
        assert flags_of(s, pid, strand_ids=[]) == []


def test_a_run_is_recorded_and_judges_the_locked_quarters_once(services: Services) -> None:
    services.workbooks.load(sample_programmes_dir() / "ULL-01.xlsx")
    status = services.risk_runs.evaluations("ULL-01")[0][0].period_status
    locked = sorted(q for q, st in status.items() if st == "locked")
    first_open, *_ = still_open = sorted(q for q, st in status.items() if st == "open")
    services.observations.set_period_status("ULL-01", first_open, "locked")
    with services.store.read() as s:
        pid = get_programme(s, "ULL-01").id
        assert last_risk_run(s, pid) is None
        assert [p.quarter for p in periods_never_judged(s, pid, sorted(status))] == sorted(status)
    services.risk_runs.run("ULL-01")
    with services.store.read() as s:
        run = last_risk_run(s, pid)
        assert run is not None and run.flags > 0 and locked
        # the locked quarters are judged now; an open one is judged again at every run
        assert [p.quarter for p in periods_never_judged(s, pid, sorted(status))] == still_open[1:]


def test_min_n_overrides_are_by_programme_code(services: Services) -> None:
    _flagged(services, "RS-01")
    services.rule_settings.set_parameter("RS-01", "EQ-2", "min_n", 250.0, reason="survey n")
    with services.store.read() as s:
        assert min_n_overrides(s, "EQ-2") == {"RS-01": 250}
        assert min_n_overrides(s, "CD-1") == {}
        pid = get_programme(s, "RS-01").id
        row = parameter_override(s, pid, "EQ-2", "min_n")
        assert row is not None and row.reason == "survey n"
        assert parameter_override(s, pid, "EQ-2", "ogr_medium") is None
