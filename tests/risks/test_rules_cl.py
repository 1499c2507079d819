"""The clientelism rules CL-1..CL-10 and CL-X, each from its rule text: both sides of every
threshold, every severity arm, and a why and severity reason that say the numbers."""

from __future__ import annotations

import re
from datetime import date

import pytest

from coprod_me.model import entities as M
from tests.risks.cl_cases import (
    STRANDS,
    alloc,
    by_shares,
    one,
    provider,
    providers,
    run,
    snap,
)


def plain(text: str) -> None:
    """No raw float: at most two decimals (ratios), no codes of providers."""
    assert not re.search(r"\d\.\d{3,}", text), text
    assert "PROV-" not in text, text


# ------------------------------------------------------------------------------------------
# CL-1 provider concentration: top share > 50 % or HHI 1,500–2,500 medium; top share > 70 %
# or HHI > 2,500 high only with CL-2 or CL-4


def cl1(shares: list[float], **kw: object) -> list:
    actors, allocs = by_shares(shares)
    return run(snap(actors=actors, allocations=allocs, **kw), "CL-1", "CL-2", "CL-4")


def test_cl1_hhi_at_1500_raises_medium_and_just_under_does_not():
    # 20,20,15,15,10,10,5,5 -> HHI exactly 1,500: the band is 1,500-2,500
    f = cl1([20, 20, 15, 15, 10, 10, 5, 5])[0]
    assert (f.severity, f.metrics["hhi"]) == ("medium", 1500)
    assert "1,500" in f.why and "Home help" in f.why and "Provider 1" in f.why
    assert "moderately concentrated band (1,500–2,500)" in f.severity_reason
    plain(f.why)
    # seven equal providers: HHI 1,428.6, top share 14.3 %
    assert cl1([1] * 7) == []
    # 20,20,15,15,10,10,6,4 -> HHI 1,502 (raises); unrounded comparison at 1,499.x does not
    assert cl1([20, 20, 15, 15, 10, 10, 6, 4])[0].severity == "medium"
    assert cl1([20, 20, 15, 15, 10, 10, 5, 4.9, 0.1]) == []  # HHI 1,499.0


def test_cl1_hhi_2500_stays_medium_even_with_cl2_but_above_2500_with_cl2_is_high():
    # four equal providers: HHI 2,500, not over it, so not a high candidate
    actors, allocs = by_shares([25, 25, 25, 25])
    allocs[0] = alloc("A1", 1, 25, procedure="direct_award")
    allocs[1] = alloc("A2", 2, 25, procedure="direct_award")  # CL-2: 50 %, medium
    s = snap(actors=actors, allocations=allocs)
    assert run(s, "CL-2")[0].severity == "medium"
    assert one(s, "CL-1", "CL-2").severity == "medium"
    # 30,30,20,20: HHI 2,600 > 2,500 with CL-2 firing -> high
    actors, allocs = by_shares([30, 30, 20, 20])
    allocs[0] = alloc("A1", 1, 30, call_published=False)
    allocs[1] = alloc("A2", 2, 30, call_published=False)
    f = one(snap(actors=actors, allocations=allocs), "CL-1", "CL-2")
    assert f.severity == "high" and f.escalations == ("CL-2 fires",)
    assert f.severity_reason.startswith("high: the HHI 2,600 is over 2,500")
    assert "non-competitive or discretionary allocation (CL-2)" in f.severity_reason


def test_cl1_high_candidate_without_a_partner_stays_medium_and_says_why():
    f = cl1([71, 29])[0]
    assert f.severity == "medium"
    assert "top share 71 % is over 70 %" in f.severity_reason
    assert "concentration alone stays medium" in f.severity_reason
    assert "71 %" in f.why and "5,882" in f.why


def test_cl1_a_politically_exposed_top_provider_makes_it_high():
    actors = {1: provider(1, "Caritas", is_politically_exposed=True), 2: provider(2)}
    s = snap(actors=actors, allocations=[alloc("A1", 1, 71), alloc("A2", 2, 29)])
    f = one(s, "CL-1", "CL-4")
    assert f.severity == "high" and "Caritas received 71 %" in f.why
    assert "politically connected provider (CL-4)" in f.severity_reason


