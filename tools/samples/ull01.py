"""ULL-01 Urban living labs: Boston, Amsterdam, Turin (domain brief §3.2, after Nesti [NES18]).

The three labs are replayed in a common 8-quarter window, Q1..Q8 = 2016Q1..2017Q4:
- BOS (Boston Housing Innovation Lab): real time. Grant-funded until Q7 (2017Q3), runway 35 %
  at Q5; the city then funds it as a permanent office in DND. RR 0.85, no equity flag.
- AMS (Amsterdam Smart Citizen Kit): shifted from 2014 to Q1 = 2016Q1. 100 kits in Q1, active
  kits peak at 78 in Q2 and fall to 31 by Q4; one municipal allocation ending Q4; "geeks"
  self-select (RR 0.35); top 10 % make 58 % of uploads.
- TRN (Torino Living Lab): real time. Launched January 2016 on the innovation assessor's
  budget with an election in June 2016 (Q2); the new administration keeps the lab (Q3) and
  puts it on a recurrent budget line from 2017 (SU-1 high -> medium -> resolved).

Figures are labelled R (real public figure, with its source key in the Evidence sheet) or
I (illustrative). Activity counts are proportional illustrations of the documented facts.

Design notes for the risk engine (see also the Notes sheet):
- Each output belongs to one lab (ULL-P1 BOS, ULL-P2 AMS, ULL-P3 TRN), so CD-1 compares an
  output only with outcomes of the same lab; every linked outcome moves when its output grows.
- Targets exist only for Q8 (2017Q4).
- Funding sources are timed so that a runway computed from commitments known at each quarter
  gives BOS 35 % at Q5 and AMS 0 % at Q4; see the Notes about the missing commitment date.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

P = "ULL-01"
UTC = dt.UTC
QUARTERS = ["2016Q1", "2016Q2", "2016Q3", "2016Q4", "2017Q1", "2017Q2", "2017Q3", "2017Q4"]
OPEN_QUARTERS = {"2017Q3", "2017Q4"}
LABS = ["BOS", "AMS", "TRN"]
A = "ULL-01-ACT-"  # actor-code prefix (actor codes are global across the samples)

Row = dict[str, Any]

# Lead type of each lab: the one category of the pilot_lead disaggregation in that lab.
PILOT_LEAD = {"BOS": "city_led", "AMS": "ngo_led", "TRN": "firm_led"}

# ------------------------------------------------------------------------------------------
# Participation (co_design phase): active co-designers, continuing from the previous quarter.

ACTIVE = {
    "BOS": [40, 48, 120, 150, 155, 160, 165, 170],
    "AMS": [62, 78, 52, 31, 30, 27, 25, 24],  # brief: active kits Q1..Q4 (peak Q2)
    "TRN": [40, 60, 70, 78, 85, 90, 95, 100],
}
CONTINUING = {
    "BOS": [0, 38, 45, 112, 140, 145, 150, 156],
    "AMS": [0, 62, 52, 31, 30, 27, 25, 24],
    "TRN": [0, 37, 55, 64, 72, 78, 83, 87],
}
REGISTERED = {
    "BOS": [60, 80, 1_250, 2_150, 2_200, 2_260, 2_310, 2_360],  # roadshow > 2,000 (R)
    "AMS": [100] * 8,  # 100 kits handed out (R)
    "TRN": [60, 85, 100, 110, 120, 128, 135, 142],
}
CONTRIBUTIONS = {
    "BOS": [120, 150, 1_150, 1_020, 300, 310, 320, 330],
    "AMS": [1_900, 2_400, 1_500, 800, 700, 620, 560, 520],  # data uploads
    "TRN": [160, 230, 270, 300, 330, 350, 370, 390],
}
ONLINE_SHARE = {"BOS": 0.28, "AMS": 1.0, "TRN": 0.40}
TOP10 = {
    "BOS": [22, 22, 15, 16, 24, 24, 25, 25],
    "AMS": [58, 58, 58, 58, 60, 61, 62, 62],  # brief: 58 %
    "TRN": [32, 30, 30, 29, 28, 28, 27, 27],
}
TASKS = {  # (started, completed) co-design tasks; not recorded for AMS (see notes)
    "BOS": [(30, 27), (36, 32), (60, 52), (80, 70), (90, 80), (95, 84), (100, 88), (100, 89)],
    "TRN": [(20, 17), (28, 24), (34, 29), (38, 33), (42, 36), (45, 39), (48, 42), (50, 44)],
}
# Residents without tertiary education: share of the reference population, and the
# representation ratio among active co-designers each quarter.
POP = {  # geo, total, non_tertiary, source
    "BOS": ("Boston, residents aged 25+", 470_000, 244_400,
            "US Census Bureau ACS 2016, rounded (I)"),
    "AMS": ("Amsterdam, residents aged 15-74", 620_000, 341_000,
            "Gemeente Amsterdam OIS / CBS, rounded (I)"),
    "TRN": ("Torino, residents aged 25+", 700_000, 525_000, "ISTAT 2016, rounded (I)"),
}
RR_TARGET = {
    "BOS": [0.85] * 8,  # brief
    "AMS": [0.35] * 8,  # brief
    "TRN": [0.70, 0.73, 0.76, 0.81, 0.81, 0.82, 0.83, 0.84],  # brief 0.70 at Q1; outreach
}
BOS_DELIVERY = [None, None, None, None, 12, 18, 24, 28]  # ADU / homeshare pilot testers


# Amsterdam's small numbers: counts chosen so that the ratio stays about 0.35 without the
# rounding producing artificial jumps (DQ-3).
AMS_NON_TERTIARY = [12, 14, 10, 6, 6, 5, 5, 5]


def _non_tertiary(lab: str, i: int) -> int:
    if lab == "AMS":
        return AMS_NON_TERTIARY[i]
    _, total, nt, _ = POP[lab]
    return round(ACTIVE[lab][i] * nt / total * RR_TARGET[lab][i])


def _rr(lab: str, i: int) -> float:
    _, total, nt, _ = POP[lab]
    return (_non_tertiary(lab, i) / ACTIVE[lab][i]) / (nt / total)


# ------------------------------------------------------------------------------------------
# Outcome and output series

O3 = {  # % agreeing "I can influence how services in my neighbourhood are designed": (n, %)
    "BOS": [(400, 34), (400, 35), (400, 42), (400, 48), (400, 50), (400, 52), (400, 53),
            (400, 54)],
    "AMS": [(60, 45), (72, 46), (50, 44), (30, 43), (28, 43), (26, 42), (24, 42), (22, 41)],
    "TRN": [(120, 30), (120, 32), (120, 35), (120, 37), (120, 40), (120, 42), (120, 45),
            (120, 47)],
}
O2 = {  # participants onboarded by t-2 still active at t: (still active, onboarded), Q3..Q8
    "BOS": [(26, 40), (33, 50), (88, 125), (117, 163), (130, 178), (143, 193)],
    "AMS": [(36, 62), (31, 78), (30, 78), (27, 78), (25, 78), (24, 78)],
    "TRN": [(22, 40), (36, 63), (45, 78), (55, 92), (64, 105), (72, 117)],
}
O1 = {  # completed pilots adopted within 12 months: {quarter: (adopted, completed)}
    "BOS": {"2016Q4": (0, 2), "2017Q4": (2, 5)},  # brief: 2 of 5 (ADU, compact units)
    "AMS": {"2016Q4": (0, 1), "2017Q4": (0, 1)},
    "TRN": {"2016Q4": (1, 10), "2017Q4": (5, 24)},
}
O5 = {  # formal municipal decisions citing lab evidence or data, cumulative
    "BOS": [0, 1, 1, 2, 2, 3, 3, 4],
    "AMS": [0, 1, 1, 1, 1, 1, 1, 1],
    "TRN": [0, 1, 1, 2, 3, 4, 5, 6],
}
O6 = {  # BOS: middle-income households housed in lab-enabled units, cumulative, semi-annual
    "2016Q2": {"jamaica_plain": 0, "mattapan": 0, "east_boston": 0},
    "2016Q4": {"jamaica_plain": 1, "mattapan": 1, "east_boston": 1},
    "2017Q2": {"jamaica_plain": 3, "mattapan": 3, "east_boston": 3},
    "2017Q4": {"jamaica_plain": 7, "mattapan": 6, "east_boston": 7},
}
P1_BOS = [0, 0, 11, 24, 24, 24, 24, 24]  # UHU roadshow Aug-Nov 2016: 24 events (R)
P2_AMS = [100] * 8  # 100 Smart Citizen Kits handed out on 24 March 2014 (R; shifted to Q1)
P3_TRN = [3, 6, 10, 13, 17, 21, 25, 29]  # about 29 experiments in the first two years (R)

# Money (USD; AMS and TRN converted from EUR at about 1.10 USD/EUR). Spend per quarter.
SPEND = {
    "BOS": {"2015Q1": 20_000, "2015Q2": 30_000, "2015Q3": 45_000, "2015Q4": 55_000,
            "2016Q1": 150_000, "2016Q2": 160_000, "2016Q3": 190_000, "2016Q4": 190_000,
            "2017Q1": 161_300, "2017Q2": 125_000, "2017Q3": 120_000, "2017Q4": 180_000},
    "AMS": dict(zip(QUARTERS, [80_000, 60_000, 50_000, 50_000, 0, 0, 0, 0], strict=True)),
    "TRN": dict(zip(QUARTERS, [60_000, 75_000, 80_000, 85_000, 110_000, 115_000, 120_000,
                               120_000], strict=True)),
}


# ------------------------------------------------------------------------------------------
# Helpers


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _pct(num: float, den: float) -> float:
    return round(100.0 * num / den, 1)


def _ts(day: str, hour: int = 9) -> dt.datetime:
    d = _d(day)
    return dt.datetime(d.year, d.month, d.day, hour, 0, tzinfo=UTC)


# ------------------------------------------------------------------------------------------
# Actors and structure


def _actors() -> list[Row]:
    def actor(code: str, name: str, cls: str, org: str) -> Row:
        return {"code": A + code, "name": name, "actor_class": cls, "org_type": org}

    rows = [
        actor("EVAL", "Urban living labs comparative evaluation team (illustrative, after "
              "Nesti 2018)", "lay_organisation", "university_research"),
        # Boston
        actor("BOS-DND", "City of Boston, Department of Neighborhood Development",
              "state_direct", "government_unit"),
        actor("BOS-MONUM", "City of Boston, Mayor's Office of New Urban Mechanics",
              "state_direct", "government_unit"),
        actor("BOS-ILAB", "Boston Housing Innovation Lab (iLab)", "state_direct",
              "government_unit"),
        actor("BOS-MAYOR", "Office of the Mayor of Boston", "state_direct",
              "political_office"),
        actor("BOS-BLOOMBERG", "Bloomberg Philanthropies (Innovation Teams programme)",
              "lay_organisation", "funder_philanthropy"),
        actor("BOS-RESASSOC", "Boston neighbourhood housing residents' association "
              "(illustrative)", "lay_organisation", "user_led_org"),
        actor("BOS-PANEL", "Boston resident co-design panel (illustrative)", "lay_group",
              "community_group"),
        actor("BOS-ADU-OWNERS", "Additional dwelling unit pilot homeowners (illustrative)",
              "lay_group", "community_group"),
        # Amsterdam
        actor("AMS-CITY", "City of Amsterdam (Gemeente Amsterdam), smart-city programme",
              "state_direct", "government_unit"),
        actor("AMS-ALD", "Office of the alderman for economic affairs, City of Amsterdam "
              "(illustrative)", "state_direct", "political_office"),
        actor("AMS-ASC", "Amsterdam Smart City (public-private partnership platform)",
              "lay_organisation", "ngo_association"),
        actor("AMS-AEB", "Amsterdam Economic Board", "lay_organisation", "ngo_association"),
        actor("AMS-WAAG", "Waag Society (Waag), Amsterdam", "lay_organisation",
              "ngo_association"),
        actor("AMS-PARTNET", "Smart Citizen Kit pilot participants' network (illustrative)",
              "lay_organisation", "user_led_org"),
        # Turin
        actor("TRN-CITY", "City of Turin (Citta di Torino), innovation and smart-city "
              "department", "state_direct", "government_unit"),
        actor("TRN-ASS-A", "Office of the assessor for innovation and smart city, City of "
              "Turin (Fassino administration, to June 2016)", "state_direct",
              "political_office"),
        actor("TRN-ASS-B", "Office of the assessor for innovation, City of Turin (Appendino "
              "administration, from July 2016)", "state_direct", "political_office"),
        actor("TRN-UNI", "Turin university research partner (illustrative)",
              "lay_organisation", "university_research"),
        actor("TRN-FOUND", "Turin banking foundation (illustrative)", "lay_organisation",
              "funder_philanthropy"),
        actor("TRN-RESASSOC", "Campidoglio residents' association (illustrative)",
              "lay_organisation", "user_led_org"),
        actor("TRN-RESIDENTS", "Campidoglio residents taking part in experiments",
              "lay_group", "community_group"),
    ]
    for k in range(1, 13):
        rows.append(actor(f"TRN-IOT-{k:02d}", f"IoT call company {k:02d}, Torino Living Lab "
                          "(illustrative)", "lay_organisation", "private_firm_innovator"))
    return rows


def _programme() -> Row:
    return {
        "code": P,
        "name": "Urban living labs: Boston, Amsterdam, Turin",
        "description": (
            "Three urban living labs compared: Boston's Housing Innovation Lab (housing "
            "pilots with residents), Amsterdam's Smart Citizen Kit pilot (citizen sensing, "
            "Waag Society with Amsterdam Smart City and the Amsterdam Economic Board, "
            "co-financed by the Creative Industries Fund NL) and the Torino Living Lab "
            "(companies test smart-city solutions in the Campidoglio neighbourhood). "
            "Co-production centres on co-design; co-delivery is limited to testing. Open "
            "problems: engagement after launch, self-selection of 'geeks', and time-limited "
            "sponsorship; Boston became a permanent office [NES18 via SSH18]."),
        "policy_domain": "urban_services",
        "jurisdiction_country": "US,NL,IT",
        "jurisdiction_level": "multi_country",
        "lead_agency_actor_code": A + "EVAL",
        "start_date": _d("2016-01-01"),
        "planned_end_date": _d("2017-12-31"),
        "institutional_status": "pilot_experiment",
        "transition_plan_approved": False,
        "reporting_cadence": "quarterly",
        "currency": "USD",
        "clientelism_context": "low",
        "os_level": "enhanced",
        "ors_type": "co_innovation",
        "interaction_mode": "hybrid",
        "intended_outcome": "user_led_innovation",
        "status": "active_reporting",
        "scaleup_stage": "people",
        "lead_person": "Evaluation lead (illustrative)",
        "lead_has_deputy": True,
        "priority_social_group": "Residents without tertiary education",
        # IATI fields: illustrative (XI-IATI-SAMPLE-... is no registered organisation)
        "iati_identifier": "XI-IATI-SAMPLE-ULL01-ULL-01",
        "reporting_org_ref": "XI-IATI-SAMPLE-ULL01",
        "reporting_org_name": "Sample reporter: living-lab university consortium (illustrative)",
        "reporting_org_type": "80",
        "activity_status": "2",
        "sector_code": "43030",
        "default_language": "en",
        "is_sample": True,
        "sample_note": (
            "SAMPLE DATA for demonstration and testing, not an evaluation of the real labs. "
            "Figures are labelled R (real public figure; its source key, e.g. [BOS-UHU], is "
            "in the Evidence sheet) or I (illustrative). The labs are replayed in a common "
            "8-quarter window: Q1..Q8 = 2016Q1..2017Q4. Boston and Turin keep their real "
            "calendar (Boston's roadshow Aug-Nov 2016; Turin's launch January 2016 and "
            "election June 2016); Amsterdam's Smart Citizen Kit pilot (March 2014) is shifted "
            "so that its kit hand-out falls in Q1 = 2016Q1. Documented facts are kept; "
            "activity counts are proportional illustrations. Money in USD; Amsterdam and "
            "Turin amounts converted from EUR at about 1.10 and illustrative."),
    }


def _strands() -> list[Row]:
    base = {"programme_code": P, "type": "site"}
    return [
        {**base, "code": "BOS", "name": "Boston: Housing Innovation Lab",
         "geo_code": "US-MA Boston", "population": 673_000, "interaction_mode": "hybrid",
         # One value per strand: the Q1-Q6 status, so that SU-3 can be computed at Q5. The
         # lab became a permanent office in DND (institutionalised_unit) in Q7; see the Notes.
         "institutional_status": "time_limited_project"},
        {**base, "code": "AMS", "name": "Amsterdam: Smart Citizen Kit pilot (timeline shifted)",
         "geo_code": "NL-NH Amsterdam", "population": 845_000, "interaction_mode": "ict_async",
         "institutional_status": "pilot_experiment",
         "moon_type_override": "gov_design_crowdsourcing_delivery"},
        {**base, "code": "TRN", "name": "Turin: Torino Living Lab (Campidoglio)",
         "geo_code": "IT-21 Torino", "population": 887_000, "interaction_mode": "hybrid",
         "institutional_status": "pilot_experiment",
         "moon_type_override": "gov_design_crowdsourcing_delivery",
         "tradition_label_override": "non_traditional",
         "tradition_label_override_reason": (
             "Evaluator override of the derived label 'mixed' (hybrid interaction): the lab's "
             "core activity is companies testing ICT/IoT solutions in public space on an "
             "open-data basis (Moon type gov_design_crowdsourcing_delivery), with user-led "
             "innovation as the intended outcome; the in-person channel is only the "
             "neighbourhood's feedback route. Logged by the programme evaluator, 2016Q1.")},
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
        ev("NES18", "document", "Nesti (2018), Co-production for innovation: the urban living "
           "lab experience, Policy and Society 37(3): 310-325",
           "https://www.mendeley.com/catalogue/6d08dc69-fc71-33c6-bde3-086b01adcafd",
           "2018-01-01", "public", "A"),
        ev("BOS-iLAB", "document", "City of Boston, Housing Innovation Lab (set up 2015 by DND "
           "and MONUM; city funding to continue it from 2017)",
           "https://search.boston.gov/departments/housing/housing-innovation-lab", None,
           "public", "B"),
        ev("GT15", "media", "GovTech (2015), Boston tackles housing with dedicated innovation "
           "lab ($1.35 m i-team grant)", "https://www.govtech.com/dc/articles/boston-tackles-"
           "housing-with-dedicated-innovation-lab.html", "2015-06-01", "public", "C"),
        ev("BOS-UHU", "document", "City of Boston, Urban Housing Unit roadshow Aug-Nov 2016: "
           "24 events, more than 2,000 residents", "https://www.boston.gov/housing/urban-"
           "housing-unit", "2016-11-30", "public", "B"),
        ev("BLD18", "media", "Builder (2018), iLab pilots: additional dwelling units, compact "
           "living, intergenerational homeshare", "https://www.builderonline.com/builder-100/"
           "leadership/local-legislators-getting-actively-involved-in-housing-discussion_c",
           "2018-01-01", "public", "C"),
        ev("ASC-SCK", "document", "Amsterdam Smart City, Smart Citizen Kit project page (100 "
           "participants received kits on 24 March 2014)",
           "https://amsterdamsmartcity.com/updates/project/smart-citizen-kit", "2014-03-24",
           "public", "B"),
        ev("WAAG-RPT", "document", "Waag, final report Smart Citizen Kit Amsterdam (2014)",
           "https://waag.org/en/article/dilemmas-smart-citizen", "2014-09-01", "public", "B"),
        ev("NESTA-SCK", "document", "Nesta, 10 people-centred smart city initiatives: Smart "
           "Citizen Kit (45 of 100 participants bought the kit to continue)",
           "https://www.nesta.org.uk/feature/10-people-centred-smart-city-initiatives/smart-"
           "citizen-kit/", None, "public", "B"),
        ev("SAMENMETEN", "document", "RIVM Samen Meten, Amsterdam Smart Citizens Lab (lesson: "
           "sensors sensitive in the right range, simple robust installation)",
           "https://www.samenmeten.nl/amsterdam-smart-citizens-lab", None, "public", "B"),
        ev("TLL16", "media", "Torino Living Lab launched in Campidoglio (January 2016)",
           "https://quotidianopiemontese.it/2016/01/26/181123", "2016-01-26", "public", "C"),
        ev("TLL18", "media", "From Torino Living Lab to Torino City Lab (about 29 experiments; "
           "IoT call: 31 companies, 12 admitted)", "https://piemontetopnews.it/da-torino-"
           "living-lab-a-torino-city-lab-ecco-il-futuro-della-citta-a-cielo-aperto",
           "2018-10-18", "public", "C"),
        ev("BOS-CITY-2017", "document", "City of Boston commitment of operating funds for the "
           "Housing Innovation Lab as a permanent office in DND (illustrative record of the "
           "2017 decision)", "City of Boston (illustrative)", "2017-08-15", "public", "B"),
        ev("TRN-GIUNTA-2016", "minutes", "City executive decision continuing Torino Living Lab "
           "under the new administration (illustrative)", "Citta di Torino (illustrative)",
           "2016-09-20", "public", "B"),
        ev("TRN-BUDGET-2017", "document", "City of Turin budget 2017-2018: recurrent line for "
           "the living lab (illustrative)", "Citta di Torino (illustrative)", "2016-12-20",
           "public", "B"),
        ev("TRN-IOT-CALL", "document", "Torino Living Lab IoT call: results (31 applicants, 12 "
           "admitted; company-level rows illustrative)", "Citta di Torino", "2017-02-15",
           "public", "B"),
        ev("TRN-FOUND-2016", "document", "Foundation co-funding agreement for the living "
           "lab, 2017 (illustrative)", "Turin banking foundation (illustrative)",
           "2016-12-01", "internal", "B"),
        ev("AMS-GRANT-2016", "document", "Municipal smart-city allocation to the Smart Citizen "
           "Kit pilot, ending December (illustrative)", "Gemeente Amsterdam (illustrative)",
           "2015-12-10", "internal", "B"),
        ev("SURVEY-ULL", "survey", "Participant panel survey: self-efficacy, retention, "
           "education (illustrative)", "Evaluation team (illustrative)", "2018-01-20",
           "restricted_personal", "B", 2),
        ev("AMS-UPLOADS", "dataset", "Smart Citizen platform upload logs, Amsterdam kits "
           "(illustrative)", "Waag (illustrative)", "2018-01-10", "internal", "A"),
        ev("PEER-BOS-TRN", "peer_learning_record", "Peer-learning exchange between the Boston "
           "and Turin labs on turning pilots into permanent services (illustrative)",
           "Evaluation team (illustrative)", "2017-06-15", "internal", "C", 1),
    ]


def _phases() -> list[Row]:
    def ph(phase: str, level: str, intensity: str, roles: str, rights: str,
           strand: str | None = None) -> Row:
        return {"programme_code": P, "strand_code": strand, "phase": phase, "level": level,
                "intensity": intensity, "policy_stage": "programme_definition",
                "start_date": _d("2016-01-01"), "lay_actor_roles": roles,
                "decision_rights_text": rights}

    return [
        ph("co_design", "group", "shared", "Resident co-design panels and pilot participants",
           "Panels choose which prototypes are tested and shape their design"),
        ph("co_design", "collective", "consultative",
           "Residents at open events and roadshows",
           "Residents' feedback is recorded and answered; the lab decides"),
        ph("co_delivery", "group", "shared", "Companies and residents test solutions in the "
           "neighbourhood", "Testers can stop or change a test"),
        ph("co_delivery", "individual", "lay_led", "Homeowners and participants testing "
           "pilots at home (ADUs, homeshare, sensor kits)",
           "Individual testers decide how they use the prototype"),
        ph("co_assessment", "collective", "lay_led", "Citizen sensing: participants measure "
           "air quality and noise", "Participants decide what to measure and publish",
           strand="AMS"),
    ]


def _programme_actors() -> list[Row]:
    rows: list[Row] = []

    def pa(actor: str, role: str, phase: str | None, strand: str | None = None, **kw: Any
           ) -> None:
        rows.append({"programme_code": P, "actor_code": A + actor, "strand_code": strand,
                     "role": role, "phase": phase, **kw})

    pa("EVAL", "co_assessor", "co_assessment")
    # Boston
    body = "Housing Innovation Lab advisory group"
    pa("BOS-DND", "commissioner", "co_design", "BOS", decision_body=body,
       seats_on_decision_body=3, total_seats_decision_body=10)
    pa("BOS-ILAB", "facilitator", "co_design", "BOS", decision_body=body,
       seats_on_decision_body=2, total_seats_decision_body=10)
    pa("BOS-MONUM", "facilitator", "co_design", "BOS", decision_body=body,
       seats_on_decision_body=1, total_seats_decision_body=10)
    pa("BOS-BLOOMBERG", "funder", None, "BOS")
    pa("BOS-DND", "funder", None, "BOS")
    pa("BOS-MAYOR", "sponsor", None, "BOS")
    pa("BOS-RESASSOC", "beneficiary_representative", "co_design", "BOS",
       alford_role="partner", lay_role="citizen", is_beneficiary_represented=True,
       decision_body=body, seats_on_decision_body=3, total_seats_decision_body=10)
    pa("BOS-PANEL", "co_designer", "co_design", "BOS", alford_role="partner",
       lay_role="citizen", is_beneficiary_represented=True, decision_body=body,
       seats_on_decision_body=1, total_seats_decision_body=10)
    pa("BOS-ADU-OWNERS", "co_deliverer", "co_delivery", "BOS", alford_role="partner",
       lay_role="client_user")
    # Amsterdam
    body = "Smart Citizen Kit pilot steering group"
    pa("AMS-CITY", "commissioner", "co_design", "AMS", decision_body=body,
       seats_on_decision_body=2, total_seats_decision_body=8)
    pa("AMS-CITY", "funder", None, "AMS")
    pa("AMS-ALD", "sponsor", None, "AMS")
    pa("AMS-ASC", "facilitator", "co_design", "AMS", decision_body=body,
       seats_on_decision_body=1, total_seats_decision_body=8)
    pa("AMS-AEB", "facilitator", "co_design", "AMS", decision_body=body,
       seats_on_decision_body=1, total_seats_decision_body=8)
    pa("AMS-WAAG", "provider", "co_design", "AMS", decision_body=body,
       seats_on_decision_body=2, total_seats_decision_body=8)
    pa("AMS-PARTNET", "beneficiary_representative", "co_design", "AMS",
       alford_role="partner", lay_role="citizen", is_beneficiary_represented=True,
       decision_body=body, seats_on_decision_body=2, total_seats_decision_body=8)
    pa("AMS-PARTNET", "co_assessor", "co_assessment", "AMS", alford_role="partner",
       lay_role="volunteer", is_beneficiary_represented=True)
    # Turin
    body = "Torino Living Lab steering committee"
    pa("TRN-CITY", "commissioner", "co_design", "TRN", decision_body=body,
       seats_on_decision_body=4, total_seats_decision_body=9)
    pa("TRN-CITY", "funder", None, "TRN")
    pa("TRN-ASS-A", "sponsor", None, "TRN")
    pa("TRN-ASS-B", "sponsor", None, "TRN")
    pa("TRN-FOUND", "funder", None, "TRN")
    pa("TRN-UNI", "facilitator", "co_design", "TRN", decision_body=body,
       seats_on_decision_body=2, total_seats_decision_body=9)
    pa("TRN-RESASSOC", "beneficiary_representative", "co_design", "TRN",
       alford_role="partner", lay_role="citizen", is_beneficiary_represented=True,
       decision_body=body, seats_on_decision_body=2, total_seats_decision_body=9)
    pa("TRN-RESIDENTS", "co_designer", "co_design", "TRN", alford_role="partner",
       lay_role="citizen")
    for k in range(1, 13):
        pa(f"TRN-IOT-{k:02d}", "provider", "co_delivery", "TRN", alford_role="supplier")
    return rows


def _sponsors() -> list[Row]:
    base = {"programme_code": P}
    return [
        {**base, "code": "BOS-SP-MAYOR", "actor_code": A + "BOS-MAYOR", "strand_code": "BOS",
         "office_title": "Mayor of Boston (Martin J. Walsh)", "party": "Democratic",
         "term_start": _d("2014-01-06"), "term_end_date": _d("2018-01-01"),
         "next_election_date": _d("2017-11-07"), "commitment_beyond_term": True,
         "commitment_evidence_code": "BOS-CITY-2017"},
        {**base, "code": "AMS-SP-ALD", "actor_code": A + "AMS-ALD", "strand_code": "AMS",
         "office_title": "Alderman (wethouder) for economic affairs, City of Amsterdam "
                         "(illustrative)", "party": None,
         "term_start": _d("2014-06-01"), "term_end_date": _d("2018-03-28"),
         "next_election_date": _d("2018-03-21"), "commitment_beyond_term": False},
        # Turin municipal election 5 June 2016 (run-off 19 June); see domain §5.
        {**base, "code": "TRN-SP-A", "actor_code": A + "TRN-ASS-A", "strand_code": "TRN",
         "office_title": "Assessor for innovation and smart city (Enzo Lavolta), Fassino "
                         "administration", "party": "Partito Democratico",
         "term_start": _d("2011-06-01"), "term_end_date": _d("2016-06-30"),
         "next_election_date": _d("2016-06-05"), "commitment_beyond_term": False},
        {**base, "code": "TRN-SP-B", "actor_code": A + "TRN-ASS-B", "strand_code": "TRN",
         "office_title": "Assessor for innovation, Appendino administration",
         "party": "Movimento 5 Stelle", "term_start": _d("2016-07-01"),
         "term_end_date": _d("2021-10-18"), "next_election_date": _d("2021-10-03"),
         "commitment_beyond_term": True, "commitment_evidence_code": "TRN-GIUNTA-2016"},
    ]


def _funding() -> list[Row]:
    def fs(code: str, strand: str, funder: str, typ: str, amount: float, start: str,
           end: str, label: str = "I", sponsor: str | None = None, renewable: bool = False,
           renewal: str | None = None) -> Row:
        return {"programme_code": P, "code": code, "strand_code": strand,
                "funder_actor_code": A + funder, "sponsor_code": sponsor, "type": typ,
                "committed_amount": amount, "period_start": _d(start), "period_end": _d(end),
                "is_renewable": renewable,
                "renewal_decision_date": _d(renewal) if renewal else None,
                "data_label": label}

    return [
        # Boston: the i-team grant (R amount) to 2017Q3; the city's operating funds from Q7.
        fs("BOS-FS-BLOOMBERG", "BOS", "BOS-BLOOMBERG", "philanthropy", 1_350_000,
           "2015-01-01", "2017-09-30", label="R"),
        fs("BOS-FS-CITY", "BOS", "BOS-DND", "recurrent_budget", 1_440_000,
           "2017-07-01", "2019-06-30", renewable=True, renewal="2019-05-31"),
        # Amsterdam: one municipal smart-city allocation ending Q4, no successor.
        fs("AMS-FS-CITY", "AMS", "AMS-CITY", "project_grant", 240_000,
           "2016-01-01", "2016-12-31"),
        # Turin: the outgoing assessor's budget (to the June 2016 election), the new
        # administration's allocation, then a recurrent line and foundation co-funding.
        fs("TRN-FS-ASS-A", "TRN", "TRN-CITY", "discretionary_political_allocation", 150_000,
           "2016-01-01", "2016-06-30", sponsor="TRN-SP-A"),
        fs("TRN-FS-ASS-B", "TRN", "TRN-CITY", "discretionary_political_allocation", 510_000,
           "2016-07-01", "2017-12-31", sponsor="TRN-SP-B"),
        fs("TRN-FS-RECURRENT", "TRN", "TRN-CITY", "recurrent_budget", 1_200_000,
           "2017-01-01", "2018-12-31", renewable=True, renewal="2018-12-15"),
        fs("TRN-FS-FOUNDATION", "TRN", "TRN-FOUND", "philanthropy", 160_000,
           "2017-01-01", "2017-12-31"),
    ]


def _allocations() -> list[Row]:
    """Torino Living Lab IoT call: 31 applicants, 12 admitted (R); places, no money."""
    return [{"programme_code": P, "code": f"TRN-IOT-AL-{k:02d}", "strand_code": "TRN",
             "provider_actor_code": f"{A}TRN-IOT-{k:02d}", "amount": None,
             "places_or_hours": 1.0, "decision_date": _d("2017-02-15"),
             "period_start": _d("2017-03-01"), "period_end": _d("2018-02-28"),
             "procedure": "open_call", "call_published": True, "advert_days": 60,
             "n_applicants": 31, "n_valid_applicants": 28, "modified_after_award": False,
             "decision_published": True, "coi_declared": True, "data_label": "I"}
            for k in range(1, 13)]


def _spend() -> list[Row]:
    return [{"programme_code": P, "strand_code": lab, "period": q, "amount": float(v),
             "data_label": "I"} for lab in LABS for q, v in SPEND[lab].items()]


def _reporting_periods() -> list[Row]:
    rows = []
    for q in QUARTERS:
        year, n = int(q[:4]), int(q[-1])
        end = dt.date(year, 3 * n, [31, 30, 30, 31][n - 1])
        cutoff = end + dt.timedelta(days=30)
        locked = q not in OPEN_QUARTERS
        rows.append({
            "programme_code": P, "quarter": q, "status": "locked" if locked else "open",
            "data_cutoff_date": cutoff, "locked_by": "sample data" if locked else None,
            "locked_at": dt.datetime(cutoff.year, cutoff.month, cutoff.day, 12, 0, tzinfo=UTC)
            + dt.timedelta(days=15) if locked else None})
    return rows


# ------------------------------------------------------------------------------------------
# Indicators, targets, links


def _indicators() -> list[Row]:
    common: Row = {"programme_code": P, "accountability_type": "performance",
                   "attribution_claim": "contribution", "frequency": "quarterly"}
    post_exit = _d("2019-03-31")
    panel = "Participant panel survey each quarter (SURVEY-ULL)"
    return [
        {**common, "code": "ULL-O1",
         "name": "Completed pilots or experiments adopted into a permanent service, "
                 "regulation or budget line within 12 months",
         "definition": "Of pilots and experiments completed in the last 12 months or earlier, "
                       "the share that a municipal decision has turned into a permanent "
                       "service, regulation or budget line within 12 months of completion.",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "unit": "percent",
         "numerator_def": "Completed pilots adopted within 12 months",
         "denominator_def": "Completed pilots (completed at least 12 months ago or adopted)",
         "direction": "increase", "baseline_value": 0, "baseline_period": "2015Q4",
         "baseline_source": "No pilot had been adopted at programme start",
         "amber_at": 20, "red_at": 10, "phases": "co_design,co_delivery",
         "coproduction_level": "collective", "disaggregation_required": "pilot_lead",
         "data_source": "Lab pilot registers and municipal decision records",
         "collection_method": "Document review by the evaluation team", "frequency": "annual",
         "responsible_role": "Evaluation team", "verification_type": "administrative",
         "post_exit_measurement_due": post_exit,
         "known_limitations": "pilot_lead is the lab's model (city-led, NGO-led, firm-led), "
                              "one category per lab; small numbers of pilots.",
         "evidence_standard": 2, "baseline_label": "I"},
        {**common, "code": "ULL-O2",
         "name": "Participants still actively contributing two quarters after onboarding",
         "definition": "Of participants onboarded up to quarter t-2, the share active "
                       "(at least one contribution) in quarter t. First measurable in Q3.",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "behaviour", "unit": "percent",
         "numerator_def": "Participants onboarded by t-2 who are active in t",
         "denominator_def": "Participants onboarded by t-2", "direction": "increase",
         "baseline_value": 58.1, "baseline_period": "2016Q3",
         "baseline_source": "First measurement, Q3 (the brief lists n/a)",
         "baseline_method": "Pooled first measurement over the three labs (84 of 142 "
                            "participants onboarded in Q1); Amsterdam reference: 45 of 100 "
                            "pilot participants bought the kit to continue (R) [NESTA-SCK]",
         "amber_at": 50, "red_at": 35, "phases": "co_design",
         "coproduction_level": "group", "disaggregation_required": "education",
         "data_source": "Lab participant registers and platform logs",
         "collection_method": "Register extract", "responsible_role": "Lab coordinators",
         "verification_type": "administrative", "post_exit_measurement_due": post_exit,
         "evidence_standard": 2, "baseline_label": "I"},
        {**common, "code": "ULL-O3",
         "name": "Participants agreeing 'I can influence how services in my neighbourhood "
                 "are designed' (pre/post)",
         "definition": "Share of surveyed participants who agree or strongly agree with the "
                       "statement (self-efficacy; cf. Bovaird et al. in [SSH18]).",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "attitude_opinion", "unit": "percent",
         "numerator_def": "Respondents agreeing or strongly agreeing",
         "denominator_def": "All respondents", "direction": "increase", "baseline_value": 34,
         "baseline_period": "2016Q1", "baseline_source": "Participant panel survey, Q1",
         "amber_at": 32, "red_at": 25, "phases": "co_design",
         "coproduction_level": "individual", "disaggregation_required": "education",
         "data_source": panel, "collection_method": "Self-completion survey (online or "
                                                     "paper)",
         "responsible_role": "Evaluation team", "verification_type": "self_report_user",
         "co_defined_with_lay_actors": True, "co_defined_evidence_code": "PEER-BOS-TRN",
         "post_exit_measurement_due": post_exit, "evidence_standard": 2,
         "baseline_label": "I"},
        {**common, "code": "ULL-O4",
         "name": "Representation ratio of residents without tertiary education among active "
                 "co-designers",
         "definition": "(Active co-designers without tertiary education / all active "
                       "co-designers) / (residents without tertiary education / all "
                       "residents of the reference population).",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "unit": "ratio",
         "numerator_def": "Share of active co-designers without tertiary education",
         "denominator_def": "Share of the reference population without tertiary education",
         "direction": "increase", "baseline_value": 0.6, "baseline_period": "2016Q1",
         "baseline_source": "Participation registers and population references, Q1",
         "baseline_method": "Unweighted mean of BOS 0.85 / AMS 0.35 / TRN 0.70 (per-lab "
                            "baselines are the Q1 observations)",
         "amber_at": 0.8, "red_at": 0.5, "phases": "co_design", "coproduction_level":
             "group", "disaggregation_required": "sex",
         "data_source": "Participation sheet (co_design) and PopulationReferences",
         "collection_method": "Computed", "responsible_role": "Evaluation team",
         "verification_type": "administrative", "post_exit_measurement_due": post_exit,
         "known_limitations": "The brief calls this an 'equity' outcome; 'equity' is not a "
                              "better_off_type value. It restates EQ-1's representation "
                              "ratio as an outcome.",
         "evidence_standard": 1, "baseline_label": "I"},
        {**common, "code": "ULL-O5",
         "name": "Formal municipal decisions citing lab-generated evidence or data "
                 "(cumulative)",
         "definition": "Council, executive or departmental decisions whose text cites "
                       "evidence or data produced by the lab.",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "unit": "count", "direction": "increase",
         "baseline_value": 0, "baseline_period": "2015Q4",
         "baseline_source": "Document review of 2015 decisions", "phases":
             "co_assessment,co_design", "coproduction_level": "collective",
         "disaggregation_required": "pilot_lead",
         "data_source": "Municipal decision registers", "collection_method": "Document review",
         "responsible_role": "Evaluation team", "verification_type": "administrative",
         "is_cumulative": True, "post_exit_measurement_due": post_exit,
         "evidence_standard": 2, "baseline_label": "I"},
        {**common, "code": "ULL-O6", "strand_code": "BOS",
         "name": "Middle-income households housed in units enabled by lab pilots (ADU, "
                 "compact units), cumulative",
         "definition": "Households with income in the pilot's middle-income band occupying an "
                       "additional dwelling unit or compact unit permitted under a lab pilot.",
         "result_level": "outcome_intermediate", "rba_quadrant": "better_off",
         "better_off_type": "circumstance", "unit": "count", "direction": "increase",
         "baseline_value": 0, "baseline_period": "2015Q4", "baseline_source":
             "No pilot units at programme start", "phases": "co_delivery",
         "coproduction_level": "individual", "disaggregation_required": "locality",
         "data_source": "Permit and occupancy records (DND)", "collection_method":
             "Administrative records", "frequency": "semi_annual",
         "responsible_role": "DND housing analyst", "verification_type": "administrative",
         "is_cumulative": True, "post_exit_measurement_due": post_exit,
         "known_limitations": "locality: the three pilot neighbourhoods (Jamaica Plain, "
                              "Mattapan, East Boston).", "evidence_standard": 1,
         "baseline_label": "I"},
        {**common, "code": "ULL-P1", "strand_code": "BOS",
         "name": "Engagement events held (cumulative)",
         "definition": "Public engagement events run by the lab (roadshow stops, workshops).",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "count",
         "direction": "increase", "baseline_value": 0, "baseline_period": "2015Q4",
         "baseline_source": "Programme start", "phases": "co_design",
         "coproduction_level": "collective", "data_source": "Lab event log",
         "responsible_role": "Lab coordinator", "verification_type": "self_report_provider",
         "is_cumulative": True, "baseline_label": "I"},
        {**common, "code": "ULL-P2", "strand_code": "AMS",
         "name": "Prototypes / sensor kits deployed (cumulative)",
         "definition": "Sensor kits handed to participants.",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "count",
         "direction": "increase", "baseline_value": 0, "baseline_period": "2015Q4",
         "baseline_source": "Programme start", "phases": "co_delivery",
         "coproduction_level": "individual", "data_source": "Waag kit register",
         "responsible_role": "Waag project lead", "verification_type":
             "self_report_provider", "is_cumulative": True, "baseline_label": "R"},
        {**common, "code": "ULL-P3", "strand_code": "TRN",
         "name": "Experiments hosted (cumulative)",
         "definition": "Experiments of companies, universities or associations authorised and "
                       "started in the living lab area.",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "count",
         "direction": "increase", "baseline_value": 0, "baseline_period": "2015Q4",
         "baseline_source": "Programme start", "phases": "co_delivery",
         "coproduction_level": "group", "data_source": "City experiment authorisations",
         "responsible_role": "Innovation department", "verification_type": "administrative",
         "is_cumulative": True, "baseline_label": "I"},
    ]


TARGETS_Q8: dict[str, dict[str, tuple[float, str, str]]] = {  # (value, label, why)
    "ULL-O1": {lab: (30, "I", "30 % of completed pilots adopted (I)") for lab in LABS},
    "ULL-O2": {lab: (60, "I", "60 % still active two quarters on (I); Amsterdam reference "
                              "45 % (R) [NESTA-SCK]") for lab in LABS},
    "ULL-O3": {lab: (55, "I", "55 % agree (I)") for lab in LABS},
    "ULL-O4": {lab: (0.8, "I", "Four-fifths screening bound") for lab in LABS},
    "ULL-O5": {"BOS": (3, "I", "Programme target 6 decisions (I), split by lab"),
               "AMS": (1, "I", "Programme target 6 decisions (I), split by lab"),
               "TRN": (2, "I", "Programme target 6 decisions (I), split by lab")},
    "ULL-O6": {"BOS": (40, "I", "40 households (I)")},
    "ULL-P1": {"BOS": (24, "R", "Urban Housing Unit roadshow: 24 events (R) [BOS-UHU]")},
    "ULL-P2": {"AMS": (100, "R", "100 kits (R) [ASC-SCK]")},
    "ULL-P3": {"TRN": (29, "R", "About 29 experiments in two years (R) [TLL18]")},
}


def _targets() -> list[Row]:
    return [{"programme_code": P, "indicator_code": ind, "strand_code": lab,
             "period": "2017Q4", "value": float(v), "rationale": why, "data_label": label}
            for ind, by_lab in TARGETS_Q8.items() for lab, (v, label, why) in by_lab.items()]


def _links() -> list[Row]:
    def link(a: str, b: str, text: str) -> Row:
        return {"programme_code": P, "from_indicator_code": a, "to_indicator_code": b,
                "assumption_text": text, "strength": "hypothesised"}

    return [
        link("ULL-P1", "ULL-O3", "Events where residents handle and critique housing "
             "prototypes (the Urban Housing Unit roadshow) build their sense that they can "
             "influence neighbourhood design."),
        link("ULL-P2", "ULL-O2", "Kits that measure in the right range and install simply "
             "keep participants contributing after onboarding (lesson of the SCK report)."),
        link("ULL-P2", "ULL-O5", "Citizen-sensor data reach municipal decisions if their "
             "quality is adequate and a city owner takes them up."),
        link("ULL-P3", "ULL-O5", "Experiments hosted in the street generate evidence that "
             "municipal regulations, procurement and budgets can cite."),
    ]


# ------------------------------------------------------------------------------------------
# Observations


def _obs(ind: str, lab: str, q: str, phase: str, vt: str, source: str, *,
         value: float | None = None, num: float | None = None, den: float | None = None,
         n: int | None = None, dims: dict[str, str] | None = None,
         evidence: str | None = None, comment: str | None = None, label: str = "I") -> Row:
    if value is None and num is not None and den is not None:
        value = _pct(num, den)
    row: Row = {
        "programme_code": P, "indicator_code": ind, "strand_code": lab, "period": q,
        "phase": phase, "value": value, "numerator": num, "denominator": den, "n_sample": n,
        "quality_status": "provisional" if q in OPEN_QUARTERS else "verified",
        "verification_type": vt, "data_source": source, "evidence_code": evidence,
        "comment": comment, "data_label": label}
    for k, v in (dims or {}).items():
        row[f"dim:{k}"] = v
    return row


def _observations() -> list[Row]:
    rows: list[Row] = []
    panel = "Participant panel survey (illustrative)"
    reg = "Lab participant registers (illustrative)"
    for lab in LABS:
        for i, q in enumerate(QUARTERS):
            nt_share = _non_tertiary(lab, i) / ACTIVE[lab][i]
            # ULL-O3 self-efficacy: the total as counts; the education cells as weighted
            # survey estimates (value and n), since some cells have only a few respondents.
            n, t = O3[lab][i]
            total = round(t * n / 100)
            rows.append(_obs("ULL-O3", lab, q, "co_design", "self_report_user", panel,
                             num=total, den=n, n=n, evidence="SURVEY-ULL"))
            t_val = _pct(total, n)
            n_nt = round(n * nt_share)
            v_nt = round(t_val - (3 if lab == "AMS" else 2), 1)
            v_t = round((t_val * n - v_nt * n_nt) / (n - n_nt), 1)
            for cat, v, nn in (("non_tertiary", v_nt, n_nt), ("tertiary", v_t, n - n_nt)):
                rows.append(_obs("ULL-O3", lab, q, "co_design", "self_report_user", panel,
                                 value=v, n=nn, dims={"education": cat},
                                 evidence="SURVEY-ULL"))
            # ULL-O4 representation ratio (from the Participation sheet), total and by sex.
            rr = round(_rr(lab, i), 2)
            rows.append(_obs("ULL-O4", lab, q, "co_design", "administrative", reg, value=rr,
                             n=ACTIVE[lab][i],
                             comment="Computed from Participation (co_design, education) and "
                                     "PopulationReferences" if i == 0 else None))
            for sex, delta in (("female", -0.02), ("male", 0.02)):
                rows.append(_obs("ULL-O4", lab, q, "co_design", "administrative", reg,
                                 value=round(rr + delta, 2), dims={"sex": sex}))
            # ULL-O5 decisions citing lab evidence (cumulative), one pilot_lead category.
            v5 = O5[lab][i]
            for dims in ({}, {"pilot_lead": PILOT_LEAD[lab]}):
                rows.append(_obs("ULL-O5", lab, q, "co_assessment", "administrative",
                                 "Municipal decision registers (illustrative)", value=v5,
                                 dims=dims))
            # ULL-O2 retention, from Q3.
            if i >= 2:
                still, onboarded = O2[lab][i - 2]
                n_nt2 = round(onboarded * nt_share)
                s_nt = min(n_nt2, round(still / onboarded * n_nt2 * 0.95))
                for dims, num, den in (({}, still, onboarded),
                                       ({"education": "non_tertiary"}, s_nt, n_nt2),
                                       ({"education": "tertiary"}, still - s_nt,
                                        onboarded - n_nt2)):
                    rows.append(_obs("ULL-O2", lab, q, "co_design", "administrative", reg,
                                     num=num, den=den, n=den, dims=dims,
                                     comment="Amsterdam reference: 45 of 100 bought the kit to "
                                             "continue (R) [NESTA-SCK]"
                                     if lab == "AMS" and i == 3 and not dims else None))
        # ULL-O1 adoption of completed pilots (annual).
        for q, (adopted, completed) in O1[lab].items():
            comment = ("ADU pilot -> zoning change; compact-unit zoning pilot (brief: 2 of 5)"
                       if lab == "BOS" and q == "2017Q4" else None)
            for dims in ({}, {"pilot_lead": PILOT_LEAD[lab]}):
                rows.append(_obs("ULL-O1", lab, q, "co_design", "administrative",
                                 "Pilot registers and decision records (illustrative)",
                                 num=adopted, den=completed, n=completed, dims=dims,
                                 comment=comment if not dims else None))
    # ULL-O6 (BOS, semi-annual) by neighbourhood.
    for q, cells in O6.items():
        rows.append(_obs("ULL-O6", "BOS", q, "co_delivery", "administrative",
                         "DND permit and occupancy records (illustrative)",
                         value=sum(cells.values())))
        for loc, v in cells.items():
            rows.append(_obs("ULL-O6", "BOS", q, "co_delivery", "administrative",
                             "DND permit and occupancy records (illustrative)", value=v,
                             dims={"locality": loc}))
    # Outputs.
    for i, q in enumerate(QUARTERS):
        rows.append(_obs("ULL-P1", "BOS", q, "co_design", "self_report_provider",
                         "Lab event log", value=P1_BOS[i],
                         label="R" if q == "2016Q4" else "I",
                         evidence="BOS-UHU" if q == "2016Q4" else None,
                         comment="Urban Housing Unit roadshow complete: 24 events, more than "
                                 "2,000 residents (R)" if q == "2016Q4" else None))
        rows.append(_obs("ULL-P2", "AMS", q, "co_delivery", "self_report_provider",
                         "Waag kit register", value=P2_AMS[i],
                         label="R" if q == "2016Q1" else "I",
                         evidence="ASC-SCK" if q == "2016Q1" else None,
                         comment="100 kits handed out (R, 24 March 2014; shifted to Q1)"
                         if q == "2016Q1" else None))
        rows.append(_obs("ULL-P3", "TRN", q, "co_delivery", "administrative",
                         "City experiment authorisations", value=P3_TRN[i],
                         label="R" if q == "2017Q4" else "I",
                         evidence="TLL18" if q == "2017Q4" else None,
                         comment="About 29 experiments in the first two years (R)"
                         if q == "2017Q4" else None))
    return rows


# ------------------------------------------------------------------------------------------
# Participation, population, feedback, channels


def _participation() -> list[Row]:
    rows: list[Row] = []
    for lab in LABS:
        for i, q in enumerate(QUARTERS):
            active, cont = ACTIVE[lab][i], CONTINUING[lab][i]
            prev = ACTIVE[lab][i - 1] if i else None
            contrib = CONTRIBUTIONS[lab][i]
            started, completed = TASKS[lab][i] if lab in TASKS else (None, None)
            rows.append({
                "programme_code": P, "strand_code": lab, "period": q, "phase": "co_design",
                "registered": REGISTERED[lab][i], "active": active, "new": active - cont,
                "continuing_active": cont, "exited": (prev - cont) if prev else 0,
                "started_tasks": started, "completed_tasks": completed,
                "contributions": contrib,
                "contributions_online": round(contrib * ONLINE_SHARE[lab]),
                "top10pct_contrib_share": float(TOP10[lab][i]), "data_label": "I"})
            nt = _non_tertiary(lab, i)
            for cat, val in (("non_tertiary", nt), ("tertiary", active - nt)):
                rows.append({"programme_code": P, "strand_code": lab, "period": q,
                             "phase": "co_design", "group_dimension": "education",
                             "group_category": cat, "active": val, "data_label": "I"})
    prev_d: int | None = None
    for i, q in enumerate(QUARTERS):
        active_d = BOS_DELIVERY[i]
        if active_d is None:
            continue
        cont = 0 if prev_d is None else prev_d - 1
        rows.append({"programme_code": P, "strand_code": "BOS", "period": q,
                     "phase": "co_delivery", "registered": active_d + 4, "active": active_d,
                     "new": active_d - cont, "continuing_active": cont,
                     "exited": 0 if prev_d is None else prev_d - cont, "data_label": "I"})
        prev_d = active_d
    return rows


def _population() -> list[Row]:
    rows = []
    for lab in LABS:
        geo, total, nt, source = POP[lab]
        for dim, cat, count in (("", "", total), ("education", "non_tertiary", nt),
                                ("education", "tertiary", total - nt)):
            rows.append({"programme_code": P, "strand_code": lab, "geo": geo,
                         "group_dimension": dim, "group_category": cat,
                         "population_count": float(count), "year": 2016, "source": source,
                         "data_label": "I"})
    return rows


FEEDBACK: dict[str, dict[str, list[int]]] = {
    "BOS": dict(compl=[1, 1, 3, 3, 4, 3, 4, 4], unresolved=[0, 0, 0, 0, 0, 0, 1, 0],
                sat=[76, 77, 78, 79, 78, 79, 80, 80], share=[74, 75, 77, 78, 77, 78, 80, 80],
                prop=[20, 25, 420, 610, 60, 55, 50, 50], adopt=[3, 3, 8, 10, 4, 4, 3, 3]),
    "AMS": dict(compl=[4, 5, 3, 2, 2, 2, 2, 2], unresolved=[0] * 8,
                sat=[70, 69, 67, 65, 65, 64, 64, 63], share=[68, 66, 64, 63, 63, 62, 62, 62],
                prop=[15, 18, 8, 4, 3, 3, 2, 2], adopt=[2, 2, 1, 1, 0, 0, 0, 0]),
    "TRN": dict(compl=[1, 1, 2, 2, 2, 2, 2, 2], unresolved=[0] * 8,
                sat=[72, 72, 73, 74, 75, 75, 76, 76], share=[70, 70, 71, 72, 73, 73, 74, 74],
                prop=[30, 35, 40, 42, 45, 45, 48, 50], adopt=[3, 4, 4, 4, 5, 5, 5, 5]),
}


def _feedback() -> list[Row]:
    rows = []
    for lab in LABS:
        f = FEEDBACK[lab]
        for i, q in enumerate(QUARTERS):
            prop = f["prop"][i]
            rows.append({
                "programme_code": P, "strand_code": lab, "period": q, "phase": "co_design",
                "interaction_stage": "during", "active_users": ACTIVE[lab][i],
                "complaints_received": f["compl"][i],
                "complaints_resolved_30d": f["compl"][i] - f["unresolved"][i],
                "complaints_handled_by_independent_body": True,
                "satisfaction_mean_0_100": float(f["sat"][i]),
                "satisfied_share_pct": float(f["share"][i]),
                "satisfaction_n": O3[lab][i][0], "proposals_received": prop,
                "proposals_responded_30d": prop if prop < 10 else round(prop * 0.92),
                "proposals_adopted": f["adopt"][i], "data_label": "I"})
    return rows


def _channels() -> list[Row]:
    spec = {"BOS": (12, 3, 20.0, 16.0), "AMS": (6, 5, 8.0, 11.0), "TRN": (10, 3, 15.0, 22.0)}
    return [{"programme_code": P, "strand_code": lab, "period": q,
             "opportunities_total": spec[lab][0], "opportunities_online_only": spec[lab][1],
             "assisted_alternative_available": True,
             "assisted_share_of_contributions_pct": spec[lab][2],
             "digitally_excluded_share_pct": spec[lab][3], "data_label": "I"}
            for lab in LABS for q in QUARTERS]


# ------------------------------------------------------------------------------------------
# Capacity, checklists, evidence links, notes

# code: (date, assessor, scope, actor, method, {level: (analytical, operational, political)})
Grid = dict[str, tuple[int, int, int]]
CAPACITY: dict[str, tuple[str, str, str, str, str, Grid]] = {
    "BOS-STATE-2017": ("2017-02-15", "External assessor (illustrative)", "state", "BOS-DND",
                       "external", {"individual": (3, 3, 3), "organizational": (3, 3, 3),
                                    "systemic": (4, 3, 3)}),
    "BOS-LAY-2017": ("2017-02-20", "Peer review by the Turin residents' association "
                     "(illustrative)", "lay_non_state", "BOS-RESASSOC", "peer_review",
                     {"individual": (3, 3, 3), "organizational": (2, 3, 3),
                      "systemic": (3, 3, 3)}),
    "AMS-STATE-2016": ("2016-10-15", "External assessor (illustrative)", "state",
                       "AMS-CITY", "external",
                       {"individual": (3, 2, 2), "organizational": (3, 2, 2),
                        "systemic": (3, 3, 3)}),
    "AMS-LAY-2016": ("2016-10-20", "Peer review with Waag (illustrative)", "lay_non_state",
                     "AMS-WAAG", "peer_review",
                     {"individual": (2, 2, 2), "organizational": (2, 2, 2),
                      "systemic": (3, 2, 3)}),
    "TRN-STATE-2017": ("2017-02-15", "External assessor (illustrative)", "state",
                       "TRN-CITY", "external",
                       {"individual": (3, 3, 2), "organizational": (3, 3, 3),
                        "systemic": (3, 2, 3)}),
    "TRN-LAY-2017": ("2017-02-22", "Self-assessment with the evaluation team "
                     "(illustrative)", "lay_non_state", "TRN-RESASSOC", "self_assessment",
                     {"individual": (2, 3, 3), "organizational": (2, 2, 3),
                      "systemic": (2, 2, 3)}),
}
CAP_NOTES = {
    ("individual", "analytical"): "Staff and participants can use data; citizens' "
                                  "technological expertise [MOON18]",
    ("individual", "operational"): "Facilitation and community-engagement skills",
    ("individual", "political"): "Reading stakeholders' interests",
    ("organizational", "analytical"): "Data systems; quality of open and sensor data",
    ("organizational", "operational"): "Budget, staff time, procedures allowing "
                                       "experimentation; API features [MOON18]",
    ("organizational", "political"): "Legitimacy and political support for the lab",
    ("systemic", "analytical"): "Research partners and statistics",
    ("systemic", "operational"): "Rules for experimenting in public space",
    ("systemic", "political"): "Cross-party support; time-limited sponsorship",
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
                if code == "AMS-LAY-2016" and level != "systemic" and comp == "analytical":
                    note += "; low-cost sensors need the right range and simple installation"
                scores.append({"programme_code": P, "assessment_code": code, "level": level,
                               "competence": comp, "score": score,
                               "descriptor": SCORE_WORD[score], "notes": note})
    return assessments, scores


ITEMS = ["CDQ-1", "CDQ-2", "CDQ-3", "CDQ-4", "CDQ-5", "CDQ-6", "CDQ-7",
         "CLQ-1", "CLQ-2", "CLQ-3", "CLQ-4", "CLQ-5", "CLQ-6", "CLQ-7",
         "SUQ-1", "SUQ-2", "SUQ-3", "SUQ-4", "SUQ-5", "SUQ-6",
         "EQQ-1", "EQQ-2", "EQQ-3", "EQQ-4", "EQQ-5"]
SAFE = {i: "yes" for i in ITEMS} | {"CDQ-5": "no", "CDQ-6": "no", "CLQ-4": "no",
                                     "CLQ-7": "no"}
CHECKLIST: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("TRN", "2016Q1"): {
        "SUQ-1": ("no", "The lab runs on the innovation assessor's budget; municipal "
                        "election in June 2016; no commitment beyond the term"),
        "SUQ-2": ("partly", "Pilot authorised by the executive; no recurrent budget line"),
        "SUQ-5": ("partly", "No exit or transition plan yet; the lab is months old"),
        "EQQ-3": ("partly", "Outreach to Campidoglio residents planned, not started")},
    ("BOS", "2017Q1"): {
        "SUQ-1": ("partly", "The Mayor supports the lab; its continuation is not yet "
                            "budgeted"),
        "SUQ-2": ("no", "Grant-funded until September 2017; no city budget line yet"),
        "SUQ-5": ("partly", "Transition to a permanent DND office under discussion"),
        "EQQ-4": ("partly", "Childcare and interpretation at events; no payment for time")},
    ("AMS", "2017Q1"): {
        "SUQ-1": ("no", "Sponsorship of the administration was limited to the pilot"),
        "SUQ-2": ("no", "One municipal allocation, ended December 2016"),
        "SUQ-3": ("partly", "Waag keeps the platform; no municipal routine uses the data"),
        "SUQ-5": ("no", "No exit, transition or scale-up plan"),
        "SUQ-6": ("partly", "Participants could buy the kit at a discount"),
        "CDQ-3": ("partly", "Expectations about sensor accuracy were not explained before "
                            "participation"),
        "EQQ-1": ("partly", "Installation workshops at Waag; data upload is online only"),
        "EQQ-3": ("no", "No targeted outreach to residents without tertiary education"),
        "EQQ-4": ("partly", "Kits were free during the pilot")},
    ("TRN", "2017Q1"): {
        "SUQ-2": ("partly", "Recurrent budget line from 2017; formal status still a pilot"),
        "SUQ-5": ("partly", "Transition to a city lab discussed by the new administration"),
        "EQQ-3": ("yes", "Door-to-door outreach in Campidoglio since Q3")},
    ("BOS", "2017Q4"): {},
    ("AMS", "2017Q4"): {
        "SUQ-1": ("no", "No political sponsor after the pilot"),
        "SUQ-2": ("no", "No budget line"),
        "SUQ-3": ("partly", "Waag keeps the platform; no municipal routine uses the data"),
        "SUQ-5": ("no", "No exit, transition or scale-up plan"),
        "SUQ-6": ("partly", "Participants could buy the kit at a discount"),
        "CDQ-3": ("partly", "Expectations about sensor accuracy were not explained before "
                            "participation"),
        "EQQ-1": ("partly", "Installation workshops at Waag; data upload is online only"),
        "EQQ-3": ("no", "No targeted outreach to residents without tertiary education"),
        "EQQ-4": ("partly", "Participants who continue pay for their kit")},
    ("TRN", "2017Q4"): {
        "SUQ-2": ("partly", "Recurrent budget line; Torino City Lab status follows in 2018")},
}


def _checklists() -> list[Row]:
    rows = []
    for (lab, q), over in CHECKLIST.items():
        for item in ITEMS:
            answer, comment = over.get(item, (SAFE[item], None))
            rows.append({"programme_code": P, "strand_code": lab, "period": q,
                         "item_code": item, "answer": answer, "comment": comment,
                         "respondent": "Programme evaluator (illustrative)"})
    return rows


def _evidence_links() -> list[Row]:
    def el(ev: str, entity: str, key: str) -> Row:
        return {"programme_code": P, "evidence_code": ev, "entity": entity,
                "entity_key": key}

    return [
        el("GT15", "funding_source", "BOS-FS-BLOOMBERG"),
        el("BOS-iLAB", "funding_source", "BOS-FS-CITY"),
        el("BOS-CITY-2017", "funding_source", "BOS-FS-CITY"),
        el("AMS-GRANT-2016", "funding_source", "AMS-FS-CITY"),
        el("TRN-GIUNTA-2016", "funding_source", "TRN-FS-ASS-B"),
        el("TRN-BUDGET-2017", "funding_source", "TRN-FS-RECURRENT"),
        el("TRN-FOUND-2016", "funding_source", "TRN-FS-FOUNDATION"),
        el("TRN-IOT-CALL", "allocation", "TRN-IOT-AL-01"),
        el("TLL16", "strand", "TRN"),
        el("TLL18", "strand", "TRN"),
        el("WAAG-RPT", "strand", "AMS"),
        el("SAMENMETEN", "indicator", "ULL-O2"),
        el("NESTA-SCK", "indicator", "ULL-O2"),
        el("AMS-UPLOADS", "participation", "AMS|co_design"),
        el("BLD18", "indicator", "ULL-O1"),
        el("BOS-UHU", "indicator", "ULL-P1"),
        el("NES18", "programme", P),
        el("SSH18", "programme", P),
    ]


def _notes() -> list[Row]:
    def note(code: str, entity: str, key: str, q: str | None, text: str, day: str) -> Row:
        return {"programme_code": P, "code": code, "entity": entity, "entity_key": key,
                "period": q, "text": text, "author": "Programme evaluator (sample data)",
                "created_at": _ts(day)}

    return [
        note("N-01", "programme", P, None,
             "Sample data. Window Q1..Q8 = 2016Q1..2017Q4. Boston and Turin in real time; "
             "Amsterdam's 2014 pilot shifted to start in Q1. Teaching point: engagement after "
             "launch, self-selection and time-limited sponsorship decide whether a living lab "
             "survives; Boston's did because the city made it a permanent office.",
             "2018-01-25"),
        note("N-02", "strand", "BOS", "2017Q3",
             "Boston: the Bloomberg i-team grant ($1.35 m, R) ends in September 2017. At Q5 "
             "the only commitment for the next four quarters was the grant's last two "
             "quarters (245,455) against 701,300 spent in 2016Q2-2017Q1: runway 35 %. In Q7 "
             "the city committed operating funds and the lab became a permanent office in "
             "the Department of Neighborhood Development (institutional status "
             "institutionalised_unit from Q7). The Strands sheet keeps the Q1-Q6 status "
             "(time_limited_project) because it holds one value per strand.", "2017-10-20"),
        note("N-03", "strand", "AMS", "2016Q4",
             "Amsterdam: 100 kits in Q1; active kits 62, 78 (peak, Q2), 52, 31 (R-calibrated "
             "proportions). Data uploads are concentrated: the top 10 % of participants make "
             "58 % of them. Residents without tertiary education are a fifth of participants "
             "against 55 % of residents (RR 0.35). The single municipal allocation ended in "
             "December 2016 with no successor or transition plan: runway 0 % at Q4. Installing "
             "kits is helped at Waag workshops; task completion was not recorded, so CD-6 "
             "cannot be computed here.", "2017-01-25"),
        note("N-04", "strand", "TRN", "2016Q3",
             "Turin: in Q1 all funding came through the innovation assessor's budget and the "
             "municipal election was in June 2016 (SU-1 high, no commitment beyond the term). "
             "In Q3 the new administration kept the lab (executive decision, TRN-GIUNTA-2016): "
             "the flag moves to mitigating; dependence on the new assessor's allocation is "
             "still 100 % in Q3-Q4 (medium). From 2017 a recurrent line and foundation "
             "co-funding bring the new sponsor's share to about 31 %: closed_resolved. The "
             "lab became Torino City Lab in 2018, after the window.", "2016-10-20"),
        note("N-05", "strand", "TRN", "2016Q4",
             "Turin equity: the representation ratio of residents without tertiary education "
             "among co-designers was 0.70 at launch (brief), rising to 0.80 by Q4 after "
             "door-to-door outreach in Campidoglio.", "2017-01-25"),
        note("N-06", "programme", P, None,
             "How the funding runway (SU-2) is computed in this sample: committed funding for "
             "the next 4 quarters = each funding source's committed_amount spread evenly over "
             "the quarters of its period, summed over the 4 quarters after the reporting "
             "quarter, counting only commitments made by the end of that quarter; divided by "
             "SpendRecords of the 4 quarters up to and including it. The commitment dates are "
             "the issued_on dates of the evidence linked to each funding source (Boston's "
             "city funds: 2017-08-15, Q7). FundingSources has no committed_on column, so an "
             "engine that counts every source would see Boston's city funds already at Q5 "
             "(runway 112 % instead of 35 %).", "2018-01-25"),
    ]


# ------------------------------------------------------------------------------------------


def _institutional_status() -> list[Row]:
    """Boston's lab became a permanent office in Q7; the Strands sheet holds its Q1-Q6 status."""
    return [
        {"programme_code": P, "strand_code": "BOS", "period": "2016Q1",
         "institutional_status": "time_limited_project", "transition_plan_approved": False,
         "comment": "Bloomberg Philanthropies i-team grant until September 2017"},
        {"programme_code": P, "strand_code": "BOS", "period": "2017Q3",
         "institutional_status": "institutionalised_unit", "transition_plan_approved": True,
         "evidence_code": "BOS-CITY-2017",
         "comment": "City operating funds; permanent office in the Department of Neighborhood "
                    "Development"},
    ]


