"""The co-destruction rules CD-1..CD-8, written from their text: each threshold from both
sides, each severity arm, suppression under the minimum n, and the numbers in the why and
the severity reason."""

from __future__ import annotations

import pytest

from coprod_me.risks.definitions import load_rules
from tests.risks.cd_cases import (
    Q2,
    busy,
    feedback,
    literacy,
    misuse,
    one,
    proposals,
    severity,
    staffing,
    tasks,
    with_feedback,
)

# ------------------------------------------------------------------------------------------
# CD-1: output up >= 10 % over 2 quarters while the outcome is flat (medium) or adverse by
# >= 2 points / 5 % relative, or past red (high)


def test_cd1_output_rise_threshold_from_both_sides():
    assert severity(busy((100, 110), (50, 50)), "CD-1") == "medium"  # +10 % exactly
    assert severity(busy((100, 109), (50, 50)), "CD-1") is None  # +9 %


def test_cd1_flat_band_of_two_points_from_both_sides():
    assert severity(busy((100, 120), (50, 51.5)), "CD-1") == "medium"  # +1.5 points: flat
    assert severity(busy((100, 120), (50, 52)), "CD-1") is None  # +2 points: better, not flat


def test_cd1_adverse_by_two_points_is_high_and_one_and_a_half_is_medium():
    assert severity(busy((100, 120), (50, 48)), "CD-1") == "high"
    assert severity(busy((100, 120), (50, 48.5)), "CD-1") == "medium"


def test_cd1_the_margin_of_error_widens_the_flat_band_but_not_the_adverse_threshold():
    # n = 100 at 50 %: MDE = 1.96 × √(2 × 0.25 / 100) = 13.9 points
    up = one(busy((100, 120), (50, 53), n=100), "CD-1")
    assert up.severity == "medium"
    assert "flat band of 13.9 points" in up.why and "n = 100" in up.why
    assert "13.9 points" in up.severity_reason
    down = one(busy((100, 120), (50, 47), n=100), "CD-1")
    assert down.severity == "high"  # the rule text: adverse by >= 2 points, whatever the MDE
    assert "worse by 3 points, at or past the adverse threshold of 2 points" in down.why
    assert "inside the survey's 13.9 points margin of error for n = 100" in down.why
    assert "adverse threshold (2 points)" in down.severity_reason


def test_cd1_an_outcome_past_its_red_threshold_is_high_even_when_flat():
    assert severity(busy((100, 120), (46, 46), red_at=45), "CD-1") == "medium"
    past = one(busy((100, 120), (45, 45), red_at=45), "CD-1")
    assert past.severity == "high"
    assert "red threshold of 45 %" in past.why
    assert past.severity_reason.startswith("high: the outcome is flat but")


def test_cd1_red_alone_does_not_raise_when_the_outcome_improves():
    assert severity(busy((100, 120), (30, 40), red_at=45), "CD-1") is None


def test_cd1_relative_outcome_bands():
    assert severity(busy((100, 120), (10, 10.4), unit="rate"), "CD-1") == "medium"  # +4 %
    assert severity(busy((100, 120), (10, 9.5), unit="rate"), "CD-1") == "high"  # -5 %
    assert severity(busy((100, 120), (10, 9.6), unit="rate"), "CD-1") == "medium"  # -4 %
    assert severity(busy((100, 120), (10, 10.5), unit="rate"), "CD-1") is None  # +5 %


def test_cd1_is_suppressed_under_the_minimum_n():
    assert severity(busy((100, 120), (50, 50), n=29), "CD-1") == "suppressed"
    assert severity(busy((100, 120), (50, 50), n=30), "CD-1") == "medium"


def test_cd1_why_names_the_indicators_and_says_the_numbers():
    f = one(busy((100, 143), (48, 48)), "CD-1")
    assert f.why.startswith("Sessions delivered rose 43 % (100 → 143) over 2 quarters while "
                            "Patients managing well stayed at 48 %: flat: unchanged")
    assert "P1" not in f.why and "O1" not in f.why
    assert f.severity_reason.startswith("medium: the outcome is flat")
    units = {t["name"]: t["unit"] for t in f.thresholds}
    assert units == {"output_rise_rel": "relative", "flat_pp": "points", "adverse_pp": "points"}
    assert f.next_step and f.sources


# ------------------------------------------------------------------------------------------
# CD-2: satisfaction falls >= 10 points QoQ, or < 60 % satisfied; high with CD-3