# ------------------------------------------------------------------------------------------
# CL-2 non-competitive share: > 30 % medium, > 50 % high


@pytest.mark.parametrize(("nc", "expected"), [(30, None), (31, "medium"), (50, "medium"),
                                              (51, "high")])
def test_cl2_thresholds(nc: float, expected: str | None):
    actors = providers(2)
    s = snap(actors=actors, allocations=[alloc("D1", 1, nc, procedure="direct_award"),
                                         alloc("O1", 2, 100 - nc)])
    found = run(s, "CL-2")
    assert [f.severity for f in found] == ([expected] if expected else [])
    if expected:
        f = found[0]
        assert f"{nc} % of funds in Home help" in f.why and "D1" in f.why
        assert f.severity_reason.startswith(f"{expected}: {nc} % of funds")
        assert {t["unit"] for t in f.thresholds} == {"percent"}


def test_cl2_counts_an_unpublished_call_as_non_competitive():
    s = snap(actors=providers(2), allocations=[alloc("U1", 1, 40, call_published=False),
                                               alloc("O1", 2, 60)])
    assert one(s, "CL-2").severity == "medium"


# ------------------------------------------------------------------------------------------
# CL-3 single-applicant calls: > 30 % medium, > 50 % high


@pytest.mark.parametrize(("single", "expected"), [(3, None), (4, "medium"), (5, "medium"),
                                                  (6, "high")])
def test_cl3_thresholds_over_ten_calls(single: int, expected: str | None):
    allocs = [alloc(f"C{i}", 1, 10, call_reference=f"CALL-{i}",
                    n_valid_applicants=1 if i < single else 3) for i in range(10)]
    found = run(snap(actors=providers(1), allocations=allocs), "CL-3")
    assert [f.severity for f in found] == ([expected] if expected else [])
    if expected:
        assert f"{single} of 10 competitive call(s) in Home help" in found[0].why
        assert f"{single} of 10 calls ({single * 10} %)" in found[0].severity_reason


def test_cl3_awards_of_one_call_count_once_and_unknown_counts_stay_in_the_denominator():
    allocs = [alloc("C1", 1, 10, call_reference="X", n_valid_applicants=1),
              alloc("C2", 1, 10, call_reference="X", n_valid_applicants=1),
              alloc("C3", 1, 10, call_reference="Y", n_valid_applicants=None)]
    f = one(snap(actors=providers(1), allocations=allocs), "CL-3")
    assert (f.severity, f.metrics["calls"]) == ("medium", 2)  # 1 of 2 calls: 50 %


# ------------------------------------------------------------------------------------------
# CL-4 politically exposed provider: < 10 % of strand funds medium, >= 10 % high


@pytest.mark.parametrize(("share", "expected"), [(9.9, "medium"), (10, "high")])
def test_cl4_threshold(share: float, expected: str):
    actors = {1: provider(1, "Councillor's NGO", is_politically_exposed=True,
                          pep_description="board chair is a serving councillor"),
              2: provider(2)}
    s = snap(actors=actors, allocations=[alloc("P1", 1, share), alloc("O1", 2, 100 - share)])
    f = one(s, "CL-4")
    assert f.severity == expected
    assert f"Councillor's NGO received {share} % of funds in Home help" in f.why
    assert "board chair is a serving councillor" in f.why
    assert ("at or over 10 %" if expected == "high" else "under 10 %") in f.severity_reason


def test_cl4_no_exposure_in_the_window_no_flag_and_shares_combine():
    lapsed = {1: provider(1, is_politically_exposed=True, pep_until=date(2023, 3, 31)),
              2: provider(2)}
    s = snap(actors=lapsed, allocations=[alloc("P1", 1, 50), alloc("O1", 2, 50)])
    assert run(s, "CL-4") == []
    # two exposed providers with 6 % each: 12 % combined, high (the recorded departure)
    two = {1: provider(1, is_politically_exposed=True), 2: provider(2, is_politically_exposed=True),
           3: provider(3)}
    s = snap(actors=two, allocations=[alloc("P1", 1, 6), alloc("P2", 2, 6), alloc("O", 3, 88)])
    f = one(s, "CL-4")
    assert f.severity == "high" and "2 providers' shares combined" in f.severity_reason


