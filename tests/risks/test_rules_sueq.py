"""SU-1..SU-9 and EQ-1..EQ-6 read from their rule text: each threshold from both sides, each
severity arm, the minimum n, and a why and severity reason that say the numbers."""

from __future__ import annotations

from datetime import date

import pytest

from coprod_me.model import entities as M
from coprod_me.risks.definitions import load_rules
from coprod_me.risks.snapshot import Point, Spread
from tests.risks.sueq_cases import NORTH, found, one, outcome, people, programme, record, snap

# ------------------------------------------------------------------------------------------
# SU-1 single political sponsor dependence (>= 60 %; high within 12 months or before the
# planned end, with no commitment beyond the term)


def _su1(share: float, term_end: date | None, *, committed: bool = False,
         planned_end: date = date(2025, 3, 31)) -> list:
    sponsor = M.Sponsor(id=1, programme_id=1, code="MAYOR", office_title="Mayor of Northside",
                        term_end_date=term_end, commitment_beyond_term=committed)
    year = {"period_start": date(2024, 1, 1), "period_end": date(2024, 12, 31)}
    money = (M.FundingSource(id=1, programme_id=1, code="G1", sponsor_id=1, strand_id=1,
                             type="project_grant", committed_amount=4 * share, **year),
             M.FundingSource(id=2, programme_id=1, code="G2", strand_id=1, type="recurrent_budget",
                             committed_amount=4 * (100 - share), **year))
    s = snap(strands=(NORTH,), prog=programme(planned_end_date=planned_end), sponsors=(sponsor,),
             funding=money)
    return found(s, "SU-1", "2024Q2")


def test_su1_raises_at_sixty_percent_dependence_and_not_below():
    assert [f.severity for f in _su1(59.9, date(2030, 1, 1))] == []
    (f,) = _su1(60, date(2030, 1, 1), planned_end=date(2029, 12, 31))
    assert f.severity == "medium"
    assert "60 % of the funding of Northside" in f.why and "S-N" not in f.why
    assert f.severity_reason.startswith("medium: dependence 60 % is at or above 60 %")


def test_su1_is_high_within_twelve_months_and_medium_at_thirteen():
    (f,) = _su1(70, date(2025, 6, 30))  # 12 months after 2024-06-30
    assert f.severity == "high"
    assert "12 months away, within 12" in f.severity_reason
    (f,) = _su1(70, date(2025, 7, 31))  # 13 months, after the planned end 2025-03-31
    assert f.severity == "medium"
    assert "13 months away (beyond 12)" in f.severity_reason


def test_su1_is_high_when_the_term_ends_before_the_planned_end_unless_committed():
    (f,) = _su1(70, date(2026, 6, 30), planned_end=date(2026, 12, 31))  # 24 months away
    assert f.severity == "high" and "before the planned end (2026-12-31)" in f.severity_reason
    (f,) = _su1(70, date(2026, 6, 30), planned_end=date(2026, 12, 31), committed=True)
    assert f.severity == "medium" and "commitment beyond the term" in f.severity_reason
    (f,) = _su1(70, None)
    assert f.severity == "medium" and "no term end or election date" in f.severity_reason
    assert f.thresholds[0]["unit"] == "percent" and f.thresholds[1]["unit"] == "months"


def test_su1_rule_data_states_the_planned_end_clause():
    rule = load_rules()["SU-1"]
    assert "before the planned end" in rule.logic
    assert "before_end" in rule.severity_logic[0]["if"]


# ------------------------------------------------------------------------------------------
# SU-2 funding runway (< 80 % medium, < 50 % high)


def _su2(committed: float, *, kind: str = "project_grant", renewable: bool = False,
         start: date = date(2024, 7, 1), end: date = date(2025, 6, 30)) -> list:
    spend = tuple(M.SpendRecord(programme_id=1, period=q, amount=100.0)
                  for q in ("2023Q3", "2023Q4", "2024Q1", "2024Q2"))
    money = (M.FundingSource(id=1, programme_id=1, code="G1", type=kind,
                             committed_amount=committed, is_renewable=renewable,
                             period_start=start, period_end=end),)
    return found(snap(spend=spend, funding=money), "SU-2", "2024Q2")