def test_cd2_satisfied_floor_from_both_sides():
    low = with_feedback(feedback(Q2, satisfied_share_pct=59.9, satisfaction_n=200))
    assert severity(low, "CD-2") == "medium"
    ok = with_feedback(feedback(Q2, satisfied_share_pct=60, satisfaction_n=200))
    assert severity(ok, "CD-2") is None


def test_cd2_drop_threshold_from_both_sides():
    def drop(now: float) -> str | None:
        return severity(with_feedback(feedback("2023Q2", satisfaction_mean_0_100=70),
                                      feedback(Q2, satisfaction_mean_0_100=now)), "CD-2")
    assert drop(60) == "medium"  # 10 points
    assert drop(60.1) is None  # 9.9 points


def _surge(period_rows: int = 4, provider: int | None = 1, now: int = 30) -> list:
    """Complaint history at 1 per 100 users, then `now` complaints per 1,000 users."""
    hist = ("2022Q3", "2022Q4", "2023Q1", "2023Q2")[-period_rows:]
    return [feedback(q, provider, active_users=1000, complaints_received=10 + i % 2)
            for i, q in enumerate(hist)]


def test_cd2_is_high_with_a_complaint_surge_for_the_same_provider_in_the_same_quarter():
    rows = [*_surge(provider=1),
            feedback(Q2, 1, active_users=1000, complaints_received=30, satisfied_share_pct=54,
                     satisfaction_n=140)]
    f = one(with_feedback(*rows), "CD-2", also=("CD-3",))
    assert f.severity == "high"
    assert "Provider A" in f.why and "54 %" in f.why and "60 %" in f.why
    assert "PROV-A" not in f.why
    assert f.severity_reason.startswith("high: the complaint surge rule (CD-3) also fired")


def test_cd2_a_surge_at_another_provider_leaves_it_medium():
    rows = [*_surge(provider=2), feedback(Q2, 2, active_users=1000, complaints_received=30),
            feedback(Q2, 1, satisfied_share_pct=54, satisfaction_n=140)]
    f = one(with_feedback(*rows), "CD-2", also=("CD-3",))
    assert f.severity == "medium"
    assert f.severity_reason.startswith("medium: no complaint surge (CD-3)")


def test_cd2_is_suppressed_under_the_minimum_n():
    few = with_feedback(feedback(Q2, satisfied_share_pct=50, satisfaction_n=29))
    assert severity(few, "CD-2") == "suppressed"
    enough = with_feedback(feedback(Q2, satisfied_share_pct=50, satisfaction_n=30))
    assert severity(enough, "CD-2") == "medium"


# ------------------------------------------------------------------------------------------
# CD-3: c_t >= 1.5 × trailing mean and >= mean + 2 sd; or resolved in 30 days < 70 %


def _history(*per_1000: int) -> list:
    qs = ("2022Q3", "2022Q4", "2023Q1", "2023Q2")
    return [feedback(q, active_users=1000, complaints_received=c)
            for q, c in zip(qs, per_1000, strict=True)]


def test_cd3_ratio_arm_from_both_sides():
    # history 1.0, 1.1, 1.0, 1.1 per 100: mean 1.05, 1.5 × mean = 1.575, mean + 2 sd = 1.17
    hist = _history(10, 11, 10, 11)
    assert severity(with_feedback(*hist, feedback(Q2, active_users=1000,
                                                  complaints_received=16)), "CD-3") == "medium"
    assert severity(with_feedback(*hist, feedback(Q2, active_users=1000,
                                                  complaints_received=15)), "CD-3") is None


def test_cd3_sd_arm_from_both_sides():
    # history 1, 2, 1, 2 per 100: mean 1.5 (1.5 × mean = 2.25), sd 0.577 (mean + 2 sd = 2.65)
    hist = _history(10, 20, 10, 20)
    surge = one(with_feedback(*hist, feedback(Q2, active_users=1000, complaints_received=27)),
                "CD-3")
    assert surge.severity == "medium"
    assert "27 complaints from 1,000 active users (2.7 per 100)" in surge.why
    assert "against 1.5 per 100 on average over the 4 quarters before" in surge.why
    assert "1.5 × that average is 2.2" in surge.why  # 2.25, at the rate's one decimal
    assert "the average plus 2 standard deviations is 2.7" in surge.why
    assert severity(with_feedback(*hist, feedback(Q2, active_users=1000,
                                                  complaints_received=26)), "CD-3") is None