# ------------------------------------------------------------------------------------------
# CL-5 electoral-cycle spike: > 150 % of the trailing 4-quarter mean in the 2 quarters before
# an election; high with CL-4 or CL-6; min_n 30


def places(now: int, before: int = 40) -> list[M.ParticipationRecord]:
    history = [M.ParticipationRecord(programme_id=1, strand_id=1, period=q, phase="co_delivery",
                                     active=500, new=before)
               for q in ("2023Q2", "2023Q3", "2023Q4", "2024Q1")]
    return [*history, M.ParticipationRecord(programme_id=1, strand_id=1, period="2024Q2",
                                            phase="co_delivery", active=500, new=now)]


def sponsor(election: date) -> M.Sponsor:
    return M.Sponsor(id=1, programme_id=1, code="MAYOR", office_title="Mayor", party="P",
                     next_election_date=election)


@pytest.mark.parametrize(("now", "expected"), [(60, []), (62, ["medium"])])
def test_cl5_spike_ratio(now: int, expected: list[str]):
    s = snap(participation=places(now), sponsors=[sponsor(date(2024, 11, 10))])
    found = run(s, "CL-5")
    assert [f.severity for f in found] == expected
    if expected:
        f = found[0]
        assert "62 new places in Home help in 2024Q2, 1.55 times the mean of 40" in f.why
        assert "threshold 1.5 times" in f.why and "2024-11-10" in f.why
        assert f.severity_reason.startswith("medium: a 1.55-times surge")
        plain(f.why)


@pytest.mark.parametrize(("election", "raised"), [
    (date(2024, 7, 15), True),  # next quarter
    (date(2024, 12, 1), True),  # two quarters ahead
    (date(2025, 1, 15), False),  # three quarters ahead
    (date(2024, 5, 1), False)])  # in the quarter itself
def test_cl5_only_in_the_two_quarters_before_the_election(election: date, raised: bool):
    s = snap(participation=places(80), sponsors=[sponsor(election)])
    assert bool(run(s, "CL-5")) is raised


def test_cl5_under_min_n_is_suppressed_and_with_cl6_it_is_high():
    s = snap(participation=places(29, before=10), sponsors=[sponsor(date(2024, 11, 10))])
    f = one(s, "CL-5")
    assert f.suppressed and f.severity == "info"
    assert "under the minimum of 30" in f.severity_reason
    referral = M.StaffingRecord(programme_id=1, strand_id=1, period="2024Q2", hires_total=4,
                                hires_with_public_vacancy=4, hires_with_political_referral=1)
    s = snap(participation=places(61), sponsors=[sponsor(date(2024, 11, 10))],
             staffing=[referral])
    f = one(s, "CL-5", "CL-6")
    assert f.severity == "high" and "patronage in staffing (CL-6)" in f.severity_reason


def test_cl5_reads_hires_and_funds_allocated_too():
    hires = [M.StaffingRecord(programme_id=1, strand_id=1, period=q, hires_total=n,
                              hires_with_public_vacancy=n)
             for q, n in (("2023Q2", 40), ("2023Q3", 40), ("2023Q4", 40), ("2024Q1", 40),
                          ("2024Q2", 70))]
    s = snap(staffing=hires, sponsors=[sponsor(date(2024, 11, 10))])
    f = one(s, "CL-5")
    assert f.subject == "hires" and "70 hires in Home help" in f.why
    decided = [alloc(f"D{i}", 1, amount, decision_date=d)
               for i, (d, amount) in enumerate(((date(2023, 5, 1), 10_000),
                                                (date(2023, 11, 1), 10_000),
                                                (date(2024, 5, 1), 16_000)))]
    s = snap(actors=providers(1), allocations=decided, sponsors=[sponsor(date(2024, 11, 10))])
    f = one(s, "CL-5")
    assert f.subject == "allocations" and "16,000 funds newly allocated" in f.why
    assert not f.suppressed  # min_n counts places and hires, not money


# ------------------------------------------------------------------------------------------
# CL-6 staffing: public-vacancy share < 75 % medium; any political referral high


@pytest.mark.parametrize(("vacancy", "referral", "expected"), [
    (75, 0, None), (74, 0, "medium"), (75, 1, "high"), (74, 2, "high")])
