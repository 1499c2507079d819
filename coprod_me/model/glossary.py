"""Short explanations of the classification values, from the domain brief (§1.1, §1.5).

Shown as help in the programme profile and usable in reports' glossaries.
"""

from __future__ import annotations

GLOSSARY: dict[str, dict[str, str]] = {
    "phase": {
        "co_commissioning": "Co-commissioning: strategically identifying and prioritising the "
                            "needed services, outcomes and users, together.",
        "co_design": "Co-design: users and communities give inputs into operational decisions "
                     "about how services are designed.",
        "co_delivery": "Co-delivery: joint effort of state and lay actors at the point of "
                       "delivery.",
        "co_assessment": "Co-assessment: users and communities take part in monitoring and "
                         "evaluating the service.",
    },
    "coproduction_level": {
        "individual": "Individual: the benefits are largely personal.",
        "group": "Group: benefits for a group of users with shared characteristics.",
        "collective": "Collective: benefits for the whole community.",
    },
    "os_level": {
        "consumer": "Consumer co-production (Osborne & Strokosch): operational; users are "
                    "empowered within the service encounter. Traditional.",
        "participative": "Participative co-production: strategic; users' current experience "
                         "is used to plan the service. Traditional.",
        "enhanced": "Enhanced co-production: operational and strategic; users challenge the "
                    "overall design, leading to transformational innovation.",
    },
    "ors_type": {
        "co_production": "Co-production (Osborne, Radnor & Strokosch): value is the impact and "
                         "effectiveness of the service in real time at the point of delivery.",
        "co_design": "Co-design: users improve existing services.",
        "co_construction": "Co-construction: value is the well-being that comes from "
                           "integrating the service into the user's wider life.",
        "co_innovation": "Co-innovation: new forms of service delivery in the service system.",
    },
    "interaction_mode": {
        "in_person_sync": "In person, at the same time.",
        "ict_sync": "Through ICT (web platforms, mobile, social media), at the same time.",
        "ict_async": "Through ICT, not at the same time (reports, proposals, data uploads).",
        "hybrid": "A mix of in-person and ICT-mediated interaction.",
    },
    "intended_outcome": {
        "efficiency_effectiveness_existing_service": "Make an existing service more efficient "
                                                     "or effective.",
        "user_led_innovation": "User-led innovation: new services or new ways of delivering "
                               "them.",
    },
    "moon_type": {
        "crowdsourcing_co_design": "Citizens design policies or services with government.",
        "crowdsourcing_design_gov_delivery": "Citizens send complaints or reports (potholes); "
                                             "government delivers.",
        "gov_design_crowdsourcing_delivery": "Government provides open data; citizens build "
                                             "service apps.",
        "gov_citizen_co_delivery": "Citizens and government co-deliver integrated service "
                                   "apps.",
    },
    "institutional_status": {
        "pilot_experiment": "A pilot or experiment.",
        "time_limited_project": "A project with an end date and no recurrent budget.",
        "programme_recurrent_budget": "A programme with a recurrent budget line.",
        "institutionalised_unit": "A permanent office or a statutory right.",
    },
    "clientelism_context": {
        "low": "Low risk of patronage in this setting (evaluator judgement).",
        "medium": "Some signs of patronage in this setting.",
        "high": "A clientelistic setting: clientelism flags are raised one severity level.",
        "unknown": "Not yet judged.",
    },
    "kekez_mode": {
        "enforcement_upgraded_by_performance": "Enforcement upgraded by performance (Kekez).",
        "novel_captured_coproduction": "Novel but captured co-production: patronage uses the "
                                       "co-production arrangement.",
        "novel_consistent_coproduction": "Novel and consistent co-production: empowered or "
                                         "represented beneficiaries keep it honest.",
    },
    "tradition_label": {
        "traditional": "Within the existing delivery framework: in person, consumer or "
                       "participative.",
        "non_traditional": "ICT-mediated and aimed at innovation (user-led innovation, "
                           "enhanced level or co-innovation).",
        "mixed": "Neither pattern holds cleanly; the distinction cannot be clear-cut in "
                 "practice [SSH18].",
    },
}


def explain(field: str, value: str | None) -> str:
    if not value:
        return ""
    return GLOSSARY.get(field, {}).get(value, "")