def test_cd3_resolution_floor_from_both_sides_and_high_with_a_surge():
    def run(resolved: int, now: int = 10) -> str | None:
        return severity(with_feedback(*_history(10, 11, 10, 11), feedback(
            Q2, active_users=1000, complaints_received=now, complaints_resolved_30d=resolved)),
            "CD-3")
    assert run(6) == "medium"  # 60 %
    assert run(7) is None  # 70 %
    surge_only = one(with_feedback(*_history(10, 11, 10, 11), feedback(
        Q2, active_users=1000, complaints_received=16, complaints_resolved_30d=12)), "CD-3")
    assert surge_only.severity == "medium"  # a surge, 75 % resolved
    assert surge_only.severity_reason == ("medium: one arm holds, a complaint surge; "
                                          "resolution meets the floor")
    high = one(with_feedback(*_history(10, 11, 10, 11), feedback(
        Q2, active_users=1000, complaints_received=20, complaints_resolved_30d=10)), "CD-3")
    assert high.severity == "high"
    assert "50 % of complaints were resolved within 30 days, under the 70 % floor" in high.why
    assert high.severity_reason.startswith("high: both arms hold")


def test_cd3_needs_two_earlier_quarters_to_judge_a_surge():
    one_quarter = _history(10, 11, 10, 11)[-1:]
    assert severity(with_feedback(*one_quarter, feedback(
        Q2, active_users=1000, complaints_received=90)), "CD-3") is None
    slow = one(with_feedback(*one_quarter, feedback(
        Q2, active_users=1000, complaints_received=90, complaints_resolved_30d=9)), "CD-3")
    assert slow.severity == "medium" and "too few earlier quarters" in slow.why


# ------------------------------------------------------------------------------------------
# CD-4: misuse rate up >= 10 % over 2 quarters (medium); >= 20 % or past red (high)


def test_cd4_thresholds_from_both_sides():
    assert severity(misuse(20, 22), "CD-4") == "medium"  # +10 %
    assert severity(misuse(20, 21.9), "CD-4") is None  # +9.5 %
    assert severity(misuse(20, 24), "CD-4") == "high"  # +20 %
    assert severity(misuse(20, 23.9), "CD-4") == "medium"  # +19.5 %


def test_cd4_past_red_is_high_but_red_alone_does_not_raise():
    red = one(misuse(20, 22, red_at=22), "CD-4")
    assert red.severity == "high"
    assert "red threshold of 22 per 1,000" in red.severity_reason
    assert severity(misuse(25, 25, red_at=22), "CD-4") is None


def test_cd4_why_says_the_rates_and_the_threshold():
    f = one(misuse(22, 25), "CD-4")
    assert f.why.startswith("Avoidable emergency visits went from 22 per 1,000 to 25 per 1,000 "
                            "over 2 quarters: worse by 13.6 %, at or past the 10 % threshold")
    assert f.severity_reason.startswith("medium: worse by 13.6 %")


# ------------------------------------------------------------------------------------------
# CD-5: limited literacy > 40 % and CDQ-2 != yes: high (medium when partly)


def test_cd5_share_threshold_from_both_sides():
    assert severity(literacy(40.1), "CD-5") == "high"
    assert severity(literacy(40), "CD-5") is None
    assert severity(literacy(59, role="sufficient_literacy_share"), "CD-5") == "high"  # 41 %
    assert severity(literacy(60, role="sufficient_literacy_share"), "CD-5") is None  # 40 %


@pytest.mark.parametrize(("answer", "level"), [("yes", None), ("partly", "medium"),
                                                ("no", "high"), ("unknown", "high")])
def test_cd5_severity_follows_the_cdq2_answer(answer, level):
    assert severity(literacy(58, answer), "CD-5") == level


def test_cd5_why_and_reason():
    f = one(literacy(58, "no"), "CD-5")
    assert f.why.startswith("58 % of participating users have limited literacy")
    assert "above the 40 % threshold" in f.why and "47 %" in f.why
    assert f.severity_reason.startswith("high: CDQ-2 is answered 'no'")


def test_cd5_is_suppressed_under_the_minimum_n():
    assert severity(literacy(58, n=29), "CD-5") == "suppressed"
    assert severity(literacy(58, n=30), "CD-5") == "high"


# ------------------------------------------------------------------------------------------
# CD-6: completion of started co-design tasks < 70 % (medium), < 50 % (high)


def test_cd6_thresholds_from_both_sides():
    assert severity(tasks(40, 27), "CD-6") == "medium"  # 67.5 %
    assert severity(tasks(40, 28), "CD-6") is None  # 70 %
    assert severity(tasks(40, 19), "CD-6") == "high"  # 47.5 %
    assert severity(tasks(40, 20), "CD-6") == "medium"  # 50 %