def test_cl6_thresholds(vacancy: int, referral: int, expected: str | None):
    rec = M.StaffingRecord(programme_id=1, strand_id=1, period="2024Q1", hires_total=100,
                           hires_with_public_vacancy=vacancy,
                           hires_with_political_referral=referral)
    found = run(snap(staffing=[rec]), "CL-6")
    assert [f.severity for f in found] == ([expected] if expected else [])
    if expected == "medium":
        assert "Of 100 hire(s) in Home help" in found[0].why and "74 %" in found[0].why
        assert found[0].severity_reason == (
            "medium: 74 % of hires went through a public vacancy, under 75 %")
    if expected == "high":
        assert found[0].severity_reason.startswith(f"high: {referral} hire(s)")


def test_cl6_looks_back_four_quarters_only():
    old = M.StaffingRecord(programme_id=1, strand_id=1, period="2023Q2", hires_total=10,
                           hires_with_public_vacancy=0, hires_with_political_referral=3)
    assert run(snap(staffing=[old]), "CL-6") == []  # 2023Q2 is five quarters before 2024Q2
    s = snap(staffing=[old], quarters=("2024Q1",))
    assert run(s, "CL-6", quarter="2024Q1") != []


# ------------------------------------------------------------------------------------------
# CL-7 partisan skew: favoured localities' mean r > 1.25 while the others' < 0.8;
# high when persistent two periods


def localities(a: float, b: float) -> tuple[dict[str, M.Strand], list[M.Allocation]]:
    """Locality A (the sponsor's party, 10 % of the population), B (10 %), C (80 %): places
    shares a and b, C the rest."""
    strands = {"A": M.Strand(id=1, programme_id=1, code="A", name="Avon", population=100,
                             governing_party="P-Q coalition"),
               "B": M.Strand(id=2, programme_id=1, code="B", name="Bree", population=100,
                             governing_party="Q"),
               "C": M.Strand(id=3, programme_id=1, code="C", name="Crane", population=800,
                             governing_party="Q")}
    allocs = [alloc(code, 1, 0, strand_id=sid, places_or_hours=share)
              for code, sid, share in (("PA", 1, a), ("PB", 2, b), ("PC", 3, 1000 - a - b))]
    return strands, allocs


def cl7(a: float, b: float) -> list:
    strands, allocs = localities(a, b)
    return run(snap(strands=strands, actors=providers(1), allocations=allocs,
                    sponsors=[sponsor(date(2027, 1, 1))]), "CL-7")


def test_cl7_favoured_ratio_both_sides():
    # r_A = 12.6 % / 10 % = 1.26; r_B = 0.5, r_C = 1.03: others' mean 0.765
    f = cl7(126, 50)[0]
    assert f.severity == "medium" and f.strand is None
    assert "(Avon) get 1.26 times their population share" in f.why
    assert "others 0.76 times" in f.why
    assert "1.26 (over 1.25) against 0.76 (under 0.8)" in f.severity_reason
    assert cl7(125, 50) == []  # r_A = 1.25: not over


def test_cl7_others_ratio_both_sides():
    assert cl7(126, 55) != []  # others (0.55 + 1.024) / 2 = 0.79
    assert cl7(126, 60) == []  # others (0.6 + 1.0175) / 2 = 0.81


def test_cl7_persistent_two_quarters_is_high():
    strands, allocs = localities(126, 50)
    s = snap(strands=strands, actors=providers(1), allocations=allocs,
             sponsors=[sponsor(date(2027, 1, 1))], quarters=("2024Q1", "2024Q2"))
    f = one(s, "CL-7")
    assert f.severity == "high" and "second quarter running" in f.severity_reason
    assert one(s, "CL-7", quarter="2024Q1").severity == "medium"


# ------------------------------------------------------------------------------------------
# CL-8 accountability: one condition medium, two or more high; unpublished > 20 % of funds


def cl8(unpublished: float, *, coi: bool = True, independent: bool = True) -> list:
    allocs = [alloc("U1", 1, unpublished, decision_published=False),
              alloc("P1", 1, 100 - unpublished, coi_declared=coi)]
    fb = [M.FeedbackRecord(programme_id=1, strand_id=1, period="2024Q2",
                           complaints_handled_by_independent_body=independent)]
    return run(snap(actors=providers(1), allocations=allocs, feedback=fb), "CL-8")