def test_su2_thresholds_from_both_sides():
    assert _su2(320) == []  # 80 %
    (f,) = _su2(319)
    assert f.severity == "medium" and "79.8 %" in f.why and "319 committed" in f.why
    assert f.severity_reason == "medium: the runway of 79.8 % is below 80 % but not below 50 %"
    (f,) = _su2(200)
    assert f.severity == "medium"  # 50 % is not below 50 %
    (f,) = _su2(199)
    assert f.severity == "high" and f.severity_reason == "high: the runway of 49.8 % is below 50 %"
    assert "the programme as a whole" in f.why


def test_su2_counts_a_renewable_recurrent_line_on_and_says_so():
    year = {"start": date(2024, 1, 1), "end": date(2024, 12, 31), "kind": "recurrent_budget"}
    assert _su2(400, renewable=True, **year) == []  # 200 covered + 200 assumed: 100 %
    (f,) = _su2(400, renewable=False, **year)
    assert f.severity == "medium" and "assumed" not in f.why  # 200 / 400 = 50 %
    (f,) = _su2(240, renewable=True, **year)  # 120 covered + 120 assumed = 60 %
    assert f.severity == "medium" and "120 of it is a renewable recurrent budget line" in f.why
    assert load_rules()["SU-2"].departures


# ------------------------------------------------------------------------------------------
# SU-3 institutionalisation gap (> 24 months or > 50 % elapsed; high with SU-2)


def _pilot(end: date, **kw: object) -> M.Strand:
    return M.Strand(id=1, programme_id=1, code="S-N", name="Northside", type="site",
                    start_date=date(2023, 1, 1), end_date=end,
                    institutional_status="pilot_experiment", **kw)


def test_su3_age_from_both_sides():
    s = snap(strands=(_pilot(date(2027, 12, 31)),))  # 60 months planned
    assert found(s, "SU-3", "2024Q4") == []  # 24 months, 40 % elapsed
    f = one(s, "SU-3", "2025Q1")
    assert f.severity == "medium"
    assert "Northside is still a pilot experiment after 27 months" in f.why
    assert f.severity_reason.startswith("medium: still a pilot experiment (27 months is past 24)")


def test_su3_elapsed_share_from_both_sides_and_an_approved_plan_clears_it():
    s = snap(strands=(_pilot(date(2024, 12, 31)),))  # 24 months planned
    assert found(s, "SU-3", "2023Q4") == []  # 365 / 731 days = 49.9 %
    f = one(s, "SU-3", "2024Q1")
    assert "62.4 % of its planned duration" in f.why and "past 50 %" in f.severity_reason
    plan = M.InstitutionalStatusChange(programme_id=1, strand_id=1, period="2024Q1",
                                       institutional_status="pilot_experiment",
                                       transition_plan_approved=True)
    assert found(snap(strands=(_pilot(date(2024, 12, 31)),), status_changes=(plan,)),
                 "SU-3", "2024Q1") == []


def test_su3_is_high_when_the_runway_is_short_too():
    spend = tuple(M.SpendRecord(programme_id=1, strand_id=1, period=q, amount=100.0)
                  for q in ("2024Q2", "2024Q3", "2024Q4", "2025Q1"))
    s = snap(strands=(_pilot(date(2027, 12, 31)),), spend=spend)
    f = one(s, "SU-3", "2025Q1", also=("SU-2",))
    assert f.severity == "high" and "funding runway rule (SU-2) fires" in f.severity_reason


# ------------------------------------------------------------------------------------------
# SU-4 retention (R_4 < 65 % medium; active down > 25 % over two consecutive quarters high)


def _series(actives: list[int], continuing: list[int | None] | None = None,
            new: list[int | None] | None = None) -> object:
    quarters = ("2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2")
    rows = tuple(record(q, a, strand_id=1,
                        continuing_active=None if continuing is None else continuing[i],
                        new=None if new is None else new[i])
                 for i, (q, a) in enumerate(zip(quarters, actives, strict=False)))
    return snap(strands=(NORTH,), participation=rows)


def test_su4_the_brief_case_is_high_at_the_quarter_of_210_with_active_counts_alone():
    s = _series([380, 300, 210])
    assert found(s, "SU-4", "2023Q2") == []  # -21 % over one quarter
    f = one(s, "SU-4", "2023Q3")
    assert f.severity == "high" and f.base_severity == "high"
    assert "from 380 in 2023Q1 to 300 and then 210 in 2023Q3, 44.7 % down" in f.why
    assert "Northside, co-delivery" in f.why
    assert f.severity_reason == ("high: active participants are down 44.7 % over two "
                                 "consecutive quarters, more than 25 %")


