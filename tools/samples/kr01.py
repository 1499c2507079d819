"""KR-01: metropolitan web-based co-production platform, Korea (domain brief §3.5).

One metropolitan government (illustrative), 2023Q1-2024Q2, four strands after Moon's four types
of web-based co-production [MOON18]. National context figures (Gwanghwamun 1st Street, ACRC,
public data portal, digital divide) are real (R) and cited as Evidence; everything at city level
is illustrative (I).

The data carry what the documented flags need:
- CD-7  T1 Feedback: 59,700 proposals, 19 adopted, 15-20 % answered within 30 days;
- SU-5  T1 Participation: active proposers 9,800 (launch peak) ... 2,600;
- EQ-1  T1 Participation by age band (15-64 / 65+) against the priority districts' population
        (26 % aged 65+): RR of 65+ 0.42-0.45 in co-design; KR-O5 carries the same ratios;
- EQ-3  T1 Channels: 100 % online, no assisted route, 23 % digitally excluded;
- EQ-6  T2 Participation: top 10 % of reporters file 62 % of reports (2024Q2);
- CD-1  T2: KR-P2 reports 52,000 (2023Q3) -> 73,000 (2024Q1) while KR-O3 stays at 2.9;
- SU-7  capacity (Moon's deficits): individual-analytical 1, organizational-analytical 2,
        organizational-operational 1;
- KR-O6 is a context indicator (population accountability) and is never linked.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

P = "KR-01"
QUARTERS = ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2"]
OPEN = {"2024Q1", "2024Q2"}

Row = dict[str, Any]

# ------------------------------------------------------------------------------------------
# T1 "Policy Ideas": the series table of the brief

PROPOSALS = [21_400, 12_100, 7_300, 6_900, 6_200, 5_800]       # KR-P1, sum 59,700
PROPOSERS = [9_800, 5_600, 3_300, 3_100, 2_700, 2_600]         # active proposers
ADOPTED = [3, 4, 3, 2, 4, 3]                                   # sum 19
RESPONDED_PCT = [15, 16, 18, 19, 20, 18]                       # answered within 30 days
# RR of residents aged 65+ among active proposers: 0.42, 0.43, 0.44, 0.44, 0.45, 0.45
PROPOSERS_65 = [1_070, 626, 378, 355, 316, 304]
PROPOSERS_CONTINUING = [None, 3_900, 2_500, 2_400, 2_150, 2_050]
PRIORITY_POP = {"15-64": 740_000, "65+": 260_000}              # residents 15+, 26 % aged 65+

# T2 "Smart Reports"
REPORTS = [40_000, 46_000, 52_000, 62_000, 73_000, 67_000]     # KR-P2
REPORTERS = [14_000, 15_500, 17_000, 19_500, 23_000, 20_500]
REPORTS_ONLINE_PCT = [88.0, 88.5, 89.0, 89.5, 90.0, 90.0]
TOP10_SHARE = [38.0, 40.0, 42.0, 45.0, 49.0, 62.0]
ROAD_KM = 3_000                                                # city-managed roads
CLAIMS = [93, 93, 87, 87, 87, 87]                              # KR-O3 3.1, 3.1, 2.9 x 4 per 100 km

# T3 "Open Data Apps"
DATASETS = [1_200, 1_270, 1_345, 1_420, 1_490, 1_560]          # KR-P3 (cumulative)
MAU_PER_1000 = [85, 90, 96, 102, 108, 115]                     # KR-O4
RESIDENTS = 2_400_000

# Proposer survey (KR-O1), n = 500 a quarter
INFLUENCE = [18, 17, 19, 18, 20, 19]


def _q_end(q: str) -> date:
    year, n = int(q[:4]), int(q[5])
    return (date(year, 3 * n, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _quality(q: str) -> str:
    return "provisional" if q in OPEN else "verified"


def _rr(n65: int, n: int) -> float:
    pop = sum(PRIORITY_POP.values())
    return (n65 / n) / (PRIORITY_POP["65+"] / pop)


# ------------------------------------------------------------------------------------------


def rows() -> dict[str, list[Row]]:
    return {
        "Actors": _actors(),
        "Programmes": [_programme()],
        "Strands": _strands(),
        "Evidence": _evidence(),
        "ProgrammePhases": _phases(),
        "ProgrammeActors": _programme_actors(),
        "Sponsors": _sponsors(),
        "FundingSources": _funding(),
        "Allocations": [],
        "SpendRecords": _spend(),
        "StaffingRecords": [],
        "ReportingPeriods": _periods(),
        "Indicators": _indicators(),
        "Targets": _targets(),
        "ResultLinks": _links(),
        "Observations": _observations(),
        "Participation": _participation(),
        "PopulationReferences": _population(),
        "Feedback": _feedback(),
        "Channels": _channels(),
        "CapacityAssessments": _capacity_assessments(),
        "CapacityScores": _capacity_scores(),
        "ChecklistResponses": _checklists(),
        "RiskFlags": [],
        "EvidenceLinks": _evidence_links(),
        "Notes": _notes(),
    }


# ------------------------------------------------------------------------------------------
# Actors, programme, strands


def _actors() -> list[Row]:
    def actor(code: str, name: str, cls: str, org: str | None = None) -> Row:
        return {"code": f"KR-01-{code}", "name": name, "actor_class": cls, "org_type": org}

    return [
        actor("METRO", "Metropolitan government (illustrative)", "state_direct",
              "government_unit"),
        actor("MAYOR", "Office of the Mayor", "state_direct", "political_office"),
        actor("DIGITAL", "Digital Policy Bureau (platform owner for T1-T4)", "state_direct",
              "government_unit"),
        actor("ROADS", "Road Management Division (repairs for T2 reports)", "state_direct",
              "government_unit"),
        actor("UNI", "University e-governance research centre (independent surveys)",
              "state_direct", "university_research"),
        actor("PROPOSERS", "Registered citizen proposers (T1)", "lay_individual"),
        actor("REPORTERS", "Residents filing Smart Reports (T2)", "lay_individual"),
        actor("RIDERS", "Delivery riders' association (road wardens, heavy T2 reporters)",
              "lay_organisation", "ngo_association"),
        actor("DEVS", "Civic developer community building apps on city open data (T3)",
              "lay_group", "platform_app_developer"),
        actor("EDITORS", "Citizen editors co-maintaining the One-stop Life App (T4)",
              "lay_group", "volunteer_network"),
        actor("NETWORK", "Citizen Proposers' Network (user-led)", "lay_organisation",
              "user_led_org"),
        actor("SENIORS", "Metropolitan senior citizens' association", "lay_organisation",
              "ngo_association"),
    ]


SAMPLE_NOTE = (
    "Sample data for demonstration and testing, not a real programme. Figures are labelled R "
    "(real public figure, with its source key: OGP-KR, OPSI-KR, ACRC22, CHOSUN25, KH17, YNA20) "
    "or I (illustrative, invented for the demo). All city-level figures are I."
)


def _programme() -> Row:
    return {
        "code": P,
        "name": "Metropolitan web-based co-production platform (Moon's four types)",
        "description": (
            "A metropolitan government runs four web-based co-production strands after Moon's "
            "typology [MOON18]: citizens propose policy ideas (T1, crowdsourcing co-design), "
            "report road defects for the city to fix (T2), build apps on open data and APIs "
            "(T3) and co-maintain an integrated one-stop life app with the city (T4). Success "
            "depends on citizens' technological expertise, open-data quality and API features; "
            "the digital divide is the equity risk [SSH18]."),
        "policy_domain": "digital_government",
        "jurisdiction_country": "KR",
        "jurisdiction_level": "municipal",
        "lead_agency_actor_code": "KR-01-METRO",
        "start_date": date(2023, 1, 1),
        "planned_end_date": date(2026, 12, 31),
        "institutional_status": "programme_recurrent_budget",
        "transition_plan_approved": False,
        "reporting_cadence": "quarterly",
        "currency": "KRW",
        "clientelism_context": "low",
        "os_level": "enhanced",
        "ors_type": "co_innovation",
        "interaction_mode": "ict_async",
        "intended_outcome": "user_led_innovation",
        "moon_type": "crowdsourcing_co_design",
        "status": "active_reporting",
        "scaleup_stage": "grow",
        "lead_person": "Director, Digital Policy Bureau (illustrative)",
        "lead_has_deputy": True,
        # IATI fields: illustrative (XI-IATI-SAMPLE-... is no registered organisation)
        "iati_identifier": "XI-IATI-SAMPLE-KR01-KR-01",
        "reporting_org_ref": "XI-IATI-SAMPLE-KR01",
        "reporting_org_name": "Sample reporter: metropolitan government (illustrative)",
        "reporting_org_type": "10",
        "activity_status": "2",
        "sector_code": "15110",
        "default_language": "en",
        "is_sample": True,
        "sample_note": SAMPLE_NOTE,
    }


def _strands() -> list[Row]:
    def strand(code: str, name: str, moon: str, population: int, geo: str) -> Row:
        return {"programme_code": P, "code": code, "name": name, "type": "platform_component",
                "geo_code": geo, "population": population, "interaction_mode": "ict_async",
                "moon_type_override": moon}

    return [
        strand("T1", "Policy Ideas", "crowdsourcing_co_design", sum(PRIORITY_POP.values()),
               "priority districts"),
        strand("T2", "Smart Reports (potholes and defects)",
               "crowdsourcing_design_gov_delivery", RESIDENTS, "metropolitan area"),
        strand("T3", "Open Data Apps", "gov_design_crowdsourcing_delivery", RESIDENTS,
               "metropolitan area"),
        strand("T4", "One-stop Life App", "gov_citizen_co_delivery", RESIDENTS,
               "metropolitan area"),
    ]


def _evidence() -> list[Row]:
    def ev(code: str, type_: str, title: str, source: str, issued: date | None,
           conf: str, rel: str, nesta: int | None = None) -> Row:
        return {"programme_code": P, "code": code, "type": type_, "title": title,
                "source": source, "issued_on": issued, "confidentiality": conf,
                "reliability": rel, "nesta_level": nesta}

    return [
        ev("E-MOON18", "document", "Evolution of co-production in the information age: "
           "crowdsourcing as a model of web-based co-production in Korea (R)",
           "[MOON18] Moon 2018, Policy and Society 37(3)", date(2018, 9, 1), "public", "A"),
        ev("E-OGP", "document", "Gwanghwamun 1st Street: 180,705 suggestions, 1,718 selected, "
           "99 reflected in the national agenda (R)",
           "[OGP-KR] https://opengovpartnership.org/members/south-korea/commitments/kr0041; "
           "[OPSI-KR] https://oecd-opsi.org/innovations/gwanghwamoon-1st-street-peoples-"
           "transition-office/", date(2017, 7, 12), "public", "A"),
        ev("E-ACRC", "document", "Civil complaints 2021: 17.5 million, 13.3 million via "
           "e-People (R)", "[ACRC22] Anti-Corruption and Civil Rights Commission 2022",
           date(2022, 2, 1), "public", "A"),
        ev("E-PORTAL", "media", "Public data portal: 5,272 datasets (2013) to 102,052 "
           "(January 2025) (R)", "[CHOSUN25] Chosun Biz, 19 Feb 2025", date(2025, 2, 19),
           "public", "B"),
        ev("E-KH17", "media", "Digital informatization level of vulnerable groups 58.6 % of the "
           "national average in 2016; 54 % for people aged 55+; 77.3 % for low-income people "
           "(R)", "[KH17] Korea Herald / Yonhap, 21 Feb 2017", date(2017, 2, 21), "public",
           "B"),
        ev("E-YNA20", "media", "Digital divide about 70 % in 2019 (access 91.7, ability 60.2, "
           "utilisation 68.8) (R)", "[YNA20] Yonhap, 5 Mar 2020", date(2020, 3, 5), "public",
           "B"),
        ev("E-KRDD", "document", "Components of the Korean digital informatization level: "
           "access, capability, utilisation (R)", "[KRDD] Jun 2021, IJERPH 18(16):8586",
           date(2021, 8, 14), "public", "A"),
        # Programme evidence (I)
        ev("E-T1LOG", "dataset", "Policy Ideas proposal register and reply log",
           "Digital Policy Bureau (illustrative)", date(2024, 7, 10), "internal", "B", 2),
        ev("E-T1SURVEY", "survey", "Quarterly survey of proposers (perceived influence)",
           "University e-governance research centre (illustrative)", date(2024, 7, 20),
           "internal", "A", 2),
        ev("E-T2LOG", "dataset", "Smart Reports log with reporter-level analytics",
           "Digital Policy Bureau (illustrative)", date(2024, 7, 10), "internal", "B", 2),
        ev("E-CLAIMS", "dataset", "Road-liability claims register", "Road Management Division "
           "(illustrative)", date(2024, 7, 15), "internal", "B", 2),
        ev("E-APPS", "dataset", "Monthly active users of apps on city APIs, validated against "
           "API call logs", "Digital Policy Bureau (illustrative)", date(2024, 7, 15),
           "internal", "B", 2),
        ev("E-ORDINANCE", "document", "City ordinance on citizen participation in policy "
           "making (platform and budget line beyond the mayoral term)",
           "Metropolitan council (illustrative)", date(2022, 12, 20), "public", "A"),
        ev("E-CAPACITY", "verification_report", "Capacity assessment: Moon's three deficits "
           "and the 3 x 3 matrix", "University e-governance research centre (illustrative)",
           date(2024, 5, 20), "internal", "A"),
        ev("E-COMMITTEE", "minutes", "Citizen Proposal Review Committee minutes",
           "Digital Policy Bureau (illustrative)", date(2024, 6, 28), "public", "B"),
    ]


def _phases() -> list[Row]:
    def ph(strand: str, phase: str, level: str, intensity: str, stage: str, roles: str,
           rights: str) -> Row:
        return {"programme_code": P, "strand_code": strand, "phase": phase, "level": level,
                "intensity": intensity, "policy_stage": stage, "start_date": date(2023, 1, 1),
                "end_date": date(2026, 12, 31), "lay_actor_roles": roles,
                "decision_rights_text": rights}

    return [
        ph("T1", "co_commissioning", "collective", "consultative", "agenda_setting",
           "Citizens propose and support policy ideas",
           "Proposals with 500 supports must receive a reasoned reply; the city decides."),
        ph("T1", "co_design", "collective", "shared", "programme_definition",
           "Citizen Proposal Review Committee members (5 of 15 seats lay)",
           "The committee shortlists proposals for bureau plans and the budget."),
        ph("T2", "co_assessment", "individual", "consultative", "implementation",
           "Residents report road defects and rate the repair",
           "Reports trigger inspection within 72 hours; the city decides and repairs."),
        ph("T3", "co_delivery", "group", "lay_led", "implementation",
           "Civic developers build apps on open data and APIs",
           "Developers decide what to build under the open-API licence."),
        ph("T4", "co_delivery", "collective", "shared", "implementation",
           "Citizen editors keep service information in the one-stop app up to date",
           "Edits are published after a city moderator's check."),
    ]


COMMITTEE = "Citizen Proposal Review Committee"


def _programme_actors() -> list[Row]:
    def pa(actor: str, role: str, phase: str | None, strand: str | None = None,
           alford: str | None = None, lay: str | None = None, represented: bool = False,
           seats: int | None = None) -> Row:
        row: Row = {"programme_code": P, "actor_code": f"KR-01-{actor}", "strand_code": strand,
                    "role": role, "phase": phase, "alford_role": alford, "lay_role": lay,
                    "is_beneficiary_represented": represented}
        if seats is not None:
            row.update(decision_body=COMMITTEE, seats_on_decision_body=seats,
                       total_seats_decision_body=15)
        return row

    return [
        pa("METRO", "commissioner", "co_commissioning", "T1", seats=6),
        pa("METRO", "funder", None),
        pa("MAYOR", "sponsor", None),
        pa("DIGITAL", "facilitator", "co_design", "T1"),
        pa("DIGITAL", "provider", "co_delivery", "T3"),
        pa("DIGITAL", "provider", "co_delivery", "T4"),
        pa("ROADS", "provider", "co_delivery", "T2"),
        pa("UNI", "co_assessor", "co_assessment", None, seats=4),
        pa("PROPOSERS", "co_designer", "co_design", "T1", "partner", "citizen"),
        pa("REPORTERS", "co_assessor", "co_assessment", "T2", "consumer", "client_user"),
        pa("RIDERS", "co_assessor", "co_assessment", "T2", "partner", "volunteer"),
        pa("DEVS", "co_deliverer", "co_delivery", "T3", "supplier", "citizen"),
        pa("EDITORS", "co_deliverer", "co_delivery", "T4", "partner", "volunteer"),
        pa("NETWORK", "beneficiary_representative", "co_commissioning", "T1", "partner",
           "citizen", True, 3),
        pa("SENIORS", "beneficiary_representative", "co_commissioning", "T1", "partner",
           "citizen", True, 2),
    ]


def _sponsors() -> list[Row]:
    return [{
        "programme_code": P, "code": "SP-MAYOR", "actor_code": "KR-01-MAYOR",
        "office_title": "Mayor", "party": "Mayor's party (illustrative)",
        "term_start": date(2022, 7, 1), "term_end_date": date(2026, 6, 30),
        "next_election_date": date(2026, 6, 3), "commitment_beyond_term": True,
        "commitment_evidence_code": "E-ORDINANCE",
    }]


def _funding() -> list[Row]:
    return [
        {"programme_code": P, "code": "FS-CITY", "funder_actor_code": "KR-01-METRO",
         "type": "recurrent_budget", "committed_amount": 26_000_000_000.0,
         "period_start": date(2023, 1, 1), "period_end": date(2026, 12, 31),
         "is_renewable": True, "renewal_decision_date": date(2026, 9, 30), "data_label": "I"},
        {"programme_code": P, "code": "FS-MAYOR", "strand_code": "T3",
         "funder_actor_code": "KR-01-METRO", "sponsor_code": "SP-MAYOR",
         "type": "discretionary_political_allocation", "committed_amount": 1_200_000_000.0,
         "period_start": date(2023, 1, 1), "period_end": date(2024, 12, 31),
         "is_renewable": False, "data_label": "I"},
    ]


def _spend() -> list[Row]:
    amounts = [1.20e9, 1.30e9, 1.35e9, 1.40e9, 1.45e9, 1.50e9]
    return [{"programme_code": P, "period": q, "amount": a, "data_label": "I"}
            for q, a in zip(QUARTERS, amounts, strict=True)]


def _periods() -> list[Row]:
    out = []
    for q in QUARTERS:
        end = _q_end(q)
        row: Row = {"programme_code": P, "quarter": q,
                    "data_cutoff_date": end + timedelta(days=30)}
        if q in OPEN:
            row["status"] = "open"
        else:
            row.update(status="locked", locked_by="sample data",
                       locked_at=datetime.combine(end + timedelta(days=45), datetime.min.time(),
                                                  tzinfo=UTC).replace(hour=10))
        out.append(row)
    return out


# ------------------------------------------------------------------------------------------
# Indicators and results chain

POST_EXIT = date(2027, 12, 31)


def _indicators() -> list[Row]:
    base = {"programme_code": P, "frequency": "quarterly", "baseline_label": "I",
            "baseline_period": "2023Q1"}
    outcome = {**base, "accountability_type": "performance",
               "attribution_claim": "contribution", "post_exit_measurement_due": POST_EXIT,
               "evidence_standard": 2}
    return [
        {**outcome, "code": "KR-O1", "strand_code": "T1",
         "name": "Proposal contributors who report their proposal was considered and answered "
         "with reasons (perceived influence)",
         "definition": "Proposers of the quarter (random sample) who agree that their proposal "
         "was considered and answered with reasons.",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "attitude_opinion", "unit": "percent",
         "numerator_def": "surveyed proposers who agree their proposal was considered and "
         "answered with reasons",
         "denominator_def": "proposers surveyed (random sample of the quarter's proposers)",
         "direction": "increase", "baseline_value": 18.0,
         "baseline_source": "Proposer survey, launch quarter 2023Q1 (I)",
         "amber_at": 15.0, "red_at": 12.0, "phases": "co_commissioning,co_design",
         "coproduction_level": "collective", "disaggregation_required": "age_band",
         "data_source": "Quarterly proposer survey by the university research centre",
         "collection_method": "online and telephone survey, n = 500",
         "responsible_role": "University survey lead",
         "verification_type": "independent_survey",
         "known_limitations": "Age bands 15-64 and 65+ only (matching the representation "
         "ratio)."},
        {**outcome, "code": "KR-O2", "strand_code": "T1",
         "name": "Proposals adopted into policy or budget",
         "definition": "Proposals adopted in the quarter (a decision recorded in a bureau plan "
         "or a budget line), per 1,000 proposals received in the quarter.",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "unit": "rate_per_1000",
         "numerator_def": "proposals adopted into a bureau plan or budget in the quarter",
         "denominator_def": "proposals received in the quarter (rate per 1,000 received)",
         "direction": "increase", "baseline_value": 0.55, "baseline_period": "2017Q3",
         "baseline_source": "National anchor: Gwanghwamun 1st Street 2017, 99 reflected of "
         "180,705 suggestions = 0.55 per 1,000 (R) [OGP-KR][OPSI-KR]",
         "baseline_method": "99 / 180,705 x 1,000", "baseline_label": "R",
         "amber_at": 1.0, "red_at": 0.5, "phases": "co_commissioning,co_design",
         "coproduction_level": "collective", "disaggregation_required": "channel",
         "data_source": "Policy Ideas proposal register",
         "collection_method": "register of adoption decisions",
         "responsible_role": "Digital Policy Bureau analyst",
         "verification_type": "administrative",
         "known_limitations": "T1 is online only, so the channel split has one category until "
         "an assisted route exists; quarterly counts are very small."},
        {**outcome, "code": "KR-O3", "strand_code": "T2",
         "name": "Road-defect-related vehicle damage claims",
         "definition": "Vehicle-damage claims attributed to road defects lodged with the city "
         "in the quarter, per 100 km of city-managed road.",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "unit": "rate",
         "numerator_def": "vehicle-damage claims attributed to road defects in the quarter",
         "denominator_def": "km of city-managed road; rate per 100 km per quarter",
         "direction": "decrease", "baseline_value": 3.1,
         "baseline_source": "Road-liability claims register, 2023Q1 (I)",
         "amber_at": 3.3, "red_at": 3.6, "phases": "co_assessment,co_delivery",
         "coproduction_level": "individual", "disaggregation_required": "locality",
         "data_source": "Road-liability claims register", "collection_method": "quarterly "
         "extract", "responsible_role": "Road Management Division analyst",
         "verification_type": "administrative",
         "known_limitations": "Claims depend on residents knowing they can claim."},
        {**outcome, "code": "KR-O4", "strand_code": "T3",
         "name": "Monthly active users of citizen-built public-service apps",
         "definition": "Average monthly active users over the quarter of apps built by civic "
         "developers on city open data and APIs, per 1,000 residents.",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "behaviour", "unit": "rate_per_1000",
         "numerator_def": "monthly active users (average of the quarter's three months) of "
         "apps built on city open data and APIs",
         "denominator_def": "residents (mid-year population); rate per 1,000 residents",
         "direction": "increase", "baseline_value": 85.0,
         "baseline_source": "App analytics validated against API logs, 2023Q1 (I)",
         "amber_at": 80.0, "red_at": 70.0, "phases": "co_delivery",
         "coproduction_level": "group", "disaggregation_required": "locality",
         "data_source": "Developers' app analytics under the open-API licence, validated "
         "against API call logs", "collection_method": "quarterly return",
         "responsible_role": "Digital Policy Bureau open-data officer",
         "verification_type": "administrative"},
        {**outcome, "code": "KR-O5", "strand_code": "T1",
         "name": "Representation ratio, residents aged 65+, among active proposers/reporters",
         "definition": "Share of active T1 proposers aged 65+ divided by the share of "
         "residents aged 65+ among residents aged 15+ of the priority districts (26 %). The "
         "domain classes it as an equity outcome; recorded as a circumstance.",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "unit": "ratio",
         "numerator_def": "share of active proposers aged 65+",
         "denominator_def": "share of priority-district residents aged 15+ who are 65+",
         "direction": "increase", "baseline_value": 0.42,
         "baseline_source": "Platform accounts (age from identity verification), 2023Q1 (I)",
         "amber_at": 0.8, "red_at": 0.5, "phases": "co_commissioning,co_design",
         "coproduction_level": "collective", "disaggregation_required": "sex",
         "data_source": "Platform accounts (age and sex from mobile identity verification) "
         "and resident registration statistics", "collection_method": "quarterly extract",
         "responsible_role": "Digital Policy Bureau analyst",
         "verification_type": "administrative"},
        {"programme_code": P, "code": "KR-O6",
         "name": "Digital informatization level of vulnerable groups vs general population "
         "(context, population accountability)",
         "definition": "National digital informatization level of vulnerable groups (people "
         "with disabilities, low-income people, farmers and fishers, people aged 55+) as a "
         "percentage of the general population's level (= 100). Shown for interpretation, "
         "never attributed to the programme.",
         "result_level": "context", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "accountability_type": "population",
         "attribution_claim": "none", "unit": "percent",
         "numerator_def": "digital informatization index of vulnerable groups",
         "denominator_def": "digital informatization index of the general population",
         "direction": "increase", "baseline_value": 58.6, "baseline_period": "2016Q4",
         "baseline_source": "National digital divide survey 2016 (R) [KH17]",
         "baseline_label": "R", "frequency": "annual",
         "data_source": "National digital divide survey, as reported in [KH17] and [YNA20]",
         "verification_type": "independent_survey",
         "known_limitations": "National figure; not available for the city."},
        {**base, "code": "KR-P1", "strand_code": "T1", "name": "Policy proposals received",
         "definition": "Proposals submitted on the Policy Ideas platform in the quarter "
         "(duplicates merged).", "result_level": "output", "rba_quadrant": "how_much",
         "unit": "count", "direction": "increase", "baseline_value": 21_400.0,
         "baseline_source": "Proposal register, launch quarter 2023Q1 (I)",
         "phases": "co_design", "coproduction_level": "collective",
         "data_source": "Policy Ideas proposal register",
         "collection_method": "count per quarter", "responsible_role": "Digital Policy Bureau "
         "analyst", "verification_type": "administrative", "evidence_standard": 1},
        {**base, "code": "KR-P2", "strand_code": "T2",
         "name": "Citizen defect reports submitted",
         "definition": "Road-defect reports submitted in the quarter through the app, web or "
         "the city call centre.", "result_level": "output", "rba_quadrant": "how_much",
         "unit": "count", "direction": "increase", "baseline_value": 40_000.0,
         "baseline_source": "Smart Reports log, 2023Q1 (I)", "phases": "co_assessment",
         "coproduction_level": "individual", "data_source": "Smart Reports log",
         "collection_method": "count per quarter", "responsible_role": "Digital Policy Bureau "
         "analyst", "verification_type": "administrative", "evidence_standard": 1},
        {**base, "code": "KR-P3", "strand_code": "T3", "name": "Open datasets/APIs published",
         "definition": "City datasets and APIs published on the open-data portal since it "
         "opened (cumulative).", "result_level": "output", "rba_quadrant": "how_much",
         "unit": "count", "direction": "increase", "baseline_value": 1_200.0,
         "baseline_source": "Open-data portal catalogue, 2023Q1 (I)", "phases": "co_delivery",
         "coproduction_level": "group", "data_source": "Open-data portal catalogue",
         "collection_method": "count at quarter end", "responsible_role": "Open-data officer",
         "verification_type": "administrative", "is_cumulative": True,
         "evidence_standard": 1},
    ]


def _targets() -> list[Row]:
    t = [("KR-O1", "T1", 50.0), ("KR-O2", "T1", 5.0), ("KR-O3", "T2", 2.0),
         ("KR-O4", "T3", 150.0), ("KR-O5", "T1", 0.8)]
    return [{"programme_code": P, "indicator_code": code, "strand_code": strand,
             "period": "2026Q4", "value": v, "rationale": "Platform plan target by programme "
             "end (I)", "data_label": "I"} for code, strand, v in t]


def _links() -> list[Row]:
    def link(a: str, b: str, text: str) -> Row:
        return {"programme_code": P, "from_indicator_code": a, "to_indicator_code": b,
                "assumption_text": text, "strength": "hypothesised"}

    return [
        link("KR-P1", "KR-O2", "A larger flow of proposals gives the bureaux more ideas worth "
             "adopting, so more proposals per 1,000 are adopted into policy or budget."),
        link("KR-P1", "KR-O1", "When proposals are answered with reasons, proposers see that "
             "their input was considered."),
        link("KR-P2", "KR-O3", "Citizen defect reports let road crews find and fix potholes "
             "sooner, so fewer vehicles are damaged."),
        link("KR-P3", "KR-O4", "Published datasets and APIs let civic developers build apps "
             "that residents use every month."),
    ]


# ------------------------------------------------------------------------------------------
# Observations


def _split(total_num: int, total_den: int, cells: list[tuple[str, float, float]],
           ) -> list[tuple[str, int, int]]:
    """Cells (category, share of the denominator, rate multiplier) adding up to the total."""
    rate = total_num / total_den
    out: list[tuple[str, int, int]] = []
    den_left, num_left = total_den, total_num
    for i, (cat, share, factor) in enumerate(cells):
        if i == len(cells) - 1:
            out.append((cat, num_left, den_left))
            break
        den = round(total_den * share)
        num = round(den * rate * factor)
        out.append((cat, num, den))
        den_left -= den
        num_left -= num
    return out


def _obs(ind: str, strand: str | None, q: str, value: float, *, phase: str | None,
         vt: str, source: str, evidence: str | None, num: float | None = None,
         den: float | None = None, n: int | None = None, dims: dict[str, str] | None = None,
         label: str = "I", comment: str | None = None, quality: str | None = None) -> Row:
    row: Row = {"programme_code": P, "indicator_code": ind, "strand_code": strand,
                "period": q, "phase": phase, "value": value, "numerator": num,
                "denominator": den, "n_sample": n, "quality_status": quality or _quality(q),
                "verification_type": vt, "data_source": source, "evidence_code": evidence,
                "comment": comment, "data_label": label}
    for d, c in (dims or {}).items():
        row[f"dim:{d}"] = c
    return row


# (category, share of the denominator, rate factor); the last cell takes what is left
LOCALITY_ROADS = [("inner_districts", 0.4, 1.05), ("outer_districts", 0.6, 1.0)]
LOCALITY_PEOPLE = [("inner_districts", 0.42, 1.03), ("outer_districts", 0.58, 1.0)]


def _observations() -> list[Row]:
    out: list[Row] = []
    for i, q in enumerate(QUARTERS):
        # outputs
        out.append(_obs("KR-P1", "T1", q, float(PROPOSALS[i]), phase="co_design",
                        vt="administrative", source="Proposal register", evidence="E-T1LOG"))
        out.append(_obs("KR-P2", "T2", q, float(REPORTS[i]), phase="co_assessment",
                        vt="administrative", source="Smart Reports log", evidence="E-T2LOG"))
        out.append(_obs("KR-P3", "T3", q, float(DATASETS[i]), phase="co_delivery",
                        vt="administrative", source="Open-data portal catalogue",
                        evidence=None))

        # KR-O1 perceived influence, by age band
        n = 500
        num = INFLUENCE[i] * n // 100
        common = {"phase": "co_design", "vt": "independent_survey",
                  "source": "Proposer survey (university)", "evidence": "E-T1SURVEY"}
        out.append(_obs("KR-O1", "T1", q, float(INFLUENCE[i]), num=num, den=n, n=n, **common))
        for cat, c_num, c_den in _split(num, n, [("65+", 0.11, 0.9), ("15-64", 0.89, 1.0)]):
            out.append(_obs("KR-O1", "T1", q, round(100 * c_num / c_den, 1), num=c_num,
                            den=c_den, n=c_den, dims={"age_band": cat}, **common))

        # KR-O2 adopted per 1,000 received; T1 is online only
        value = round(1000 * ADOPTED[i] / PROPOSALS[i], 3)
        common = {"phase": "co_design", "vt": "administrative",
                  "source": "Proposal register (adoption decisions)", "evidence": "E-T1LOG"}
        out.append(_obs("KR-O2", "T1", q, value, num=ADOPTED[i], den=PROPOSALS[i], **common))
        out.append(_obs("KR-O2", "T1", q, value, num=ADOPTED[i], den=PROPOSALS[i],
                        dims={"channel": "online"}, **common))

        # KR-O3 damage claims per 100 km, by locality
        common = {"phase": "co_assessment", "vt": "administrative",
                  "source": "Road-liability claims register", "evidence": "E-CLAIMS"}
        out.append(_obs("KR-O3", "T2", q, round(100 * CLAIMS[i] / ROAD_KM, 2), num=CLAIMS[i],
                        den=ROAD_KM, **common))
        for cat, c_num, c_den in _split(CLAIMS[i], ROAD_KM, LOCALITY_ROADS):
            out.append(_obs("KR-O3", "T2", q, round(100 * c_num / c_den, 2), num=c_num,
                            den=c_den, dims={"locality": cat}, **common))

        # KR-O4 monthly active users per 1,000 residents, by locality
        mau = MAU_PER_1000[i] * RESIDENTS // 1000
        common = {"phase": "co_delivery", "vt": "administrative",
                  "source": "App analytics validated against API logs", "evidence": "E-APPS"}
        out.append(_obs("KR-O4", "T3", q, float(MAU_PER_1000[i]), num=mau, den=RESIDENTS,
                        **common))
        for cat, c_num, c_den in _split(mau, RESIDENTS, LOCALITY_PEOPLE):
            out.append(_obs("KR-O4", "T3", q, round(1000 * c_num / c_den, 1), num=c_num,
                            den=c_den, dims={"locality": cat}, **common))

        # KR-O5 representation ratio of 65+ among active proposers, by sex
        common = {"phase": "co_design", "vt": "administrative",
                  "source": "Platform accounts and resident registration statistics",
                  "evidence": "E-T1LOG"}
        rr = round(_rr(PROPOSERS_65[i], PROPOSERS[i]), 2)
        out.append(_obs("KR-O5", "T1", q, rr, n=PROPOSERS[i], **common))
        for cat, delta in (("female", -0.03), ("male", 0.03)):
            out.append(_obs("KR-O5", "T1", q, round(rr + delta, 2), dims={"sex": cat},
                            n=PROPOSERS[i] // 2, **common))

    # KR-O6 context: national figures (R), outside the programme's quarters
    src = "National digital divide survey"
    out += [
        _obs("KR-O6", None, "2016Q4", 58.6, phase=None, vt="independent_survey",
             source=src + " 2016 [KH17]", evidence="E-KH17", label="R", quality="verified"),
        _obs("KR-O6", None, "2016Q4", 54.0, phase=None, vt="independent_survey",
             source=src + " 2016 [KH17]", evidence="E-KH17", label="R", quality="verified",
             dims={"social_group": "aged_55_plus"}),
        _obs("KR-O6", None, "2016Q4", 77.3, phase=None, vt="independent_survey",
             source=src + " 2016 [KH17]", evidence="E-KH17", label="R", quality="verified",
             dims={"social_group": "low_income"}),
        _obs("KR-O6", None, "2019Q4", 69.9, phase=None, vt="independent_survey",
             source=src + " 2019 [YNA20]", evidence="E-YNA20", label="R", quality="verified",
             comment="Reported as about 70 % (access 91.7, ability 60.2, utilisation 68.8)."),
    ]
    return out


# ------------------------------------------------------------------------------------------
# Participation, population, feedback, channels


def _participation() -> list[Row]:
    out: list[Row] = []
    registered = [14_000, 16_500, 17_800, 18_900, 19_800, 20_600]
    top10_t1 = [34.0, 36.0, 37.0, 38.0, 38.0, 39.0]
    t3_active = [140, 150, 165, 175, 190, 200]
    t3_continuing = [None, 130, 140, 155, 163, 177]
    t3_started = [40, 42, 44, 46, 50, 52]
    t3_completed = [31, 33, 34, 36, 39, 41]
    for i, q in enumerate(QUARTERS):
        # T1 proposers (co-design)
        cont = PROPOSERS_CONTINUING[i]
        out.append({"programme_code": P, "strand_code": "T1", "period": q,
                    "phase": "co_design", "registered": registered[i],
                    "active": PROPOSERS[i], "new": PROPOSERS[i] - (cont or 0),
                    "continuing_active": cont,
                    "exited": None if cont is None else PROPOSERS[i - 1] - cont,
                    "contributions": PROPOSALS[i], "contributions_online": PROPOSALS[i],
                    "top10pct_contrib_share": top10_t1[i], "data_label": "I"})
        for cat, n in (("15-64", PROPOSERS[i] - PROPOSERS_65[i]), ("65+", PROPOSERS_65[i])):
            out.append({"programme_code": P, "strand_code": "T1", "period": q,
                        "phase": "co_design", "group_dimension": "age_band",
                        "group_category": cat, "active": n, "data_label": "I"})
        # T2 reporters (co-assessment); reports may be anonymous, so no cohort counts
        out.append({"programme_code": P, "strand_code": "T2", "period": q,
                    "phase": "co_assessment", "active": REPORTERS[i],
                    "contributions": REPORTS[i],
                    "contributions_online": round(REPORTS[i] * REPORTS_ONLINE_PCT[i] / 100),
                    "top10pct_contrib_share": TOP10_SHARE[i], "data_label": "I"})
        # T3 civic developers (co-delivery)
        cont = t3_continuing[i]
        out.append({"programme_code": P, "strand_code": "T3", "period": q,
                    "phase": "co_delivery", "registered": t3_active[i] + 60,
                    "active": t3_active[i], "new": t3_active[i] - (cont or 0),
                    "continuing_active": cont,
                    "exited": None if cont is None else t3_active[i - 1] - cont,
                    "started_tasks": t3_started[i], "completed_tasks": t3_completed[i],
                    "data_label": "I"})
    return out


def _population() -> list[Row]:
    src = "Resident registration statistics, priority districts, residents aged 15+ (I)"
    out: list[Row] = [{"programme_code": P, "strand_code": "T1", "geo": "priority districts",
                       "population_count": float(sum(PRIORITY_POP.values())), "year": 2023,
                       "source": src, "data_label": "I"}]
    for cat, n in PRIORITY_POP.items():
        out.append({"programme_code": P, "strand_code": "T1", "geo": "priority districts",
                    "group_dimension": "age_band", "group_category": cat,
                    "population_count": float(n), "year": 2023, "source": src,
                    "data_label": "I"})
    out.append({"programme_code": P, "geo": "metropolitan area",
                "population_count": float(RESIDENTS), "year": 2023,
                "source": "Resident registration statistics, mid-year (I)", "data_label": "I"})
    return out


def _feedback() -> list[Row]:
    out: list[Row] = []
    t2_complaints = [70, 80, 84, 98, 115, 104]       # about 0.5 per 100 reporters
    t2_resolved = [63, 73, 77, 89, 104, 94]          # about 90 % within 30 days
    for i, q in enumerate(QUARTERS):
        out.append({"programme_code": P, "strand_code": "T1", "period": q,
                    "phase": "co_design", "interaction_stage": "after",
                    "active_users": PROPOSERS[i],
                    "complaints_handled_by_independent_body": True,
                    "proposals_received": PROPOSALS[i],
                    "proposals_responded_30d": PROPOSALS[i] * RESPONDED_PCT[i] // 100,
                    "proposals_adopted": ADOPTED[i], "data_label": "I"})
        out.append({"programme_code": P, "strand_code": "T2", "period": q,
                    "provider_actor_code": "KR-01-ROADS", "phase": "co_assessment",
                    "interaction_stage": "after", "active_users": REPORTERS[i],
                    "complaints_received": t2_complaints[i],
                    "complaints_resolved_30d": t2_resolved[i],
                    "complaints_handled_by_independent_body": True,
                    "satisfaction_mean_0_100": [72.0, 73.0, 72.0, 71.0, 72.0, 71.0][i],
                    "satisfied_share_pct": [69.0, 70.0, 69.0, 68.0, 69.0, 68.0][i],
                    "satisfaction_n": 1_200, "data_label": "I"})
    return out


def _channels() -> list[Row]:
    out = []
    for i, q in enumerate(QUARTERS):
        out.append({"programme_code": P, "strand_code": "T1", "period": q,
                    "opportunities_total": 12, "opportunities_online_only": 12,
                    "assisted_alternative_available": False,
                    "assisted_share_of_contributions_pct": 0.0,
                    "digitally_excluded_share_pct": 23.0, "data_label": "I"})
        out.append({"programme_code": P, "strand_code": "T2", "period": q,
                    "opportunities_total": 14, "opportunities_online_only": 0,
                    "assisted_alternative_available": True,
                    "assisted_share_of_contributions_pct": round(100 - REPORTS_ONLINE_PCT[i], 1),
                    "digitally_excluded_share_pct": 18.0, "data_label": "I"})
    return out


# ------------------------------------------------------------------------------------------
# Capacity, checklists, evidence links, notes


def _capacity_assessments() -> list[Row]:
    return [{"programme_code": P, "code": "CA-2024Q2", "assessed_on": date(2024, 5, 20),
             "assessor": "University e-governance research centre (illustrative)",
             "actor_scope": "whole_system", "method": "external"}]


def _capacity_scores() -> list[Row]:
    cells = [
        ("individual", "analytical", 1, "Lay side: citizens' technological expertise "
         "(Moon's first deficit)", "Outside a small civic-developer community few residents "
         "can use open data or APIs; 23 % of priority-district residents are digitally "
         "excluded [MOON18]."),
        ("individual", "operational", 2, "Managerial and facilitation skills",
         "Platform team skilled; bureau officers answering proposals are not trained for it."),
        ("individual", "political", 2, "Political acumen",
         "Officers read council interests well; little practice in explaining rejections."),
        ("organizational", "analytical", 2, "Open-data quality (Moon's second deficit)",
         "Many datasets lack metadata and update schedules; core transport and road data good "
         "[MOON18]."),
        ("organizational", "operational", 1, "API features and documentation (Moon's third "
         "deficit); staff time", "No API versioning or sandbox, rate limits undocumented; "
         "bureaux have no staff time to answer proposals within 30 days [MOON18]."),
        ("organizational", "political", 2, "Legitimacy and support",
         "Mayor and council back the platform; bureaux see proposals as extra work."),
        ("systemic", "analytical", 3, "Knowledge system",
         "National public data portal (102,052 datasets by January 2025 [CHOSUN25]), "
         "university partner."),
        ("systemic", "operational", 3, "Rules across levels",
         "Public Data Act, Civil Petitions Act, city participation ordinance."),
        ("systemic", "political", 3, "Trust and cross-party support",
         "Participation ordinance passed with cross-party votes; ACRC as an independent "
         "channel."),
    ]
    return [{"programme_code": P, "assessment_code": "CA-2024Q2", "level": lv,
             "competence": comp, "score": s, "descriptor": d, "notes": n}
            for lv, comp, s, d, n in cells]


def _checklists() -> list[Row]:
    who = "External evaluator (sample data)"
    items: list[tuple[str, str, str]] = [
        ("CDQ-1", "yes", "Platform charter with aims agreed with the Citizen Proposers' "
         "Network."),
        ("CDQ-2", "partly", "Plain-language guides and screen-reader support on the platform; "
         "bureau staff not trained to elicit or answer lay proposals."),
        ("CDQ-3", "yes", "Platform rules say that proposals with 500 supports get a reasoned "
         "reply within 30 days; most proposers do not reach that bar."),
        ("CDQ-4", "yes", "T2 reporters can reopen a report closed without repair."),
        ("CDQ-5", "yes", "T1 Policy Ideas is online only with no assisted route; see EQ-3."),
        ("CDQ-6", "no", "No blame-shifting found in complaints or committee minutes."),
        ("CDQ-7", "partly", "Proposal officers named in every bureau, but replies are an "
         "add-on to their regular duties."),
        ("CLQ-1", "yes", "Adopted proposals and the reasons are published."),
        ("CLQ-2", "yes", "Citizen Proposers' Network (3) and senior citizens' association (2) "
         "vote on the 15-seat review committee."),
        ("CLQ-3", "yes", "T3 app-contest judges sign declarations."),
        ("CLQ-4", "no", "No elected office-holder selects providers or staff."),
        ("CLQ-5", "yes", "Public Data Act, Civil Petitions Act and the city ordinance set the "
         "rules."),
        ("CLQ-6", "yes", "Residents can complain to the ACRC (e-People) and the city "
         "ombudsman."),
        ("CLQ-7", "no", "No provider changes after the 2022 local election."),
        ("SUQ-1", "yes", "City ordinance on citizen participation, passed with cross-party "
         "votes (E-ORDINANCE)."),
        ("SUQ-2", "yes", "Ordinance and recurrent budget line."),
        ("SUQ-3", "partly", "Reply procedure written; not yet in bureau job descriptions."),
        ("SUQ-4", "yes", "App use and perceived influence are monitored outcomes."),
        ("SUQ-5", "yes", "Scale-up plan for T3 and T4, owner: Digital Policy Bureau."),
        ("SUQ-6", "yes", "Volunteer hours credited for verified reports; adopted proposers "
         "recognised publicly."),
        ("EQQ-1", "no", "T1 has no offline or assisted route; see EQ-3."),
        ("EQQ-2", "yes", "Platforms certified against the Korean web accessibility standard."),
        ("EQQ-3", "partly", "Posters in senior welfare centres since 2023Q4; no assisted "
         "sessions yet."),
        ("EQQ-4", "partly", "Volunteer hours credited for T2 reporters; no compensation for "
         "data costs."),
        ("EQQ-5", "partly", "Senior citizens' association holds 2 of 15 committee seats."),
    ]
    return [{"programme_code": P, "period": q, "item_code": item, "answer": answer,
             "comment": comment, "respondent": who}
            for q in sorted(OPEN) for item, answer, comment in items]


def _evidence_links() -> list[Row]:
    def link(ev: str, entity: str, key: str) -> Row:
        return {"programme_code": P, "evidence_code": ev, "entity": entity, "entity_key": key}

    return [
        link("E-OGP", "indicator", "KR-O2"),
        link("E-KH17", "indicator", "KR-O6"),
        link("E-YNA20", "indicator", "KR-O6"),
        link("E-KRDD", "indicator", "KR-O6"),
        link("E-MOON18", "capacity_assessment", "CA-2024Q2"),
        link("E-CAPACITY", "capacity_assessment", "CA-2024Q2"),
        link("E-ORDINANCE", "sponsor", "SP-MAYOR"),
        link("E-ACRC", "programme", P),
        link("E-PORTAL", "indicator", "KR-P3"),
        link("E-COMMITTEE", "strand", "T1"),
    ]


def _notes() -> list[Row]:
    author = "Evaluator (sample data)"

    def note(code: str, entity: str, key: str, q: str, text: str, day: date) -> Row:
        return {"programme_code": P, "code": code, "entity": entity, "entity_key": key,
                "period": q, "text": text, "author": author,
                "created_at": datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                .replace(hour=9)}

    return [
        note("N-T1", "strand", "T1", "2024Q2",
             "Story behind the curve: Policy Ideas drew 21,400 proposals from 9,800 proposers "
             "in its launch quarter, then fell to about 6,000 proposals from 2,600 proposers. "
             "Only 15-20 % of proposals got an answer within 30 days and 19 of 59,700 were "
             "adopted (0.3 per 1,000, below the 0.55 of Gwanghwamun 1st Street). Proposers "
             "stopped coming back: voice without influence.", date(2024, 7, 18)),
        note("N-T2", "indicator", "KR-P2", "2024Q2",
             "Smart Reports rose from 52,000 (2023Q3) to 73,000 (2024Q1) after the photo "
             "report feature, but damage claims stayed at 2.9 per 100 km: repair crews did not "
             "grow with the reports. In 2024Q2 the delivery riders' association began reporting "
             "in bulk; 10 % of reporters now file 62 % of reports.", date(2024, 7, 19)),
        note("N-O6", "indicator", "KR-O6", None,
             "Context, not attribution: the national digital informatization level of "
             "vulnerable groups rose from 58.6 % (2016) to about 70 % (2019) of the general "
             "population's. The platform cannot move this number; it explains why an "
             "online-only T1 under-represents older residents.", date(2024, 7, 1)),
    ]
