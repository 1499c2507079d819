"""HR-01 County social services co-production, Croatia: personal assistance (PA) + home help (HH).

Domain brief §3.3. Sample data: the county, the city, the providers and every series are
illustrative (data_label I), calibrated to the real national figures cited as Evidence
(VLADA17, HR-UN, CS22, HRT-PA, GOV-HR; data_label R where a real figure is stored).

Where the documented flags come from (so the numbers below are not changed casually):

* HH allocations 2021 (trailing 4 quarters at 2021Q4): A 78 %, B 9 %, C 6 %, D 4 %, E 3 %,
  HHI 6,226 (CL-1); A direct award + B call not published = 87 % non-competitive (CL-2); the
  four calls (B, C, D, E) each had one valid applicant (CL-3); Provider A is politically
  exposed (CL-4); decisions not published and complaints handled by Provider A (CL-8).
* HH new places live in Participation (strand HH, phase co_delivery, total row) as ``new``:
  40, 42, 45, 130, 150, then 60, 48, 50 (CL-5: 2021Q1 150 vs trailing mean 64.25 = 233 %).
  The 2020Q4 places also show as a pre-election direct-award top-up to Provider A.
* HH staffing 2021: 12 hires, 3 via public vacancy, 5 with councillor referral letters (CL-6).
* Seats: city social welfare committee 0 of 7 for older people's organisations (CL-9, HH);
  county disability council 4 of 9 for DPOs (44 %, PA passes).
* Provider A feedback: complaints per 100 users 2.0, 2.2, 2.1, 2.3 (2020Q4-2021Q3) then 4.1
  (2021Q4), 73 % resolved in 30 days (CD-3 medium); 54 % satisfied in 2021Q4 (CD-2 high).
* HR-P3 visits 18,000 (2021Q2) -> 21,500 (2021Q4) = +19.4 % while HR-O4 falls 78 -> 77 (CD-1
  medium); every earlier two-quarter window of HR-P3 stays below +10 % so CD-1 does not fire
  (and escalate by persistence) before 2021Q4.
* PA runway at 2021Q3: committed for 2021Q4-2022Q3 = ESF 2,160,000 over 12 quarters -> 180,000
  + county bridge 117,600 (2022H1) = 297,600; spend 2020Q4-2021Q3 = 744,000; 40.0 % (SU-2).
* PA strand is a time-limited project since 2019-01 with no transition plan (SU-3).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

P = "HR-01"
QUARTERS = ["2020Q1", "2020Q2", "2020Q3", "2020Q4", "2021Q1", "2021Q2", "2021Q3", "2021Q4"]
OPEN_QUARTERS = {"2021Q3", "2021Q4"}

# Actors (codes are global: prefixed with the programme code)
COUNTY = "HR-01-COUNTY"
CITY = "HR-01-CITY"
CITY_COUNCIL = "HR-01-CITY-COUNCIL"
CSW = "HR-01-CSW"
ESF_IB = "HR-01-ESF-IB"
PREFECT = "HR-01-PREFECT"
MAYOR = "HR-01-MAYOR"
UNI = "HR-01-UNI"
OLDER_ORG = "HR-01-PENSIONERS"
PA_USERS = "HR-01-PA-USERS"
HH_USERS = "HR-01-HH-USERS"
DPO_PHYS = "HR-01-DPO-PHYS"
DPO_MS = "HR-01-DPO-MS"
DPO_BLIND = "HR-01-DPO-BLIND"
DPO_DEAF = "HR-01-DPO-DEAF"
PROV_A = "HR-01-PROV-A"
PROV_B = "HR-01-PROV-B"
PROV_C = "HR-01-PROV-C"
PROV_D = "HR-01-PROV-D"
PROV_E = "HR-01-PROV-E"
DPOS = [DPO_PHYS, DPO_MS, DPO_BLIND, DPO_DEAF]
HH_PROVIDERS = [PROV_A, PROV_B, PROV_C, PROV_D, PROV_E]

EVALUATOR = "County M&E evaluator (sample data)"


def _q(quarter: str) -> tuple[int, int]:
    return int(quarter[:4]), int(quarter[-1])


def _quarter_end(quarter: str) -> date:
    y, q = _q(quarter)
    return {1: date(y, 3, 31), 2: date(y, 6, 30), 3: date(y, 9, 30), 4: date(y, 12, 31)}[q]


def _verified(quarter: str) -> str:
    return "provisional" if quarter in OPEN_QUARTERS else "verified"


def _num(value: float, den: int, per: float = 100.0) -> int:
    """The whole numerator that gives ``value`` per ``per`` on ``den``."""
    return round(value * den / per)


def _pct(num: int, den: int) -> float:
    return round(100.0 * num / den, 1)


# ------------------------------------------------------------------------------------------
# Series (all illustrative, I)

HH_NEW = dict(zip(QUARTERS, [40, 42, 45, 130, 150, 60, 48, 50], strict=True))
# enrolments before the window, only used for HR-O4's 12-month cohorts
HH_NEW_BEFORE = {"2018Q2": 36, "2018Q3": 37, "2018Q4": 38, "2019Q1": 38, "2019Q2": 40,
                 "2019Q3": 39, "2019Q4": 41}
HH_ACTIVE_2019Q4 = 528

# Active home-help users by provider; complaints for Provider A set the CD-3 rates.
HH_USERS_BY_PROVIDER = {
    PROV_A: [390, 398, 405, 500, 586, 619, 620, 634],
    PROV_B: [54, 55, 56, 58, 70, 72, 72, 72],
    PROV_C: [44, 45, 46, 48, 55, 55, 55, 55],
    PROV_D: [32, 33, 34, 35, 40, 40, 40, 40],
    PROV_E: [20, 21, 22, 23, 25, 25, 25, 25],
}
A_COMPLAINTS = [8, 8, 8, 10, 13, 13, 14, 26]  # per 100: 2.05 2.01 1.98 2.00 2.22 2.10 2.26 4.10
A_RESOLVED_30D = [7, 7, 7, 9, 11, 11, 12, 19]  # 2021Q4: 19 of 26 = 73 % (>= 70 %: CD-3 medium)
A_SATISFIED_PCT = [66, 65, 65, 64, 63, 62, 61, 54]

# HR-O6 user-rated quality (0-100) by provider, with survey respondents.
O6_SCORE = {  # steady steps, so one quarter's change stands out only where it should
    PROV_A: [66.0, 65.5, 65.0, 64.5, 64.0, 63.5, 62.5, 61.5],
    PROV_B: [round(75.0 + 0.4 * i, 1) for i in range(8)],
    PROV_C: [round(74.0 + 0.4 * i, 1) for i in range(8)],
    PROV_D: [round(76.0 + 0.4 * i, 1) for i in range(8)],
    PROV_E: [round(76.0 + 0.3 * i, 1) for i in range(8)],
    DPO_PHYS: [round(70.5 + 1.5 * i, 1) for i in range(8)],
    DPO_MS: [round(69.5 + 1.5 * i, 1) for i in range(8)],
    DPO_BLIND: [round(71.0 + 1.5 * i, 1) for i in range(8)],
    DPO_DEAF: [round(68.5 + 1.5 * i, 1) for i in range(8)],
}
O6_N = {
    PROV_A: [110, 112, 115, 120, 130, 132, 135, 140],
    PROV_B: [30, 31, 31, 32, 34, 35, 35, 36],
    PROV_C: [25, 25, 26, 26, 27, 27, 28, 28],
    PROV_D: [18, 18, 19, 19, 20, 21, 21, 22],
    PROV_E: [12, 12, 13, 13, 14, 14, 15, 15],
    DPO_PHYS: [20, 20, 21, 21, 22, 23, 24, 25],
    DPO_MS: [17, 17, 17, 18, 18, 19, 20, 21],
    DPO_BLIND: [14, 14, 14, 15, 15, 16, 16, 17],
    DPO_DEAF: [10, 10, 10, 11, 11, 11, 12, 12],
}
SATISFIED_PCT_OTHERS = {
    PROV_B: [76, 76, 77, 77, 78, 78, 79, 79],
    PROV_C: [74, 75, 75, 76, 76, 77, 77, 77],
    PROV_D: [78, 78, 79, 79, 80, 80, 80, 81],
    PROV_E: [80, 80, 81, 81, 81, 82, 82, 82],
    DPO_PHYS: [71, 73, 75, 77, 78, 80, 82, 84],
    DPO_MS: [70, 72, 74, 76, 77, 79, 81, 83],
    DPO_BLIND: [72, 73, 76, 77, 79, 81, 83, 84],
    DPO_DEAF: [68, 70, 72, 74, 75, 78, 79, 81],
}

PA_USERS_BY_DPO = {
    DPO_PHYS: [26, 26, 26, 27, 28, 29, 30, 31],
    DPO_MS: [21, 21, 22, 22, 23, 23, 24, 25],
    DPO_BLIND: [16, 17, 17, 18, 19, 19, 20, 20],
    DPO_DEAF: [12, 12, 12, 12, 12, 13, 13, 14],
}
PA_ACTIVE_2019Q4 = 74
PA_NEW = [2, 2, 2, 3, 4, 3, 4, 4]

O1 = [62, 64, 67, 69, 71, 72, 74, 75]  # PA choice & control (%)
O1_N = [58, 61, 60, 62, 65, 67, 69, 71]
O2 = [21, 21, 22, 23, 24, 25, 26, 27]  # PA working-age users in work/education/training (%)
O2_DEN = [56, 56, 58, 57, 59, 61, 62, 66]
O3 = [14, 13, 12, 12, 11, 10, 10, 9]  # admissions to residential care per 1,000 eligible / yr
O3_DEN = [2450, 2480, 2500, 2560, 2620, 2650, 2680, 2700]
O4 = [81, 80, 80, 79, 79, 78, 78, 77]  # HH users still at home 12 months after enrolment (%)
O5 = {"PA": [35, 34, 32, 30, 27, 25, 22, 20], "HH": [30, 29, 27, 22, 16, 15, 13, 12]}
O5_DEN = {"PA": [40, 41, 41, 43, 44, 44, 45, 45],
          "HH": [150, 152, 155, 170, 190, 175, 170, 168]}
P1 = [9800, 10150, 10500, 10850, 11200, 11550, 11950, 12400]  # PA hours per month
P2 = {"PA": [68, 69, 70, 72, 74, 76, 78, 81], "HH": [22, 22, 22, 22, 26, 30, 32, 34]}
P3 = [14000, 15000, 15380, 16400, 16900, 18000, 18550, 21500]  # HH visits per quarter

PA_SPEND = [170_000, 172_000, 176_000, 180_000, 184_000, 188_000, 192_000, 196_000]
HH_SPEND = [105_000, 105_000, 105_000, 165_000, 146_000, 150_000, 150_000, 154_000]

# HH staffing 2021, (quarter, provider): (hires, via public vacancy, with political referral)
HH_HIRES = {
    ("2021Q1", PROV_A): (4, 1, 2),
    ("2021Q2", PROV_A): (3, 0, 1),
    ("2021Q2", PROV_B): (1, 1, 0),
    ("2021Q3", PROV_A): (2, 0, 1),
    ("2021Q4", PROV_A): (1, 0, 1),
    ("2021Q4", PROV_D): (1, 1, 0),
}
HH_WORKLOAD_A = [58, 59, 60, 62, 64, 65, 66, 67]  # staff-reported, 0-100, higher = heavier
PA_HIRES = {  # every PA assistant is recruited through a public vacancy (ESF rule)
    ("2020Q2", DPO_PHYS): 1, ("2020Q3", DPO_MS): 1, ("2020Q4", DPO_PHYS): 1,
    ("2020Q4", DPO_BLIND): 1, ("2021Q1", DPO_MS): 1, ("2021Q1", DPO_DEAF): 1,
    ("2021Q2", DPO_PHYS): 1, ("2021Q2", DPO_BLIND): 1, ("2021Q3", DPO_PHYS): 1,
    ("2021Q3", DPO_MS): 1, ("2021Q4", DPO_PHYS): 1, ("2021Q4", DPO_BLIND): 1,
    ("2021Q4", DPO_DEAF): 1,
}


# ------------------------------------------------------------------------------------------
# Sheets


def _actors() -> list[dict[str, Any]]:
    def a(code: str, name: str, actor_class: str, org_type: str, **kw: Any) -> dict[str, Any]:
        return {"code": code, "name": name, "actor_class": actor_class, "org_type": org_type,
                "is_politically_exposed": False, **kw}

    return [
        a(COUNTY, "County administration, administrative department for health and social "
          "welfare (illustrative county of about 300,000 inhabitants)", "state_direct",
          "government_unit"),
        a(CITY, "City administration of the county seat, social welfare department "
          "(illustrative)", "state_direct", "government_unit"),
        a(CITY_COUNCIL, "City council of the county seat and its social welfare committee "
          "(7 councillors)", "state_direct", "political_office"),
        a(CSW, "Social welfare centre of the county seat (state; assesses eligibility and keeps "
          "the waiting lists)", "state_direct", "government_unit"),
        a(ESF_IB, "National ministry responsible for social policy, intermediate body for the "
          "ESF Operational Programme Efficient Human Resources 2014-2020", "state_direct",
          "government_unit"),
        a(PREFECT, "County prefect (zupan), sponsor of the PA strand", "state_direct",
          "political_office", is_politically_exposed=True,
          pep_description="elected county prefect; office holder of the governing coalition "
          "(illustrative)", pep_since=date(2017, 6, 4)),
        a(MAYOR, "Mayor of the county seat, sponsor of the home-help strand", "state_direct",
          "political_office", is_politically_exposed=True,
          pep_description="elected mayor; office holder of the governing party, re-elected "
          "16 May 2021 (illustrative)", pep_since=date(2017, 6, 4)),
        a(UNI, "University department of social work (runs the co-assessment survey)",
          "state_direct", "university_research"),
        a(OLDER_ORG, "City pensioners' association (older people's organisation)",
          "lay_organisation", "user_led_org"),
        a(PA_USERS, "Personal-assistance users (persons with severe disabilities)", "lay_group",
          "community_group"),
        a(HH_USERS, "Home-help users (older people living at home) and their families",
          "lay_group", "community_group"),
        a(DPO_PHYS, "County association of persons with physical disabilities (DPO)",
          "lay_organisation", "user_led_org"),
        a(DPO_MS, "County multiple sclerosis society (DPO)", "lay_organisation", "user_led_org"),
        a(DPO_BLIND, "County association of the blind (DPO; sighted-guide assistance)",
          "lay_organisation", "user_led_org"),
        a(DPO_DEAF, "County association of deaf and hard-of-hearing persons (DPO; sign-language "
          "interpreting)", "lay_organisation", "user_led_org"),
        a(PROV_A, "Provider A: city-owned social services company (home help)",
          "state_indirect_contracted", "public_company", is_politically_exposed=True,
          pep_description="board chair is a serving city councillor of the governing party",
          pep_since=date(2017, 6, 4)),
        a(PROV_B, "Provider B: private home-care company", "state_indirect_contracted",
          "for_profit_provider"),
        a(PROV_C, "Provider C: humanitarian association, home-help service",
          "state_indirect_contracted", "ngo_association"),
        a(PROV_D, "Provider D: parish charity, home-help service", "state_indirect_contracted",
          "ngo_association"),
        a(PROV_E, "Provider E: social cooperative of carers", "state_indirect_contracted",
          "ngo_association"),
    ]


def _programme() -> dict[str, Any]:
    return {
        "code": P,
        "name": "County social services co-production, Croatia: personal assistance + home help",
        "description": (
            "Two service strands in one county (sample data). PA: four disabled people's "
            "organisations deliver personal assistance under ESF project grants; the county "
            "disability council (DPOs hold 4 of 9 seats) co-commissions; users direct their own "
            "assistants (participative, co-construction). HH: home help for older people in the "
            "county seat through partnership agreements with five providers (consumer, "
            "co-production). Basis: Kekez 2018 [KEK18] on service delivery modes and clientelism "
            "in Croatian social policy; patronage hiring in elderly care [KEK-ECPR]."),
        "policy_domain": "social_care",
        "jurisdiction_country": "HR",
        "jurisdiction_level": "district_county",
        "lead_agency_actor_code": COUNTY,
        "start_date": date(2019, 1, 1),
        "planned_end_date": date(2022, 12, 31),
        "institutional_status": "time_limited_project",
        "transition_plan_approved": False,
        "reporting_cadence": "quarterly",
        "currency": "EUR",
        "clientelism_context": "medium",
        "os_level": "participative",
        "ors_type": "co_construction",
        "interaction_mode": "in_person_sync",
        "intended_outcome": "efficiency_effectiveness_existing_service",
        "status": "active_reporting",
        "scaleup_stage": "people",
        "lead_person": "Head of the county social welfare department (sample)",
        "lead_has_deputy": True,
        # IATI fields: illustrative (XI-IATI-SAMPLE-... is no registered organisation)
        "iati_identifier": "XI-IATI-SAMPLE-HR01-HR-01",
        "reporting_org_ref": "XI-IATI-SAMPLE-HR01",
        "reporting_org_name": "Sample reporter: county social welfare office (illustrative)",
        "reporting_org_type": "10",
        "activity_status": "2",
        "sector_code": "16010",
        "default_language": "en",
        "is_sample": True,
        "sample_note": (
            "Sample data for demonstration and testing, not a real programme. The county, the "
            "city, the providers and every series are illustrative (data_label I), calibrated to "
            "real public figures; real figures are labelled R with their source key (VLADA17: "
            "74 ESF personal-assistance projects, about EUR 13.6 m, 1,486 users, 2017; HR-UN: "
            "508,350 persons with disabilities, about 12 %, 2015; CS22, HRT-PA, GOV-HR: the "
            "Personal Assistance Act and 44-352 hours a month). Programme-level classification "
            "is the PA strand's (participative, co-construction); HH is consumer co-production "
            "(see the strand names). Amounts in EUR (kuna converted at 7.5345)."),
    }


def _strands() -> list[dict[str, Any]]:
    return [
        {"programme_code": P, "code": "PA",
         "name": "Personal assistance (PA): 4 DPOs under ESF project grants; participative, "
                 "co-construction (independent living); phases co-commissioning (group), "
                 "co-delivery (individual, group), co-assessment (individual)",
         "type": "service_strand", "geo_code": "HR (illustrative county)", "population": 300_000,
         "governing_party": "Party X, county governing coalition (illustrative)",
         "interaction_mode": "in_person_sync", "institutional_status": "time_limited_project"},
        {"programme_code": P, "code": "HH",
         "name": "Home help for older people (HH): city partnership agreements with 5 providers; "
                 "consumer, co-production; phase co-delivery (individual) only",
         "type": "service_strand", "geo_code": "HR (illustrative county seat)",
         "population": 62_000,
         "governing_party": "Party X, city council majority (illustrative)",
         "interaction_mode": "in_person_sync",
         "institutional_status": "programme_recurrent_budget"},
    ]


def _evidence() -> list[dict[str, Any]]:
    def ev(code: str, type_: str, title: str, source: str, **kw: Any) -> dict[str, Any]:
        return {"programme_code": P, "code": code, "type": type_, "title": title,
                "source": source, **kw}

    return [
        # Real public sources (R)
        ev("VLADA17", "document",
           "Agreements for personal assistance services for disabled presented (April 2017): "
           "74 ESF-funded projects of associations of persons with disabilities, about EUR "
           "13.6 m, 1,486 users, two-year agreements",
           "VLADA17, Government of Croatia: https://vlada.gov.hr/news/agreements-for-personal-"
           "assistance-services-for-disabled-presented/20435", confidentiality="public",
           reliability="B"),
        ev("HR-UN", "document",
           "Croatian submission to the UN Special Rapporteur on the rights of persons with "
           "disabilities: 508,350 persons with disabilities (about 12 %) on 12 March 2015",
           "HR-UN: https://studylib.net/doc/17689537", issued_on=date(2015, 3, 12),
           confidentiality="public", reliability="B"),
        ev("CS22", "media",
           "Personal Assistance Act to increase the number of beneficiaries (about 15,000 "
           "eligible people estimated)",
           "CS22: https://cleversplitter.com/personal-assistance-act-to-increase-the-number-of-"
           "beneficiaries-and-the-salaries-of-personal-assistants/", confidentiality="public",
           reliability="C"),
        ev("HRT-PA", "media",
           "Government statement on the Personal Assistance Act (8,040 decisions, about EUR "
           "60 m a year) and the Constitutional Court decision",
           "HRT-PA: https://glashrvatske.hrt.hr/en/politics/plenkovic-government-will-find-a-"
           "legal-framework-to-help-people-with-disabilities-12488719",
           confidentiality="public", reliability="C"),
        ev("GOV-HR", "document",
           "Personal assistance for persons with disabilities: 44-352 hours a month",
           "GOV-HR: https://gov.hr/en/assistance-services-for-persons-with-disabilities/748",
           confidentiality="public", reliability="B"),
        ev("KEK18", "document",
           "Kekez (2018), Public service reforms and clientelism: explaining variation of "
           "service delivery modes in Croatian social policy, Policy and Society 37(3)",
           "KEK18", confidentiality="public", reliability="A"),
        ev("KEK-ECPR", "document",
           "Kekez Kostro, ECPR paper on clientelistic practices in Croatian elderly-care reform",
           "KEK-ECPR: https://events.ecpr.eu/Events/Event/PaperDetails/34212",
           confidentiality="public", reliability="B"),
        # Programme evidence (I)
        ev("EV-COUNCILLOR", "document",
           "Provider A board composition (court register extract) and city council membership "
           "list: the board chair is a serving councillor of the governing party",
           "Court register extract and city council website (illustrative)",
           issued_on=date(2021, 10, 15), confidentiality="public", reliability="A"),
        ev("EV-REFERRALS", "audit",
           "Evaluator review of Provider A hiring files 2021: five councillor referral letters "
           "on file; three of twelve hires advertised",
           "Evaluator file review (illustrative)", issued_on=date(2022, 1, 20),
           confidentiality="restricted_personal", reliability="B"),
        ev("EV-HH-DECISIONS", "document",
           "City decisions on home-help partnership agreements 2020-2021 (not published; "
           "obtained on request under the Right to Access Information Act)",
           "City social welfare department (illustrative)", issued_on=date(2021, 11, 30),
           confidentiality="internal", reliability="A"),
        ev("EV-HH-STANDARDS", "verification_report",
           "Evaluator review of the implementation setting for municipal home help: no "
           "licensing, quality standard or inspection applies to the city's providers",
           "Evaluator review (illustrative)", issued_on=date(2021, 12, 10),
           confidentiality="internal", reliability="B"),
        ev("EV-CITY-COMMITTEE", "minutes",
           "City social welfare committee: composition (7 councillors, no seat for older "
           "people's organisations) and minutes 2020-2021",
           "City council (illustrative)", issued_on=date(2021, 6, 30),
           confidentiality="public", reliability="A"),
        ev("EV-COMPLAINTS-A", "complaint_log",
           "Provider A complaint log 2020-2021 (complaints handled by the provider itself)",
           "Provider A (illustrative)", issued_on=date(2022, 1, 10),
           confidentiality="restricted_personal", reliability="B"),
        ev("EV-HH-VISITS", "dataset",
           "Home-help visit logs by provider, 2020Q1-2021Q4", "Providers A-E (illustrative)",
           issued_on=date(2022, 1, 15), confidentiality="internal", reliability="B"),
        ev("EV-PA-CALLS", "document",
           "County public calls for PA grants 2020 and 2021 (30 days, 6 applicants) and the "
           "published award decisions", "County website (illustrative)",
           issued_on=date(2021, 1, 18), confidentiality="public", reliability="A"),
        ev("EV-COUNCIL-MIN", "minutes",
           "County disability council minutes: DPOs hold 4 of 9 seats; the council adopts the "
           "choice-and-control indicator and the co-assessment questionnaire",
           "County disability council (illustrative)", issued_on=date(2019, 11, 14),
           confidentiality="public", reliability="A"),
        ev("EV-ESF-AGREEMENTS", "document",
           "ESF grant agreements of the four DPO personal-assistance projects, 2019-01 to "
           "2021-12 (no extension foreseen)", "ESF intermediate body (illustrative)",
           issued_on=date(2018, 12, 20), confidentiality="internal", reliability="A"),
        ev("EV-BRIDGE", "document",
           "County decision on bridge funding for personal assistance, January-June 2022",
           "County assembly (illustrative)", issued_on=date(2021, 9, 16),
           confidentiality="public", reliability="A"),
        ev("EV-SURVEY", "survey",
           "County co-assessment survey of PA and HH users, quarterly waves 2020Q1-2021Q4 "
           "(questionnaire co-designed with the DPOs; DPO peer interviewers for PA)",
           "University department of social work (illustrative)", issued_on=date(2022, 1, 25),
           confidentiality="internal", reliability="A", nesta_level=2),
        ev("EV-CSW-REGISTER", "dataset",
           "Social welfare centre case register extract: eligibility decisions, waiting lists, "
           "residential admissions, 2020-2021", "Social welfare centre (illustrative)",
           issued_on=date(2022, 1, 31), confidentiality="restricted_personal", reliability="A"),
        ev("EV-CAPACITY", "verification_report",
           "Capacity assessments 2021: county and city administrations (external) and lead DPO "
           "(peer review)", "University department of social work; DPO network (illustrative)",
           issued_on=date(2021, 11, 30), confidentiality="internal", reliability="B"),
    ]


def _phases() -> list[dict[str, Any]]:
    def ph(strand: str, phase: str, level: str, intensity: str, stage: str, roles: str,
           rights: str) -> dict[str, Any]:
        return {"programme_code": P, "strand_code": strand, "phase": phase, "level": level,
                "intensity": intensity, "policy_stage": stage, "start_date": date(2019, 1, 1),
                "end_date": date(2022, 12, 31), "lay_actor_roles": roles,
                "decision_rights_text": rights}

    return [
        ph("PA", "co_commissioning", "group", "shared", "programme_definition",
           "Four DPOs sit on the county disability council (4 of 9 seats) and set priorities "
           "and criteria for the annual PA call",
           "The council recommends call criteria and scores applications (DPO members recuse "
           "from their own); the prefect signs the awards"),
        ph("PA", "co_delivery", "individual", "lay_led", "implementation",
           "Users choose, schedule and direct their own personal assistant",
           "Users decide when and how assistance is given within the hours assessed"),
        ph("PA", "co_delivery", "group", "shared", "implementation",
           "DPOs employ the assistants, train them and run peer support",
           "DPOs manage the grants under ESF rules"),
        ph("PA", "co_assessment", "individual", "consultative", "implementation",
           "Users rate their support in the quarterly co-assessment survey; DPO peer "
           "interviewers collect the answers",
           "Results go to the disability council; no binding effect"),
        ph("HH", "co_delivery", "individual", "consultative", "implementation",
           "The older person and family agree a care plan with the provider and take part in "
           "each visit",
           "Providers set the visit schedule; the city allocates places and providers"),
    ]


def _programme_actors() -> list[dict[str, Any]]:
    def pa(actor: str, role: str, *, strand: str | None = None, phase: str | None = None,
           **kw: Any) -> dict[str, Any]:
        return {"programme_code": P, "actor_code": actor, "strand_code": strand, "role": role,
                "phase": phase, **kw}

    council = {"decision_body": "County disability council", "total_seats_decision_body": 9}
    committee = {"decision_body": "City social welfare committee", "total_seats_decision_body": 7}
    rows = [
        pa(COUNTY, "commissioner", strand="PA", phase="co_commissioning",
           seats_on_decision_body=5, **council),
        pa(COUNTY, "funder", strand="PA"),
        pa(ESF_IB, "funder", strand="PA"),
        pa(PREFECT, "sponsor", strand="PA"),
        pa(PA_USERS, "co_deliverer", strand="PA", phase="co_delivery", alford_role="consumer",
           lay_role="client_user"),
        pa(PA_USERS, "co_assessor", strand="PA", phase="co_assessment", alford_role="consumer",
           lay_role="client_user"),
        pa(DPO_PHYS, "co_assessor", strand="PA", phase="co_assessment", alford_role="partner"),
        pa(CITY, "commissioner", strand="HH"),
        pa(CITY, "funder", strand="HH"),
        pa(CITY_COUNCIL, "commissioner", strand="HH", phase="co_commissioning",
           seats_on_decision_body=7, **committee),
        pa(OLDER_ORG, "beneficiary_representative", strand="HH", phase="co_commissioning",
           is_beneficiary_represented=True, seats_on_decision_body=0, **committee),
        pa(MAYOR, "sponsor", strand="HH"),
        pa(HH_USERS, "co_deliverer", strand="HH", phase="co_delivery", alford_role="consumer",
           lay_role="client_user"),
        pa(CSW, "facilitator", phase="co_commissioning"),
        pa(UNI, "facilitator", phase="co_assessment"),
    ]
    for d in DPOS:
        rows.append(pa(d, "beneficiary_representative", strand="PA", phase="co_commissioning",
                       alford_role="partner", is_beneficiary_represented=True,
                       seats_on_decision_body=1, **council))
        rows.append(pa(d, "provider", strand="PA", phase="co_delivery", alford_role="partner"))
    for prov in HH_PROVIDERS:
        rows.append(pa(prov, "provider", strand="HH", phase="co_delivery"))
    return rows


def _sponsors() -> list[dict[str, Any]]:
    def sp(code: str, actor: str, strand: str, office: str, start: date, end: date,
           election: date | None) -> dict[str, Any]:
        return {"programme_code": P, "code": code, "actor_code": actor, "strand_code": strand,
                "office_title": office, "party": "Party X (illustrative)", "term_start": start,
                "term_end_date": end, "next_election_date": election,
                "commitment_beyond_term": False}

    # Local elections of 16 May 2021 (CL-5); both office holders re-elected (illustrative)
    return [
        sp("SP-PREFECT-2017", PREFECT, "PA", "County prefect", date(2017, 6, 4),
           date(2021, 6, 3), date(2021, 5, 16)),
        sp("SP-MAYOR-2017", MAYOR, "HH", "Mayor of the county seat", date(2017, 6, 4),
           date(2021, 6, 3), date(2021, 5, 16)),
        sp("SP-PREFECT-2021", PREFECT, "PA", "County prefect (second term)", date(2021, 6, 4),
           date(2025, 6, 3), None),
        sp("SP-MAYOR-2021", MAYOR, "HH", "Mayor of the county seat (second term)",
           date(2021, 6, 4), date(2025, 6, 3), None),
    ]


def _funding() -> list[dict[str, Any]]:
    def fs(code: str, strand: str, funder: str, type_: str, amount: float, start: date,
           end: date, **kw: Any) -> dict[str, Any]:
        return {"programme_code": P, "code": code, "strand_code": strand,
                "funder_actor_code": funder, "type": type_, "committed_amount": amount,
                "period_start": start, "period_end": end, "data_label": "I", **kw}

    return [
        # 12 quarters x 180,000; only 2021Q4 falls in the runway window seen from 2021Q3
        fs("FS-PA-ESF", "PA", ESF_IB, "eu_structural_fund", 2_160_000.0, date(2019, 1, 1),
           date(2021, 12, 31), is_renewable=False),
        fs("FS-PA-BRIDGE", "PA", COUNTY, "project_grant", 117_600.0, date(2022, 1, 1),
           date(2022, 6, 30), is_renewable=False, renewal_decision_date=date(2022, 5, 31)),
        fs("FS-HH-2020", "HH", CITY, "recurrent_budget", 480_000.0, date(2020, 1, 1),
           date(2020, 12, 31), is_renewable=True, renewal_decision_date=date(2020, 12, 15)),
        fs("FS-HH-2021", "HH", CITY, "recurrent_budget", 600_000.0, date(2021, 1, 1),
           date(2021, 12, 31), is_renewable=True, renewal_decision_date=date(2021, 12, 14)),
        fs("FS-HH-2022", "HH", CITY, "recurrent_budget", 640_000.0, date(2022, 1, 1),
           date(2022, 12, 31), is_renewable=True, renewal_decision_date=date(2022, 12, 13)),
    ]


def _allocations() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def al(code: str, strand: str, provider: str, amount: float, places: float, decided: date,
           start: date, end: date, **kw: Any) -> None:
        rows.append({"programme_code": P, "code": code, "strand_code": strand,
                     "provider_actor_code": provider, "amount": amount,
                     "places_or_hours": places, "decision_date": decided,
                     "period_start": start, "period_end": end, "modified_after_award": False,
                     "data_label": "I", **kw})

    # Home help: places_or_hours = user places contracted
    hh_terms = {
        PROV_A: {"procedure": "direct_award", "call_published": False},
        PROV_B: {"procedure": "restricted_invitation", "call_published": False,
                 "n_applicants": 1, "n_valid_applicants": 1},
        PROV_C: {"procedure": "open_call", "call_published": True, "advert_days": 15,
                 "n_applicants": 1, "n_valid_applicants": 1},
        PROV_D: {"procedure": "open_call", "call_published": True, "advert_days": 15,
                 "n_applicants": 1, "n_valid_applicants": 1},
        PROV_E: {"procedure": "restricted_invitation", "call_published": True,
                 "advert_days": 10, "n_applicants": 1, "n_valid_applicants": 1},
    }
    hh_2020 = {PROV_A: (285_600, 400), PROV_B: (48_000, 55), PROV_C: (38_400, 45),
               PROV_D: (28_800, 33), PROV_E: (19_200, 21)}
    hh_2021 = {PROV_A: (468_000, 600), PROV_B: (54_000, 72), PROV_C: (36_000, 55),
               PROV_D: (24_000, 40), PROV_E: (18_000, 25)}
    for year, table, decided in ((2020, hh_2020, date(2020, 1, 16)),
                                 (2021, hh_2021, date(2021, 1, 15))):
        for prov, (amount, places) in table.items():
            al(f"HH-{year}-{prov[-1]}", "HH", prov, float(amount), float(places), decided,
               date(year, 1, 1), date(year, 12, 31), decision_published=False,
               coi_declared=True, **hh_terms[prov])
    # the pre-election top-up: 120 extra places for Provider A in 2020Q4, no call
    al("HH-2020-A-TOPUP", "HH", PROV_A, 60_000.0, 120.0, date(2020, 10, 5), date(2020, 10, 1),
       date(2020, 12, 31), procedure="direct_award", call_published=False,
       decision_published=False, coi_declared=True)

    # Personal assistance: places_or_hours = assistance hours a year; one open call a year
    pa_terms = {"procedure": "open_call", "call_published": True, "advert_days": 30,
                "n_applicants": 6, "n_valid_applicants": 5, "decision_published": True,
                "coi_declared": True}
    pa_shares = {2020: {DPO_PHYS: 33, DPO_MS: 28, DPO_BLIND: 23, DPO_DEAF: 16},
                 2021: {DPO_PHYS: 34, DPO_MS: 28, DPO_BLIND: 22, DPO_DEAF: 16}}
    pa_total = {2020: sum(PA_SPEND[:4]), 2021: sum(PA_SPEND[4:])}
    pa_hours = {2020: 3 * sum(P1[:4]), 2021: 3 * sum(P1[4:])}
    for year, decided in ((2020, date(2020, 1, 20)), (2021, date(2021, 1, 18))):
        for dpo, share in pa_shares[year].items():
            al(f"PA-{year}-{dpo.rsplit('-', 1)[-1]}", "PA", dpo,
               pa_total[year] * share / 100, pa_hours[year] * share / 100, decided,
               date(year, 1, 1), date(year, 12, 31), **pa_terms)
    return rows


def _spend() -> list[dict[str, Any]]:
    return [{"programme_code": P, "strand_code": s, "period": q, "amount": float(v),
             "data_label": "I"}
            for s, series in (("PA", PA_SPEND), ("HH", HH_SPEND))
            for q, v in zip(QUARTERS, series, strict=True)]


def _staffing() -> list[dict[str, Any]]:
    rows = []
    for i, q in enumerate(QUARTERS):
        h, vac, ref = HH_HIRES.get((q, PROV_A), (0, 0, 0))
        rows.append({"programme_code": P, "strand_code": "HH", "period": q,
                     "provider_actor_code": PROV_A, "hires_total": h,
                     "hires_with_public_vacancy": vac, "hires_with_political_referral": ref,
                     "workload_score": float(HH_WORKLOAD_A[i]), "data_label": "I"})
    for (q, prov), (h, vac, ref) in HH_HIRES.items():
        if prov == PROV_A:
            continue
        rows.append({"programme_code": P, "strand_code": "HH", "period": q,
                     "provider_actor_code": prov, "hires_total": h,
                     "hires_with_public_vacancy": vac, "hires_with_political_referral": ref,
                     "data_label": "I"})
    for (q, dpo), h in PA_HIRES.items():
        rows.append({"programme_code": P, "strand_code": "PA", "period": q,
                     "provider_actor_code": dpo, "hires_total": h,
                     "hires_with_public_vacancy": h, "hires_with_political_referral": 0,
                     "data_label": "I"})
    return rows


def _periods() -> list[dict[str, Any]]:
    rows = []
    for q in QUARTERS:
        cutoff = _quarter_end(q) + timedelta(days=30)
        row: dict[str, Any] = {"programme_code": P, "quarter": q, "data_cutoff_date": cutoff}
        if q in OPEN_QUARTERS:
            row["status"] = "open"
        else:
            locked = cutoff + timedelta(days=15)
            row.update(status="locked", locked_by="sample data",
                       locked_at=datetime(locked.year, locked.month, locked.day, 10, 0,
                                          tzinfo=UTC))
        rows.append(row)
    return rows


# ------------------------------------------------------------------------------------------
# Indicators


def _indicators() -> list[dict[str, Any]]:
    common = {"programme_code": P, "baseline_period": "2020Q1", "baseline_label": "I",
              "frequency": "quarterly"}
    post_exit = date(2023, 12, 31)  # 12 months after the planned end (SU-9)
    o5_base = _o5_total(0)
    o6_base = _o6_total(0)
    return [
        {**common, "code": "HR-O1", "strand_code": "PA",
         "name": "PA users reporting they decide when and how their assistance is provided "
                 "(choice and control)",
         "definition": "Share of PA users answering 'always' or 'mostly' to both: 'I decide when "
                       "my assistant comes' and 'I decide what my assistant does'. All users "
                       "with at least 3 months of service are invited each quarter.",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "accountability_type": "performance",
         "attribution_claim": "contribution", "unit": "percent",
         "numerator_def": "respondents answering 'always' or 'mostly' to both choice items",
         "denominator_def": "PA users responding to the quarterly co-assessment survey",
         "direction": "increase", "baseline_value": 62.0,
         "baseline_source": "Co-assessment survey wave 2020Q1 (EV-SURVEY)",
         "baseline_method": "Face-to-face interviews by DPO peer interviewers, 58 respondents",
         "amber_at": 65.0, "red_at": 60.0, "phases": "co_delivery",
         "coproduction_level": "individual", "disaggregation_required": "sex",
         "data_source": "County co-assessment survey (university department of social work)",
         "collection_method": "Quarterly survey of all PA users, peer interviewers",
         "responsible_role": "Survey lead, university department of social work",
         "verification_type": "self_report_user", "co_defined_with_lay_actors": True,
         "co_defined_evidence_code": "EV-COUNCIL-MIN", "post_exit_measurement_due": post_exit,
         "known_limitations": "Small population (60-70 respondents): changes under about 15 "
                              "points are within sampling error; peer interviewers may raise "
                              "positive answers.",
         "evidence_standard": 2},
        {**common, "code": "HR-O2", "strand_code": "PA",
         "name": "Working-age PA users in paid work, education or training",
         "definition": "PA users aged 18-64 at quarter end who are employed, self-employed, in "
                       "formal education or in vocational training on that date.",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "accountability_type": "performance",
         "attribution_claim": "contribution", "unit": "percent",
         "numerator_def": "PA users aged 18-64 in paid work, education or training at quarter "
                          "end",
         "denominator_def": "PA users aged 18-64 at quarter end",
         "direction": "increase", "baseline_value": 21.0,
         "baseline_source": "DPO user records matched with pension insurance and school "
                            "enrolment data, 2020Q1",
         "baseline_method": "Administrative match of all working-age users (56)",
         "amber_at": 20.0, "red_at": 17.0, "phases": "co_delivery",
         "coproduction_level": "individual", "disaggregation_required": "sex",
         "data_source": "DPO user records; pension insurance register; school enrolment",
         "collection_method": "Quarterly administrative match",
         "responsible_role": "PA coordinator, county social welfare department",
         "verification_type": "administrative", "post_exit_measurement_due": post_exit,
         "known_limitations": "Fewer than 70 working-age users: one person changes the value by "
                              "1.5-2 points.",
         "evidence_standard": 2},
        {**common, "code": "HR-O3",
         "name": "Admissions to residential institutions among the eligible caseload",
         "definition": "Admissions to residential care homes in the trailing 12 months of "
                       "persons assessed eligible for PA or home help, per 1,000 eligible.",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "accountability_type": "performance",
         "attribution_claim": "contribution", "unit": "rate_per_1000",
         "numerator_def": "admissions to residential institutions in the trailing 12 months "
                          "among persons eligible for PA or HH",
         "denominator_def": "persons assessed eligible for PA or HH at quarter end (per 1,000)",
         "direction": "decrease", "baseline_value": 14.0,
         "baseline_source": "Social welfare centre case register, 2020Q1 (EV-CSW-REGISTER)",
         "baseline_method": "Register count, 34 admissions among 2,450 eligible",
         "amber_at": 13.0, "red_at": 16.0, "phases": "co_commissioning,co_delivery",
         "coproduction_level": "collective", "disaggregation_required": "sex",
         "data_source": "Social welfare centre case register",
         "collection_method": "Quarterly register extract",
         "responsible_role": "Head of the social welfare centre",
         "verification_type": "administrative", "post_exit_measurement_due": post_exit,
         "known_limitations": "Admissions outside the county are recorded late.",
         "evidence_standard": 2},
        {**common, "code": "HR-O4", "strand_code": "HH",
         "name": "Home-help users still living at home 12 months after enrolment",
         "definition": "Of the users who started home help in the four quarters ending 12 "
                       "months earlier, the share still living in their own home (not in "
                       "residential care, not in long-term hospital care; deaths excluded from "
                       "both).",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "accountability_type": "performance",
         "attribution_claim": "contribution", "unit": "percent",
         "numerator_def": "users of the 12-month cohort still living at home",
         "denominator_def": "users who started home help in the four quarters ending 12 "
                            "months earlier (surviving)",
         "direction": "increase", "baseline_value": 81.0,
         "baseline_source": "Social welfare centre case register, 2020Q1 (EV-CSW-REGISTER)",
         "baseline_method": "Cohort of 149 users enrolled 2018Q2-2019Q1",
         "amber_at": 79.0, "red_at": 75.0, "phases": "co_delivery",
         "coproduction_level": "individual", "disaggregation_required": "sex",
         "data_source": "Social welfare centre case register",
         "collection_method": "Quarterly register extract",
         "responsible_role": "Head of the social welfare centre",
         "verification_type": "administrative", "post_exit_measurement_due": post_exit,
         "known_limitations": "Cohorts before 2021Q4 are 150-170 users; a 2-point change is "
                              "3 people.",
         "evidence_standard": 2},
        {**common, "code": "HR-O5",
         "name": "Eligible applicants waiting more than 90 days for service",
         "definition": "Of the applicants found eligible who were waiting for PA or home help "
                       "during the quarter, the share whose wait exceeded 90 days (by strand).",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "accountability_type": "performance",
         "attribution_claim": "contribution", "unit": "percent",
         "numerator_def": "eligible applicants whose wait for service exceeded 90 days",
         "denominator_def": "eligible applicants waiting for service during the quarter",
         "direction": "decrease", "baseline_value": o5_base,
         "baseline_source": "Social welfare centre waiting lists, 2020Q1 (EV-CSW-REGISTER)",
         "baseline_method": "Register count; by strand PA 35 %, HH 30 % (programme total "
                            f"{o5_base} %)",
         "amber_at": 25.0, "red_at": 40.0, "phases": "co_commissioning",
         "coproduction_level": "collective", "disaggregation_required": "locality",
         "data_source": "Social welfare centre waiting lists",
         "collection_method": "Quarterly register extract",
         "responsible_role": "Head of the social welfare centre",
         "verification_type": "administrative",
         "known_limitations": "PA waiting list is short (40-45 people): 1 person = 2.5 points.",
         "evidence_standard": 2},
        {**common, "code": "HR-O6",
         "name": "User-rated quality of support (co-assessment survey, by provider)",
         "definition": "Mean rating of the support received, 0-100, over the 8 items of the "
                       "co-assessment questionnaire co-designed with the DPOs; the share of "
                       "users satisfied is in the Feedback sheet (satisfied_share_pct).",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "attitude_opinion", "accountability_type": "performance",
         "attribution_claim": "attribution", "unit": "score_0_100",
         "direction": "increase", "baseline_value": o6_base,
         "baseline_source": "Co-assessment survey wave 2020Q1 (EV-SURVEY)",
         "baseline_method": "Mean of respondents' scores weighted by respondents per provider",
         "amber_at": 65.0, "red_at": 60.0, "phases": "co_assessment",
         "coproduction_level": "individual", "disaggregation_required": "provider",
         "data_source": "County co-assessment survey (university department of social work)",
         "collection_method": "Quarterly survey; HH by telephone and home visit, PA by peer "
                              "interviewers",
         "responsible_role": "Survey lead, university department of social work",
         "verification_type": "independent_survey", "co_defined_with_lay_actors": True,
         "co_defined_evidence_code": "EV-COUNCIL-MIN",
         "known_limitations": "Providers D and E have fewer than 30 respondents a quarter.",
         "evidence_standard": 2},
        {**common, "code": "HR-P1", "strand_code": "PA", "name": "PA hours delivered per month",
         "definition": "Personal-assistance hours delivered per month (quarterly mean), from "
                       "the DPOs' assistant timesheets signed by the user.",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "hours",
         "direction": "increase", "baseline_value": 9800.0,
         "baseline_source": "DPO timesheets 2020Q1", "phases": "co_delivery",
         "coproduction_level": "individual", "data_source": "DPO assistant timesheets",
         "collection_method": "Monthly timesheets, quarterly mean",
         "responsible_role": "PA coordinators of the four DPOs",
         "verification_type": "self_report_provider", "evidence_standard": 1},
        {**common, "code": "HR-P2",
         "name": "Personal assistants and home-help workers employed",
         "definition": "Persons employed at quarter end as personal assistants (PA) or "
                       "home-help workers (HH), by strand; the total is their sum.",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "count",
         "direction": "increase", "baseline_value": 90.0,
         "baseline_source": "Provider staff lists 2020Q1",
         "baseline_method": "PA 68, HH 22", "phases": "co_delivery",
         "coproduction_level": "group", "data_source": "Provider staff lists",
         "collection_method": "Quarterly staff list at quarter end",
         "responsible_role": "Strand coordinators",
         "verification_type": "self_report_provider", "evidence_standard": 1},
        {**common, "code": "HR-P3", "strand_code": "HH", "name": "Home-help visits per quarter",
         "definition": "Home-help visits delivered in the quarter, all providers, from the "
                       "providers' visit logs.",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "count",
         "direction": "increase", "baseline_value": 14000.0,
         "baseline_source": "Provider visit logs 2020Q1 (EV-HH-VISITS)",
         "phases": "co_delivery", "coproduction_level": "individual",
         "data_source": "Provider visit logs", "collection_method": "Quarterly log totals",
         "responsible_role": "HH coordinator, city social welfare department",
         "verification_type": "self_report_provider",
         "known_limitations": "Counts visits, not minutes or tasks; not verified against users.",
         "evidence_standard": 1},
    ]


def _targets() -> list[dict[str, Any]]:
    def t(ind: str, value: float, rationale: str, strand: str | None = None) -> dict[str, Any]:
        return {"programme_code": P, "indicator_code": ind, "strand_code": strand,
                "period": "2021Q4", "value": value, "rationale": rationale, "data_label": "I"}

    return [
        t("HR-O1", 80.0, "Disability council target for the end of the ESF projects", "PA"),
        t("HR-O2", 30.0, "Council target: nine in ten working-age users who want work have "
          "it", "PA"),
        t("HR-O3", 8.0, "County social plan 2019-2022"),
        t("HR-O4", 88.0, "City home-help plan", "HH"),
        t("HR-O5", 10.0, "County social plan: waits over 90 days the exception", "PA"),
        t("HR-O5", 10.0, "County social plan: waits over 90 days the exception", "HH"),
        t("HR-O5", 10.0, "County social plan: waits over 90 days the exception"),
        t("HR-O6", 80.0, "Disability council and city target"),
        t("HR-P1", 12400.0, "Hours for the assessed needs of the 2021 caseload", "PA"),
        t("HR-P2", 81.0, "ESF project staffing plans", "PA"),
        t("HR-P2", 34.0, "City home-help plan", "HH"),
        t("HR-P2", 115.0, "Sum of the strand targets"),
        t("HR-P3", 21500.0, "City home-help plan", "HH"),
    ]


def _links() -> list[dict[str, Any]]:
    def lk(a: str, b: str, text: str) -> dict[str, Any]:
        return {"programme_code": P, "from_indicator_code": a, "to_indicator_code": b,
                "assumption_text": text, "strength": "hypothesised"}

    return [
        lk("HR-P1", "HR-O1", "More assistance hours raise users' choice and control only if "
           "users themselves schedule and direct the hours."),
        lk("HR-P1", "HR-O2", "Enough assistance hours outside the home let working-age users "
           "take up and keep work, education or training."),
        lk("HR-P2", "HR-O5", "More assistants and home-help workers shorten waits, if new staff "
           "serve the applicants who have waited longest."),
        lk("HR-P3", "HR-O4", "More home-help visits keep older people living at home, if visits "
           "follow assessed needs rather than counting contacts."),
    ]


# ------------------------------------------------------------------------------------------
# Observations


def _obs(ind: str, q: str, strand: str | None, phase: str, *, value: float,
         num: float | None = None, den: float | None = None, n: int | None = None,
         verification: str, source: str, evidence: str | None = None,
         dims: dict[str, str] | None = None, comment: str | None = None,
         ci: tuple[float, float] | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "programme_code": P, "indicator_code": ind, "strand_code": strand, "period": q,
        "phase": phase, "value": float(value), "numerator": num, "denominator": den,
        "n_sample": n, "quality_status": _verified(q), "verification_type": verification,
        "data_source": source, "evidence_code": evidence, "comment": comment,
        "data_label": "I"}
    if ci is not None:
        row["ci_low"], row["ci_high"] = ci
    for d, c in (dims or {}).items():
        row[f"dim:{d}"] = c
    return row


def _split(total_value: float, den: int, share_a: float, offset_a: float,
           per: float = 100.0) -> tuple[tuple[int, int], tuple[int, int], int]:
    """Split a total into two cells: (num_a, den_a), (num_b, den_b), total numerator.

    Cell a gets about ``share_a`` of the denominator and a rate near the total plus
    ``offset_a``; the cells add up to the total exactly.
    """
    total_num = _num(total_value, den, per)
    target = total_value + offset_a
    target_b = total_value - offset_a * share_a / (1 - share_a)
    best: tuple[float, int, int] | None = None
    lo, hi = max(1, round(den * (share_a - 0.08))), min(den - 1, round(den * (share_a + 0.08)))
    for den_a in range(lo, hi + 1):
        for num_a in range(0, min(total_num, den_a) + 1):
            if total_num - num_a > den - den_a:
                continue
            rate_b = (total_num - num_a) / (den - den_a) * per
            score = (abs(num_a / den_a * per - target) + abs(rate_b - target_b)
                     + 0.01 * abs(den_a - den * share_a))
            if best is None or score < best[0]:
                best = (score, num_a, den_a)
    assert best is not None
    _, num_a, den_a = best
    return (num_a, den_a), (total_num - num_a, den - den_a), total_num


def _ci(p: float, n: int) -> tuple[float, float]:
    half = 1.96 * (p / 100 * (1 - p / 100) / n) ** 0.5 * 100
    return round(max(0.0, p - half), 1), round(min(100.0, p + half), 1)


def _o4_denominators() -> list[int]:
    new = {**HH_NEW_BEFORE, **HH_NEW}
    order = list(new)  # chronological
    out = []
    for q in QUARTERS:
        i = order.index(q)
        out.append(sum(new[order[j]] for j in range(i - 7, i - 3)))
    return out


def _o5_cells(i: int) -> dict[str, dict[str, tuple[int, int]]]:
    """Per strand: total and urban/rural (numerator, denominator)."""
    out = {}
    for s in ("PA", "HH"):
        den = O5_DEN[s][i]
        (nu, du), (nr, dr), tot = _split(O5[s][i], den, 0.55, -1.0)
        out[s] = {"total": (tot, den), "urban": (nu, du), "rural": (nr, dr)}
    return out


def _o5_total(i: int) -> float:
    cells = _o5_cells(i)
    num = sum(c["total"][0] for c in cells.values())
    den = sum(c["total"][1] for c in cells.values())
    return _pct(num, den)


def _weighted(providers: list[str], i: int) -> float:
    n = sum(O6_N[p][i] for p in providers)
    return round(sum(O6_SCORE[p][i] * O6_N[p][i] for p in providers) / n, 1)


def _o6_total(i: int) -> float:
    return _weighted(HH_PROVIDERS + DPOS, i)


def _observations() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    survey = "County co-assessment survey"
    register = "Social welfare centre case register"
    o4_den = _o4_denominators()
    for i, q in enumerate(QUARTERS):
        # HR-O1 choice and control (PA), survey, by sex
        n = O1_N[i]
        (nf, df), (nm, dm), tot = _split(O1[i], n, 0.55, -1.0)
        rows.append(_obs("HR-O1", q, "PA", "co_delivery", value=O1[i], num=tot, den=n, n=n,
                         verification="self_report_user", source=survey, evidence="EV-SURVEY",
                         ci=_ci(O1[i], n)))
        for sex, (nu, de) in (("female", (nf, df)), ("male", (nm, dm))):
            rows.append(_obs("HR-O1", q, "PA", "co_delivery", value=_pct(nu, de), num=nu, den=de,
                             n=de, verification="self_report_user", source=survey,
                             evidence="EV-SURVEY", dims={"sex": sex}))
        # HR-O2 work, education or training (PA), administrative, by sex
        den = O2_DEN[i]
        (nf, df), (nm, dm), tot = _split(O2[i], den, 0.5, -1.5)
        src = "DPO user records matched with pension insurance and school enrolment"
        rows.append(_obs("HR-O2", q, "PA", "co_delivery", value=O2[i], num=tot, den=den,
                         verification="administrative", source=src))
        for sex, (nu, de) in (("female", (nf, df)), ("male", (nm, dm))):
            rows.append(_obs("HR-O2", q, "PA", "co_delivery", value=_pct(nu, de), num=nu,
                             den=de, verification="administrative", source=src,
                             dims={"sex": sex}))
        # HR-O3 residential admissions per 1,000 eligible (programme), by sex
        den = O3_DEN[i]
        (nf, df), (nm, dm), tot = _split(O3[i], den, 0.6, 0.2, per=1000.0)
        rows.append(_obs("HR-O3", q, None, "co_delivery", value=O3[i], num=tot, den=den,
                         verification="administrative", source=register,
                         evidence="EV-CSW-REGISTER"))
        for sex, (nu, de) in (("female", (nf, df)), ("male", (nm, dm))):
            rows.append(_obs("HR-O3", q, None, "co_delivery", value=round(1000 * nu / de, 1),
                             num=nu, den=de, verification="administrative", source=register,
                             evidence="EV-CSW-REGISTER", dims={"sex": sex}))
        # HR-O4 still at home after 12 months (HH), by sex
        den = o4_den[i]
        (nf, df), (nm, dm), tot = _split(O4[i], den, 0.65, 0.5)
        rows.append(_obs("HR-O4", q, "HH", "co_delivery", value=O4[i], num=tot, den=den,
                         verification="administrative", source=register,
                         evidence="EV-CSW-REGISTER",
                         comment="2021Q4 cohort includes the 130 places of 2020Q4"
                         if q == "2021Q4" else None))
        for sex, (nu, de) in (("female", (nf, df)), ("male", (nm, dm))):
            rows.append(_obs("HR-O4", q, "HH", "co_delivery", value=_pct(nu, de), num=nu,
                             den=de, verification="administrative", source=register,
                             evidence="EV-CSW-REGISTER", dims={"sex": sex}))
        # HR-O5 waiting > 90 days, by strand and locality, plus the programme total
        cells = _o5_cells(i)
        for s, c in cells.items():
            nu, de = c["total"]
            rows.append(_obs("HR-O5", q, s, "co_commissioning", value=O5[s][i], num=nu, den=de,
                             verification="administrative", source="Social welfare centre "
                             "waiting lists", evidence="EV-CSW-REGISTER"))
            for loc in ("urban", "rural"):
                nu, de = c[loc]
                rows.append(_obs("HR-O5", q, s, "co_commissioning", value=_pct(nu, de), num=nu,
                                 den=de, verification="administrative",
                                 source="Social welfare centre waiting lists",
                                 evidence="EV-CSW-REGISTER", dims={"locality": loc}))
        num = sum(c["total"][0] for c in cells.values())
        den = sum(c["total"][1] for c in cells.values())
        rows.append(_obs("HR-O5", q, None, "co_commissioning", value=_pct(num, den), num=num,
                         den=den, verification="administrative",
                         source="Social welfare centre waiting lists",
                         evidence="EV-CSW-REGISTER", comment="PA and HH together"))
        # HR-O6 user-rated quality, by strand and provider, plus the programme total
        for s, provs in (("PA", DPOS), ("HH", HH_PROVIDERS)):
            rows.append(_obs("HR-O6", q, s, "co_assessment", value=_weighted(provs, i),
                             n=sum(O6_N[p][i] for p in provs),
                             verification="independent_survey", source=survey,
                             evidence="EV-SURVEY"))
            for p in provs:
                rows.append(_obs("HR-O6", q, s, "co_assessment", value=O6_SCORE[p][i],
                                 n=O6_N[p][i], verification="independent_survey",
                                 source=survey, evidence="EV-SURVEY", dims={"provider": p}))
        rows.append(_obs("HR-O6", q, None, "co_assessment", value=_o6_total(i),
                         n=sum(O6_N[p][i] for p in HH_PROVIDERS + DPOS),
                         verification="independent_survey", source=survey,
                         evidence="EV-SURVEY", comment="PA and HH together"))
        # Outputs
        rows.append(_obs("HR-P1", q, "PA", "co_delivery", value=P1[i],
                         verification="self_report_provider", source="DPO assistant timesheets"))
        for s in ("PA", "HH"):
            rows.append(_obs("HR-P2", q, s, "co_delivery", value=P2[s][i],
                             verification="self_report_provider", source="Provider staff lists"))
        rows.append(_obs("HR-P2", q, None, "co_delivery", value=P2["PA"][i] + P2["HH"][i],
                         verification="self_report_provider", source="Provider staff lists",
                         comment="PA and HH together"))
        rows.append(_obs("HR-P3", q, "HH", "co_delivery", value=P3[i],
                         verification="self_report_provider", source="Provider visit logs",
                         evidence="EV-HH-VISITS"))
    return rows


# ------------------------------------------------------------------------------------------
# Participation, feedback, channels, population


def _hh_active() -> list[int]:
    return [sum(v[i] for v in HH_USERS_BY_PROVIDER.values()) for i in range(len(QUARTERS))]


def _pa_active() -> list[int]:
    return [sum(v[i] for v in PA_USERS_BY_DPO.values()) for i in range(len(QUARTERS))]


def _participation() -> list[dict[str, Any]]:
    rows = []
    for strand, active, new, before in (
            ("HH", _hh_active(), [HH_NEW[q] for q in QUARTERS], HH_ACTIVE_2019Q4),
            ("PA", _pa_active(), PA_NEW, PA_ACTIVE_2019Q4)):
        prev = before
        for i, q in enumerate(QUARTERS):
            exited = prev + new[i] - active[i]
            rows.append({"programme_code": P, "strand_code": strand, "period": q,
                         "phase": "co_delivery", "group_dimension": None,
                         "group_category": None, "active": active[i], "new": new[i],
                         "continuing_active": active[i] - new[i], "exited": exited,
                         "data_label": "I"})
            prev = active[i]
    # DPO representatives on the county disability council (co-commissioning)
    for q in QUARTERS:
        rows.append({"programme_code": P, "strand_code": "PA", "period": q,
                     "phase": "co_commissioning", "group_dimension": None,
                     "group_category": None, "registered": 4, "active": 4, "new": 0,
                     "continuing_active": 4, "exited": 0, "data_label": "I"})
    return rows


def _feedback() -> list[dict[str, Any]]:
    rows = []
    for i, q in enumerate(QUARTERS):
        for prov, users in HH_USERS_BY_PROVIDER.items():
            is_a = prov == PROV_A
            rows.append({
                "programme_code": P, "strand_code": "HH", "period": q,
                "provider_actor_code": prov, "phase": "co_assessment",
                "interaction_stage": "during", "active_users": users[i],
                "complaints_received": A_COMPLAINTS[i] if is_a else 1,
                "complaints_resolved_30d": A_RESOLVED_30D[i] if is_a else 1,
                # A handles its own complaints; B-E's go to the city department (the sponsor)
                "complaints_handled_by_independent_body": False,
                "satisfaction_mean_0_100": float(O6_SCORE[prov][i]),
                "satisfied_share_pct": float(A_SATISFIED_PCT[i] if is_a
                                             else SATISFIED_PCT_OTHERS[prov][i]),
                "satisfaction_n": O6_N[prov][i], "data_label": "I"})
        for dpo, users in PA_USERS_BY_DPO.items():
            rows.append({
                "programme_code": P, "strand_code": "PA", "period": q,
                "provider_actor_code": dpo, "phase": "co_assessment",
                "interaction_stage": "during", "active_users": users[i],
                "complaints_handled_by_independent_body": True,
                "satisfaction_mean_0_100": float(O6_SCORE[dpo][i]),
                "satisfied_share_pct": float(SATISFIED_PCT_OTHERS[dpo][i]),
                "satisfaction_n": O6_N[dpo][i], "data_label": "I"})
        # PA strand as a whole: complaints (to the DPO or the Ombudsperson for Persons with
        # Disabilities) and proposals from the disability council
        rows.append({
            "programme_code": P, "strand_code": "PA", "period": q, "provider_actor_code": None,
            "phase": "co_assessment", "interaction_stage": "during",
            "active_users": _pa_active()[i], "complaints_received": 2,
            "complaints_resolved_30d": 2, "complaints_handled_by_independent_body": True,
            "proposals_received": 6, "proposals_responded_30d": 6,
            "proposals_adopted": 3 if i % 2 else 2, "data_label": "I"})
    return rows


def _channels() -> list[dict[str, Any]]:
    rows = []
    for q in QUARTERS:
        covid = q in ("2020Q2", "2020Q4", "2021Q1")
        rows.append({"programme_code": P, "strand_code": "PA", "period": q,
                     "opportunities_total": 3, "opportunities_online_only": 1 if covid else 0,
                     "assisted_alternative_available": True,
                     "assisted_share_of_contributions_pct": 30.0 if covid else None,
                     "digitally_excluded_share_pct": 25.0, "data_label": "I"})
    return rows


def _population() -> list[dict[str, Any]]:
    def pop(geo: str, dim: str | None, cat: str | None, count: float, year: int, source: str,
            label: str, strand: str | None = None) -> dict[str, Any]:
        return {"programme_code": P, "strand_code": strand, "geo": geo, "group_dimension": dim,
                "group_category": cat, "population_count": count, "year": year,
                "source": source, "data_label": label}

    return [
        pop("HR", "disability_register", "registered_disability", 508_350, 2015,
            "HR-UN: Croatian Register of Persons with Disabilities, 12 March 2015", "R"),
        pop("county", None, None, 300_000, 2021, "Illustrative county", "I", "PA"),
        pop("county", "disability_register", "registered_disability", 36_000, 2021,
            "Illustrative, 12 % as nationally (HR-UN)", "I", "PA"),
        pop("county_seat", None, None, 62_000, 2021, "Illustrative county seat", "I", "HH"),
        pop("county_seat", "age_band", "65-74", 7_300, 2021, "Illustrative", "I", "HH"),
        pop("county_seat", "age_band", "75+", 6_200, 2021, "Illustrative", "I", "HH"),
    ]


# ------------------------------------------------------------------------------------------
# Capacity, checklists, flags, links, notes


def _capacity() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    assessments = [
        {"programme_code": P, "code": "CAP-STATE-2021", "assessed_on": date(2021, 11, 20),
         "assessor": "University department of social work", "actor_scope": "state",
         "actor_code": COUNTY, "method": "external"},
        {"programme_code": P, "code": "CAP-DPO-2021", "assessed_on": date(2021, 11, 26),
         "assessor": "National DPO network peer reviewers", "actor_scope": "lay_non_state",
         "actor_code": DPO_PHYS, "method": "peer_review"},
    ]
    state = {
        ("individual", "analytical"): (2, "Caseworkers read waiting-list data but rarely use "
                                          "survey results."),
        ("individual", "operational"): (3, "Department staff plan and run the PA call "
                                           "competently."),
        ("individual", "political"): (2, "Officials defer to elected office-holders on "
                                         "home-help provider choice."),
        ("organizational", "analytical"): (2, "One case register for both strands; no link to "
                                              "provider visit logs."),
        ("organizational", "operational"): (2, "Enough staff for the PA call; home-help "
                                               "contract management is thin."),
        ("organizational", "political"): (2, "The disability council legitimises PA; home-help "
                                             "accountability channels are weak."),
        ("systemic", "analytical"): (2, "National PA statistics exist; nobody inspects "
                                        "municipal home help."),
        ("systemic", "operational"): (2, "ESF rules govern PA; no national standard for "
                                         "municipal home help."),
        ("systemic", "political"): (2, "Medium clientelism context; PA has cross-party "
                                       "support, home help is a mayoral flagship."),
    }
    dpo = {
        ("individual", "analytical"): (3, "Peer interviewers trained; DPO staff use survey "
                                          "results in council."),
        ("individual", "operational"): (3, "Experienced PA coordinators in all four DPOs."),
        ("individual", "political"): (3, "DPO leaders negotiate well with county and ministry."),
        ("organizational", "analytical"): (2, "Timesheets digitised; survey analysis depends "
                                              "on the university."),
        ("organizational", "operational"): (2, "Coordinators on project contracts ending "
                                               "2021-12; no reserves."),
        ("organizational", "political"): (3, "Seats on the disability council; trusted by "
                                             "users."),
        ("systemic", "analytical"): (2, "No national outcome data on personal assistance "
                                        "yet."),
        ("systemic", "operational"): (2, "No statutory basis for PA until the Personal "
                                         "Assistance Act."),
        ("systemic", "political"): (3, "National DPO coalition shapes the draft Personal "
                                       "Assistance Act."),
    }
    scores = []
    for code, matrix in (("CAP-STATE-2021", state), ("CAP-DPO-2021", dpo)):
        for (level, comp), (score, desc) in matrix.items():
            scores.append({"programme_code": P, "assessment_code": code, "level": level,
                           "competence": comp, "score": score, "descriptor": desc})
    return assessments, scores


CHECKLIST: dict[str, list[tuple[str, str, str]]] = {
    "HH": [
        ("CLQ-1", "no", "Eligibility criteria are published; who got which places and why is "
                        "not (decisions obtained only on request, EV-HH-DECISIONS)."),
        ("CLQ-2", "no", "The city social welfare committee has 7 councillors and no seat for "
                        "older people's organisations."),
        ("CLQ-3", "yes", "Declaration forms are on file for every allocation; they cover panel "
                         "members, not councillors who sit on provider boards (see CLQ-4)."),
        ("CLQ-4", "yes", "Councillor referral letters in Provider A hiring files (5 of 12 hires "
                         "in 2021, EV-REFERRALS); Provider A's board chair is a councillor."),
        ("CLQ-5", "no", "No licensing, quality standard or inspection for municipal home help "
                        "(EV-HH-STANDARDS)."),
        ("CLQ-6", "no", "Complaints are handled by Provider A itself; B-E's go to the city "
                        "department that commissions them."),
        ("CLQ-7", "no", "The same majority was re-elected on 16 May 2021; no board change "
                        "after the election."),
        ("CDQ-1", "partly", "Individual care plans list tasks; no written shared aims between "
                            "city, providers and users."),
        ("CDQ-2", "partly", "Plain-language leaflets; staff not trained to draw out users' "
                            "own contributions."),
        ("CDQ-3", "yes", "Care plan explained and signed at enrolment."),
        ("CDQ-4", "partly", "Providers resolve most complaints within 30 days, but without the "
                            "user in the review."),
        ("CDQ-5", "no", "No digital or self-service step."),
        ("CDQ-6", "partly", "Some replies to 2021Q4 complaints blame users for not being at "
                            "home; watch."),
        ("CDQ-7", "partly", "The 2021 hires had no induction in working with users and "
                            "families."),
        ("SUQ-1", "partly", "Home help is in the city's recurrent budget; no cross-party "
                            "resolution."),
        ("SUQ-2", "yes", "Home help is a social service under the Social Welfare Act and a "
                         "recurrent city budget line."),
        ("SUQ-3", "partly", "Care-plan procedure written down; not in job descriptions."),
        ("SUQ-4", "partly", "Staying at home (HR-O4) is monitored; no behaviour-change aims."),
        ("SUQ-5", "n/a", "Recurrent service; no exit planned."),
        ("SUQ-6", "n/a", "Users are consumers; no lay co-producers beyond the service "
                         "encounter."),
        ("EQQ-1", "yes", "All contact is in person or by telephone."),
        ("EQQ-2", "partly", "Large-print leaflets; no easy-read versions."),
        ("EQQ-3", "partly", "Outreach in rural settlements through the pensioners' "
                            "association."),
        ("EQQ-4", "n/a", "No participation beyond receiving the service."),
        ("EQQ-5", "no", "Older people's organisations have no role in deciding places or "
                        "providers."),
    ],
    "PA": [
        ("CLQ-1", "yes", "Call, criteria and award decisions published on the county website "
                         "(EV-PA-CALLS)."),
        ("CLQ-2", "yes", "Four DPOs are voting members of the county disability council (4 of "
                         "9 seats)."),
        ("CLQ-3", "yes", "Declarations on file; DPO members recuse from scoring their own "
                         "applications."),
        ("CLQ-4", "no", "Assistants are recruited by DPOs through public vacancies."),
        ("CLQ-5", "partly", "ESF grant rules and ministry monitoring visits; no statutory "
                            "standard until the Personal Assistance Act."),
        ("CLQ-6", "yes", "Users can complain to the Ombudsperson for Persons with "
                         "Disabilities."),
        ("CLQ-7", "no", "No board or staff changes linked to the 2021 election."),
        ("CDQ-1", "yes", "Each user writes an individual assistance plan with the DPO."),
        ("CDQ-2", "yes", "Easy-read, Braille and sign-language versions of all materials."),
        ("CDQ-3", "yes", "Roles and hours agreed before service starts."),
        ("CDQ-4", "yes", "Replacement assistant within 48 hours; DPO peer mediation."),
        ("CDQ-5", "no", "No imposed digital step."),
        ("CDQ-6", "no", "No blame-shifting found in complaints or council minutes."),
        ("CDQ-7", "yes", "Assistants trained by DPOs; coordinators have time for users."),
        ("SUQ-1", "partly", "National Personal Assistance Act in preparation; no county "
                            "commitment beyond the prefect's term."),
        ("SUQ-2", "no", "Personal assistance runs on ESF project grants ending 2021-12; no "
                        "statutory right or recurrent budget line yet (GOV-HR, CS22)."),
        ("SUQ-3", "partly", "Assistance plans and training routinised in the DPOs; not in "
                            "county procedures."),
        ("SUQ-4", "yes", "Choice and control, and work or study, are monitored outcomes."),
        ("SUQ-5", "no", "No transition plan after the ESF grants; bridge funding covers "
                        "2022H1 only."),
        ("SUQ-6", "yes", "Council members reimbursed; peer interviewers paid."),
        ("EQQ-1", "yes", "Every council consultation has an in-person or telephone route."),
        ("EQQ-2", "yes", "Accessible venues, sign-language interpreting, easy-read papers."),
        ("EQQ-3", "partly", "Outreach to rural users through the DPOs; no representation "
                            "ratios computed yet."),
        ("EQQ-4", "yes", "Travel and assistant time reimbursed for council work."),
        ("EQQ-5", "yes", "DPOs co-commission through the disability council."),
    ],
}


def _checklists() -> list[dict[str, Any]]:
    return [{"programme_code": P, "strand_code": s, "period": "2021Q4", "item_code": item,
             "answer": answer, "comment": comment, "respondent": EVALUATOR}
            for s, items in CHECKLIST.items() for item, answer, comment in items]


def _pa_cl1_snapshot() -> str:
    """The CL-1 flag as the rules stored it in 2021Q4 (the shape of every trigger snapshot:
    why, severity reason, thresholds with unit and provenance, metrics, inputs)."""
    shares = {DPO_PHYS: 34.0, DPO_MS: 28.0, DPO_BLIND: 22.0, DPO_DEAF: 16.0}
    hhi = round(sum(s * s for s in shares.values()))
    return json.dumps({
        "rule_id": "CL-1", "rule_version": 1, "rule_type": "computed", "quarter": "2021Q4",
        "strand": "PA", "subject": "",
        "why": f"Funds for Personal assistance (PA) over 2021Q1-2021Q4 are concentrated: "
               f"HHI {hhi:,} (moderately concentrated from 1,500, highly from 2,500); the "
               "largest provider holds 34 %, under the 50 % the rule looks from.",
        "severity_reason": f"medium: HHI {hhi:,} is at or above 1,500; high would need "
                           "non-competitive allocation (CL-2) or a politically exposed "
                           "provider (CL-4) as well, and neither fires",
        "inputs": {f"PA-2021-{d.rsplit('-', 1)[-1]}": round(sum(PA_SPEND[4:]) * s / 100, 2)
                   for d, s in shares.items()},
        "metrics": {"hhi": hhi, "share_top_pct": 34.0},
        "thresholds": [
            {"name": "share_top_medium_pct", "label": "top-provider share (%)", "value": 50,
             "unit": "percent", "tag": "CONV", "observed": 34.0},
            {"name": "hhi_medium", "label": "HHI moderately concentrated (DOJ/FTC 2010)",
             "value": 1500, "unit": "index", "tag": "REG", "observed": hhi},
            {"name": "hhi_high", "label": "HHI highly concentrated (DOJ/FTC 2010)",
             "value": 2500, "unit": "index", "tag": "REG", "observed": hhi}],
        "primary": {"name": "hhi", "value": hhi},
        "escalations": [], "base_severity": "medium", "suppressed": False,
        "citations": ["HMG10", "CRA23"],
    }, sort_keys=True)


def _risk_flags() -> list[dict[str, Any]]:
    reason = "thin market of user-led organisations; open calls; decisions published"
    return [{
        "programme_code": P, "strand_code": "PA", "period": "2021Q4", "rule_id": "CL-1",
        "rule_version": 1, "category": "clientelism", "computed_severity": "medium",
        "severity": "medium", "status": "closed_false_positive",
        "trigger_snapshot": _pa_cl1_snapshot(),
        "evaluator_judgement": reason + ". Four DPOs is the whole local market of user-led PA "
                               "providers, so HHI cannot fall below 2,500; non-competitive "
                               "share 0 %, no politically exposed provider, DPOs hold 4 of 9 "
                               "council seats (Kekez: novel and consistent co-production).",
        "override_reason": reason,
        "mitigation": "Keep the annual PA call open to new user-led organisations; re-check if "
                      "any DPO's share passes 50 %.",
        "owner": EVALUATOR,
    }]


def _evidence_links() -> list[dict[str, Any]]:
    def el(ev: str, entity: str, key: str) -> dict[str, Any]:
        return {"programme_code": P, "evidence_code": ev, "entity": entity, "entity_key": key}

    rows = [
        el("EV-COUNCILLOR", "actor", PROV_A),
        el("EV-HH-STANDARDS", "checklist_response", "HH|2021Q4|CLQ-5"),
        el("EV-CITY-COMMITTEE", "programme_actor",
           f"{OLDER_ORG}|beneficiary_representative|co_commissioning|HH"),
        el("EV-CITY-COMMITTEE", "checklist_response", "HH|2021Q4|CLQ-2"),
        el("EV-COMPLAINTS-A", "feedback_record", f"HH|2021Q4|{PROV_A}"),
        el("EV-PA-CALLS", "risk_flag", "PA|2021Q4|CL-1|"),
        el("EV-COUNCIL-MIN", "programme_actor",
           f"{DPO_PHYS}|beneficiary_representative|co_commissioning|PA"),
        el("EV-ESF-AGREEMENTS", "funding_source", "FS-PA-ESF"),
        el("VLADA17", "funding_source", "FS-PA-ESF"),
        el("EV-BRIDGE", "funding_source", "FS-PA-BRIDGE"),
        el("GOV-HR", "checklist_response", "PA|2021Q4|SUQ-2"),
        el("CS22", "checklist_response", "PA|2021Q4|SUQ-2"),
        el("EV-SURVEY", "indicator", "HR-O1"),
        el("EV-SURVEY", "indicator", "HR-O6"),
        el("EV-CAPACITY", "capacity_assessment", "CAP-STATE-2021"),
        el("EV-CAPACITY", "capacity_assessment", "CAP-DPO-2021"),
        el("KEK18", "programme", P),
        el("KEK-ECPR", "staffing_record", f"HH|2021Q1|{PROV_A}"),
        el("HR-UN", "population_reference", "|HR|disability_register|registered_disability|2015"),
    ]
    for year in (2020, 2021):
        for prov in HH_PROVIDERS:
            rows.append(el("EV-HH-DECISIONS", "allocation", f"HH-{year}-{prov[-1]}"))
        for dpo in DPOS:
            rows.append(el("EV-PA-CALLS", "allocation", f"PA-{year}-{dpo.rsplit('-', 1)[-1]}"))
    rows.append(el("EV-HH-DECISIONS", "allocation", "HH-2020-A-TOPUP"))
    for q in ("2021Q1", "2021Q2", "2021Q3", "2021Q4"):
        rows.append(el("EV-REFERRALS", "staffing_record", f"HH|{q}|{PROV_A}"))
    return rows


def _notes() -> list[dict[str, Any]]:
    def note(code: str, entity: str, key: str, period: str | None, text: str,
             created: datetime) -> dict[str, Any]:
        return {"programme_code": P, "code": code, "entity": entity, "entity_key": key,
                "period": period, "text": text, "author": EVALUATOR, "created_at": created}

    return [
        note("N-SAMPLE", "programme", P, None,
             "Sample data. The county, the city and all providers are illustrative; figures "
             "are labelled I (illustrative) or R (real, with the Evidence key of the source). "
             "The flags of domain brief §3.3 come from these data; only the evaluator's "
             "closure of the PA concentration flag (CL-1) is stored as a flag.",
             datetime(2022, 1, 31, 9, 0, tzinfo=UTC)),
        note("N-HH-PLACES", "strand", "HH", "2021Q1",
             "Story behind the curve: new home-help places ran at 40-45 a quarter, then 130 in "
             "2020Q4 and 150 in 2021Q1, the two quarters before the 16 May 2021 local "
             "elections, and fell back to about 50 after them. The 2020Q4 places came through "
             "a direct-award top-up to Provider A; 2021 places through the annual agreements "
             "(A 78 % of funds). Staff did not follow until mid-2021, so visits per user fell "
             "from about 27 to 22.",
             datetime(2021, 5, 20, 14, 0, tzinfo=UTC)),
        note("N-O4-VISITS", "indicator", "HR-O4", "2021Q4",
             "Busy, not better: visits rose from 18,000 (2021Q2) to 21,500 (2021Q4), +19 %, "
             "while users still at home after 12 months slipped from 78 % to 77 %. The 2021Q4 "
             "cohort includes the 130 pre-election places of 2020Q4; several went to people "
             "with light needs, while heavy-need applicants waited. Provider A complaints "
             "doubled to 4.1 per 100 users and only 54 % of its users are satisfied.",
             datetime(2022, 1, 28, 11, 0, tzinfo=UTC)),
        note("N-PA-RUNWAY", "strand", "PA", "2021Q3",
             "Funding cliff: the ESF grants end in December 2021. Seen from 2021Q3, the "
             "committed funding for the next four quarters is EUR 297,600 (the last ESF quarter, "
             "180,000, and the county bridge for January-June 2022, 117,600) against EUR 744,000 "
             "spent in the last four: 40 %. The strand has run on project grants since 2019 with "
             "no transition plan; the national Personal Assistance Act is the expected way out.",
             datetime(2021, 10, 20, 10, 0, tzinfo=UTC)),
        note("N-PA-CL1", "risk_flag", "PA|2021Q4|CL-1|", "2021Q4",
             "Closed as a false positive: the four DPOs are the county's whole market of "
             "user-led personal-assistance providers, so concentration is structural. Calls are "
             "open (6 applicants), decisions are published and the DPOs co-commission with 4 of "
             "9 council seats.",
             datetime(2022, 2, 3, 9, 30, tzinfo=UTC)),
    ]


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
        "CapacityAssessments": assessments,
        "CapacityScores": scores,
        "ChecklistResponses": _checklists(),
        "RiskFlags": _risk_flags(),
        "EvidenceLinks": _evidence_links(),
        "Notes": _notes(),
    }