def test_su4_drop_threshold_from_both_sides():
    assert found(_series([400, 350, 300]), "SU-4", "2023Q3") == []  # exactly 25 %
    assert one(_series([400, 350, 299]), "SU-4", "2023Q3").severity == "high"
    # a rise then a steep fall counts over the two quarters as the text says
    assert one(_series([400, 420, 290]), "SU-4", "2023Q3").severity == "high"


def test_su4_retention_floor_over_four_quarters():
    steady = [100] * 6
    assert found(_series(steady, [None, 90, 90, 90, 90, 90]), "SU-4") == []  # 0.9^4 = 65.6 %
    f, g = found(_series(steady, [None, 89, 89, 89, 89, 89]), "SU-4")
    assert f.quarter == "2024Q1" and f.severity == "medium"  # 0.89^4 = 62.7 %
    assert (g.quarter, g.base_severity, g.severity) == ("2024Q2", "medium", "high")  # persists
    assert "retention over four quarters is 62.7 % (benchmark 65 %" in f.why
    assert f.severity_reason.startswith("medium: retention 62.7 % is below 65 %")


def test_su4_never_annualises_a_short_history():
    (f,) = found(_series([100, 100, 100], [None, 80, 80]), "SU-4")
    assert f.quarter == "2023Q3" and "the 2 quarters with data (not annualised) is 64 %" in f.why
    assert found(_series([100, 100], [None, 85]), "SU-4") == []  # 85 %, annualised 52 %
    # the fallback (active - new) / active before: 60 % in one quarter is below 65 %
    (f,) = found(_series([100, 100], new=[None, 40]), "SU-4")
    assert f.severity == "medium" and "60 %" in f.why


def test_su4_is_suppressed_under_a_cohort_of_thirty():
    f = one(_series([40, 29, 20]), "SU-4", "2023Q3")
    assert f.suppressed and "cohort was 29" in f.why and "29 is under 30" in f.severity_reason
    assert not one(_series([40, 30, 20]), "SU-4", "2023Q3").suppressed


# ------------------------------------------------------------------------------------------
# SU-5 post-launch decay (< 50 % of peak medium, < 30 % high, from the 2nd quarter after it)