def test_cl8_unpublished_share_both_sides():
    assert cl8(20) == []
    f = cl8(21)[0]
    assert f.severity == "medium"
    assert "unpublished for 21 % of funds (more than 20 %)" in f.why
    assert f.severity_reason == "medium: 1 of the 3 conditions holds (two would be high)"


def test_cl8_two_or_three_conditions_are_high():
    f = cl8(0, coi=False, independent=False)[0]
    assert f.severity == "high" and f.metrics["conditions"] == 2
    assert "missing on the panels of 1 allocation(s) (P1; one panel without them" in f.why
    assert cl8(30, coi=False, independent=False)[0].severity_reason.startswith("high: 3 of")
    assert cl8(0, independent=False)[0].severity == "medium"


# ------------------------------------------------------------------------------------------
# CL-9 beneficiaries: seats < 20 % or no user-led partner; high with CL-1, CL-2 or CL-4


def board(ben_seats: int, total: int, *, org_type: str = "user_led_org",
          phase: str = "co_commissioning") -> tuple[dict[int, M.Actor], list]:
    actors = {10: M.Actor(id=10, code="DPO", name="Disabled people's org",
                          actor_class="lay_organisation", org_type=org_type),
              11: M.Actor(id=11, code="CITY", name="City", actor_class="state_direct",
                          org_type="government_unit")}
    rows = [M.ProgrammeActor(id=1, programme_id=1, actor_id=10, strand_id=1, role="co_assessor",
                             phase=phase, decision_body="Welfare committee",
                             seats_on_decision_body=ben_seats, total_seats_decision_body=total,
                             is_beneficiary_represented=True),
            M.ProgrammeActor(id=2, programme_id=1, actor_id=11, strand_id=1, role="commissioner",
                             phase=phase, decision_body="Welfare committee",
                             seats_on_decision_body=total - ben_seats,
                             total_seats_decision_body=total)]
    return actors, rows


def test_cl9_seat_floor_both_sides():
    actors, rows = board(20, 100)
    assert run(snap(actors=actors, programme_actors=rows), "CL-9") == []
    actors, rows = board(19, 100)
    f = one(snap(actors=actors, programme_actors=rows), "CL-9")
    assert f.severity == "medium" and f.strand == "HH"
    assert "hold 19 of 100 seats (19 %) on the Welfare committee in Home help" in f.why
    assert "(floor 20 %)" in f.why and f.severity_reason.startswith("medium: beneficiaries")


def test_cl9_is_high_when_a_capture_signal_fires():
    actors, rows = board(0, 7)
    actors.update(providers(2))
    allocs = [alloc("D1", 1, 60, procedure="direct_award"), alloc("O1", 2, 40)]
    f = one(snap(actors=actors, programme_actors=rows, allocations=allocs), "CL-9", "CL-2",
            "CL-1")
    assert f.severity == "high" and "(CL-2)" in f.severity_reason and "(CL-1)" in f.why


def test_cl9_reads_only_co_commissioning_and_co_assessment_bodies():
    actors, rows = board(0, 7, phase="co_design")
    assert run(snap(actors=actors, programme_actors=rows), "CL-9") == []


def test_cl9_no_user_led_partner_and_no_body_raises_at_the_programme_level():
    actors, rows = board(0, 7, org_type="ngo_association", phase="co_delivery")
    f = one(snap(actors=actors, programme_actors=rows), "CL-9")
    assert f.strand is None and "No user-led organisation" in f.why
    actors, rows = board(0, 7, phase="co_delivery")
    assert run(snap(actors=actors, programme_actors=rows), "CL-9") == []


# ------------------------------------------------------------------------------------------
# CL-10 post-award modification: > 20 % of funds modified, or a single rise > 25 %; medium


@pytest.mark.parametrize(("share", "rise", "raised"), [
    (20, 25, False), (21, 25, True), (10, 26, True)])