def test_cd6_is_suppressed_under_the_minimum_n():
    assert severity(tasks(29, 10), "CD-6") == "suppressed"
    assert severity(tasks(30, 10), "CD-6") == "high"


def test_cd6_counts_co_design_and_unrecorded_phases_only():
    assert severity(tasks(40, 10, phase="co_delivery"), "CD-6") is None
    f = one(tasks(40, 26, phase=None), "CD-6")
    assert f.severity == "medium" and "phase not recorded" in f.why


def test_cd6_why_and_reason_say_the_numbers():
    f = one(tasks(40, 19), "CD-6")
    assert f.why.startswith("Of the 40 participants who started a co-design task in 2023Q3, 19 "
                            "completed it: 47.5 %, under the 70 % completion floor")
    assert f.severity_reason == "high: completion 47.5 % is under the 50 % high floor"


# ------------------------------------------------------------------------------------------
# CD-7: uptake < 1 % and answered in 30 days < 80 % (medium), < 50 % (high)


def test_cd7_thresholds_from_both_sides():
    assert severity(proposals(1000, 9, 790), "CD-7") == "medium"
    assert severity(proposals(1000, 9, 800), "CD-7") is None  # 80 % answered
    assert severity(proposals(1000, 10, 100), "CD-7") is None  # 1 % adopted
    assert severity(proposals(1000, 9, 499), "CD-7") == "high"
    assert severity(proposals(1000, 9, 500), "CD-7") == "medium"


def test_cd7_why_and_reason_say_the_numbers():
    f = one(proposals(5800, 3, 1044), "CD-7")
    assert "3 of 5,800 proposals were adopted (0.5 per 1,000), under the 1 % uptake floor" in f.why
    assert "1,044 (18 %) got an answer within 30 days, under the 80 % floor" in f.why
    assert "99 of 180,705" in f.why
    assert f.severity_reason == "high: only 18 % answered within 30 days, under the 50 % high floor"


# ------------------------------------------------------------------------------------------
# CD-8: turnover >= 15 % or workload +10 points while outputs rise: medium


def test_cd8_turnover_threshold_from_both_sides():
    assert severity(staffing(15), "CD-8") == "medium"
    assert severity(staffing(14.9), "CD-8") is None


def test_cd8_workload_threshold_from_both_sides():
    assert severity(staffing(None, (50, 60)), "CD-8") == "medium"
    assert severity(staffing(None, (50, 59.9)), "CD-8") is None


def test_cd8_needs_rising_activity():
    assert severity(staffing(20, outputs=(120, 120)), "CD-8") is None
    assert severity(staffing(20, outputs=(120, 100)), "CD-8") is None


def test_cd8_why_and_reason_say_the_numbers():
    f = one(staffing(18, (55, 67)), "CD-8")
    assert "staff turnover was 18 % in the quarter, at or past the 15 % threshold" in f.why
    assert "workload score rose 12 points (55 → 67), at or past the 10 points threshold" in f.why
    assert "Home visits rose 20 % (100 → 120)" in f.why
    assert f.severity_reason.startswith("medium: the rule's one level")


def test_every_cd_rule_says_what_it_detects_and_the_next_step():
    for rule_id in (f"CD-{i}" for i in range(1, 9)):
        rule = load_rules()[rule_id]
        assert rule.detects and rule.next_step, rule_id
        for d in rule.departures:
            assert d["what"] and d["reason"] and d["arithmetic"], rule_id


def test_cd2_a_surge_without_a_provider_covers_every_provider():
    rows = [*_surge(provider=None),
            feedback(Q2, None, active_users=1000, complaints_received=30),
            feedback(Q2, 1, satisfied_share_pct=54, satisfaction_n=140)]
    assert one(with_feedback(*rows), "CD-2", also=("CD-3",)).severity == "high"


def test_cd2_a_drop_from_a_quarter_rated_by_too_few_does_not_count():
    def run(n_before: int) -> str | None:
        return severity(with_feedback(
            feedback("2023Q2", satisfaction_mean_0_100=80, satisfaction_n=n_before),
            feedback(Q2, satisfaction_mean_0_100=65, satisfaction_n=200)), "CD-2")
    assert run(29) == "suppressed"
    assert run(30) == "medium"
    f = one(with_feedback(feedback("2023Q2", satisfaction_mean_0_100=80, satisfaction_n=200),
                          feedback(Q2, satisfaction_mean_0_100=65, satisfaction_n=200)), "CD-2")
    assert "the satisfaction score fell 15 points in a quarter (80 → 65 out of 100)" in f.why
    assert "at or past the 10 points drop threshold" in f.why