def _decay(now: int, peak: int = 100) -> object:
    return snap(strands=(NORTH,), participation=(
        record("2023Q1", peak, strand_id=1), record("2023Q2", peak // 2, strand_id=1),
        record("2023Q3", now, strand_id=1)))


def test_su5_thresholds_from_both_sides():
    assert found(_decay(50), "SU-5", "2023Q3") == []
    f = one(_decay(49), "SU-5", "2023Q3")
    assert f.severity == "medium"
    assert "49 active contributors in 2023Q3 are 49 % of the peak of 100" in f.why
    assert one(_decay(30), "SU-5", "2023Q3").severity == "medium"
    f = one(_decay(29), "SU-5", "2023Q3")
    assert f.severity == "high" and f.severity_reason == "high: 29 % of the peak is below 30 %"


def test_su5_waits_two_quarters_after_the_peak_and_needs_a_peak_of_thirty():
    s = snap(participation=(record("2023Q1", 100), record("2023Q2", 10)))
    assert found(s, "SU-5") == []
    f = one(_decay(5, peak=29), "SU-5", "2023Q3")
    assert f.suppressed and "peak of 29 is under 30" in f.severity_reason


# ------------------------------------------------------------------------------------------
# SU-6 outcome slippage (>= 10 % below a met target; re-verified share < 90 %): high


def _slip(now: float, **kw: object) -> list:
    y = outcome(**kw)
    totals = {(1, None): {"2023Q2": Point(82.0), "2024Q1": Point(now)}}
    return found(snap(indicators=(y,), totals=totals, targets={(1, None): {"2023Q2": 80.0}}),
                 "SU-6", "2024Q1")


def test_su6_slip_from_both_sides():
    assert _slip(72.1) == []  # 9.9 % below 80
    (f,) = _slip(72.0)
    assert f.severity == "high"
    assert ("Share of carers who feel supported in the programme as a whole met its target of "
            "80 % in 2023Q2 (82 %) but is 72 % in 2024Q1, 10 % worse") in f.why
    assert "high (the rule's one level): 10 % worse" in f.severity_reason


def test_su6_reverified_share_from_both_sides():
    def reverified(v: float) -> list:
        y = outcome(name="Villages still open-defecation free",
                    risk_role="reverified_sustained_share")
        return found(snap(indicators=(y,), totals={(1, None): {"2024Q1": Point(v)}}),
                     "SU-6", "2024Q1")
    assert reverified(90.0) == []
    (f,) = reverified(89.9)
    assert f.severity == "high" and "Only 89.9 % of certified units" in f.why
    assert "below 90 %" in f.severity_reason


# ------------------------------------------------------------------------------------------
# SU-7 capacity gap (any cell <= 1 medium; organisational-operational <= 1 high)


def _capacity(cells: dict[tuple[str, str], int]) -> list:
    a = M.CapacityAssessment(id=1, programme_id=1, code="CA-1", assessed_on=date(2024, 3, 1),
                             actor_scope="state")
    scores = tuple(M.CapacityScore(assessment_id=1, level=lv, competence=c, score=n)
                   for (lv, c), n in cells.items())
    return found(snap(capacity=((a, scores),)), "SU-7", "2024Q1")


def test_su7_cells_from_both_sides():
    assert _capacity({("individual", "analytical"): 2, ("organizational", "operational"): 2}) == []
    (f,) = _capacity({("individual", "analytical"): 1, ("organizational", "operational"): 2})
    assert f.severity == "medium" and "individual-analytical 1" in f.why
    assert f.severity_reason.startswith("medium: 1 cell at or below 1")
    (f,) = _capacity({("organizational", "operational"): 1})
    assert f.severity == "high" and "organisational-operational 1" in f.why
    assert f.severity_reason == "high: the organisational-operational cell scores at or below 1"


# ------------------------------------------------------------------------------------------
# SU-8 key-person dependency (medium)


def test_su8_single_lead_or_a_change_of_lead():
    assert found(snap(prog=programme(lead_person="Ana Horvat", lead_has_deputy=True)),
                 "SU-8", "2024Q1") == []
    f = one(snap(prog=programme(lead_person="Ana Horvat", lead_has_deputy=False)), "SU-8",
            "2024Q1")
    assert f.severity == "medium" and f.why.startswith("Test programme rests on one named lead")
    f = one(snap(lead_changes=(date(2024, 2, 15),)), "SU-8", "2024Q1")
    assert "changed its lead this quarter (on 2024-02-15)" in f.severity_reason
    assert found(snap(lead_changes=(date(2024, 2, 15),)), "SU-8", "2024Q2") == []


# ------------------------------------------------------------------------------------------
# SU-9 no post-exit measurement (ending within 2 quarters; low, medium at close)


def _post_exit(due: date | None, strand_end: date | None = None) -> object:
    strands = ()
    if strand_end is not None:
        strands = (M.Strand(id=1, programme_id=1, code="S-N", name="Northside", type="site",
                            end_date=strand_end),)
    y = outcome(post_exit_due=due, strand="S-N" if strand_end else None)
    return snap(strands=strands, indicators=(y,),
                prog=programme(planned_end_date=date(2024, 12, 31)))


def test_su9_window_and_severity_arms():
    s = _post_exit(None)
    assert found(s, "SU-9", "2024Q1") == []  # 3 quarters before the end
    f = one(s, "SU-9", "2024Q2")
    assert f.severity == "low" and "end in 2 quarters (2024-12-31), within 2" in f.severity_reason
    assert ("Share of carers who feel supported has no measurement planned 12 months or more "
            "after the programme ends on 2024-12-31 (none is planned)") in f.why
    f = one(s, "SU-9", "2024Q4")
    assert f.severity == "medium"
    assert f.severity_reason.startswith("medium: the activities end this quarter")


def test_su9_a_measurement_twelve_months_after_clears_it_a_day_short_does_not():
    assert found(_post_exit(date(2025, 12, 31)), "SU-9", "2024Q4") == []
    f = one(_post_exit(date(2025, 12, 30)), "SU-9", "2024Q4")
    assert "the only one planned is on 2025-12-30, before 2025-12-31" in f.why


def test_su9_reads_the_end_of_the_indicator_s_strand():
    f = one(_post_exit(None, strand_end=date(2024, 6, 30)), "SU-9", "2024Q2")
    assert f.severity == "medium" and "after Northside ends on 2024-06-30" in f.why


# ------------------------------------------------------------------------------------------
# EQ-1 representation ratio (< 0.8 medium, < 0.5 high, +1 in agenda-setting phases; n >= 30
# and group >= 2 % of the population)


def _rr(group: int, total: int = 100, *, phase: str = "co_delivery",
        pop: tuple[float, float] = (20, 80)) -> list:
    rows = (record("2024Q1", total, phase=phase),
            record("2024Q1", group, phase=phase, dimension="age_band", category="65+"))
    return found(snap(participation=rows, population=people(*pop)), "EQ-1", "2024Q1")


def test_eq1_thresholds_from_both_sides():
    assert _rr(16) == []  # 16 % of participants, 20 % of the population: 0.8
    (f,) = _rr(15)
    assert f.severity == "medium"
    assert ("65+ (age band) make up 15 % of the 100 participants in co-delivery in the "
            "programme as a whole in 2024Q1 but 20 % of the population: a representation "
            "ratio of 0.75") in f.why
    assert f.severity_reason == "medium: the ratio 0.75 is below 0.8 but not below 0.5"
    assert _rr(10)[0].severity == "medium"  # 0.5 is not below 0.5
    (f,) = _rr(9)
    assert f.severity == "high" and f.severity_reason == "high: the ratio 0.45 is below 0.5"


def test_eq1_agenda_setting_phases_weigh_one_level_more():
    (f,) = _rr(15, phase="co_design")
    assert f.severity == "high" and f.base_severity == "high"
    assert "one level more (capped at high) because co-design is an agenda-setting phase" in (
        f.severity_reason)


def test_eq1_is_suppressed_under_thirty_participants_or_a_group_under_two_percent():
    (f,) = _rr(4, total=29)
    assert f.suppressed and "29 participants" in f.severity_reason
    assert not _rr(4, total=30)[0].suppressed
    (f,) = _rr(1, total=100, pop=(1.9, 98.1))
    assert f.suppressed and "1.9 % of the population" in f.severity_reason
    assert not _rr(1, total=100, pop=(2, 98))[0].suppressed


# ------------------------------------------------------------------------------------------
# EQ-2 outcome gap ratio (< 0.8 medium; widening two quarters running high)


def _gap(ratios: list[float], *, direction: str = "increase", dim: str = "sex") -> list:
    y = outcome(direction=direction)
    quarters = ("2023Q3", "2023Q4", "2024Q1")
    by_q = {q: Spread(100 * r, 100.0, "women", "men", cells=2)
            for q, r in zip(quarters[-len(ratios):], ratios, strict=True)}
    return found(snap(indicators=(y,), spreads={(1, None, dim): by_q}), "EQ-2", "2024Q1")


def test_eq2_threshold_from_both_sides():
    assert _gap([0.8]) == []
    (f,) = _gap([0.79])
    assert f.severity == "medium"
    assert ("Share of carers who feel supported in the programme as a whole in 2024Q1, by sex: "
            "women 79 % against men 100 %, an outcome gap ratio of 0.79 (screen 0.8)") in f.why
    assert "the two quarters before are not both on record" in f.severity_reason
    assert _gap([0.5], dim="provider") == []  # who delivers is not a group of people


def test_eq2_is_high_when_the_gap_widens_two_quarters_running():
    (f,) = _gap([0.78, 0.76, 0.74])
    assert f.severity == "high" and "widening two quarters running (0.78 → 0.76 → 0.74)" in f.why
    assert f.severity_reason.startswith("high: the ratio 0.74 is below 0.8 and narrowed")
    assert _gap([0.76, 0.74, 0.75])[0].severity == "medium"
    (f,) = _gap([0.754, 0.751, 0.748])  # 0.75 each at two decimals: no trend
    assert f.severity == "medium" and "did not widen" in f.severity_reason


def test_eq2_a_decrease_direction_outcome_names_the_higher_group_worst_off():
    (f,) = _gap([0.79], direction="decrease")
    assert "men 100 % against women 79 %" in f.why


# ------------------------------------------------------------------------------------------
# EQ-3 digital-only participation (> 50 % online only and > 20 % excluded)


def _channels(online: int, excluded: float, assisted: bool = False,
              used: float | None = None) -> list:
    c = M.ChannelRecord(programme_id=1, period="2024Q1", opportunities_total=100,
                        opportunities_online_only=online, digitally_excluded_share_pct=excluded,
                        assisted_alternative_available=assisted,
                        assisted_share_of_contributions_pct=used)
    return found(snap(channels=(c,)), "EQ-3", "2024Q1")


def test_eq3_thresholds_from_both_sides_and_its_two_arms():
    assert _channels(50, 30) == [] and _channels(60, 20) == []
    (f,) = _channels(51, 21)
    assert f.severity == "high" and "there is no assisted alternative" in f.why
    assert f.severity_reason == ("high: 51 % online only (more than 50 %) with 21 % digitally "
                                 "excluded (more than 20 %), and no assisted alternative")
    (f,) = _channels(51, 21, assisted=True, used=4.9)
    assert f.severity == "medium" and "carries only 4.9 % of contributions" in f.why
    assert _channels(51, 21, assisted=True, used=5) == []


# ------------------------------------------------------------------------------------------
# EQ-4 channel-shift exclusion (online share +10 points over 2 quarters and RR falls >= 0.1)


def _shift(online_now: int, group_now: int) -> list:
    rows = (record("2023Q3", 100, contributions=100, contributions_online=40),
            record("2023Q3", 20, dimension="age_band", category="65+"),
            record("2024Q1", 100, contributions=100, contributions_online=online_now),
            record("2024Q1", group_now, dimension="age_band", category="65+"))
    return found(snap(participation=rows, population=people(20, 80)), "EQ-4", "2024Q1")


def test_eq4_thresholds_from_both_sides():
    (f,) = _shift(50, 18)  # +10 points; RR 1.0 -> 0.9
    assert f.severity == "medium"
    assert ("rose 10 points over two quarters, from 40 % in 2023Q3 to 50 % in 2024Q1, while the "
            "representation ratio of 65+ (age band) in co-delivery fell from 1 to 0.9") in f.why
    assert f.severity_reason == ("medium (the rule's one level): the online share rose 10 points "
                                 "(at least 10) and the ratio fell 0.1 (at least 0.1)")
    assert _shift(49, 18) == []  # +9 points
    assert _shift(50, 19) == []  # RR falls 0.05


# ------------------------------------------------------------------------------------------
# EQ-5 missing disaggregation (low; medium for a priority dimension)


def test_eq5_low_for_a_required_dimension_medium_for_a_priority_one():
    y = outcome(disaggregation_required=("sex", "digital_access", "social_group"))
    totals = {(1, None): {"2024Q1": Point(60.0)}}
    spreads = {(1, None, "sex"): {"2024Q1": Spread(50.0, 70.0, "women", "men", cells=2)}}
    s = snap(indicators=(y,), totals=totals, spreads=spreads)
    by = {f.subject: f for f in found(s, "EQ-5", "2024Q1")}
    assert set(by) == {"O-1:digital_access", "O-1:social_group"}  # sex is there
    assert by["O-1:digital_access"].severity == "medium"
    assert by["O-1:social_group"].severity == "low"
    assert "has no breakdown by digital access in 2024Q1" in by["O-1:digital_access"].why
    assert by["O-1:social_group"].severity_reason == (
        "low: social group is required but not a priority dimension")
    s = snap(indicators=(y,), totals=totals, spreads=spreads,
             prog=programme(priority_social_group="Roma"))
    assert {f.subject: f.severity for f in found(s, "EQ-5", "2024Q1")}["O-1:social_group"] == (
        "medium")


# ------------------------------------------------------------------------------------------
# EQ-6 contribution concentration (> 50 % medium, > 70 % high)


@pytest.mark.parametrize(("share", "severity"), [(50.0, None), (50.1, "medium"),
                                                  (70.0, "medium"), (70.1, "high")])
def test_eq6_thresholds_from_both_sides(share: float, severity: str | None):
    rows = (record("2024Q1", 100, strand_id=1, top10pct_contrib_share=share),)
    got = found(snap(strands=(NORTH,), participation=rows), "EQ-6", "2024Q1")
    assert [f.severity for f in got] == ([severity] if severity else [])
    if got:
        assert f"made {share:g} % of contributions in Northside (co-delivery)" in got[0].why
        assert got[0].severity_reason.startswith(f"{severity}: {share:g} % is above")


# ------------------------------------------------------------------------------------------
# The rule data


def test_every_su_and_eq_rule_says_what_it_detects_and_the_next_step():
    for rid, rule in load_rules().items():
        if rid[:3] in ("SU-", "EQ-"):
            assert rule.detects and rule.next_step, rid
            assert all({"what", "reason", "arithmetic"} <= set(d) for d in rule.departures), rid
