"""HL-01: co-produced type-2 diabetes care with a health-literacy focus (domain brief §3.4).

One district of an Italian local health authority (ASL), 2023Q1-2024Q2. Everything site-level
is illustrative (data_label I); the real context figures (HLS-EU, PAL16, PLOS20, PAM-PM) are
cited as Evidence rows and labelled R where they appear.

The data carry exactly what the documented flags need:
- CD-1  HL-P1 sessions vs HL-O3 PAM 3-4 (the series table of the brief);
- CD-4  HL-O2 ED visits per 1,000 (series table);
- CD-5  HL-O4 sufficient health literacy 42 % (limited 58 %) and checklist CDQ-2 = no;
- CD-3  Feedback complaints per 100 enrolled patients 1.2 ... 2.1, 82 % resolved in 2024Q2;
- EQ-3  Channels from 2024Q1: 60 % of session slots online-only, no assisted route, 24 % excluded;
- EQ-1  peer groups (co_delivery) by age band: RR of 75+ = 0.55 in 2024Q2 (>= 0.8 before);
- EQ-5  HL-O4 requires digital_access; the 2024Q2 survey wave has no digital_access cells;
- SU-7  one capacity assessment (2024Q2): organizational-analytical 1, individual-analytical 1
        (lay side), organizational-operational 3.
Everything else is set so that no other rule fires: other outputs drive an improving outcome,
every disaggregated cell stays within 0.8 of the best-off group, eight GP cooperatives share the
contracts, complaints go to an independent body, funding runs past 2025.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

P = "HL-01"
QUARTERS = ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2"]
OPEN = {"2024Q1", "2024Q2"}  # the last two quarters; the others are locked

Row = dict[str, Any]

# ------------------------------------------------------------------------------------------
# The series of the brief (§3.4), quarter by quarter

SESSIONS = [90, 120, 160, 210, 260, 300]                 # HL-P1
PAM_3_4 = [48, 49, 49, 48, 49, 48]                       # HL-O3 %
ED_PER_1000 = [22.0, 21.0, 22.0, 24.0, 25.0, 26.5]       # HL-O2
HL_SUFFICIENT = [42, 42, 43, 43, 42, 42]                 # HL-O4 %
# Complaints per 100 patients 1.2, 1.1, 1.3, 1.2, 1.4, 2.1 (to one decimal):
ENROLLED = [900, 1200, 1500, 1800, 2100, 2400]           # HL-P2 (cumulative), = active users
COMPLAINTS = [11, 13, 20, 22, 29, 50]
RESOLVED_30D = [10, 12, 18, 20, 26, 41]                  # 41/50 = 82 % in 2024Q2

# Illustrative series the brief leaves open, chosen so that they raise nothing by themselves
APP_ACCOUNTS = [0, 250, 550, 850, 1100, 1300]            # HL-P3 (cumulative)
HBA1C_OK = [41, 42, 42, 43, 43, 44]                      # HL-O1 %
ADHERENT = [58, 60, 62, 64, 66, 68]                      # HL-O5 %: +4 pp per two quarters
INVOLVED = [55, 56, 56, 57, 57, 58]                      # HL-O6 %


def _q_end(q: str) -> date:
    year, n = int(q[:4]), int(q[5])
    return (date(year, 3 * n, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _quality(q: str) -> str:
    return "provisional" if q in OPEN else "verified"


def _split(total_num: int, total_den: int, cells: list[tuple[str, int, float]],
           ) -> list[tuple[str, int, int]]:
    """Split a percent total into cells (category, denominator, offset in points).

    Each cell's value is exactly the total's value plus its offset, so a cell's series moves
    exactly as the total's does (no rounding jumps); denominators and offsets are chosen so
    that the cells' numerators and denominators add up to the total.
    """
    out: list[tuple[str, int, int]] = []
    for cat, den, offset in cells:
        num = (100 * total_num / total_den + offset) * den / 100
        assert abs(num - round(num)) < 1e-9, (cat, total_num, total_den)
        out.append((cat, round(num), den))
    assert sum(n for _, n, _ in out) == total_num and sum(d for _, _, d in out) == total_den
    return out


def _pct_obs(ind: str, q: str, num: int, den: int, *, dims: dict[str, str] | None = None,
             survey: bool, **extra: Any) -> Row:
    row: Row = {
        "programme_code": P, "indicator_code": ind, "period": q,
        "value": round(100 * num / den, 1), "numerator": num, "denominator": den,
        "quality_status": _quality(q), "data_label": "I", **extra,
    }
    if survey:
        row["n_sample"] = den
    for d, c in (dims or {}).items():
        row[f"dim:{d}"] = c
    return row


# ------------------------------------------------------------------------------------------


def rows() -> dict[str, list[Row]]:
    return {
        "Actors": _actors(),
        "Programmes": [_programme()],
        "Strands": [],
        "Evidence": _evidence(),
        "ProgrammePhases": _phases(),
        "ProgrammeActors": _programme_actors(),
        "Sponsors": _sponsors(),
        "FundingSources": _funding(),
        "Allocations": _allocations(),
        "SpendRecords": _spend(),
        "StaffingRecords": _staffing(),
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
# Actors and programme

AFT_SHARES = [16, 15, 14, 13, 12, 11, 10, 9]  # % of GP-cooperative funds: top 16 %, HHI 1,292


def _actors() -> list[Row]:
    a: list[Row] = [
        {"code": "HL-01-ASL", "name": "Local health authority (ASL), district health office "
         "(illustrative)", "actor_class": "state_direct", "org_type": "government_unit"},
        {"code": "HL-01-DIAB-TEAM", "name": "District diabetes team: nurse educators and "
         "diabetologists", "actor_class": "state_direct", "org_type": "government_unit"},
        {"code": "HL-01-REGION", "name": "Regional health department (illustrative region)",
         "actor_class": "state_direct", "org_type": "government_unit"},
        {"code": "HL-01-ASSESSOR", "name": "Regional councillor for health (assessore alla "
         "sanità)", "actor_class": "state_direct", "org_type": "political_office"},
        {"code": "HL-01-RHA", "name": "Regional health agency (runs the PREM survey)",
         "actor_class": "state_direct", "org_type": "government_unit"},
        {"code": "HL-01-UNI", "name": "University public-health department (health-literacy "
         "survey partner)", "actor_class": "state_direct", "org_type": "university_research"},
        {"code": "HL-01-PATIENTS", "name": "Enrolled patients with type-2 diabetes",
         "actor_class": "lay_individual"},
        {"code": "HL-01-PEERS", "name": "Peer educators (trained patients leading peer "
         "groups)", "actor_class": "lay_group", "org_type": "volunteer_network"},
        {"code": "HL-01-PANEL", "name": "Patient and carer panel for the education pathway",
         "actor_class": "lay_group", "org_type": "community_group"},
        {"code": "HL-01-ASSOC", "name": "Provincial diabetes patients' association",
         "actor_class": "lay_organisation", "org_type": "user_led_org",
         "registration_id": "RUNTS (illustrative)"},
    ]
    for i, _share in enumerate(AFT_SHARES, start=1):
        a.append({"code": f"HL-01-AFT{i}",
                  "name": f"GP cooperative of primary-care network (AFT) {i}",
                  "actor_class": "state_indirect_contracted", "org_type": "for_profit_provider"})
    return a


SAMPLE_NOTE = (
    "Sample data for demonstration and testing, not a real programme. Figures are labelled R "
    "(real public figure, with its source key: HLS-EU, PAL16, PLOS20, PAM-PM) or I "
    "(illustrative, invented for the demo). All site-level figures for the district are I."
)


def _programme() -> Row:
    return {
        "code": P,
        "name": "Co-produced type-2 diabetes care with a health-literacy focus",
        "description": (
            "One district of an Italian local health authority co-produces type-2 diabetes "
            "care with patients: a patient and carer panel redesigns the education pathway "
            "(co-design), patients self-manage with app glucose logging and peer educators run "
            "peer groups (co-delivery), and patients assess the service through PREMs and panel "
            "reviews (co-assessment). Basis: Palumbo & Manna [PM18] on individual and "
            "organizational health literacy as ingredients of co-production."),
        "policy_domain": "health",
        "jurisdiction_country": "IT",
        "jurisdiction_level": "district_county",
        "lead_agency_actor_code": "HL-01-ASL",
        "start_date": date(2023, 1, 1),
        "planned_end_date": date(2025, 12, 31),
        "institutional_status": "programme_recurrent_budget",
        "transition_plan_approved": False,
        "reporting_cadence": "quarterly",
        "currency": "EUR",
        "clientelism_context": "low",
        "os_level": "participative",
        "ors_type": "co_production",
        "interaction_mode": "hybrid",
        "intended_outcome": "efficiency_effectiveness_existing_service",
        "status": "active_reporting",
        "scaleup_stage": "people",
        "lead_person": "District diabetes pathway coordinator (illustrative)",
        "lead_has_deputy": True,
        # IATI fields: illustrative (XI-IATI-SAMPLE-... is no registered organisation)
        "iati_identifier": "XI-IATI-SAMPLE-HL01-HL-01",
        "reporting_org_ref": "XI-IATI-SAMPLE-HL01",
        "reporting_org_name": "Sample reporter: regional health department (illustrative)",
        "reporting_org_type": "10",
        "activity_status": "2",
        "sector_code": "12240",
        "default_language": "en",
        "is_sample": True,
        "sample_note": SAMPLE_NOTE,
    }


def _evidence() -> list[Row]:
    def ev(code: str, type_: str, title: str, source: str, issued: date | None,
           conf: str, rel: str, nesta: int | None = None) -> Row:
        return {"programme_code": P, "code": code, "type": type_, "title": title,
                "source": source, "issued_on": issued, "confidentiality": conf,
                "reliability": rel, "nesta_level": nesta}

    return [
        # Real public sources (R), as cited in the domain brief
        ev("E-HLSEU", "document", "Health literacy in Europe: comparative results of the "
           "HLS-EU (12 % insufficient, 47 % limited; range 29-62 %) (R)",
           "[HLS-EU] Sørensen et al. 2015, Eur J Public Health 25(6):1053-1058; "
           "https://www.ncbi.nlm.nih.gov/pubmed/25843827", date(2015, 4, 5), "public", "A"),
        ev("E-PAL16", "document", "The Italian Health Literacy Project: inadequate health "
           "literacy in more than half the population, linked to more hospital and emergency "
           "use (R)", "[PAL16] Palumbo et al. 2016, Health Policy 120(9):1087-1094",
           date(2016, 9, 1), "public", "A"),
        ev("E-PLOS20", "document", "Measuring health literacy in Southern Italy: 61.6 % of 503 "
           "outpatients with low health literacy (R)",
           "[PLOS20] PLOS ONE 2020, doi:10.1371/journal.pone.0236963", date(2020, 8, 1),
           "public", "A"),
        ev("E-PAMPM", "document", "Gains in Patient Activation Measure scores at 12 months "
           "(CBE #2483): share of patients gaining >= 3 points (R)",
           "[PAM-PM] https://p4qm.org/measures/2483; Hibbard et al. 2004, HSR 39(4)", None,
           "public", "A"),
        ev("E-PM18", "document", "What if things go wrong in co-producing health services? (R)",
           "[PM18] Palumbo & Manna 2018, Policy and Society 37(3):368-385", date(2018, 9, 1),
           "public", "A"),
        # Programme evidence (I)
        ev("E-LAB", "dataset", "Quarterly HbA1c extract linked to the programme register",
           "ASL laboratory information system (illustrative)", date(2024, 7, 20), "internal",
           "B", 2),
        ev("E-ED", "dataset", "ED visits for diabetes-related ACSC by enrolled patients",
           "Regional emergency-department information flow (illustrative)",
           date(2024, 7, 25), "internal", "B", 2),
        ev("E-PAM", "survey", "PAM-13 assessments at the quarterly nurse review",
           "District diabetes team (illustrative)", date(2024, 7, 15), "restricted_personal",
           "B", 2),
        ev("E-HLSQ", "survey", "HLS-EU-Q16 survey of enrolled patients, waves 2023Q1-2024Q2",
           "University public-health department (illustrative)", date(2024, 7, 10),
           "restricted_personal", "A", 2),
        ev("E-PDC", "dataset", "Pharmacy dispensing extract: proportion of days covered",
           "Regional pharmaceutical dispensing flow (illustrative)", date(2024, 7, 25),
           "internal", "B", 2),
        ev("E-PREM", "survey", "Regional PREM survey of chronic-care patients, district cut",
           "Regional health agency (illustrative)", date(2024, 7, 30), "internal", "A", 2),
        ev("E-COMPLAINTS", "complaint_log", "Complaint log of the diabetes pathway, with "
           "referrals to the independent patients' rights office",
           "ASL public relations office (URP) (illustrative)", date(2024, 7, 5), "internal",
           "B"),
        ev("E-PANEL", "minutes", "Patient and carer panel minutes: education curriculum and "
           "PREM items agreed", "Patient and carer panel (illustrative)", date(2023, 3, 20),
           "internal", "B"),
        ev("E-BOOKING", "document", "Booking rules for education sessions from January 2024 "
           "(60 % of slots bookable online only)", "ASL booking office (illustrative)",
           date(2023, 12, 15), "internal", "B"),
        ev("E-CAPACITY", "verification_report", "Capacity assessment of the diabetes pathway "
           "(3 x 3 matrix)", "Regional health agency peer review (illustrative)",
           date(2024, 5, 20), "internal", "A"),
        ev("E-DGR", "document", "Regional council resolution adopting the chronic-care plan "
           "2023-2028 (commitment beyond the councillor's term)",
           "Regional official bulletin (illustrative)", date(2023, 6, 30), "public", "A"),
        ev("E-AI", "appreciative_inquiry", "Appreciative inquiry with peer educators: what "
           "makes peer groups work", "District diabetes team and patients' association "
           "(illustrative)", date(2024, 4, 18), "internal", "C"),
    ]


def _phases() -> list[Row]:
    def ph(phase: str, level: str, intensity: str, stage: str, roles: str, rights: str) -> Row:
        return {"programme_code": P, "phase": phase, "level": level, "intensity": intensity,
                "policy_stage": stage, "start_date": date(2023, 1, 1),
                "end_date": date(2025, 12, 31), "lay_actor_roles": roles,
                "decision_rights_text": rights}

    return [
        ph("co_design", "group", "shared", "programme_definition",
           "Patient and carer panel (14 members) with the patients' association",
           "The panel co-signs the education curriculum and the PREM items; changes to session "
           "content need the panel's agreement."),
        ph("co_delivery", "individual", "shared", "implementation",
           "Enrolled patients: self-management plan, app glucose logging",
           "Patients agree their own self-management goals with the nurse educator."),
        ph("co_delivery", "group", "lay_led", "implementation",
           "Peer educators lead monthly peer groups",
           "Peer educators choose group topics within the agreed curriculum."),
        ph("co_assessment", "individual", "consultative", "implementation",
           "Patients answer PREM and health-literacy surveys",
           "Patients' answers are reported; no decision rights."),
        ph("co_assessment", "group", "shared", "implementation",
           "Patient and carer panel reviews the quarterly data",
           "The panel's review is tabled at the steering committee, where the patients' "
           "association and peer educators hold 3 of 9 seats."),
    ]


COMMITTEE = "Diabetes pathway steering committee"


def _programme_actors() -> list[Row]:
    def pa(actor: str, role: str, phase: str | None, alford: str | None = None,
           lay: str | None = None, represented: bool = False, seats: int | None = None) -> Row:
        row: Row = {"programme_code": P, "actor_code": actor, "role": role, "phase": phase,
                    "alford_role": alford, "lay_role": lay,
                    "is_beneficiary_represented": represented}
        if seats is not None:
            row.update(decision_body=COMMITTEE, seats_on_decision_body=seats,
                       total_seats_decision_body=9)
        return row

    out = [
        pa("HL-01-ASL", "commissioner", "co_design", seats=3),
        pa("HL-01-ASL", "funder", None),
        pa("HL-01-REGION", "funder", None),
        pa("HL-01-ASSESSOR", "sponsor", None),
        pa("HL-01-DIAB-TEAM", "provider", "co_delivery"),
        pa("HL-01-DIAB-TEAM", "facilitator", "co_design"),
        pa("HL-01-PATIENTS", "co_deliverer", "co_delivery", "consumer", "client_user"),
        pa("HL-01-PATIENTS", "co_assessor", "co_assessment", "consumer", "client_user"),
        pa("HL-01-PEERS", "co_deliverer", "co_delivery", "partner", "volunteer", True, 1),
        pa("HL-01-PANEL", "co_designer", "co_design", "partner", "client_user", True),
        pa("HL-01-PANEL", "co_assessor", "co_assessment", "partner", "client_user", True),
        pa("HL-01-ASSOC", "beneficiary_representative", "co_design", "partner", "citizen",
           True, 2),
        pa("HL-01-RHA", "co_assessor", "co_assessment"),
        pa("HL-01-UNI", "co_assessor", "co_assessment", seats=1),
    ]
    for i in range(1, len(AFT_SHARES) + 1):
        # two network representatives sit on the committee for all eight cooperatives
        out.append(pa(f"HL-01-AFT{i}", "provider", "co_delivery", seats=1 if i <= 2 else None))
    return out


def _sponsors() -> list[Row]:
    return [{
        "programme_code": P, "code": "SP-REG", "actor_code": "HL-01-ASSESSOR",
        "office_title": "Regional councillor for health", "party": "Governing coalition "
        "(illustrative)", "term_start": date(2023, 3, 15), "term_end_date": date(2028, 3, 14),
        "next_election_date": date(2028, 2, 20), "commitment_beyond_term": True,
        "commitment_evidence_code": "E-DGR",
    }]


def _funding() -> list[Row]:
    return [
        {"programme_code": P, "code": "FS-ASL", "funder_actor_code": "HL-01-ASL",
         "type": "recurrent_budget", "committed_amount": 1_950_000.0,
         "period_start": date(2023, 1, 1), "period_end": date(2025, 12, 31),
         "is_renewable": True, "renewal_decision_date": date(2025, 10, 31), "data_label": "I"},
        {"programme_code": P, "code": "FS-REG", "funder_actor_code": "HL-01-REGION",
         "sponsor_code": "SP-REG", "type": "project_grant", "committed_amount": 360_000.0,
         "period_start": date(2023, 1, 1), "period_end": date(2025, 12, 31),
         "is_renewable": False, "data_label": "I"},
    ]


def _allocations() -> list[Row]:
    total = 600_000.0
    out = []
    for i, share in enumerate(AFT_SHARES, start=1):
        out.append({
            "programme_code": P, "code": f"AL-AFT{i}", "provider_actor_code": f"HL-01-AFT{i}",
            "amount": total * share / 100, "places_or_hours": 2400 * share / 100,
            "decision_date": date(2022, 12, 12), "period_start": date(2023, 1, 1),
            "period_end": date(2025, 12, 31), "procedure": "open_call",
            "call_published": True, "advert_days": 30, "n_applicants": 8,
            "n_valid_applicants": 8, "modified_after_award": False, "decision_published": True,
            "coi_declared": True, "data_label": "I",
        })
    return out


def _spend() -> list[Row]:
    amounts = [110_000, 120_000, 135_000, 150_000, 165_000, 180_000]
    return [{"programme_code": P, "period": q, "amount": float(a), "data_label": "I"}
            for q, a in zip(QUARTERS, amounts, strict=True)]


def _staffing() -> list[Row]:
    hires = [1, 2, 2, 3, 3, 2]
    turnover = [3.0, 4.0, 3.5, 4.5, 4.0, 5.0]
    workload = [52.0, 53.0, 55.0, 57.0, 59.0, 61.0]
    return [{"programme_code": P, "period": q, "provider_actor_code": "HL-01-DIAB-TEAM",
             "hires_total": h, "hires_with_public_vacancy": h,
             "hires_with_political_referral": 0, "staff_turnover_pct": t,
             "workload_score": w, "data_label": "I"}
            for q, h, t, w in zip(QUARTERS, hires, turnover, workload, strict=True)]


def _periods() -> list[Row]:
    out = []
    for q in QUARTERS:
        end = _q_end(q)
        row: Row = {"programme_code": P, "quarter": q, "data_cutoff_date": end
                    + timedelta(days=30)}
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

POST_EXIT = date(2026, 12, 31)  # 12 months after the planned end


def _indicators() -> list[Row]:
    base = {"programme_code": P, "baseline_period": "2023Q1", "frequency": "quarterly",
            "baseline_label": "I"}
    outcome = {**base, "accountability_type": "performance", "attribution_claim": "contribution",
               "unit": "percent", "coproduction_level": "individual",
               "post_exit_measurement_due": POST_EXIT}
    return [
        {**outcome, "code": "HL-O1",
         "name": "Enrolled patients with last HbA1c < 53 mmol/mol (7.0 %)",
         "definition": "Enrolled patients with an HbA1c result in the last 6 months whose most "
         "recent result is below 53 mmol/mol (7.0 %). Patients enrolled less than 3 months "
         "before quarter end are excluded.",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "circumstance",
         "numerator_def": "enrolled patients whose most recent HbA1c (last 6 months) is below "
         "53 mmol/mol",
         "denominator_def": "enrolled patients with an HbA1c result in the last 6 months",
         "direction": "increase", "baseline_value": 41.0,
         "baseline_source": "ASL laboratory extract, 2023Q1 (I)",
         "baseline_method": "most recent result per patient", "amber_at": 40.0, "red_at": 38.0,
         "phases": "co_delivery", "disaggregation_required": "age_band,sex",
         "data_source": "ASL laboratory information system linked to the programme register",
         "collection_method": "quarterly extract, record linkage by health-card number",
         "responsible_role": "ASL clinical-governance analyst",
         "verification_type": "administrative",
         "known_limitations": "Results from private laboratories are missing; case mix shifts "
         "as enrolment grows.", "evidence_standard": 2},
        {**outcome, "code": "HL-O2", "risk_role": "misuse_rate",
         "name": "ED visits for diabetes-related ambulatory-care-sensitive conditions",
         "definition": "Emergency-department visits by enrolled patients with a primary "
         "diagnosis of a diabetes-related ambulatory-care-sensitive condition (hypo- or "
         "hyperglycaemia, ketoacidosis, hyperosmolar state, uncontrolled diabetes), per 1,000 "
         "enrolled patients per quarter. An avoidable-use measure (misuse/overuse, CD-4).",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "unit": "rate_per_1000",
         "numerator_def": "ED visits in the quarter by enrolled patients with a diabetes-related "
         "ACSC primary diagnosis",
         "denominator_def": "patients enrolled at quarter end (rate per 1,000 per quarter)",
         "direction": "decrease", "baseline_value": 22.0,
         "baseline_source": "Regional ED flow linked to the register, 2023Q1 (I)",
         "amber_at": 24.0, "red_at": 28.0,
         "phases": "co_delivery", "disaggregation_required": "sex",
         "data_source": "Regional emergency-department information flow linked to the "
         "programme register", "collection_method": "quarterly record linkage",
         "responsible_role": "ASL clinical-governance analyst",
         "verification_type": "administrative",
         "known_limitations": "Small quarterly counts; visits outside the region are missing.",
         "evidence_standard": 2},
        {**outcome, "code": "HL-O3",
         "name": "Patients at PAM level 3–4 (secondary: % with ≥ 3-point PAM gain in 12 "
         "months)",
         "definition": "Patients assessed with the 13-item Patient Activation Measure at the "
         "quarterly nurse review who score at level 3 or 4. The secondary measure (share "
         "gaining >= 3 points within 12 months, CBE #2483) is reported yearly.",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "skills_knowledge",
         "numerator_def": "patients assessed in the quarter at PAM level 3 or 4",
         "denominator_def": "patients with a PAM-13 assessment in the quarter",
         "direction": "increase", "baseline_value": 48.0,
         "baseline_source": "PAM-13 at nurse review, 2023Q1 (I)", "amber_at": 46.0,
         "red_at": 44.0, "phases": "co_delivery", "disaggregation_required": "sex",
         "data_source": "PAM-13 questionnaire at the quarterly nurse review, licensed scoring",
         "collection_method": "self-completed questionnaire, nurse-assisted if needed",
         "responsible_role": "Nurse educator lead", "verification_type": "self_report_user",
         "known_limitations": "Patients not attending reviews are not assessed.",
         "evidence_standard": 2},
        {**outcome, "code": "HL-O4", "risk_role": "sufficient_literacy_share",
         "name": "Patients with sufficient health literacy (HLS-EU-Q16)",
         "definition": "Enrolled patients completing the HLS-EU-Q16 who score 13-16 "
         "(sufficient). Limited health literacy = insufficient + problematic = 100 minus this "
         "value (used by CD-5).",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "skills_knowledge",
         "numerator_def": "respondents scoring 13-16 (sufficient) on the HLS-EU-Q16",
         "denominator_def": "enrolled patients completing the HLS-EU-Q16 in the quarter",
         "direction": "increase", "baseline_value": 42.0,
         "baseline_source": "HLS-EU-Q16 survey wave 2023Q1 (I); context: 47 % limited health "
         "literacy across 8 EU countries (R) [HLS-EU]",
         "amber_at": 40.0, "red_at": 38.0, "phases": "co_design,co_delivery",
         "disaggregation_required": "digital_access,sex",
         "data_source": "HLS-EU-Q16 questionnaire run by the university partner",
         "collection_method": "questionnaire at enrolment and at the annual review, with a "
         "digital-access item", "responsible_role": "University survey lead",
         "verification_type": "independent_survey",
         "known_limitations": "Digital-access item dropped from the shortened 2024Q2 wave.",
         "evidence_standard": 2},
        {**outcome, "code": "HL-O5",
         "name": "Patients with proportion of days covered ≥ 80 % (adherence)",
         "definition": "Enrolled patients on glucose-lowering drugs whose proportion of days "
         "covered over the last 12 months is at least 80 %.",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "behaviour",
         "numerator_def": "patients with PDC >= 80 % for glucose-lowering drugs over 12 months",
         "denominator_def": "enrolled patients with >= 2 dispensings of a glucose-lowering "
         "drug in the last 12 months",
         "direction": "increase", "baseline_value": 58.0,
         "baseline_source": "Regional dispensing flow, 2023Q1 (I)", "amber_at": 55.0,
         "red_at": 50.0, "phases": "co_delivery", "disaggregation_required": "sex",
         "data_source": "Regional pharmaceutical dispensing flow",
         "collection_method": "quarterly extract", "responsible_role": "ASL pharmacist",
         "verification_type": "administrative",
         "known_limitations": "Dispensing is not taking; free samples are not recorded.",
         "evidence_standard": 2},
        {**outcome, "code": "HL-O6",
         "name": "Patients reporting they are \"always/usually\" involved in decisions about "
         "their care",
         "definition": "PREM respondents answering 'always' or 'usually' to the item on being "
         "involved in decisions about their diabetes care (item wording agreed with the "
         "patient and carer panel).",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "attitude_opinion",
         "numerator_def": "respondents answering always or usually",
         "denominator_def": "respondents to the PREM item",
         "direction": "increase", "baseline_value": 55.0,
         "baseline_source": "Regional PREM survey, 2023Q1 (I)", "amber_at": 50.0,
         "red_at": 45.0, "phases": "co_assessment,co_delivery",
         "disaggregation_required": "sex",
         "data_source": "Regional PREM survey of chronic-care patients (regional health agency)",
         "collection_method": "telephone and paper survey of a random sample",
         "responsible_role": "Regional health agency survey unit",
         "verification_type": "independent_survey", "co_defined_with_lay_actors": True,
         "co_defined_evidence_code": "E-PANEL", "evidence_standard": 2},
        {**base, "code": "HL-P1", "name": "Self-management education sessions delivered",
         "definition": "Group self-management education sessions (up to 12 places each) held "
         "in the quarter by nurse educators, with a register of attendance.",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "count",
         "direction": "increase", "baseline_value": 90.0,
         "baseline_source": "Session registers, 2023Q1 (I)", "phases": "co_delivery",
         "coproduction_level": "group",
         "data_source": "Session registers and the ASL booking system",
         "collection_method": "count of sessions held", "responsible_role": "Nurse educator lead",
         "verification_type": "self_report_provider", "evidence_standard": 1},
        {**base, "code": "HL-P2", "name": "Patients enrolled (cumulative)",
         "definition": "Patients with type-2 diabetes enrolled in the co-produced pathway since "
         "the start, less deaths and transfers.",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "count",
         "direction": "increase", "baseline_value": 900.0,
         "baseline_source": "Programme register, 2023Q1 (I)", "phases": "co_delivery",
         "coproduction_level": "individual", "data_source": "Programme register",
         "collection_method": "count at quarter end", "responsible_role": "Pathway coordinator",
         "verification_type": "administrative", "is_cumulative": True, "evidence_standard": 1},
        {**base, "code": "HL-P3", "name": "App accounts activated",
         "definition": "Patient accounts in the glucose-logging app activated since launch "
         "(2023Q2).",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "count",
         "direction": "increase", "baseline_value": 0.0,
         "baseline_source": "App back office, 2023Q1 (before launch) (I)",
         "phases": "co_delivery", "coproduction_level": "individual",
         "data_source": "App back office (activation log)",
         "collection_method": "count at quarter end", "responsible_role": "ASL digital health "
         "officer", "verification_type": "administrative", "is_cumulative": True,
         "evidence_standard": 1},
    ]


def _targets() -> list[Row]:
    t = [("HL-O1", 50.0), ("HL-O2", 16.0), ("HL-O3", 60.0), ("HL-O4", 55.0), ("HL-O5", 70.0),
         ("HL-O6", 75.0), ("HL-P1", 300.0), ("HL-P2", 2400.0), ("HL-P3", 1500.0)]
    out = []
    for code, value in t:
        if code in ("HL-P1", "HL-P2"):
            period, why = "2024Q2", "Scale-up plan: full district coverage by mid-2024 (I)"
        else:
            period, why = "2025Q4", "Target of the district chronic-care plan by programme end (I)"
        out.append({"programme_code": P, "indicator_code": code, "period": period,
                    "value": value, "rationale": why, "data_label": "I"})
    return out


def _links() -> list[Row]:
    def link(a: str, b: str, text: str) -> Row:
        return {"programme_code": P, "from_indicator_code": a, "to_indicator_code": b,
                "assumption_text": text, "strength": "hypothesised"}

    return [
        link("HL-P1", "HL-O3", "Patients who attend self-management education sessions gain "
             "the knowledge, skills and confidence to manage their diabetes, so more of them "
             "reach PAM level 3-4."),
        link("HL-P2", "HL-O5", "Enrolment brings a pharmacist medication review and refill "
             "reminders, so more enrolled patients keep at least 80 % of days covered."),
        link("HL-P3", "HL-O5", "App reminders and glucose logging support daily medicine-"
             "taking, so adherence rises among app users."),
        link("HL-O4", "HL-O3", "Patients who can find, understand and use health information "
             "are more able to take charge of their care."),
        link("HL-O3", "HL-O2", "Activated patients recognise and manage hypo- and "
             "hyperglycaemia early, so fewer end up in the emergency department."),
    ]


# ------------------------------------------------------------------------------------------
# Observations


def _sex(den: int) -> list[tuple[str, int, float]]:
    return [("female", den // 2, 1.0), ("male", den // 2, -1.0)]


# HL-O1 by age band: cell denominators per quarter (offsets -3, -1, +1, +2 points balance out)
AGE_BANDS = ["25-44", "45-64", "65-74", "75+"]
AGE_OFFSETS = [-3.0, -1.0, 1.0, 2.0]
HBA1C_DEN = [800, 1000, 1400, 1600, 1800, 2200]
HBA1C_AGE_DEN = [[100, 300, 200, 200], [100, 400, 300, 200], [200, 500, 300, 400],
                 [200, 600, 400, 400], [200, 700, 500, 400], [200, 900, 700, 400]]
# HL-O2 by sex: ED visits by enrolled women (half the enrolled); men have the rest
ED_FEMALE = [10, 12, 16, 21, 26, 31]
# HL-O4 by digital access (no_access + access_no_skills = 25 % of the sample)
DIGITAL = [("no_access", 100, -4.0), ("access_no_skills", 100, -2.0),
           ("basic_user", 300, 0.0), ("full_user", 300, 2.0)]


def _observations() -> list[Row]:
    out: list[Row] = []
    pam_n = [400, 600, 600, 800, 800, 1000]
    hls_n = [800] * 6
    pdc_den = [800, 1000, 1400, 1600, 2000, 2200]
    prem_n = [400] * 6
    ed_visits = [20, 25, 33, 43, 53, 64]  # over patients enrolled: the series within 0.3

    for i, q in enumerate(QUARTERS):
        # outputs
        out.append({"programme_code": P, "indicator_code": "HL-P1", "period": q,
                    "phase": "co_delivery", "value": float(SESSIONS[i]),
                    "quality_status": _quality(q), "verification_type": "self_report_provider",
                    "data_source": "Session registers", "data_label": "I"})
        out.append({"programme_code": P, "indicator_code": "HL-P2", "period": q,
                    "phase": "co_delivery", "value": float(ENROLLED[i]),
                    "quality_status": _quality(q), "verification_type": "administrative",
                    "data_source": "Programme register", "data_label": "I"})
        out.append({"programme_code": P, "indicator_code": "HL-P3", "period": q,
                    "phase": "co_delivery", "value": float(APP_ACCOUNTS[i]),
                    "quality_status": _quality(q), "verification_type": "administrative",
                    "data_source": "App back office", "data_label": "I",
                    "comment": "App launched in 2023Q2" if i == 0 else None})

        # percent outcomes: (code, series, denominators, survey?, verification, source, dims)
        specs = [
            ("HL-O1", HBA1C_OK, HBA1C_DEN, False, "administrative", "ASL laboratory extract",
             "E-LAB", [("age_band", list(zip(AGE_BANDS, HBA1C_AGE_DEN[i], AGE_OFFSETS,
                                              strict=True))),
                       ("sex", _sex(HBA1C_DEN[i]))]),
            ("HL-O3", PAM_3_4, pam_n, True, "self_report_user", "PAM-13 at nurse review",
             "E-PAM", [("sex", _sex(pam_n[i]))]),
            ("HL-O4", HL_SUFFICIENT, hls_n, True, "independent_survey",
             "HLS-EU-Q16 survey (university partner)", "E-HLSQ",
             [("sex", _sex(hls_n[i]))]
             + ([] if q == "2024Q2" else [("digital_access", DIGITAL)])),
            ("HL-O5", ADHERENT, pdc_den, False, "administrative", "Regional dispensing flow",
             "E-PDC", [("sex", _sex(pdc_den[i]))]),
            ("HL-O6", INVOLVED, prem_n, True, "independent_survey", "Regional PREM survey",
             "E-PREM", [("sex", _sex(prem_n[i]))]),
        ]
        for code, series, dens, survey, vt, source, ev, dims in specs:
            den = dens[i]
            num = round(series[i] * den / 100)
            assert num * 100 == series[i] * den, (code, q)  # totals equal the series exactly
            phase = "co_assessment" if code == "HL-O6" else "co_delivery"
            common = {"phase": phase, "verification_type": vt, "data_source": source,
                      "evidence_code": ev}
            comment = None
            if code == "HL-O4" and q == "2024Q2":
                comment = ("2024Q2 wave run on tablets with a shortened questionnaire; the "
                           "digital-access item was left out, so no digital_access cells.")
            out.append(_pct_obs(code, q, num, den, survey=survey, comment=comment, **common))
            for dim, cells in dims:
                for cat, n, d in _split(num, den, cells):
                    out.append(_pct_obs(code, q, n, d, dims={dim: cat}, survey=survey,
                                        **common))

        # HL-O2, rate per 1,000 enrolled, by sex
        den = ENROLLED[i]
        vis = ed_visits[i]
        ed_common = {"programme_code": P, "indicator_code": "HL-O2", "period": q,
                     "phase": "co_delivery", "quality_status": _quality(q),
                     "verification_type": "administrative",
                     "data_source": "Regional ED flow linked to the register",
                     "evidence_code": "E-ED", "data_label": "I"}
        out.append({**ed_common, "value": ED_PER_1000[i], "numerator": vis, "denominator": den,
                    "comment": "value as reported by the ED flow; numerator/denominator at "
                    "quarter end"})
        for cat, n in (("female", ED_FEMALE[i]), ("male", vis - ED_FEMALE[i])):
            out.append({**ed_common, "value": round(1000 * n / (den // 2), 1), "numerator": n,
                        "denominator": den // 2, "dim:sex": cat})
    return out


# ------------------------------------------------------------------------------------------
# Participation, population, feedback, channels

# Peer groups (co_delivery): active, continuing from the previous quarter, and the 75+ count.
PEER_ACTIVE = [120, 150, 180, 220, 260, 280]
PEER_CONTINUING = [None, 112, 140, 168, 205, 242]
PEER_75PLUS = [28, 34, 42, 50, 57, 40]      # RR 0.90, 0.87, 0.90, 0.87, 0.84, 0.55
PEER_25_44 = [8, 10, 12, 14, 16, 18]
PEER_65_74 = [40, 50, 60, 74, 88, 104]
REGISTRY = {"25-44": 500, "45-64": 4000, "65-74": 2900, "75+": 2600}  # T2D adults, district


def _participation() -> list[Row]:
    out: list[Row] = []
    panel_active = [14, 14, 13, 13, 12, 12]
    panel_cont = [None, 13, 13, 12, 12, 12]
    panel_started = [14, 13, 12, 12, 11, 10]
    panel_completed = [12, 11, 11, 10, 10, 9]
    for i, q in enumerate(QUARTERS):
        cont = panel_cont[i]
        new = panel_active[i] - (cont or 0)
        out.append({"programme_code": P, "period": q, "phase": "co_design",
                    "registered": 16, "active": panel_active[i], "new": new,
                    "continuing_active": cont,
                    "exited": None if cont is None else panel_active[i - 1] - cont,
                    "started_tasks": panel_started[i], "completed_tasks": panel_completed[i],
                    "data_label": "I"})
        cont = PEER_CONTINUING[i]
        active = PEER_ACTIVE[i]
        out.append({"programme_code": P, "period": q, "phase": "co_delivery",
                    "registered": active + 20, "active": active,
                    "new": active - (cont or 0), "continuing_active": cont,
                    "exited": None if cont is None else PEER_ACTIVE[i - 1] - cont,
                    "data_label": "I"})
        by_age = {"25-44": PEER_25_44[i], "65-74": PEER_65_74[i], "75+": PEER_75PLUS[i]}
        by_age["45-64"] = active - sum(by_age.values())
        for cat in REGISTRY:
            out.append({"programme_code": P, "period": q, "phase": "co_delivery",
                        "group_dimension": "age_band", "group_category": cat,
                        "active": by_age[cat], "data_label": "I"})
    return out


def _population() -> list[Row]:
    src = "ASL chronic-disease register (diabetes exemption), adults with type-2 diabetes " \
          "resident in the district, 31 Dec 2023 (I)"
    out: list[Row] = [{"programme_code": P, "geo": "district", "population_count":
                       float(sum(REGISTRY.values())), "year": 2023, "source": src,
                       "data_label": "I"}]
    for cat, n in REGISTRY.items():
        out.append({"programme_code": P, "geo": "district", "group_dimension": "age_band",
                    "group_category": cat, "population_count": float(n), "year": 2023,
                    "source": src, "data_label": "I"})
    # Enrolled patients by digital access: no_access + access_no_skills = 24 %
    src2 = "Enrolment questionnaire, digital-access item, patients enrolled by 2024Q2 (I)"
    for cat, n in [("no_access", 264), ("access_no_skills", 312), ("basic_user", 864),
                   ("full_user", 960)]:
        out.append({"programme_code": P, "geo": "enrolled patients",
                    "group_dimension": "digital_access", "group_category": cat,
                    "population_count": float(n), "year": 2024, "source": src2,
                    "data_label": "I"})
    return out


def _feedback() -> list[Row]:
    sat_mean = [74.0, 75.0, 74.0, 72.0, 70.0, 66.0]
    sat_share = [71.0, 72.0, 71.0, 69.0, 67.0, 63.0]
    return [{"programme_code": P, "period": q, "phase": "co_assessment",
             "interaction_stage": "after", "active_users": ENROLLED[i],
             "complaints_received": COMPLAINTS[i], "complaints_resolved_30d": RESOLVED_30D[i],
             "complaints_handled_by_independent_body": True,
             "satisfaction_mean_0_100": sat_mean[i], "satisfied_share_pct": sat_share[i],
             "satisfaction_n": 300, "data_label": "I"}
            for i, q in enumerate(QUARTERS)]


def _channels() -> list[Row]:
    out = []
    for i, q in enumerate(QUARTERS):
        slots = SESSIONS[i] * 12
        online_only = slots * 60 // 100 if q in OPEN else 0
        out.append({"programme_code": P, "period": q, "opportunities_total": slots,
                    "opportunities_online_only": online_only,
                    "assisted_alternative_available": q not in OPEN,
                    "digitally_excluded_share_pct": 24.0, "data_label": "I"})
    return out


# ------------------------------------------------------------------------------------------
# Capacity, checklists, evidence links, notes


def _capacity_assessments() -> list[Row]:
    return [{"programme_code": P, "code": "CA-2024Q2", "assessed_on": date(2024, 5, 20),
             "assessor": "Regional health agency peer-review team (illustrative)",
             "actor_scope": "whole_system", "method": "peer_review"}]


def _capacity_scores() -> list[Row]:
    cells = [
        ("individual", "analytical", 1, "Lay side: patients' health literacy",
         "58 % of enrolled patients have limited health literacy (HLS-EU-Q16) [PM18]; staff "
         "data skills are adequate, but the cell is scored on the lay side."),
        ("individual", "operational", 3, "Facilitation and self-management coaching skills",
         "Nurse educators and peer educators trained; peer educators supervised monthly."),
        ("individual", "political", 2, "Reading stakeholders' interests",
         "Team manages GP-cooperative relations well; little experience with patient advocacy."),
        ("organizational", "analytical", 1, "Organizational health literacy",
         "No plain-language standard, no teach-back, booking system not accessible; data "
         "register good but ED and pharmacy flows linked only quarterly [PM18]."),
        ("organizational", "operational", 3, "Budget, staff time, coordination",
         "Recurrent budget line, nurse time and GP agreements in place; sessions scaled from "
         "90 to 300 per quarter."),
        ("organizational", "political", 3, "Legitimacy and support",
         "Pathway endorsed by the ASL board; patients' association on the steering committee."),
        ("systemic", "analytical", 3, "Knowledge system",
         "Regional data flows, university partner, regional PREM survey."),
        ("systemic", "operational", 3, "Rules across levels",
         "National chronic-care plan and regional care pathway (PDTA) set roles and standards."),
        ("systemic", "political", 2, "Trust and cross-party support",
         "Regional resolution commits beyond the term; public trust in the ASL is middling."),
    ]
    return [{"programme_code": P, "assessment_code": "CA-2024Q2", "level": lv,
             "competence": comp, "score": s, "descriptor": d, "notes": n}
            for lv, comp, s, d, n in cells]


def _checklists() -> list[Row]:
    who = "External evaluator (sample data)"
    both: list[tuple[str, str, str]] = [
        ("CDQ-1", "yes", "Pathway charter co-written with the patient and carer panel (E-PANEL)."),
        ("CDQ-2", "no", "No plain-language standard, no teach-back, no accessible formats; staff "
         "not trained to elicit patients' contributions."),
        ("CDQ-3", "yes", "Peer-educator agreement and panel terms of reference explain roles, "
         "time and what happens to input."),
        ("CDQ-4", "yes", "Nurse call-back after a missed session or a complaint."),
        ("CDQ-5", "yes", "Since January 2024, 60 % of education-session slots can be booked "
         "online only, with no assisted route (E-BOOKING); see EQ-3."),
        ("CDQ-6", "no", "No blame-shifting found in complaints or panel minutes."),
        ("CDQ-7", "yes", "Nurse educators trained in self-management support; sessions are in "
         "their job plans."),
        ("CLQ-1", "yes", "Eligibility criteria and GP-cooperative agreements published."),
        ("CLQ-2", "yes", "Patients' association (2 seats) and peer educators (1 seat) vote on "
         "the 9-seat steering committee."),
        ("CLQ-3", "yes", "Declarations recorded for the 2022 call panel."),
        ("CLQ-4", "no", "Providers joined through an open call; no elected office-holder on the "
         "panel."),
        ("CLQ-5", "yes", "Accredited providers, regional care pathway (PDTA), national "
         "standards."),
        ("CLQ-6", "yes", "Patients can complain to the independent patients' rights office."),
        ("CLQ-7", "no", "No provider changes after the 2023 regional election."),
        ("SUQ-1", "yes", "Regional council resolution on the chronic-care plan 2023-2028 "
         "(E-DGR)."),
        ("SUQ-2", "yes", "Recurrent ASL budget line for the diabetes pathway."),
        ("SUQ-3", "yes", "Procedures and job descriptions updated; curriculum in the training "
         "plan."),
        ("SUQ-4", "yes", "Activation and adherence are monitored outcomes (HL-O3, HL-O5)."),
        ("SUQ-5", "yes", "Scale-up plan to two more districts, owner: pathway coordinator."),
        ("SUQ-6", "yes", "Peer educators receive training certificates and travel "
         "reimbursement."),
        ("EQQ-1", "no", "The online-only slots have no offline or assisted route; see EQ-3."),
        ("EQQ-2", "partly", "Venues accessible; no easy-read materials (see CDQ-2)."),
        ("EQQ-4", "yes", "Sessions free; peer educators' travel reimbursed."),
        ("EQQ-5", "partly", "No co-commissioning phase; the patients' association set "
         "priorities through the design panel."),
    ]
    out = []
    for q in sorted(OPEN):
        for item, answer, comment in both:
            out.append({"programme_code": P, "period": q, "item_code": item, "answer": answer,
                        "comment": comment, "respondent": who})
        eqq3 = ("n/a", "No group below a representation ratio of 0.8 this quarter.") \
            if q == "2024Q1" else \
            ("partly", "Peer-group RR of patients aged 75+ fell to 0.55; GP practices asked to "
             "phone their older patients from June.")
        out.append({"programme_code": P, "period": q, "item_code": "EQQ-3",
                    "answer": eqq3[0], "comment": eqq3[1], "respondent": who})
    return out


def _evidence_links() -> list[Row]:
    return [
        {"programme_code": P, "evidence_code": "E-PANEL", "entity": "indicator",
         "entity_key": "HL-O6"},
        {"programme_code": P, "evidence_code": "E-HLSQ", "entity": "indicator",
         "entity_key": "HL-O4"},
        {"programme_code": P, "evidence_code": "E-HLSEU", "entity": "indicator",
         "entity_key": "HL-O4"},
        {"programme_code": P, "evidence_code": "E-PAMPM", "entity": "indicator",
         "entity_key": "HL-O3"},
        {"programme_code": P, "evidence_code": "E-PAL16", "entity": "indicator",
         "entity_key": "HL-O2"},
        {"programme_code": P, "evidence_code": "E-CAPACITY", "entity": "capacity_assessment",
         "entity_key": "CA-2024Q2"},
        {"programme_code": P, "evidence_code": "E-DGR", "entity": "sponsor",
         "entity_key": "SP-REG"},
        {"programme_code": P, "evidence_code": "E-AI", "entity": "programme",
         "entity_key": P},
    ]


def _notes() -> list[Row]:
    author = "Evaluator (sample data)"

    def note(code: str, entity: str, key: str, q: str, text: str, day: date) -> Row:
        return {"programme_code": P, "code": code, "entity": entity, "entity_key": key,
                "period": q, "text": text, "author": author,
                "created_at": datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                .replace(hour=9)}

    return [
        note("N-PAM", "indicator", "HL-O3", "2024Q2",
             "Story behind the curve: sessions more than tripled (90 to 300 a quarter) while "
             "the share of patients at PAM level 3-4 stayed at 48-49 %. The panel says the "
             "sessions became lecture-style to fit the numbers: no teach-back, no practice "
             "with the meter, leaflets in clinical language. Busy, not better (CD-1).",
             date(2024, 7, 22)),
        note("N-ED", "indicator", "HL-O2", "2024Q2",
             "ED visits for diabetes-related ACSC rose from 21 to 26.5 per 1,000 since 2023Q2. "
             "GPs report that many of the patients seen in the ED are older patients who lost "
             "the phone booking route in January and missed their sessions; more emergency use "
             "is what the Italian evidence predicts for low health literacy [PAL16]. HL-O2 is "
             "not yet split by age, so this is a lead to check, not a finding.",
             date(2024, 7, 25)),
        note("N-PEER", "programme", P, "2024Q2",
             "Peer groups: the 2024Q2 cycle was the first booked through the online-only "
             "slots. The share of members aged 75+ fell from 22 % to 14 % (representation "
             "ratio 0.84 to 0.55); 17 older members did not re-book.", date(2024, 7, 26)),
        note("N-DIGITAL", "indicator", "HL-O4", "2024Q2",
             "The 2024Q2 health-literacy wave ran on tablets with a shortened questionnaire "
             "and left out the digital-access item, so HL-O4 cannot be split by digital access "
             "this quarter (EQ-5). The item goes back into the 2024Q3 wave.",
             date(2024, 7, 12)),
    ]
