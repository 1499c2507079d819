"""RS-01 "Sanitation for Life": community-led rural sanitation (domain brief §3.1).

Three sites replayed over 2022Q4 (baseline) to 2024Q2:
- IN-BLK, a rural block in India: busy but not better (toilets built, use flat; ODF slippage;
  provider MIS 96 % vs independent survey 79 %; the ST/SC use gap widening);
- BD-UPZ, an upazila in Bangladesh: the healthy control, which should raise no flag;
- ID-KAB, a kabupaten in Indonesia: good progress but fragile (70 % of facilitator costs from
  the regent's discretionary allocation, term ending within 12 months, runway 46 %).

Figures are labelled R (real public figure, with its source key in the Evidence sheet) or
I (illustrative). Every site-level figure is I. Derived numbers (numerators, group splits,
representation counts) are computed below so that they agree with the published totals.

Design notes for the risk engine (see also the Notes sheet):
- BD-UPZ outputs are front-loaded (an upgrade campaign in 2023Q1) so that no output grows by
  10 % or more over two quarters while its linked outcomes are flat (CD-1 must stay quiet).
- BD-UPZ and ID-KAB outcome surveys use n = 2,500 households (IN-BLK n = 600 as in the brief),
  so a 3-point change there is above the minimum detectable effect.
- Targets exist only for 2024Q4 (the brief's target date), so SU-6's "met an earlier target,
  then fell" clause cannot misfire on a target trajectory.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

P = "RS-01"
UTC = dt.UTC
QUARTERS = ["2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2"]
OPEN_QUARTERS = {"2024Q1", "2024Q2"}
SITES = ["IN-BLK", "BD-UPZ", "ID-KAB"]
A = "RS-01-ACT-"  # actor-code prefix (actor codes are global across the samples)

Row = dict[str, Any]

# Marginalised group used for the equity disaggregation at each site (social_group dimension).
MARG = {"IN-BLK": "sc_st", "BD-UPZ": "poorest_quintile", "ID-KAB": "poorest_quintile"}
HOUSEHOLDS = {"IN-BLK": 41_000, "BD-UPZ": 52_000, "ID-KAB": 63_000}
MARG_HOUSEHOLDS = {"IN-BLK": 12_300, "BD-UPZ": 10_400, "ID-KAB": 12_600}

# Household survey sample sizes (households) and the marginalised sub-sample.
N_HH = {"IN-BLK": 600, "BD-UPZ": 2_500, "ID-KAB": 2_500}
# Marginalised households in each quarter's sample (the draw varies a little by quarter).
N_HH_MARG = {"IN-BLK": [180, 181, 181, 180, 183, 180, 181], "BD-UPZ": [500] * 7,
             "ID-KAB": [500] * 7}
N_PERSONS = {"IN-BLK": 2_800, "BD-UPZ": 11_000, "ID-KAB": 12_000}  # persons >= 5 yrs
N_CHILDREN = {"IN-BLK": 400, "BD-UPZ": 1_500, "ID-KAB": 1_600}  # children < 5

# ------------------------------------------------------------------------------------------
# Series (one value per quarter in QUARTERS). Domain figures are used as given.

O1 = {  # % households where all members >= 5 use a safe toilet
    "IN-BLK": [58, 61, 63, 63, 64, 64, 63],  # brief table (n = 600)
    "BD-UPZ": [88, 90, 91, 92, 93, 93, 94],  # brief through 2024Q1; 2024Q2 I
    "ID-KAB": [62, 66, 70, 73, 75, 76, 78],  # brief through 2024Q1; 2024Q2 I
}
O2 = {  # % persons >= 5 practising open defecation in last 7 days (decrease)
    "IN-BLK": [38, 35, 32, 30, 28, 26, 25],
    "BD-UPZ": [6, 5, 4, 4, 3, 3, 3],  # brief through 2024Q1
    "ID-KAB": [30, 27, 24, 21, 18, 16, 14],
}
O2_SEX_SPREAD = {"IN-BLK": 1.0, "BD-UPZ": 0.2, "ID-KAB": 1.0}  # female = T - d, male = T + d
O4 = {  # % households with handwashing station, water and soap observed
    "IN-BLK": [45, 48, 51, 54, 57, 60, 63],
    "BD-UPZ": [58, 61, 64, 67, 70, 72, 74],
    "ID-KAB": [50, 53, 56, 59, 62, 64, 66],
}
O4_MARG_GAP = {"IN-BLK": 4, "BD-UPZ": 3, "ID-KAB": 3}  # marginalised = T - gap (points)
O5 = {  # % children < 5 with diarrhoea in last 2 weeks (decrease, seasonal)
    "IN-BLK": [9.2, 8.6, 9.4, 10.8, 8.8, 8.3, 9.0],
    "BD-UPZ": [5.0, 4.7, 4.9, 5.3, 4.6, 4.4, 4.7],
    "ID-KAB": [11.0, 11.4, 9.8, 9.2, 9.6, 9.9, 8.9],
}
O6 = {  # toilet-use ratio, marginalised / all other households
    "IN-BLK": [0.74, 0.75, 0.76, 0.76, 0.76, 0.75, 0.73],  # brief table
    "BD-UPZ": [0.92, 0.93, 0.93, 0.94, 0.94, 0.95, 0.95],
    "ID-KAB": [0.85, 0.86, 0.87, 0.88, 0.89, 0.90, 0.91],
}
P1 = {  # household toilets constructed or upgraded, cumulative
    "IN-BLK": [0, 2_100, 4_300, 6_900, 9_200, 11_800, 13_500],  # brief table
    "BD-UPZ": [0, 4_800, 5_150, 5_270, 5_520, 5_740, 5_950],
    "ID-KAB": [0, 1_500, 3_300, 5_200, 7_100, 9_200, 11_200],
}
P2 = {  # villages declared ODF, cumulative
    "IN-BLK": [0, 40, 62, 80, 95, 108, 116],
    "BD-UPZ": [0, 76, 82, 83, 88, 91, 94],
    "ID-KAB": [0, 12, 30, 52, 75, 96, 112],
}
P3 = {  # natural leaders and masons trained, cumulative
    "IN-BLK": [0, 520, 560, 570, 585, 595, 600],
    "BD-UPZ": [0, 330, 352, 362, 380, 395, 400],
    "ID-KAB": [0, 150, 280, 400, 500, 590, 660],
}
# RS-O3, 2024Q1: re-verification of the 2023Q1 ODF cohort: (passed, checked) by village group
O3_2024Q1 = {
    "IN-BLK": {"sc_st": (9, 12), "other": (24, 28)},  # 33 / 40 = 82.5 % (brief)
    "BD-UPZ": {"poorest_quintile": (7, 8), "other": (31, 32)},  # 38 / 40 = 95.0 %
    "ID-KAB": {"poorest_quintile": (3, 3), "other": (8, 9)},  # 11 / 12 = 91.7 %
}
# DQ-1 pair at 2024Q2: provider MIS "households with toilet" vs independent survey "access to a
# functional toilet" (numerator, denominator).
P4_MIS = {"IN-BLK": (39_360, 41_000), "BD-UPZ": (50_700, 52_000), "ID-KAB": (52_920, 63_000)}
P5_SURVEY = {"IN-BLK": (474, 600), "BD-UPZ": (2_400, 2_500), "ID-KAB": (2_025, 2_500)}

# Money (USD). Spend per quarter, per site.
SPEND = {
    "IN-BLK": [120_000, 360_000, 370_000, 400_000, 380_000, 400_000, 300_000],
    "BD-UPZ": [100_000, 140_000, 125_000, 115_000, 110_000, 110_000, 105_000],
    "ID-KAB": [60_000, 80_000, 85_000, 90_000, 95_000, 105_000, 110_000],
}


# ------------------------------------------------------------------------------------------
# Small helpers


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _pct(num: float, den: float) -> float:
    return round(100.0 * num / den, 1)


def _split_ratio(total_pct: float, ratio: float, n_g: int, n_o: int) -> tuple[int, int]:
    """Integer (marginalised, other) numerators with the given total and rounded ratio."""
    total = round(total_pct * (n_g + n_o) / 100)
    best: tuple[float, int] | None = None
    for x_g in range(0, min(n_g, total) + 1):
        x_o = total - x_g
        if not 0 < x_o <= n_o:
            continue
        r = (x_g / n_g) / (x_o / n_o)
        err = abs(r - ratio)
        if best is None or err < best[0]:
            best = (err, x_g)
    assert best is not None
    x_g = best[1]
    x_o = total - x_g
    assert round((x_g / n_g) / (x_o / n_o), 2) == round(ratio, 2), (total_pct, ratio)
    return x_g, x_o


def _split_gap(total_pct: float, gap: float, n_g: int, n_o: int) -> tuple[int, int]:
    """Integer (marginalised, other) numerators: marginalised about `gap` points below."""
    total = round(total_pct * (n_g + n_o) / 100)
    x_g = round((total_pct - gap) * n_g / 100)
    return x_g, total - x_g


# ------------------------------------------------------------------------------------------
# Actors and structure


def _actors() -> list[Row]:
    def actor(code: str, name: str, cls: str, org: str, **kw: Any) -> Row:
        return {"code": A + code, "name": name, "actor_class": cls, "org_type": org, **kw}

    rows = [
        actor("PMU", "Sanitation for Life regional programme management unit (illustrative)",
              "lay_organisation", "ngo_association"),
        actor("VERIF", "Independent survey and verification agency, university survey "
              "research centre (illustrative)", "state_indirect_contracted",
              "university_research"),
        actor("DONOR", "International WASH donor (illustrative)", "lay_organisation",
              "funder_philanthropy"),
        # India
        actor("IN-DDWS", "Department of Drinking Water and Sanitation, Ministry of Jal Shakti "
              "(Swachh Bharat Mission - Grameen), India", "state_direct", "government_unit"),
        actor("IN-DWSM", "District Water and Sanitation Mission, IN-BLK district "
              "(illustrative)", "state_direct", "government_unit"),
        actor("IN-BDO", "Block Development Office, IN-BLK (illustrative)", "state_direct",
              "government_unit"),
        actor("IN-SHGF", "IN-BLK block federation of women's self-help groups (illustrative)",
              "lay_organisation", "user_led_org"),
        actor("IN-NLN", "IN-BLK natural leaders' network (illustrative)", "lay_group",
              "volunteer_network"),
        actor("IN-MASONS", "IN-BLK trained masons' collective (illustrative)", "lay_group",
              "for_profit_provider"),
        actor("IN-HH", "IN-BLK participating households", "lay_group", "community_group"),
        # Bangladesh
        actor("BD-UP", "Upazila Parishad, BD-UPZ (illustrative)", "state_direct",
              "government_unit"),
        actor("BD-DPHE", "Department of Public Health Engineering, BD-UPZ upazila office "
              "(illustrative)", "state_direct", "government_unit"),
        actor("BD-WFED", "BD-UPZ federation of village WASH committees (illustrative)",
              "lay_organisation", "user_led_org"),
        actor("BD-NLN", "BD-UPZ natural leaders' network (illustrative)", "lay_group",
              "volunteer_network"),
        actor("BD-MASONS", "BD-UPZ latrine producers and masons (illustrative)", "lay_group",
              "for_profit_provider"),
        actor("BD-HH", "BD-UPZ participating households", "lay_group", "community_group"),
        # Indonesia
        actor("ID-BUPATI", "Office of the Bupati (regent), ID-KAB (illustrative)",
              "state_direct", "political_office"),
        actor("ID-DINKES", "District Health Office (Dinas Kesehatan), ID-KAB (illustrative)",
              "state_direct", "government_unit"),
        actor("ID-FORUM", "ID-KAB forum of village STBM working groups (illustrative)",
              "lay_organisation", "user_led_org"),
        actor("ID-NLN", "ID-KAB village sanitation cadres' network (illustrative)",
              "lay_group", "volunteer_network"),
        actor("ID-MASONS", "ID-KAB sanitation entrepreneurs (illustrative)", "lay_group",
              "for_profit_provider"),
        actor("ID-HH", "ID-KAB participating households", "lay_group", "community_group"),
    ]
    for site, prefix, unit in (("IN-BLK", "IN", "gram panchayat cluster"),
                               ("BD-UPZ", "BD", "union"), ("ID-KAB", "ID", "kecamatan")):
        for letter in "ABCDEFGH":
            rows.append(actor(f"{prefix}-NGO-{letter}",
                              f"{site} facilitation NGO, {unit} {letter} (illustrative)",
                              "state_indirect_contracted", "ngo_association"))
    return rows


def _programme() -> Row:
    return {
        "code": P,
        "name": "Sanitation for Life: community-led rural sanitation and hygiene behaviour "
                "change (India / Bangladesh / Indonesia)",
        "description": (
            "Community-led total sanitation in three rural sites: community triggering and "
            "village sanitation plans (co-commissioning), natural leaders, masons and "
            "households building and using toilets (co-delivery), and community-led ODF "
            "verification (co-assessment). Basis: Mukherjee & Mukherjee [MM18] via [SSH18]: "
            "Indian programmes underperformed when they counted toilets rather than "
            "behaviours [HB13]."),
        "policy_domain": "wash_sanitation",
        "jurisdiction_country": "IN,BD,ID",
        "jurisdiction_level": "multi_country",
        "lead_agency_actor_code": A + "PMU",
        "start_date": _d("2022-10-01"),
        "planned_end_date": _d("2026-06-30"),
        "institutional_status": "programme_recurrent_budget",
        "transition_plan_approved": False,
        "reporting_cadence": "quarterly",
        "currency": "USD",
        "clientelism_context": "medium",
        "os_level": "participative",
        "ors_type": "co_construction",
        "interaction_mode": "in_person_sync",
        "intended_outcome": "efficiency_effectiveness_existing_service",
        "status": "active_reporting",
        "scaleup_stage": "grow",
        "lead_person": "Programme director, regional PMU (illustrative)",
        "lead_has_deputy": True,
        "priority_social_group": "Scheduled Tribe / Scheduled Caste households (IN-BLK); "
                                 "poorest-quintile households (BD-UPZ, ID-KAB)",
        # IATI fields: illustrative (XI-IATI-SAMPLE-... is no registered organisation)
        "iati_identifier": "XI-IATI-SAMPLE-RS01-RS-01",
        "reporting_org_ref": "XI-IATI-SAMPLE-RS01",
        "reporting_org_name": "Sample reporter: sanitation NGO consortium (illustrative)",
        "reporting_org_type": "21",
        "activity_status": "2",
        "sector_code": "14032",
        "default_language": "en",
        "is_sample": True,
        "sample_note": (
            "SAMPLE DATA for demonstration and testing, not a real programme. Figures are "
            "labelled R (real public figure; its source key, e.g. [NARSS19], is in the "
            "Evidence sheet) or I (illustrative). All site-level figures are I. Window: "
            "2022Q4 (baseline) to 2024Q2; targets are for 2024Q4; the planned end 2026-06-30 "
            "is illustrative. Money is in USD (illustrative). The sites are invented "
            "composites: IN-BLK (118 villages, 41,000 households), BD-UPZ (96 villages, "
            "52,000 households), ID-KAB (140 desa, 63,000 households)."),
    }


def _strands() -> list[Row]:
    base = {"programme_code": P, "type": "site", "interaction_mode": "in_person_sync"}
    return [
        {**base, "code": "IN-BLK", "name": "India: rural block (118 villages, 41,000 households)",
         "geo_code": "IN", "population": 197_000,
         "institutional_status": "programme_recurrent_budget"},
        {**base, "code": "BD-UPZ", "name": "Bangladesh: upazila (96 villages, 52,000 "
         "households)", "geo_code": "BD", "population": 218_000,
         "institutional_status": "programme_recurrent_budget"},
        {**base, "code": "ID-KAB", "name": "Indonesia: kabupaten (140 desa, 63,000 households)",
         "geo_code": "ID", "population": 246_000,
         "institutional_status": "time_limited_project"},
    ]


def _evidence() -> list[Row]:
    def ev(code: str, typ: str, title: str, source: str, issued: str | None, conf: str,
           rel: str, nesta: int | None = None) -> Row:
        return {"programme_code": P, "code": code, "type": typ, "title": title,
                "source": source, "issued_on": _d(issued) if issued else None,
                "confidentiality": conf, "reliability": rel, "nesta_level": nesta}

    return [
        ev("SSH18", "document", "Sorrentino, Sicilia & Howlett (2018), Understanding "
           "co-production as a new public governance tool, Policy and Society 37(3)",
           "doi:10.1080/14494035.2018.1521676", "2018-09-01", "public", "A"),
        ev("MM18", "document", "Mukherjee & Mukherjee (2018), Designing for sustainable "
           "outcomes: espousing behavioural change into co-production programmes",
           "Policy and Society 37(3)", "2018-01-01", "public", "A"),
        ev("HB13", "document", "Hueso & Bell (2013), An untold story of policy failure: the "
           "Total Sanitation Campaign in India (TSC 68 % reported vs census 31 %)",
           "Water Policy", "2013-01-01", "public", "A"),
        ev("NARSS19", "survey", "National Annual Rural Sanitation Survey 2018-19 (93.1 % "
           "access, 96.5 % use, 90.7 % of ODF villages re-confirmed)",
           "https://theprint.in/india/governance/93-rural-households-have-access-to-toilets-"
           "96-5-use-them-says-survey/201569", "2019-03-01", "public", "B"),
        ev("IASG", "document", "Summary of NARSS 2018-19 incl. SBM-G MIS 96 % access",
           "https://iasgatewayy.com/96-5-of-households-in-rural-india-have-access-to-toilet-"
           "narss/", "2019-03-01", "public", "C"),
        ev("NFHS5", "survey", "NFHS-5 2019-21 sanitation findings (access 69 % ST vs 93 % "
           "non-SC/ST/OBC households)", "https://deccanherald.com/amp/story/india%2F19-"
           "households-do-not-use-any-toilet-facility-nfhs-survey-1108334.html",
           "2022-05-01", "public", "B"),
        ev("CLTS-ID", "document", "CLTS Knowledge Hub, Indonesia country profile (STBM "
           "'highly decentralized and dependent on district mayor support')",
           "http://www.communityledtotalsanitation.org/country/indonesia", None, "public",
           "C"),
        ev("BASELINE-2022", "survey", "Baseline household sanitation and hygiene survey, "
           "2022Q4, all sites (illustrative)", "Independent survey agency (illustrative)",
           "2022-12-20", "internal", "A", 2),
        ev("HHS-QUARTERLY", "dataset", "Quarterly household spot-check survey: toilet use, "
           "open defecation, handwashing, child diarrhoea (illustrative)",
           "Independent survey agency (illustrative)", "2024-07-15", "restricted_personal",
           "A", 2),
        ev("ODFV-2024Q1", "verification_report", "Independent re-verification of villages "
           "declared ODF in 2023Q1 (IN 33 of 40 pass; illustrative)",
           "Independent survey agency (illustrative)", "2024-04-10", "internal", "A", 2),
        ev("FUNC-2024Q2", "verification_report", "Independent survey of access to a "
           "functional toilet, 2024Q2 (IN 79 %; illustrative)",
           "Independent survey agency (illustrative)", "2024-07-05", "internal", "A", 2),
        ev("MIS-2024Q2", "dataset", "Provider MIS extract: households with a toilet, 2024Q2 "
           "(IN 96 %; illustrative)", "Block / upazila / kabupaten MIS (illustrative)",
           "2024-06-30", "internal", "B"),
        ev("MIN-IN-2022", "minutes", "Block Water and Sanitation Committee: outcome "
           "indicators agreed with the SHG federation and natural leaders (illustrative)",
           "IN-BLK committee secretary (illustrative)", "2022-11-25", "internal", "B"),
        ev("BUPATI-2024", "document", "Regent's decree allocating discretionary funds to "
           "STBM facilitation, FY2024 (illustrative)", "ID-KAB regent's office "
           "(illustrative)", "2023-12-18", "public", "B"),
        ev("APBD-2024", "document", "District budget 2024: health office STBM line "
           "(illustrative)", "ID-KAB district council (illustrative)", "2023-12-15",
           "public", "B"),
        ev("DONOR-2022", "document", "Donor grant agreement, ID-KAB facilitation, "
           "2022-10 to 2023-12 (illustrative)", "International WASH donor (illustrative)",
           "2022-09-20", "internal", "B"),
        ev("SBMG-IN-FY25", "document", "SBM-G block allocation order FY2024-25 "
           "(illustrative)", "District Water and Sanitation Mission (illustrative)",
           "2024-04-20", "internal", "B"),
        ev("ADP-BD-FY25", "document", "Upazila annual development programme FY2024-25, "
           "sanitation line (illustrative)", "Upazila Parishad (illustrative)", "2024-06-20",
           "public", "B"),
        ev("PEER-BD-IN", "peer_learning_record", "Natural leaders' exchange visit BD-UPZ to "
           "IN-BLK: why upgraded toilets stay in use (illustrative)",
           "Regional PMU (illustrative)", "2024-05-30", "internal", "C", 1),
    ]


def _phases() -> list[Row]:
    def ph(phase: str, level: str, intensity: str, roles: str, rights: str) -> Row:
        return {"programme_code": P, "phase": phase, "level": level, "intensity": intensity,
                "policy_stage": "implementation", "start_date": _d("2022-10-01"),
                "lay_actor_roles": roles, "decision_rights_text": rights}

    return [
        ph("co_commissioning", "collective", "shared",
           "Villagers at community triggering; village sanitation committees",
           "Village sanitation plans set priorities and which households are supported first"),
        ph("co_delivery", "collective", "lay_led",
           "Natural leaders organise follow-up and collective ODF effort",
           "Villages decide when to seek ODF declaration"),
        ph("co_delivery", "group", "lay_led",
           "Natural leaders, masons and households build and upgrade toilets",
           "Households choose design and mason; leaders allocate support to the poorest"),
        ph("co_assessment", "collective", "shared",
           "Community verification teams check ODF status with independent verifiers",
           "Teams can refuse or withdraw an ODF declaration"),
    ]


def _programme_actors() -> list[Row]:
    rows: list[Row] = []

    def pa(actor: str, role: str, phase: str | None, strand: str | None = None, **kw: Any
           ) -> None:
        rows.append({"programme_code": P, "actor_code": A + actor, "strand_code": strand,
                     "role": role, "phase": phase, **kw})

    pa("PMU", "facilitator", None)
    pa("VERIF", "provider", "co_assessment")
    bodies = {
        "IN-BLK": ("IN", "IN-BDO", "IN-SHGF", "Block Water and Sanitation Committee", 12, 3),
        "BD-UPZ": ("BD", "BD-UP", "BD-WFED", "Upazila WatSan Committee", 15, 4),
        "ID-KAB": ("ID", "ID-DINKES", "ID-FORUM", "Kabupaten STBM working group (Pokja)", 11, 3),
    }
    for site, (c, lead, ulo, body, total, seats) in bodies.items():
        pa(lead, "commissioner", "co_commissioning", site, decision_body=body,
           seats_on_decision_body=2, total_seats_decision_body=total)
        pa(ulo, "beneficiary_representative", "co_commissioning", site, alford_role="partner",
           lay_role="citizen", is_beneficiary_represented=True, decision_body=body,
           seats_on_decision_body=seats, total_seats_decision_body=total)
        pa(ulo, "co_assessor", "co_assessment", site, alford_role="partner",
           lay_role="citizen", is_beneficiary_represented=True)
        pa(f"{c}-NLN", "co_deliverer", "co_delivery", site, alford_role="partner",
           lay_role="volunteer", is_beneficiary_represented=True, decision_body=body,
           seats_on_decision_body=1, total_seats_decision_body=total)
        pa(f"{c}-MASONS", "co_deliverer", "co_delivery", site, alford_role="supplier")
        pa(f"{c}-HH", "co_deliverer", "co_delivery", site, alford_role="consumer",
           lay_role="client_user")
        for letter in "ABCDEFGH":
            pa(f"{c}-NGO-{letter}", "provider", "co_delivery", site)
    pa("IN-DDWS", "funder", None, "IN-BLK")
    pa("IN-DWSM", "commissioner", "co_delivery", "IN-BLK")
    pa("BD-DPHE", "provider", "co_delivery", "BD-UPZ")
    pa("BD-UP", "funder", None, "BD-UPZ")
    pa("ID-BUPATI", "sponsor", None, "ID-KAB")
    pa("ID-BUPATI", "funder", None, "ID-KAB")
    pa("ID-DINKES", "funder", None, "ID-KAB")
    pa("DONOR", "funder", None, "ID-KAB")
    return rows


def _sponsors() -> list[Row]:
    return [{
        "programme_code": P, "code": "ID-SP-BUPATI", "actor_code": A + "ID-BUPATI",
        "strand_code": "ID-KAB",
        "office_title": "Bupati (regent) of ID-KAB (illustrative)",
        "party": None,
        "term_start": _d("2021-02-26"),
        "term_end_date": _d("2025-02-20"),
        # Indonesia's simultaneous regional elections were held on 27 November 2024; the
        # regent and his term are illustrative (domain §5).
        "next_election_date": _d("2024-11-27"),
        "commitment_beyond_term": False,
    }]


def _funding() -> list[Row]:
    def fs(code: str, strand: str, funder: str, typ: str, amount: float, start: str,
           end: str, sponsor: str | None = None, renewable: bool = False,
           renewal: str | None = None) -> Row:
        return {"programme_code": P, "code": code, "strand_code": strand,
                "funder_actor_code": A + funder, "sponsor_code": sponsor, "type": typ,
                "committed_amount": amount, "period_start": _d(start), "period_end": _d(end),
                "is_renewable": renewable,
                "renewal_decision_date": _d(renewal) if renewal else None, "data_label": "I"}

    return [
        # India: SBM-G block allocations by Indian financial year (April-March).
        fs("IN-FS-SBMG-FY23", "IN-BLK", "IN-DDWS", "recurrent_budget", 1_400_000,
           "2022-04-01", "2023-03-31", renewable=True, renewal="2023-03-15"),
        fs("IN-FS-SBMG-FY24", "IN-BLK", "IN-DDWS", "recurrent_budget", 1_600_000,
           "2023-04-01", "2024-03-31", renewable=True, renewal="2024-03-15"),
        fs("IN-FS-SBMG-FY25", "IN-BLK", "IN-DDWS", "recurrent_budget", 1_800_000,
           "2024-04-01", "2025-03-31", renewable=True, renewal="2025-03-15"),
        # Bangladesh: upazila development programme by financial year (July-June).
        fs("BD-FS-ADP-FY23", "BD-UPZ", "BD-UP", "recurrent_budget", 480_000,
           "2022-07-01", "2023-06-30", renewable=True, renewal="2023-06-15"),
        fs("BD-FS-ADP-FY24", "BD-UPZ", "BD-UP", "recurrent_budget", 500_000,
           "2023-07-01", "2024-06-30", renewable=True, renewal="2024-06-15"),
        fs("BD-FS-ADP-FY25", "BD-UPZ", "BD-UP", "recurrent_budget", 520_000,
           "2024-07-01", "2025-06-30", renewable=True, renewal="2025-06-15"),
        # Indonesia: a donor grant until 2023-12, then the regent's discretionary allocation
        # (70 %) plus the health office's recurrent line (30 %) for calendar 2024; nothing
        # committed for 2025. Runway at 2024Q2 = 184,000 / 400,000 = 46 %.
        fs("ID-FS-DONOR", "ID-KAB", "DONOR", "project_grant", 350_000,
           "2022-10-01", "2023-12-31"),
        fs("ID-FS-DINKES-23", "ID-KAB", "ID-DINKES", "recurrent_budget", 110_000,
           "2023-01-01", "2023-12-31", renewable=True, renewal="2023-12-15"),
        fs("ID-FS-BUPATI-24", "ID-KAB", "ID-BUPATI", "discretionary_political_allocation",
           257_600, "2024-01-01", "2024-12-31", sponsor="ID-SP-BUPATI"),
        # Not renewable: since 2024 the health office's share is voted each year together
        # with the regent's allocation, so nothing carries it into 2025 (the risk engine
        # projects a renewable recurrent line forward until its successor is known).
        fs("ID-FS-DINKES-24", "ID-KAB", "ID-DINKES", "recurrent_budget", 110_400,
           "2024-01-01", "2024-12-31"),
    ]


def _allocations() -> list[Row]:
    """Facilitation contracts: eight similar open-call contracts per site (no CL flags)."""
    rows = []
    amounts = {
        "IN-BLK": [64_000, 61_000, 66_000, 60_000, 63_000, 65_000, 62_000, 59_000],
        "BD-UPZ": [38_000, 36_000, 40_000, 37_000, 39_000, 35_000, 38_500, 36_500],
        "ID-KAB": [31_000, 29_000, 32_000, 30_000, 33_000, 28_000, 30_500, 29_500],
    }
    applicants = [(5, 4), (4, 3), (6, 5), (3, 3), (4, 4), (5, 3), (3, 2), (4, 3)]
    for site, c in (("IN-BLK", "IN"), ("BD-UPZ", "BD"), ("ID-KAB", "ID")):
        for i, letter in enumerate("ABCDEFGH"):
            n_app, n_valid = applicants[i]
            rows.append({
                "programme_code": P, "code": f"{c}-AL-{letter}", "strand_code": site,
                "provider_actor_code": f"{A}{c}-NGO-{letter}",
                "amount": float(amounts[site][i]), "decision_date": _d("2022-11-15"),
                "period_start": _d("2022-12-01"), "period_end": _d("2024-11-30"),
                "procedure": "open_call", "call_published": True, "advert_days": 30,
                "n_applicants": n_app, "n_valid_applicants": n_valid,
                "modified_after_award": False, "decision_published": True,
                "coi_declared": True, "data_label": "I"})
    return rows


def _spend() -> list[Row]:
    return [{"programme_code": P, "strand_code": site, "period": q,
             "amount": float(SPEND[site][i]), "data_label": "I"}
            for site in SITES for i, q in enumerate(QUARTERS)]


def _reporting_periods() -> list[Row]:
    rows = []
    for q in QUARTERS:
        year, n = int(q[:4]), int(q[-1])
        end = dt.date(year, 3 * n, [31, 30, 30, 31][n - 1])
        cutoff = end + dt.timedelta(days=30)
        locked = q not in OPEN_QUARTERS
        rows.append({
            "programme_code": P, "quarter": q, "status": "locked" if locked else "open",
            "data_cutoff_date": cutoff,
            "locked_by": "sample data" if locked else None,
            "locked_at": dt.datetime(cutoff.year, cutoff.month, cutoff.day, 12, 0, tzinfo=UTC)
            + dt.timedelta(days=15) if locked else None})
    return rows


# ------------------------------------------------------------------------------------------
# Indicators, targets, links


def _indicators() -> list[Row]:
    common: Row = {"programme_code": P, "accountability_type": "performance",
                   "attribution_claim": "contribution", "frequency": "quarterly",
                   "baseline_period": "2022Q4", "post_exit_measurement_due": None}
    survey = ("Quarterly household spot-check survey by an independent agency (IN n = 600, "
              "BD and ID n = 2,500 households)")
    post_exit = _d("2027-06-30")
    rows: list[Row] = [
        {**common, "code": "RS-O1",
         "name": "Households where all members aged 5+ use a toilet that safely contains "
                 "excreta (spot-check + report)",
         "definition": "Share of sampled households in which the enumerator observes a "
                       "functional toilet that safely contains excreta, with signs of use, AND "
                       "every member aged 5+ reports using it at every defecation in the last "
                       "7 days. Households with no toilet count in the denominator.",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "behaviour", "unit": "percent",
         "numerator_def": "Sampled households meeting both the observation and the use "
                          "criterion",
         "denominator_def": "All sampled households", "direction": "increase",
         "baseline_value": 69.6, "baseline_source": "Baseline survey 2022Q4 (BASELINE-2022)",
         "baseline_method": "Household-weighted mean of the site baselines IN 58 / BD 88 / "
                            "ID 62 (per-site baselines are the 2022Q4 observations)",
         "amber_at": 60, "red_at": 55, "phases": "co_commissioning,co_delivery",
         "coproduction_level": "group", "disaggregation_required": "social_group",
         "data_source": survey, "collection_method": "Household interview plus enumerator "
                                                      "spot-check of the facility",
         "responsible_role": "M&E officer, regional PMU", "verification_type":
             "independent_survey", "co_defined_with_lay_actors": True,
         "co_defined_evidence_code": "MIN-IN-2022", "post_exit_measurement_due": post_exit,
         "known_limitations": "Self-reported use by all members may be over-stated; the "
                              "spot-check guards against households without a usable toilet.",
         "evidence_standard": 2, "baseline_label": "I"},
        {**common, "code": "RS-O2",
         "name": "Population aged 5+ practising open defecation in the last 7 days",
         "definition": "Share of household members aged 5+ in sampled households reported to "
                       "have defecated in the open at least once in the last 7 days.",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "behaviour", "unit": "percent",
         "numerator_def": "Members aged 5+ who defecated in the open at least once in the last "
                          "7 days", "denominator_def": "Members aged 5+ in sampled households",
         "direction": "decrease", "baseline_value": 24.1,
         "baseline_source": "Baseline survey 2022Q4 (BASELINE-2022)",
         "baseline_method": "Household-weighted mean of IN 38 / BD 6 / ID 30",
         "amber_at": 35, "red_at": 40, "phases": "co_commissioning,co_delivery",
         "coproduction_level": "collective", "disaggregation_required": "sex",
         "data_source": survey, "collection_method": "Household roster interview",
         "responsible_role": "M&E officer, regional PMU",
         "verification_type": "independent_survey", "post_exit_measurement_due": post_exit,
         "evidence_standard": 2, "baseline_label": "I"},
        {**common, "code": "RS-O3", "risk_role": "reverified_sustained_share",
         "name": "Villages declared ODF 12+ months earlier that pass independent "
                 "re-verification",
         "definition": "Of villages declared ODF in quarter t-4, the share in which an "
                       "independent team finds no open defecation sites, all households with "
                       "access, and functional toilets in use (full ODF criteria).",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "behaviour", "unit": "percent",
         "numerator_def": "Re-verified villages that pass all ODF criteria",
         "denominator_def": "Villages of the cohort declared ODF 12 months earlier that were "
                            "re-verified (all, or a random sample of 40)",
         "direction": "increase", "baseline_value": 89.1, "baseline_period": "2024Q1",
         "baseline_source": "First re-verification round 2024Q1 (ODFV-2024Q1)",
         "baseline_method": "No earlier value exists (the brief lists n/a: first cohort); the "
                            "first round pooled over sites (82 of 92 villages) is used",
         "amber_at": 90, "red_at": 80, "phases": "co_assessment",
         "coproduction_level": "collective", "disaggregation_required": "social_group",
         "data_source": "Independent ODF re-verification rounds", "collection_method":
             "Village transect walk, household sample, facility check",
         "frequency": "semi_annual", "responsible_role": "Independent verification agency",
         "verification_type": "independent_verification",
         "post_exit_measurement_due": post_exit,
         "known_limitations": "social_group is the village's majority group (SC/ST-majority "
                              "villages in IN; villages in the poorest quintile of the poverty "
                              "map in BD and ID); cells have fewer than 30 villages.",
         "evidence_standard": 2, "baseline_label": "I"},
        {**common, "code": "RS-O4",
         "name": "Households with a handwashing station with water and soap observed",
         "definition": "Share of sampled households where the enumerator observes a "
                       "handwashing place with water and soap.",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "behaviour", "unit": "percent",
         "numerator_def": "Households with a handwashing station with water and soap observed",
         "denominator_def": "All sampled households", "direction": "increase",
         "baseline_value": 51.4, "baseline_source": "Baseline survey 2022Q4 (BASELINE-2022)",
         "baseline_method": "Household-weighted mean of IN 45 / BD 58 / ID 50",
         "amber_at": 50, "red_at": 40, "phases": "co_delivery", "coproduction_level":
             "individual", "disaggregation_required": "social_group", "data_source": survey,
         "collection_method": "Enumerator observation", "responsible_role":
             "M&E officer, regional PMU", "verification_type": "observation",
         "post_exit_measurement_due": post_exit, "evidence_standard": 2,
         "baseline_label": "I"},
        {**common, "code": "RS-O5",
         "name": "Diarrhoea in children under 5 in the last 2 weeks",
         "definition": "Share of children under 5 in sampled households whose carer reports "
                       "diarrhoea (3+ loose stools a day) in the last 2 weeks.",
         "result_level": "impact", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "accountability_type": "population",
         "unit": "percent", "numerator_def": "Children under 5 with diarrhoea in the last "
                                             "2 weeks", "denominator_def": "Children under 5 "
                                                                           "in sampled "
                                                                           "households",
         "direction": "decrease", "baseline_value": 8.5,
         "baseline_source": "Baseline survey 2022Q4 (BASELINE-2022)",
         "baseline_method": "Household-weighted mean of IN 9.2 / BD 5.0 / ID 11.0",
         "amber_at": 10, "red_at": 12, "phases": "co_delivery", "coproduction_level":
             "collective", "disaggregation_required": "sex", "data_source": survey,
         "collection_method": "Carer recall (2 weeks)", "responsible_role":
             "M&E officer, regional PMU", "verification_type": "independent_survey",
         "is_seasonal": True, "post_exit_measurement_due": post_exit,
         "known_limitations": "Seasonal (monsoon peak in South Asia in Q3, rainy season in "
                              "Indonesia in Q4-Q1): compare year on year.",
         "evidence_standard": 1, "baseline_label": "I"},
        {**common, "code": "RS-O6",
         "name": "Toilet-use ratio: most marginalised households (ST/SC or poorest quintile) "
                 "to all other households",
         "definition": "RS-O1 among the site's marginalised group divided by RS-O1 among all "
                       "other households (IN: Scheduled Tribe and Scheduled Caste; BD and ID: "
                       "poorest wealth quintile).",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "behaviour", "unit": "ratio",
         "numerator_def": "RS-O1 among marginalised households",
         "denominator_def": "RS-O1 among all other households", "direction": "increase",
         "baseline_value": 0.84, "baseline_source": "Baseline survey 2022Q4; IN anchored to "
                                                   "NFHS-5 69/93 (R) [NFHS5]",
         "baseline_method": "Household-weighted mean of IN 0.74 / BD 0.92 / ID 0.85",
         "amber_at": 0.8, "red_at": 0.7, "phases": "co_commissioning",
         "coproduction_level": "collective", "disaggregation_required": "sex",
         "data_source": survey, "collection_method": "Derived from RS-O1 by social group",
         "responsible_role": "M&E officer, regional PMU",
         "verification_type": "independent_survey", "post_exit_measurement_due": post_exit,
         "known_limitations": "dim:sex is the sex of the household head. The brief calls "
                              "this an 'equity' outcome; 'equity' is not a better_off_type "
                              "value, so behaviour is used.",
         "evidence_standard": 2, "baseline_label": "I"},
        {**common, "code": "RS-P1",
         "name": "Household toilets constructed or upgraded (cumulative)",
         "definition": "Toilets completed since 2022Q4 that pass the provider's completion "
                       "check, new or upgraded from unhygienic.",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "count",
         "direction": "increase", "baseline_value": 0, "baseline_source":
             "Programme start", "phases": "co_delivery", "coproduction_level": "group",
         "data_source": "Provider MIS (block / upazila / kabupaten)", "collection_method":
             "Completion certificates", "responsible_role": "Facilitation NGOs",
         "verification_type": "self_report_provider", "is_cumulative": True,
         "baseline_label": "I"},
        {**common, "code": "RS-P2", "name": "Villages declared ODF (cumulative)",
         "definition": "Villages declared open-defecation-free after community verification.",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "count",
         "direction": "increase", "baseline_value": 0, "baseline_source": "Programme start",
         "phases": "co_assessment", "coproduction_level": "collective",
         "data_source": "Provider MIS and declaration registers",
         "collection_method": "Declaration certificates",
         "responsible_role": "Block / upazila / district officer",
         "verification_type": "administrative", "is_cumulative": True,
         "baseline_label": "I"},
        {**common, "code": "RS-P3", "name": "Natural leaders and masons trained (cumulative)",
         "definition": "People completing the 3-day natural leader or mason course.",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "count",
         "direction": "increase", "baseline_value": 0, "baseline_source": "Programme start",
         "phases": "co_delivery", "coproduction_level": "group",
         "data_source": "Training attendance registers", "collection_method":
             "Attendance lists", "responsible_role": "Facilitation NGOs",
         "verification_type": "self_report_provider", "is_cumulative": True,
         "baseline_label": "I"},
        {**common, "code": "RS-P4",
         "name": "Households with a toilet, as reported by the provider MIS",
         "definition": "Households recorded in the provider MIS as having a toilet (reported "
                       "coverage). Compared with RS-P5 (same construct) for DQ-1.",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "percent",
         "numerator_def": "Households recorded with a toilet in the MIS",
         "denominator_def": "All households in the site (census frame)",
         "direction": "increase", "baseline_value": 63.0, "baseline_source":
             "MIS 2022Q4 (IN-BLK)", "phases": "co_delivery", "coproduction_level": "group",
         "data_source": "Provider MIS extract", "collection_method": "MIS database extract",
         "frequency": "one_off", "responsible_role": "Block / upazila / district MIS officer",
         "verification_type": "self_report_provider",
         "construct_code": "RS-C-HH-TOILET-ACCESS",
         "known_limitations": "Counts toilets built or registered, not toilets that work.",
         "baseline_label": "I"},
        {**common, "code": "RS-P5",
         "name": "Households with access to a functional toilet (independent survey)",
         "definition": "Share of sampled households where the enumerator finds a functional "
                       "toilet the household can use. Same construct as RS-P4.",
         "result_level": "output", "rba_quadrant": "how_well", "unit": "percent",
         "numerator_def": "Sampled households with a functional toilet observed",
         "denominator_def": "All sampled households", "direction": "increase",
         "baseline_value": 61.0, "baseline_source": "Baseline survey 2022Q4 (IN-BLK)",
         "phases": "co_delivery", "coproduction_level": "group",
         "data_source": "Independent functionality survey (FUNC-2024Q2)",
         "collection_method": "Enumerator observation", "frequency": "one_off",
         "responsible_role": "Independent verification agency",
         "verification_type": "independent_survey",
         "construct_code": "RS-C-HH-TOILET-ACCESS", "baseline_label": "I"},
    ]
    return rows


TARGETS_2024Q4: dict[str, dict[str, float]] = {  # indicator -> {site: value}
    "RS-O1": {"IN-BLK": 85, "BD-UPZ": 95, "ID-KAB": 85},
    "RS-O2": {"IN-BLK": 10, "BD-UPZ": 2, "ID-KAB": 10},
    "RS-O3": {"IN-BLK": 90, "BD-UPZ": 90, "ID-KAB": 90},
    "RS-O4": {"IN-BLK": 70, "BD-UPZ": 75, "ID-KAB": 70},
    "RS-O5": {"IN-BLK": 6.4, "BD-UPZ": 3.5, "ID-KAB": 7.7},
    "RS-O6": {"IN-BLK": 0.90, "BD-UPZ": 0.90, "ID-KAB": 0.90},
    "RS-P1": {"IN-BLK": 16_000, "BD-UPZ": 6_000, "ID-KAB": 14_000},
    "RS-P2": {"IN-BLK": 118, "BD-UPZ": 96, "ID-KAB": 140},
    "RS-P3": {"IN-BLK": 600, "BD-UPZ": 400, "ID-KAB": 700},
}
TARGET_RATIONALE = {
    "RS-O3": "At least 90 %, anchored on NARSS 2018-19: 90.7 % of previously declared ODF "
             "villages re-confirmed (R) [NARSS19]",
    "RS-O5": "30 % relative reduction from the site baseline",
    "RS-O6": "Ratio of at least 0.90 (four-fifths screening bound is 0.8)",
}


def _targets() -> list[Row]:
    return [{"programme_code": P, "indicator_code": ind, "strand_code": site,
             "period": "2024Q4", "value": float(v),
             "rationale": TARGET_RATIONALE.get(ind, "Programme target for 2024Q4"),
             "data_label": "I"}
            for ind, by_site in TARGETS_2024Q4.items() for site, v in by_site.items()]


def _links() -> list[Row]:
    def link(a: str, b: str, text: str) -> Row:
        return {"programme_code": P, "from_indicator_code": a, "to_indicator_code": b,
                "assumption_text": text, "strength": "hypothesised"}

    return [
        link("RS-P1", "RS-O1", "Toilets enable use if demand exists: households whose members "
             "want to stop open defecation use a toilet once one is built."),
        link("RS-P1", "RS-O2", "Toilets enable use if demand exists: a toilet within reach "
             "replaces open defecation for every household member."),
        link("RS-P2", "RS-O3", "Villages declared ODF through community verification keep "
             "the norm once social pressure and follow-up continue after declaration."),
        link("RS-P2", "RS-O2", "A village-wide ODF declaration reflects and reinforces a "
             "collective end of open defecation."),
        link("RS-P3", "RS-O1", "Trained natural leaders follow up households and masons "
             "build toilets people want to use, so use rises with training."),
        link("RS-P3", "RS-O4", "Natural leaders promote handwashing with soap during "
             "follow-up visits, so handwashing stations appear."),
        link("RS-P4", "RS-O1", "A toilet recorded in the MIS enables use only if it exists, "
             "works and the household wants to use it."),
        link("RS-P5", "RS-O1", "Access to a functional toilet is a precondition of use by "
             "all household members."),
    ]


# ------------------------------------------------------------------------------------------
# Observations


def _obs(ind: str, site: str, q: str, phase: str, vt: str, source: str, *,
         value: float | None = None, num: float | None = None, den: float | None = None,
         n: int | None = None, dims: dict[str, str] | None = None,
         evidence: str | None = None, comment: str | None = None,
         quality: str | None = None, label: str = "I") -> Row:
    if value is None and num is not None and den is not None:
        value = _pct(num, den)
    row: Row = {
        "programme_code": P, "indicator_code": ind, "strand_code": site, "period": q,
        "phase": phase, "value": value, "numerator": num, "denominator": den,
        "n_sample": n,
        "quality_status": quality or ("verified" if q not in OPEN_QUARTERS else "provisional"),
        "verification_type": vt, "data_source": source, "evidence_code": evidence,
        "comment": comment, "data_label": label}
    for k, v in (dims or {}).items():
        row[f"dim:{k}"] = v
    return row


def _observations() -> list[Row]:
    rows: list[Row] = []
    hhs = "Quarterly household spot-check survey (illustrative)"
    for site in SITES:
        n = N_HH[site]
        g = MARG[site]
        for i, q in enumerate(QUARTERS):
            n_g = N_HH_MARG[site][i]
            n_o = n - n_g
            ev = "BASELINE-2022" if q == "2022Q4" else "HHS-QUARTERLY"
            # RS-O1 total and by social group, consistent with RS-O6.
            t = O1[site][i]
            x_g, x_o = _split_ratio(t, O6[site][i], n_g, n_o)
            rows.append(_obs("RS-O1", site, q, "co_delivery", "independent_survey", hhs,
                             num=x_g + x_o, den=n, n=n, evidence=ev))
            rows.append(_obs("RS-O1", site, q, "co_delivery", "independent_survey", hhs,
                             num=x_g, den=n_g, n=n_g, dims={"social_group": g}, evidence=ev))
            rows.append(_obs("RS-O1", site, q, "co_delivery", "independent_survey", hhs,
                             num=x_o, den=n_o, n=n_o, dims={"social_group": "other"},
                             evidence=ev))
            # RS-O6 (ratio) total and by sex of household head.
            r = O6[site][i]
            rows.append(_obs("RS-O6", site, q, "co_commissioning", "independent_survey", hhs,
                             value=r, n=n, evidence=ev,
                             comment="RS-O1 of the marginalised group / RS-O1 of all other "
                                     "households" if i == 0 else None))
            n_f = n // 8
            rows.append(_obs("RS-O6", site, q, "co_commissioning", "independent_survey", hhs,
                             value=round(r - 0.02, 2), n=n_f, dims={"sex": "female"},
                             evidence=ev))
            rows.append(_obs("RS-O6", site, q, "co_commissioning", "independent_survey", hhs,
                             value=round(r + 0.01, 2), n=n - n_f, dims={"sex": "male"},
                             evidence=ev))
            # RS-O2 by sex (persons aged 5+).
            np_ = N_PERSONS[site]
            half = np_ // 2
            t2, d = O2[site][i], O2_SEX_SPREAD[site]
            f_num = round((t2 - d) * half / 100)
            m_num = round((t2 + d) * half / 100)
            rows.append(_obs("RS-O2", site, q, "co_delivery", "independent_survey", hhs,
                             num=f_num + m_num, den=np_, n=np_, evidence=ev))
            rows.append(_obs("RS-O2", site, q, "co_delivery", "independent_survey", hhs,
                             num=f_num, den=half, n=half, dims={"sex": "female"}, evidence=ev))
            rows.append(_obs("RS-O2", site, q, "co_delivery", "independent_survey", hhs,
                             num=m_num, den=half, n=half, dims={"sex": "male"}, evidence=ev))
            # RS-O4 by social group.
            t4 = O4[site][i]
            y_g, y_o = _split_gap(t4, O4_MARG_GAP[site], n_g, n_o)
            rows.append(_obs("RS-O4", site, q, "co_delivery", "observation", hhs,
                             num=y_g + y_o, den=n, n=n, evidence=ev))
            rows.append(_obs("RS-O4", site, q, "co_delivery", "observation", hhs,
                             num=y_g, den=n_g, n=n_g, dims={"social_group": g}, evidence=ev))
            rows.append(_obs("RS-O4", site, q, "co_delivery", "observation", hhs,
                             num=y_o, den=n_o, n=n_o, dims={"social_group": "other"},
                             evidence=ev))
            # RS-O5 (impact, seasonal) by sex.
            t5, nc = O5[site][i], N_CHILDREN[site]
            rows.append(_obs("RS-O5", site, q, "co_delivery", "independent_survey", hhs,
                             value=t5, n=nc, evidence=ev))
            rows.append(_obs("RS-O5", site, q, "co_delivery", "independent_survey", hhs,
                             value=round(t5 - 0.3, 1), n=nc // 2, dims={"sex": "female"},
                             evidence=ev))
            rows.append(_obs("RS-O5", site, q, "co_delivery", "independent_survey", hhs,
                             value=round(t5 + 0.3, 1), n=nc - nc // 2, dims={"sex": "male"},
                             evidence=ev))
            # Outputs (cumulative counts).
            mis = "Provider MIS (illustrative)"
            rows.append(_obs("RS-P1", site, q, "co_delivery", "self_report_provider", mis,
                             value=P1[site][i]))
            rows.append(_obs("RS-P2", site, q, "co_assessment", "administrative",
                             "Declaration registers (illustrative)", value=P2[site][i]))
            rows.append(_obs("RS-P3", site, q, "co_delivery", "self_report_provider",
                             "Training registers (illustrative)", value=P3[site][i]))
        # RS-O3: first re-verification round, 2024Q1 (cohort declared ODF in 2023Q1).
        cells = O3_2024Q1[site]
        passed = sum(p for p, _ in cells.values())
        checked = sum(c for _, c in cells.values())
        src = "Independent ODF re-verification (illustrative)"
        comment = ("Cohort declared ODF in 2023Q1; 33 of 40 villages pass (82.5 %) against the "
                   "NARSS anchor of 90.7 % (R)" if site == "IN-BLK" else
                   "Cohort declared ODF in 2023Q1")
        rows.append(_obs("RS-O3", site, "2024Q1", "co_assessment", "independent_verification",
                         src, num=passed, den=checked, n=checked, evidence="ODFV-2024Q1",
                         comment=comment))
        for cat, (p_, c_) in cells.items():
            rows.append(_obs("RS-O3", site, "2024Q1", "co_assessment",
                             "independent_verification", src, num=p_, den=c_, n=c_,
                             dims={"social_group": cat}, evidence="ODFV-2024Q1"))
        # DQ-1 pair at 2024Q2.
        num, den = P4_MIS[site]
        rows.append(_obs("RS-P4", site, "2024Q2", "co_delivery", "self_report_provider",
                         "Provider MIS extract (illustrative)", num=num, den=den,
                         evidence="MIS-2024Q2",
                         comment="Provider MIS 96 % (cf. SBM-G MIS 96 % nationally, R "
                                 "[IASG])" if site == "IN-BLK" else None))
        num, den = P5_SURVEY[site]
        rows.append(_obs("RS-P5", site, "2024Q2", "co_delivery", "independent_survey",
                         "Independent functionality survey (illustrative)", num=num, den=den,
                         n=den, evidence="FUNC-2024Q2",
                         comment="Independent survey 79 % vs MIS 96 %: 17 points"
                         if site == "IN-BLK" else None))
    return rows


# ------------------------------------------------------------------------------------------
# Participation, population, feedback, channels


# Active participants per phase (None: phase not yet running) and retention share.
ACTIVE: dict[str, dict[str, list[int | None]]] = {  # per site, per phase
    "IN-BLK": {"co_commissioning": [590, 600, 608, 615, 620, 624, 628],
               "co_delivery": [None, 480, 520, 530, 540, 545, 548],
               "co_assessment": [None, 80, 120, 140, 150, 160, 165]},
    "BD-UPZ": {"co_commissioning": [480, 485, 490, 492, 495, 498, 500],
               "co_delivery": [None, 300, 320, 330, 340, 345, 350],
               "co_assessment": [None, 100, 105, 108, 110, 112, 115]},
    "ID-KAB": {"co_commissioning": [700, 710, 720, 730, 740, 745, 750],
               "co_delivery": [None, 140, 260, 370, 460, 540, 600],
               "co_assessment": [None, 20, 45, 70, 95, 115, 130]},
}
RR_TARGET = {"IN-BLK": 0.92, "BD-UPZ": 0.95, "ID-KAB": 0.93}  # representation, all phases
RETENTION = 0.95


def _participation() -> list[Row]:
    rows: list[Row] = []
    for site in SITES:
        share = MARG_HOUSEHOLDS[site] / HOUSEHOLDS[site]
        for phase, series in ACTIVE[site].items():
            prev: int | None = None
            for i, q in enumerate(QUARTERS):
                active = series[i]
                if active is None:
                    continue
                cont = 0 if prev is None else min(prev, round(prev * RETENTION))
                new = active - cont
                exited = 0 if prev is None else prev - cont
                rows.append({"programme_code": P, "strand_code": site, "period": q,
                             "phase": phase, "registered": active + 20, "active": active,
                             "new": new, "continuing_active": cont, "exited": exited,
                             "data_label": "I"})
                marg = round(active * share * RR_TARGET[site])
                for cat, val in ((MARG[site], marg), ("other", active - marg)):
                    rows.append({"programme_code": P, "strand_code": site, "period": q,
                                 "phase": phase, "group_dimension": "social_group",
                                 "group_category": cat, "active": val, "data_label": "I"})
                prev = active
    return rows


def _population() -> list[Row]:
    rows = []
    for site in SITES:
        geo = f"{site} (households)"
        for dim, cat, count in (("", "", HOUSEHOLDS[site]),
                                ("social_group", MARG[site], MARG_HOUSEHOLDS[site]),
                                ("social_group", "other",
                                 HOUSEHOLDS[site] - MARG_HOUSEHOLDS[site])):
            rows.append({"programme_code": P, "strand_code": site, "geo": geo,
                         "group_dimension": dim, "group_category": cat,
                         "population_count": float(count), "year": 2022,
                         "source": "Household census frame of the site (illustrative)",
                         "data_label": "I"})
    return rows


# Per site: active users (households engaged), complaints, share resolved in 30 days,
# satisfaction mean and satisfied share.
FEEDBACK: dict[str, dict[str, Any]] = {
    "IN-BLK": dict(users=[28_000, 30_000, 32_000, 33_000, 34_000, 35_000, 35_500],
                   compl=[130, 140, 150, 148, 155, 160, 158], res=0.86,
                   sat=[71, 72, 72, 73, 72, 71, 72], share=[73, 74, 74, 75, 74, 73, 74]),
    "BD-UPZ": dict(users=[40_000, 41_000, 41_500, 42_000, 42_000, 42_500, 42_500],
                   compl=[90, 92, 88, 91, 89, 90, 92], res=0.9,
                   sat=[82, 83, 83, 84, 84, 85, 85], share=[84, 85, 85, 86, 86, 87, 87]),
    "ID-KAB": dict(users=[30_000, 33_000, 36_000, 39_000, 42_000, 44_000, 46_000],
                   compl=[110, 120, 128, 136, 145, 150, 158], res=0.88,
                   sat=[77, 78, 79, 79, 80, 80, 81], share=[79, 80, 81, 81, 82, 82, 83]),
}


def _feedback() -> list[Row]:
    rows = []
    for site in SITES:
        f = FEEDBACK[site]
        for i, q in enumerate(QUARTERS):
            received = [60, 55, 50, 45, 40, 36, 34][i]
            rows.append({
                "programme_code": P, "strand_code": site, "period": q,
                "phase": "co_delivery", "interaction_stage": "after",
                "active_users": f["users"][i], "complaints_received": f["compl"][i],
                "complaints_resolved_30d": round(f["compl"][i] * f["res"]),
                "complaints_handled_by_independent_body": True,
                "satisfaction_mean_0_100": float(f["sat"][i]),
                "satisfied_share_pct": float(f["share"][i]), "satisfaction_n": N_HH[site],
                "proposals_received": received,
                "proposals_responded_30d": round(received * 0.9),
                "proposals_adopted": round(received * 0.3), "data_label": "I"})
    return rows


def _channels() -> list[Row]:
    excluded = {"IN-BLK": 55.0, "BD-UPZ": 45.0, "ID-KAB": 38.0}
    total = {"IN-BLK": 150, "BD-UPZ": 120, "ID-KAB": 170}
    return [{"programme_code": P, "strand_code": site, "period": q,
             "opportunities_total": total[site], "opportunities_online_only": 0,
             "assisted_alternative_available": True,
             "digitally_excluded_share_pct": excluded[site], "data_label": "I"}
            for site in SITES for q in QUARTERS]


# ------------------------------------------------------------------------------------------
# Capacity, checklists, evidence links, notes

# code: (date, assessor, scope, actor, method, {level: (analytical, operational, political)})
Grid = dict[str, tuple[int, int, int]]
CAPACITY: dict[str, tuple[str, str, str, str, str, Grid]] = {
    "IN-STATE-2024": ("2024-03-20", "External assessor (illustrative)", "state", "IN-BDO",
                      "external", {"individual": (2, 3, 2), "organizational": (2, 2, 3),
                                   "systemic": (3, 3, 3)}),
    "BD-STATE-2024": ("2024-03-22", "External assessor (illustrative)", "state", "BD-UP",
                      "external", {"individual": (3, 3, 3), "organizational": (3, 3, 3),
                                   "systemic": (4, 3, 3)}),
    "ID-STATE-2024": ("2024-03-25", "External assessor (illustrative)", "state", "ID-DINKES",
                      "external", {"individual": (3, 3, 3), "organizational": (3, 3, 2),
                                   "systemic": (2, 2, 2)}),
    "IN-LAY-2024": ("2024-03-21", "Peer review by BD natural leaders (illustrative)",
                    "lay_non_state", "IN-SHGF", "peer_review",
                    {"individual": (2, 3, 3), "organizational": (2, 2, 2),
                     "systemic": (2, 2, 2)}),
    "BD-LAY-2024": ("2024-03-23", "Peer review by IN SHG federation (illustrative)",
                    "lay_non_state", "BD-WFED", "peer_review",
                    {"individual": (3, 3, 3), "organizational": (3, 3, 3),
                     "systemic": (3, 3, 3)}),
    "ID-LAY-2024": ("2024-03-26", "Self-assessment with PMU facilitation (illustrative)",
                    "lay_non_state", "ID-FORUM", "self_assessment",
                    {"individual": (3, 3, 2), "organizational": (2, 3, 2),
                     "systemic": (2, 2, 2)}),
}
CAP_NOTES = {
    ("individual", "analytical"): "Staff and lay co-producers read and use survey data",
    ("individual", "operational"): "Planning and facilitation skills of officers and leaders",
    ("individual", "political"): "Reading stakeholders' interests at village level",
    ("organizational", "analytical"): "MIS quality; use data beyond construction counts",
    ("organizational", "operational"): "Budget, staff time and coordination for follow-up",
    ("organizational", "political"): "Legitimacy and trust between officials and villages",
    ("systemic", "analytical"): "Independent verification and statistics available",
    ("systemic", "operational"): "Rules across levels of government; ODF protocols",
    ("systemic", "political"): "Cross-party support; dependence on individual office-holders",
}
SCORE_WORD = {0: "absent", 1: "weak", 2: "partial", 3: "adequate", 4: "strong"}


def _capacity() -> tuple[list[Row], list[Row]]:
    assessments, scores = [], []
    for code, (date, assessor, scope, actor, method, grid) in CAPACITY.items():
        assessments.append({"programme_code": P, "code": code, "assessed_on": _d(date),
                            "assessor": assessor, "actor_scope": scope,
                            "actor_code": A + actor, "method": method})
        for level, triple in grid.items():
            for comp, score in zip(("analytical", "operational", "political"), triple,
                                   strict=True):
                note = CAP_NOTES[(level, comp)]
                if code == "ID-STATE-2024" and level == "systemic":
                    note += "; facilitation rests on the regent's discretionary allocation"
                if code == "IN-STATE-2024" and (level, comp) == ("organizational",
                                                                 "analytical"):
                    note += "; block reviews track toilets built, not use"
                scores.append({"programme_code": P, "assessment_code": code, "level": level,
                               "competence": comp, "score": score,
                               "descriptor": SCORE_WORD[score], "notes": note})
    return assessments, scores


ITEMS = ["CDQ-1", "CDQ-2", "CDQ-3", "CDQ-4", "CDQ-5", "CDQ-6", "CDQ-7",
         "CLQ-1", "CLQ-2", "CLQ-3", "CLQ-4", "CLQ-5", "CLQ-6", "CLQ-7",
         "SUQ-1", "SUQ-2", "SUQ-3", "SUQ-4", "SUQ-5", "SUQ-6",
         "EQQ-1", "EQQ-2", "EQQ-3", "EQQ-4", "EQQ-5"]
# Answers that carry no risk; CDQ-5, CDQ-6, CLQ-4, CLQ-7 are risky when answered yes.
SAFE = {i: "yes" for i in ITEMS} | {"CDQ-5": "no", "CDQ-6": "no", "CLQ-4": "no",
                                     "CLQ-7": "no"}
CHECKLIST_OVERRIDES: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("IN-BLK", "2023Q4"): {
        "SUQ-4": ("partly", "Behaviour outcomes are in the framework but block reviews "
                            "discuss construction targets"),
        "SUQ-3": ("partly", "Follow-up visits after construction not yet in job "
                            "descriptions"),
        "EQQ-4": ("partly", "Natural leaders receive travel costs only")},
    ("IN-BLK", "2024Q2"): {
        "SUQ-4": ("partly", "Behaviour outcomes are in the framework but block reviews "
                            "discuss construction targets"),
        "SUQ-3": ("partly", "Follow-up visits after construction not yet in job "
                            "descriptions"),
        "EQQ-4": ("partly", "Natural leaders receive travel costs only")},
    ("BD-UPZ", "2023Q4"): {},
    ("BD-UPZ", "2024Q2"): {},
    ("ID-KAB", "2023Q4"): {
        "SUQ-1": ("partly", "Donor grant ends in December; the regent has announced support "
                            "for 2024 but no commitment beyond his term was sought"),
        "SUQ-2": ("partly", "Only the health office line (30 %) is recurrent"),
        "SUQ-5": ("partly", "Transition of facilitation to the health office drafted, not "
                            "approved")},
    ("ID-KAB", "2024Q2"): {
        "SUQ-1": ("no", "Facilitation depends on the regent's discretionary allocation; no "
                        "commitment beyond his term, which ends in February 2025"),
        "SUQ-2": ("partly", "Only the health office line (30 %) is recurrent"),
        "SUQ-5": ("partly", "Transition of facilitation to the health office drafted, not "
                            "approved")},
}


def _checklists() -> list[Row]:
    rows = []
    for (site, q), over in CHECKLIST_OVERRIDES.items():
        for item in ITEMS:
            answer, comment = over.get(item, (SAFE[item], None))
            rows.append({"programme_code": P, "strand_code": site, "period": q,
                         "item_code": item, "answer": answer, "comment": comment,
                         "respondent": "Programme evaluator (illustrative)"})
    return rows


def _evidence_links() -> list[Row]:
    def el(ev: str, entity: str, key: str) -> Row:
        return {"programme_code": P, "evidence_code": ev, "entity": entity,
                "entity_key": key}

    return [
        el("BUPATI-2024", "funding_source", "ID-FS-BUPATI-24"),
        el("APBD-2024", "funding_source", "ID-FS-DINKES-24"),
        el("DONOR-2022", "funding_source", "ID-FS-DONOR"),
        el("SBMG-IN-FY25", "funding_source", "IN-FS-SBMG-FY25"),
        el("ADP-BD-FY25", "funding_source", "BD-FS-ADP-FY25"),
        el("MIN-IN-2022", "indicator", "RS-O1"),
        el("NARSS19", "indicator", "RS-O3"),
        el("NFHS5", "indicator", "RS-O6"),
        el("HB13", "indicator", "RS-P4"),
        el("IASG", "indicator", "RS-P4"),
        el("CLTS-ID", "sponsor", "ID-SP-BUPATI"),
        el("PEER-BD-IN", "strand", "IN-BLK"),
        el("MM18", "programme", P),
        el("SSH18", "programme", P),
    ]


def _notes() -> list[Row]:
    def note(code: str, entity: str, key: str, q: str | None, text: str, day: str) -> Row:
        d = _d(day)
        return {"programme_code": P, "code": code, "entity": entity, "entity_key": key,
                "period": q, "text": text, "author": "Programme evaluator (sample data)",
                "created_at": dt.datetime(d.year, d.month, d.day, 9, 0, tzinfo=UTC)}

    return [
        note("N-01", "programme", P, None,
             "Sample data. The teaching point: ID-KAB performs well but is fragile, while "
             "IN-BLK is busy but not better. BD-UPZ is the healthy control and should raise no "
             "flag.", "2024-07-20"),
        note("N-02", "indicator", "RS-O1", "2024Q2",
             "Story behind the curve, IN-BLK: toilets built rose from 6,900 to 13,500 in four "
             "quarters (+96 %) while household use stayed at 63-64 % (n = 600, minimum "
             "detectable effect about 5.5 points). Field notes: new pits used for storage, "
             "older members keep going to the fields, and block reviews ask for completion "
             "certificates, not use. Handwashing (RS-O4) improves: hygiene promotion works "
             "where construction alone does not.", "2024-07-20"),
        note("N-03", "indicator", "RS-O3", "2024Q1",
             "First ODF re-verification (2023Q1 cohort): IN-BLK 33 of 40 villages pass "
             "(82.5 %) against the NARSS 2018-19 anchor of 90.7 % re-confirmed (R). Failing "
             "villages had pits filled within a year and no follow-up after the declaration "
             "ceremony. BD-UPZ 95 %, ID-KAB 91.7 %.", "2024-04-20"),
        note("N-04", "indicator", "RS-P4", "2024Q2",
             "Reported vs verified, IN-BLK 2024Q2: the provider MIS records 96 % of households "
             "with a toilet; the independent survey finds 79 % with access to a functional "
             "toilet (17 points). The same gap pattern as SBM-G MIS 96 % vs NARSS 93.1 % "
             "access (R), and TSC 68 % vs census 31 % (R) [HB13]. RS-P4 and RS-P5 share "
             "construct_code RS-C-HH-TOILET-ACCESS.", "2024-07-20"),
        note("N-05", "strand", "ID-KAB", "2024Q2",
             "ID-KAB: use rose from 62 % to 78 %. Since January 2024, 70 % of facilitator "
             "costs come from the regent's discretionary allocation (the donor grant ended in "
             "December 2023). The regent's term ends in February 2025 (regional elections 27 "
             "November 2024) and there is no commitment beyond it. Nothing is committed for "
             "2025: committed funding for 2024Q3-2025Q2 is 184,000 against 400,000 spent in "
             "2023Q3-2024Q2 (runway 46 %).", "2024-07-20"),
        note("N-06", "strand", "BD-UPZ", "2024Q2",
             "BD-UPZ, the healthy control: coverage was already high, so the upgrade campaign "
             "and most ODF declarations happened in 2023Q1; since then outputs grow slowly "
             "(under 10 % per two quarters) while use edges up from 90 % to 94 % and open "
             "defecation falls to 3 %. Funding is the recurrent upazila programme.",
             "2024-07-20"),
        note("N-07", "indicator", "RS-O6", "2024Q2",
             "Equity, IN-BLK: toilet use among ST/SC households relative to all others went "
             "0.76 (2023Q4) -> 0.75 -> 0.73: the gap is widening (baseline 0.74 anchored on "
             "NFHS-5 69/93, R). RS-O1 by social_group shows the same cells.", "2024-07-20"),
        note("N-08", "programme", P, None,
             "How the funding runway (SU-2) is computed in this sample: committed funding for "
             "the next 4 quarters = each funding source's committed_amount spread evenly over "
             "the quarters of its period, summed over the 4 quarters after the reporting "
             "quarter; divided by SpendRecords of the 4 quarters up to and including it. "
             "ID-KAB at 2024Q2: (257,600 + 110,400) x 2/4 = 184,000 / 400,000 = 46 %. The "
             "FY2024 budget documents (issued December 2023) are linked to their funding "
             "sources as evidence of when the commitment was made.", "2024-07-20"),
    ]


# ------------------------------------------------------------------------------------------


def _dhis2_mappings() -> list[Row]:
    """How a ministry's DHIS2 instance names RS-01's figures (illustrative codes)."""
    def m(kind: str, source: str, target: str) -> Row:
        return {"programme_code": P, "kind": kind, "source": source, "target": target}
    coc = {"": "default", "sex=female": "SEX_F", "sex=male": "SEX_M",
           "social_group=other": "SG_OTHER", "social_group=poorest_quintile": "SG_POOR_Q1",
           "social_group=sc_st": "SG_SC_ST"}
    return [m("data_set", "", "CLTS_QUARTERLY"),
            *(m("data_element", f"RS-{c}", f"CLTS_{c}") for c in
              ("O1", "O2", "O3", "O4", "O5", "O6", "P1", "P2", "P3", "P4", "P5")),
            *(m("org_unit", site, f"OU_{site.replace('-', '_')}") for site in SITES),
            *(m("category_option_combo", k, v) for k, v in coc.items())]


def rows() -> dict[str, list[dict[str, Any]]]:
    assessments, scores = _capacity()
    return {
        "Actors": _actors(),
        "Programmes": [_programme()],
        "Strands": _strands(),
        "Evidence": _evidence(),
        "ProgrammePhases": _phases(),
        "ProgrammeActors": _programme_actors(),
        "Sponsors": _sponsors(),
        "FundingSources": _funding(),
        "Allocations": _allocations(),
        "SpendRecords": _spend(),
        "StaffingRecords": [],
        "ReportingPeriods": _reporting_periods(),
        "Indicators": _indicators(),
        "Targets": _targets(),
        "ResultLinks": _links(),
        "Observations": _observations(),
        "Participation": _participation(),
        "PopulationReferences": _population(),
        "Feedback": _feedback(),
        "Channels": _channels(),
        "CapacityAssessments": assessments,
        "CapacityScores": scores,
        "ChecklistResponses": _checklists(),
        "RiskFlags": [],
        "EvidenceLinks": _evidence_links(),
        "Notes": _notes(),
        "Dhis2Mappings": _dhis2_mappings(),
    }