def test_cl10_thresholds(share: float, rise: float, raised: bool):
    allocs = [alloc("M1", 1, share, modified_after_award=True, value_change_pct=rise),
              alloc("O1", 1, 100 - share)]
    found = run(snap(actors=providers(1), allocations=allocs), "CL-10")
    assert [f.severity for f in found] == (["medium"] if raised else [])
    if raised:
        f = found[0]
        assert f"{share} % of funds in Home help" in f.why
        assert f.severity_reason.startswith("medium (the rule's only level): ")
        if rise > 25:
            assert "M1 by 26 %, more than 25 %" in f.why
            assert "1 agreement(s) rose by more than 25 %" in f.severity_reason
        else:
            assert "21 % of funds sit in modified agreements, over 20 %" in f.severity_reason


def test_cl10_an_extension_counts_as_a_modification():
    allocs = [alloc("E1", 1, 30, extension_days=90), alloc("O1", 1, 70)]
    assert one(snap(actors=providers(1), allocations=allocs), "CL-10").metrics[
        "modified_pct"] == 30


# ------------------------------------------------------------------------------------------
# CL-X: CLQ-5 = no, CL-9 fired, at least two of {CL-1 high, CL-2, CL-4, CL-6}: critical


def captured(*, clq5: str = "no", referral: int = 1, direct: float = 60) -> list:
    actors, rows = board(0, 7)
    actors.update(providers(2))
    allocs = [alloc("D1", 1, direct, procedure="direct_award"), alloc("O1", 2, 100 - direct)]
    staffing = [M.StaffingRecord(programme_id=1, strand_id=1, period="2024Q2", hires_total=4,
                                 hires_with_public_vacancy=4,
                                 hires_with_political_referral=referral)]
    answer = M.ChecklistResponse(programme_id=1, strand_id=1, period="2024Q1",
                                 item_code="CLQ-5", answer=clq5)
    s = snap(actors=actors, programme_actors=rows, allocations=allocs, staffing=staffing,
             checklist=[answer])
    return run(s, "CL-X", "CL-2", "CL-4", "CL-6", "CL-1", "CL-9")


def test_clx_two_signals_with_a_weak_setting_is_critical():
    f = captured()[0]
    assert f.severity == "critical" and f.strand == "HH"
    assert f.metrics["signals"] == ["CL-1 high", "CL-2", "CL-6"]
    assert "3 capture signals are raised" in f.why and "Home help" in f.why
    assert f.severity_reason == (
        "critical: all three conditions hold, with 3 capture signals (at least 2 needed)")


def test_clx_needs_clq5_no_and_two_signals():
    assert captured(clq5="yes") == []
    # CL-2 medium at 40 %, CL-1 medium (HHI 5,200 but CL-1 high needs CL-2 -> it is high);
    # without the referral and with competitive awards only CL-1 stays, and it is medium
    assert captured(referral=0, direct=0) == []
    assert [f.severity for f in captured(referral=0, direct=31)] == ["critical"]


def test_names_drop_their_description_and_partners_are_listed_in_words():
    described = {"HH": M.Strand(id=1, programme_id=1, code="HH",
                                name="Home help (HH): city agreements with 5 providers")}
    actors = {1: provider(1, "Provider A: city-owned company", is_politically_exposed=True),
              2: provider(2)}
    allocs = [alloc("A1", 1, 71, procedure="direct_award"), alloc("A2", 2, 29)]
    f = one(snap(strands=described, actors=actors, allocations=allocs), "CL-1", "CL-2", "CL-4")
    assert "in Home help (HH), Provider A received 71 %" in f.why
    assert "city agreements" not in f.why and "city-owned" not in f.why
    assert ("non-competitive or discretionary allocation (CL-2) and politically connected "
            "provider (CL-4) are raised too") in f.why
    assert STRANDS["HH"].name == "Home help"


def test_cl9_a_body_that_assesses_counts_all_its_members():
    actors, rows = board(2, 9, phase="co_design")
    rows[1].phase = "co_assessment"  # the city sits as assessor: the body decides
    assert run(snap(actors=actors, programme_actors=rows), "CL-9") == []  # 2 of 9: 22 %
    rows[0].seats_on_decision_body = 1
    assert one(snap(actors=actors, programme_actors=rows), "CL-9").metrics[
        "beneficiary_seats_pct"] == 11.1
