"""Each sample programme raises the flags of domain §3, and no other flag reaches high.

Where the rules, applied to the documented figures, disagree with the brief, the test follows
the rule and the comment gives the arithmetic (issue 5, "Done when").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_me.services import Services
from coprod_me.services.database import load_samples
from coprod_me.services.flag_register import FlagView

HIGH = ("high", "critical")

# (rule, strand, quarter, severity) the brief lists, as the rules compute them
EXPECTED: dict[str, list[tuple[str, str | None, str, str]]] = {
    "RS-01": [
        # Brief: medium at 2024Q1. The rule already fires in 2023Q3 (P1 2,100 -> 6,900 = +229 %,
        # O1 61 -> 63 = +2 points, inside the 5.5-point MDE for n = 600: flat) and 2023Q4
        # (+114 %, +1 point), so by 2024Q1 (+71 %, +1 point) it has persisted: high.
        ("CD-1", "IN-BLK", "2023Q3", "medium"),
        ("CD-1", "IN-BLK", "2024Q1", "high"),
        ("CD-1", "IN-BLK", "2024Q2", "high"),
        ("DQ-1", "IN-BLK", "2024Q2", "high"),  # 96 - 79 = 17 points >= 10
        ("SU-6", "IN-BLK", "2024Q1", "high"),  # 33 / 40 = 82.5 % < 90 %
        ("EQ-2", "IN-BLK", "2024Q1", "medium"),  # 0.75 < 0.8
        ("EQ-2", "IN-BLK", "2024Q2", "high"),  # 0.76 -> 0.75 -> 0.73, widening twice
        ("SU-1", "ID-KAB", "2024Q1", "high"),  # 70 %, election in 8 months, no commitment
        ("SU-2", "ID-KAB", "2024Q2", "high"),  # 184,000 / 400,000 = 46 %
    ],
    "ULL-01": [
        ("SU-5", "AMS", "2016Q4", "medium"),  # 31 / 78 = 40 %
        ("SU-4", "AMS", "2016Q4", "high"),  # active -33 % then -40 %
        ("EQ-1", "AMS", "2016Q4", "high"),  # RR 0.35 in co-design
        ("EQ-6", "AMS", "2016Q4", "medium"),  # 58 %
        ("SU-2", "AMS", "2016Q4", "high"),  # runway 0 %
        ("SU-3", "AMS", "2016Q4", "high"),  # pilot past 50 % of its duration, SU-2 fires
        ("SU-1", "TRN", "2016Q1", "high"),  # 100 %, election June 2016, no commitment
        ("SU-2", "BOS", "2017Q1", "high"),  # Q5: 245,455 / 701,300 = 35 %
        ("SU-3", "BOS", "2017Q1", "high"),  # raised from medium because SU-2 fires
    ],
    "HR-01": [
        ("CL-1", "HH", "2021Q4", "high"),  # 78 %, HHI 6,226, with CL-2 and CL-4
        ("CL-2", "HH", "2021Q4", "high"),  # 87 % non-competitive
        ("CL-3", "HH", "2021Q4", "high"),  # 100 % single-applicant calls
        ("CL-4", "HH", "2021Q4", "high"),  # PEP provider with 78 %
        ("CL-5", "HH", "2021Q1", "high"),  # 150 vs 64.25 = 233 %, with CL-4
        ("CL-6", "HH", "2021Q4", "high"),  # 3 of 12 by public vacancy, 5 referrals
        ("CL-8", "HH", "2021Q4", "high"),  # two conditions
        ("CL-9", "HH", "2021Q4", "high"),  # 0 of 7 seats
        ("CL-X", "HH", "2021Q4", "critical"),
        ("CD-2", "HH", "2021Q4", "high"),  # 54 % satisfied, with CD-3
        ("CD-3", "HH", "2021Q4", "medium"),  # 4.1 >= 1.5 x 2.14 and > mean + 2 sd
        ("CD-1", "HH", "2021Q4", "medium"),  # visits +19 %, HR-O4 -1 point
        ("CL-1", "PA", "2021Q4", "medium"),  # HHI 2,680, no escalation
        ("SU-2", "PA", "2021Q3", "high"),  # 297,600 / 744,000 = 40 %
        ("SU-3", "PA", "2021Q4", "high"),  # project > 24 months, SU-2 fires
        ("SUQ-2", "PA", "2021Q4", "medium"),
    ],
    "HL-01": [
        # Brief: medium at 2024Q1. Sessions already rose 90 -> 160 (+78 %) by 2023Q3 with PAM
        # 48 -> 49 (flat), and 120 -> 210 (+75 %) by 2023Q4 with PAM 49 -> 48, so the flag
        # persists into 2024Q1 (160 -> 260 = +62.5 %) as high.
        ("CD-1", None, "2023Q3", "medium"),
        ("CD-1", None, "2024Q1", "high"),
        ("CD-1", None, "2024Q2", "high"),
        # Brief: medium at 2024Q1. ED visits rose 21 -> 24 (+14.3 %) by 2023Q4 already, so
        # 2024Q1 (22 -> 25 = +13.6 %) is its second quarter: high.
        ("CD-4", None, "2023Q4", "medium"),
        ("CD-4", None, "2024Q1", "high"),
        ("CD-4", None, "2024Q2", "high"),  # 24 -> 26.5 = +10.4 %
        ("CD-5", None, "2024Q2", "high"),  # 58 % limited literacy, CDQ-2 = no
        ("CD-3", None, "2024Q2", "medium"),  # 2.08 >= 1.5 x 1.25
        ("EQ-3", None, "2024Q1", "high"),  # 60 % online only, 24 % excluded, no route
        ("EQ-1", None, "2024Q2", "medium"),  # 75+ RR 0.55 in co-delivery
        ("EQ-5", None, "2024Q2", "medium"),  # HL-O4 without digital_access
        ("SU-7", None, "2024Q2", "medium"),  # two cells at 1, org-operational 3
    ],
    "KR-01": [
        ("CD-7", "T1", "2024Q2", "high"),  # 19 / 59,700 adopted, 18 % answered
        ("SU-5", "T1", "2023Q3", "medium"),  # 3,300 / 9,800 = 34 %
        ("SU-5", "T1", "2024Q1", "high"),  # 2,700 / 9,800 = 28 %
        ("EQ-1", "T1", "2024Q2", "high"),  # RR 0.45 in co-design
        ("EQ-3", "T1", "2024Q2", "high"),  # 100 % online, 23 % excluded
        ("EQ-6", "T2", "2024Q2", "medium"),  # 62 %
        ("CD-1", "T2", "2024Q1", "medium"),  # reports +40 %, damage claims flat
        ("SU-7", None, "2024Q2", "high"),  # organisational-operational = 1
    ],
}

# Evaluator answers that are risk answers on high-severity checklist items (domain §1.7):
# judgement flags the brief does not list but the rule raises.
JUDGEMENT_HIGH: dict[str, set[tuple[str, str | None]]] = {
    "RS-01": {("SUQ-1", "ID-KAB")},
    "ULL-01": {("SUQ-1", "AMS"), ("SUQ-1", "TRN")},
    "HR-01": {("CLQ-1", "HH"), ("CLQ-2", "HH"), ("CLQ-4", "HH"), ("CLQ-6", "HH")},
    "HL-01": {("CDQ-2", None), ("EQQ-1", None)},
    "KR-01": {("EQQ-1", None)},
}

# Computed flags at high that the brief does not list; the report gives the arithmetic.
ALSO_HIGH: dict[str, set[tuple[str, str | None]]] = {
    "RS-01": set(),
    # TRN: RR 0.70 < 0.8 is medium, one level up in co-design = high (Q1-Q3); runway at
    # 2016Q2 is 0 / 135,000 = 0 %: the assessor's budget ended in June and the new one was
    # committed only in September.
    "ULL-01": {("EQ-1", "TRN"), ("SU-2", "TRN")},
    "HR-01": set(),
    "HL-01": set(),
    # T1 active participants fell 9,800 -> 5,600 (-43 %) -> 3,300 (-41 %): SU-4 high.
    "KR-01": {("SU-4", "T1")},
}


@pytest.fixture(scope="module")
def flagged(tmp_path_factory: pytest.TempPathFactory) -> Services:
    path: Path = tmp_path_factory.mktemp("risks") / "samples.sqlite"
    services = Services.open(path)
    load_samples(services.store)
    services.risk_runs.run()
    yield services
    services.close()


def _find(flags: list[FlagView], rule: str, strand: str | None, quarter: str) -> FlagView:
    hits = [f for f in flags if (f.rule_id, f.strand, f.quarter) == (rule, strand, quarter)]
    assert hits, f"{rule} {strand} {quarter} was not raised"
    return max(hits, key=lambda f: ("info", "low", "medium", "high", "critical").index(
        f.computed_severity))


@pytest.mark.parametrize("code", list(EXPECTED))
def test_the_sample_raises_the_flags_of_the_brief(flagged: Services, code: str) -> None:
    flags = flagged.flag_register.register(code)
    for rule, strand, quarter, severity in EXPECTED[code]:
        f = _find(flags, rule, strand, quarter)
        assert f.computed_severity == severity, (rule, strand, quarter, f.why)
        assert f.why and f.thresholds


@pytest.mark.parametrize("code", list(EXPECTED))
def test_no_other_flag_of_the_sample_reaches_high(flagged: Services, code: str) -> None:
    allowed = {(r, s) for r, s, _q, sev in EXPECTED[code] if sev in HIGH}
    allowed |= JUDGEMENT_HIGH[code] | ALSO_HIGH[code]
    high = {(f.rule_id, f.strand) for f in flagged.flag_register.register(code)
            if f.computed_severity in HIGH}
    assert high - allowed == set()
    assert JUDGEMENT_HIGH[code] | ALSO_HIGH[code] <= high


def test_rs01_bangladesh_the_healthy_control_raises_no_computed_flag(flagged: Services) -> None:
    flags = [f for f in flagged.flag_register.register("RS-01", strand="BD-UPZ")
             if f.rule_type != "checklist" and f.computed_severity not in ("info", "low")]
    assert flags == []


def test_hr01_pa_concentration_stays_closed_as_a_false_positive(flagged: Services) -> None:
    pa = [f for f in flagged.flag_register.register("HR-01", strand="PA") if f.rule_id == "CL-1"]
    assert {f.computed_severity for f in pa} == {"medium"}  # never escalated by persistence
    (closed,) = [f for f in pa if f.quarter == "2021Q4"]
    assert closed.status == "closed_false_positive"
    assert "thin market" in (closed.evaluator_judgement or "")


def test_hr01_captured_coproduction_suggests_the_kekez_mode(flagged: Services) -> None:
    (x,) = flagged.flag_register.register("HR-01", quarter="2021Q4", category="clientelism",
                                  severity="critical")
    assert x.rule_id == "CL-X" and x.strand == "HH"
    assert x.metrics["suggested_kekez_mode"] == "novel_captured_coproduction"
    assert flagged.flag_register.rag("HR-01", "2021Q4")["clientelism"] == "critical"


def test_ull01_boston_flags_close_when_the_city_takes_the_lab_on(flagged: Services) -> None:
    late = [f for f in flagged.flag_register.register("ULL-01", strand="BOS")
            if f.rule_id in ("SU-2", "SU-3") and f.quarter >= "2017Q3"]
    assert late == []
    closed = flagged.flag_register.changes("ULL-01", "2017Q3")["closed"]
    assert {(f.rule_id, f.strand) for f in closed} >= {("SU-2", "BOS"), ("SU-3", "BOS")}


def test_ull01_turin_sponsor_flag_shows_the_lifecycle(flagged: Services) -> None:
    trn = {f.quarter: f for f in flagged.flag_register.register("ULL-01", strand="TRN")
           if f.rule_id == "SU-1"}
    assert trn["2016Q1"].status == "open" and trn["2016Q1"].severity == "high"
    assert trn["2016Q3"].status == "mitigating" and trn["2016Q3"].severity == "medium"
    assert trn["2016Q4"].status == "mitigating"  # carried forward by the run
    assert trn["2017Q1"].status == "closed_resolved"


def test_every_flag_explains_itself_with_its_numbers(flagged: Services) -> None:
    (cd1,) = [f for f in flagged.flag_register.register("RS-01", quarter="2024Q1")
              if f.rule_id == "CD-1"]
    assert "71 %" in cd1.why
    assert "flat band of 5.5 points (the survey's margin of error for n = 600" in cd1.why
    assert {t["tag"] for t in cd1.thresholds} == {"CONV", "measured"}  # measured: the MDE
    assert "SSH18" in cd1.citations
    assert cd1.metrics["output_change_rel"] == pytest.approx(11800 / 6900 - 1, abs=1e-3)