def _risk_flags() -> list[Row]:
    """Turin's sponsor-dependence flag (SU-1) as the evaluator handled it: the lifecycle demo.

    The rules raise SU-1 for TRN from Q1 (high: the assessor's term ended with the June 2016
    election). In Q3 the new administration kept the lab (executive decision TRN-GIUNTA-2016):
    the evaluator moves the flag to mitigating, and the quarter is now locked with it. From
    2017 a recurrent line and foundation co-funding bring the sponsor's share to about 31 %:
    the rules stop raising SU-1 and the evaluator records the closure with the budget as
    evidence.
    """
    def snapshot(why: str, dep: float, sev: str, reason: str) -> str:
        return json.dumps({
            "rule_id": "SU-1", "rule_version": 1, "rule_type": "computed", "why": why,
            "severity_reason": reason,
            "metrics": {"dependence_pct": dep}, "primary": {"name": "dependence_pct",
                                                             "value": dep},
            "thresholds": [{"name": "dep_medium_pct", "label": "sponsor dependence (%)",
                            "value": 60, "tag": "CONV", "observed": dep},
                           {"name": "horizon_months", "label": "term or election within "
                            "(months)", "value": 12, "tag": "CONV"}],
            "citations": ["SSH18", "NES18", "CLTS-ID"], "base_severity": sev}, sort_keys=True)

    owner = "Lab evaluation lead (sample data)"
    return [
        {"programme_code": P, "strand_code": "TRN", "period": "2016Q3", "rule_id": "SU-1",
         "rule_version": 1, "subject": "", "category": "sustainability",
         "computed_severity": "medium", "severity": "medium", "status": "mitigating",
         "trigger_snapshot": snapshot(
             "100 % of the funding of Turin in 2016Q3 depends on one political sponsor, the "
             "Assessor for innovation of the Appendino administration; their term or the next "
             "election is 61 months away, and a commitment beyond the term is recorded.",
             100.0, "medium", "medium: dependence 100 % is at or above 60 %; the term or "
             "election is 61 months away (beyond 12) and not before the planned end"),
         "first_raised_period": "2016Q1", "consecutive_periods": 3,
         "evaluator_judgement": "The new administration kept the lab (TRN-GIUNTA-2016); "
                                "dependence moved to the new assessor's budget.",
         "mitigation": "Seek a recurrent budget line and foundation co-funding for 2017.",
         "owner": owner, "due_date": dt.date(2016, 12, 31)},
        {"programme_code": P, "strand_code": "TRN", "period": "2017Q1", "rule_id": "SU-1",
         "rule_version": 1, "subject": "", "category": "sustainability",
         "computed_severity": "medium", "severity": "medium", "status": "closed_resolved",
         "trigger_snapshot": snapshot(
             "From 2017 a recurrent budget line and foundation co-funding bring the sponsor's "
             "share of the funding of Turin to 31 %.", 30.9, "medium",
             "medium, as raised in 2016Q4; closed by the evaluator: the sponsor's share is now "
             "31 %, under the 60 % the rule looks from"),
         "first_raised_period": "2016Q1", "consecutive_periods": 1,
         "evaluator_judgement": "Resolved: recurrent line in the 2017 budget (TRN-BUDGET-2017) "
                                "and foundation co-funding; the lab became Torino City Lab in "
                                "2018.",
         "owner": owner},
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
        "StaffingRecords": [],
        "ReportingPeriods": _reporting_periods(),
        "InstitutionalStatus": _institutional_status(),
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
