"""A synthetic programme workbook of a chosen size, for the load benchmarks.

    .venv/bin/python benchmarks/generate.py --observations 100000 -o /tmp/syn.xlsx

One programme (``SYN-01``, not a sample), a few actors and strands, 20 indicators (12
outcomes, 8 outputs, each output linked to an outcome with its assumption), twelve open
reporting quarters and exactly N observation rows spread over indicators × quarters ×
strands × disaggregation cells (``dim:sex`` and ``dim:age_band``).

The rows depend only on ``observations`` and ``seed`` (a seeded ``random.Random``, no clock,
no set ordering), so two runs give the same rows. The .xlsx bytes still differ between days:
openpyxl stamps the file's creation time and the README sheet carries the date written.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

PROGRAMME = "SYN-01"
QUARTERS = tuple(f"{y}Q{q}" for y in (2022, 2023, 2024) for q in (1, 2, 3, 4))
SEXES = (("female", 0.51), ("male", 0.46), ("other", 0.03))
AGE_BANDS = (("18_24", 0.14), ("25_44", 0.34), ("45_64", 0.32), ("65_plus", 0.20))
QUALITY = (("verified", 50), ("provisional", 40), ("estimated", 8), ("imputed", 2))

# Disaggregation schemes: the cells (dimension -> category) one indicator reports each quarter.
_TOTAL: list[dict[str, str]] = [{}]
_BY_SEX = _TOTAL + [{"sex": s} for s, _ in SEXES]
_BY_SEX_AGE = (_BY_SEX + [{"age_band": a} for a, _ in AGE_BANDS]
               + [{"sex": s, "age_band": a} for s, _ in SEXES for a, _ in AGE_BANDS])
SCHEMES: dict[str, list[dict[str, str]]] = {"": _TOTAL, "sex": _BY_SEX,
                                            "sex,age_band": _BY_SEX_AGE}
_SHARE = dict(SEXES) | dict(AGE_BANDS)


@dataclass(frozen=True)
class Ind:
    code: str
    name: str
    result_level: str
    rba_quadrant: str
    unit: str
    disaggregation: str  # key of SCHEMES
    verification_type: str
    data_source: str
    better_off_type: str | None = None
    numerator_def: str | None = None
    denominator_def: str | None = None
    direction: str = "increase"
    baseline: float = 50.0  # percent / score / rate / count level at the start
    trend: float = 1.0  # change per quarter, in the indicator's unit
    links_to: str | None = None  # outputs: the outcome they should drive
    assumption: str | None = None
    survey: bool = False  # give confidence intervals


def _indicators() -> list[Ind]:
    pct, score, rate, count = "percent", "score_0_100", "rate_per_1000", "count"
    oc, oi, out = "outcome_short", "outcome_intermediate", "output"
    bo = "better_off"
    return [
        # 12 outcomes: 6 by sex × age band, 6 by sex
        Ind("OC-01", "Share of users who manage their care plan without help", oc, bo, pct,
            "sex,age_band", "independent_survey", "Annual user survey", "skills_knowledge",
            "users who manage their care plan without help", "users surveyed", baseline=42,
            trend=1.2, survey=True),
        Ind("OC-02", "Share of users living at home twelve months after first contact", oi,
            bo, pct, "sex,age_band", "administrative", "Case management system",
            "circumstance", "users still living at home after 12 months",
            "users first contacted 12 months earlier", baseline=71, trend=0.4),
        Ind("OC-03", "Share of carers reporting less strain", oc, bo, pct, "sex,age_band",
            "independent_survey", "Carer survey", "circumstance",
            "carers reporting less strain than a year ago", "carers surveyed", baseline=35,
            trend=0.9, survey=True),
        Ind("OC-04", "Share of participants confident to speak at neighbourhood panels", oc,
            bo, pct, "sex,age_band", "self_report_user", "Exit questionnaire",
            "attitude_opinion", "participants who say they are confident to speak",
            "participants answering the exit questionnaire", baseline=48, trend=1.5,
            survey=True),
        Ind("OC-05", "Share of users in paid work or training", oi, bo, pct, "sex,age_band",
            "administrative", "Employment service records", "circumstance",
            "users in paid work or training at quarter end", "working-age users",
            baseline=22, trend=0.6),
        Ind("OC-06", "Emergency admissions per 1,000 users", oi, bo, rate, "sex,age_band",
            "administrative", "Hospital episode statistics", "circumstance",
            "emergency admissions of users in the quarter", "users (rate per 1,000)",
            direction="decrease", baseline=38, trend=-0.5),
        Ind("OC-07", "Share of users who say the service treats them with respect", oc, bo,
            pct, "sex", "independent_survey", "Annual user survey", "attitude_opinion",
            "users agreeing they are treated with respect", "users surveyed", baseline=77,
            trend=0.3, survey=True),
        Ind("OC-08", "Share of users who keep their follow-up appointments", oc, bo, pct,
            "sex", "administrative", "Appointment system", "behaviour",
            "follow-up appointments kept", "follow-up appointments booked", baseline=64,
            trend=0.7),
        Ind("OC-09", "Health literacy score of participants", oc, bo, score, "sex",
            "independent_survey", "HLS-EU-Q16 short form", "skills_knowledge", baseline=58,
            trend=0.8, survey=True),
        Ind("OC-10", "Wellbeing score of carers", oi, bo, score, "sex", "independent_survey",
            "WEMWBS carer survey", "circumstance", baseline=46, trend=0.5, survey=True),
        Ind("OC-11", "Share of proposals from users adopted into service rules", oc, bo, pct,
            "sex", "administrative", "Panel minutes", "circumstance",
            "user proposals adopted", "user proposals received", baseline=18, trend=0.9),
        Ind("OC-12", "Share of users reporting fewer unmet needs", oi, bo, pct, "sex",
            "independent_survey", "Annual user survey", "circumstance",
            "users reporting fewer unmet needs than a year ago", "users surveyed",
            baseline=39, trend=0.8, survey=True),
        # 8 outputs: 4 by sex, 4 totals only
        Ind("OP-01", "Number of peer supporters trained", out, "how_much", count, "sex",
            "self_report_provider", "Provider training log", baseline=40, trend=2,
            links_to="OC-01", assumption="trained peer supporters coach users until they "
            "manage their plans themselves"),
        Ind("OP-02", "Number of co-design workshops held", out, "how_much", count, "",
            "self_report_provider", "Provider activity log", baseline=6, trend=0.2,
            links_to="OC-11", assumption="workshops turn user ideas into proposals the "
            "panel can adopt"),
        Ind("OP-03", "Number of home visits by volunteer pairs", out, "how_much", count, "sex",
            "self_report_provider", "Volunteer rota", baseline=300, trend=8,
            links_to="OC-02", assumption="regular visits catch problems before they force "
            "a move into residential care"),
        Ind("OP-04", "Share of visits made within five days of referral", out, "how_well",
            pct, "sex", "administrative", "Case management system", None,
            "visits made within five days of referral", "referrals received", baseline=61,
            trend=1.0, links_to="OC-06", assumption="early visits prevent crises that end "
            "in emergency admissions"),
        Ind("OP-05", "Number of carer respite hours provided", out, "how_much", count, "",
            "administrative", "Respite booking system", baseline=900, trend=20,
            links_to="OC-03", assumption="respite hours relieve carers enough to lower "
            "their strain"),
        Ind("OP-06", "Share of panel seats held by users", out, "how_well", pct, "",
            "administrative", "Panel register", None, "panel seats held by users",
            "panel seats", baseline=30, trend=0.8, links_to="OC-04",
            assumption="users who sit on panels gain confidence to speak"),
        Ind("OP-07", "Number of employment mentoring sessions", out, "how_much", count, "sex",
            "self_report_provider", "Mentoring log", baseline=120, trend=3,
            links_to="OC-05", assumption="mentoring leads users into work or training"),
        Ind("OP-08", "Share of follow-up reminders sent on time", out, "how_well", pct, "",
            "administrative", "Appointment system", None, "reminders sent two days ahead",
            "follow-up appointments booked", baseline=70, trend=1.1, links_to="OC-08",
            assumption="timely reminders make users keep their appointments"),
    ]


# --------------------------------------------------------------------------------------------


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    x = rng.random() * sum(w for _, w in choices)
    for v, w in choices:
        x -= w
        if x < 0:
            return v
    return choices[-1][0]


def _share(dims: dict[str, str]) -> float:
    s = 1.0
    for c in dims.values():
        s *= _SHARE[c]
    return s


def _strand_count(observations: int, per_strand: int) -> int:
    """Strands enough that about 90 % of all possible cells carry a row."""
    return max(3, math.ceil(observations / (0.9 * per_strand)))


def _observation_rows(rng: random.Random, observations: int, indicators: list[Ind],
                      strands: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    cells = [(ind, dims) for ind in indicators for dims in SCHEMES[ind.disaggregation]]
    per_slot = len(cells)
    slots = [(s, q) for s in strands for q in range(len(QUARTERS))]
    capacity = per_slot * len(slots)
    assert capacity >= observations
    # Which cells carry a row: a seeded sample, in natural order (strand, quarter, cell).
    chosen = sorted(rng.sample(range(capacity), observations))
    # A base size per strand and indicator, so sub-cells are consistent-ish with totals.
    base = {(s["code"], ind.code): s["population"] / 100 * rng.uniform(0.6, 1.4)
            for s in strands for ind in indicators}
    for k in chosen:
        slot, c = divmod(k, per_slot)
        strand, qi = slots[slot]
        ind, dims = cells[c]
        share = _share(dims)
        noise = rng.gauss(0, 1)
        row: dict[str, Any] = {
            "programme_code": PROGRAMME, "indicator_code": ind.code,
            "strand_code": strand["code"], "period": QUARTERS[qi], "phase": "co_delivery",
            "quality_status": _weighted(rng, QUALITY),
            "verification_type": ind.verification_type, "data_source": ind.data_source,
            "data_label": "I",
        }
        level = ind.baseline + ind.trend * qi
        size = max(3, round(base[(strand["code"], ind.code)] * share * rng.uniform(0.8, 1.2)))
        if ind.unit == "percent":
            p = min(0.99, max(0.01, (level + 4 * noise) / 100))
            num = min(size, max(0, round(size * p)))
            value = round(100 * num / size, 1)
            row.update(value=value, numerator=num, denominator=size, n_sample=size)
            if ind.survey:
                half = 196 * math.sqrt(max(p * (1 - p), 0.0025) / size)
                row.update(ci_low=round(max(0.0, value - half), 1),
                           ci_high=round(min(100.0, value + half), 1))
        elif ind.unit == "rate_per_1000":
            pop = size * 10
            num = max(0, round(pop * max(0.5, level + 3 * noise) / 1000))
            row.update(value=round(1000 * num / pop, 2), numerator=num, denominator=pop,
                       n_sample=pop)
        elif ind.unit == "score_0_100":
            value = round(min(100.0, max(0.0, level + 5 * noise)), 1)
            row.update(value=value, n_sample=size)
            if ind.survey:
                half = round(1.96 * 15 / math.sqrt(size), 1)
                row.update(ci_low=round(max(0.0, value - half), 1),
                           ci_high=round(min(100.0, value + half), 1))
        else:  # count
            row["value"] = max(0, round(level * share * (1 + 0.1 * noise)))
        for d, cat in dims.items():
            row["dim:" + d] = cat
        yield row


def programme_rows(observations: int = 100_000, seed: int = 1) -> dict[str, list[dict[str, Any]]]:
    """rows_by_sheet for ``write_workbook``: header -> value, dims as ``dim:<dimension>``."""
    if observations < 0:
        raise ValueError("observations must be zero or more")
    rng = random.Random(seed)
    indicators = _indicators()
    per_strand = len(QUARTERS) * sum(len(SCHEMES[i.disaggregation]) for i in indicators)
    n_strands = _strand_count(observations, per_strand)

    actors = [
        {"code": "SYN-CITY", "name": "Synthetic City Council, Adult Services",
         "actor_class": "state_direct", "org_type": "government_unit"},
        {"code": "SYN-NGO-1", "name": "Neighbourhood Care Association",
         "actor_class": "lay_organisation", "org_type": "ngo_association"},
        {"code": "SYN-NGO-2", "name": "Carers Together", "actor_class": "lay_organisation",
         "org_type": "user_led_org"},
        {"code": "SYN-PRV-1", "name": "HomeCare Ltd",
         "actor_class": "state_indirect_contracted", "org_type": "for_profit_provider"},
        {"code": "SYN-USR", "name": "Users' panel", "actor_class": "lay_group",
         "org_type": "community_group"},
    ]
    programme: dict[str, Any] = {
        "code": PROGRAMME, "name": "Synthetic co-produced home support (benchmark)",
        "description": "Generated by benchmarks/generate.py for load benchmarks; not real data.",
        "policy_domain": "social_care", "jurisdiction_country": "GB",
        "jurisdiction_level": "municipal", "lead_agency_actor_code": "SYN-CITY",
        "start_date": date(2022, 1, 1), "planned_end_date": date(2026, 12, 31),
        "institutional_status": "programme_recurrent_budget", "reporting_cadence": "quarterly",
        "currency": "GBP", "clientelism_context": "low", "os_level": "participative",
        "ors_type": "co_production", "interaction_mode": "in_person_sync",
        "intended_outcome": "efficiency_effectiveness_existing_service",
        "status": "active_reporting", "lead_person": "Programme lead",
        "is_sample": False,
    }
    strands = []
    for i in range(1, n_strands + 1):
        strands.append({
            "programme_code": PROGRAMME, "code": f"STR-{i:03d}", "name": f"District {i}",
            "type": "site", "geo_code": f"SYN{i:05d}",
            "population": rng.randrange(20_000, 120_000, 500),
        })
    phases: list[dict[str, Any]] = [
        {"programme_code": PROGRAMME, "phase": ph, "level": lv, "intensity": it}
        for ph, lv, it in (("co_design", "group", "shared"),
                           ("co_delivery", "individual", "shared"),
                           ("co_delivery", "group", "lay_led"),
                           ("co_assessment", "collective", "consultative"))
    ]
    prog_actors: list[dict[str, Any]] = [
        {"programme_code": PROGRAMME, "actor_code": "SYN-CITY", "role": "commissioner",
         "phase": "co_commissioning"},
        {"programme_code": PROGRAMME, "actor_code": "SYN-NGO-1", "role": "provider",
         "phase": "co_delivery"},
        {"programme_code": PROGRAMME, "actor_code": "SYN-NGO-2", "role": "co_deliverer",
         "phase": "co_delivery"},
        {"programme_code": PROGRAMME, "actor_code": "SYN-PRV-1", "role": "provider",
         "phase": "co_delivery"},
        {"programme_code": PROGRAMME, "actor_code": "SYN-USR", "role": "co_designer",
         "phase": "co_design", "lay_role": "client_user", "is_beneficiary_represented": True,
         "decision_body": "Service panel", "seats_on_decision_body": 4,
         "total_seats_decision_body": 12},
    ]
    periods = [{"programme_code": PROGRAMME, "quarter": q, "status": "open"} for q in QUARTERS]
    ind_rows = []
    for ind in indicators:
        outcome = ind.result_level != "output"
        ind_rows.append({
            "programme_code": PROGRAMME, "code": ind.code, "name": ind.name,
            "definition": ind.name + " (synthetic definition)",
            "result_level": ind.result_level, "rba_quadrant": ind.rba_quadrant,
            "better_off_type": ind.better_off_type,
            "accountability_type": "performance", "attribution_claim":
                "contribution" if outcome else "attribution",
            "unit": ind.unit, "numerator_def": ind.numerator_def,
            "denominator_def": ind.denominator_def, "direction": ind.direction,
            "baseline_value": ind.baseline, "baseline_period": "2021Q4",
            "baseline_source": ind.data_source,
            "phases": {"OC-11": "co_assessment", "OC-04": "co_design"}.get(ind.code, "co_delivery"),
            "coproduction_level": "individual",
            "disaggregation_required": ind.disaggregation or None,
            "data_source": ind.data_source, "frequency": "quarterly",
            "responsible_role": "M&E officer", "verification_type": ind.verification_type,
        })
    links = [{"programme_code": PROGRAMME, "from_indicator_code": ind.code,
              "to_indicator_code": ind.links_to, "assumption_text": ind.assumption,
              "strength": "hypothesised"} for ind in indicators if ind.links_to]
    targets = [{"programme_code": PROGRAMME, "indicator_code": ind.code, "period": q,
                "value": round(ind.baseline + ind.trend * (qi + 2), 1), "data_label": "I"}
               for ind in indicators for qi, q in enumerate(QUARTERS) if q.endswith("Q4")]
    observations_rows = list(_observation_rows(rng, observations, indicators, strands))
    return {
        "Actors": actors, "Programmes": [programme], "Strands": strands,
        "ProgrammePhases": phases, "ProgrammeActors": prog_actors,
        "ReportingPeriods": periods, "Indicators": ind_rows, "Targets": targets,
        "ResultLinks": links, "Observations": observations_rows,
    }


def generate(path: Path | str, observations: int = 100_000, seed: int = 1) -> Path:
    """Write a valid synthetic programme workbook with exactly ``observations`` rows."""
    from coprod_me.spreadsheets.programme_workbook import write_workbook

    return write_workbook(path, programme_rows(observations, seed),
                          title=f"Synthetic programme {PROGRAMME}: {observations} observations "
                          f"(seed {seed})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--observations", "-n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", type=Path, required=True, help="the .xlsx to write")
    ap.add_argument("--check", action="store_true",
                    help="read the file back and list any problems the loader would report")
    args = ap.parse_args(argv)
    path = generate(args.output, args.observations, args.seed)
    print(f"wrote {path} ({args.observations} observations, seed {args.seed})")
    if args.check:
        from coprod_me.spreadsheets.programme_workbook import read_workbook

        problems = read_workbook(path).problems
        for p in problems[:50]:
            print(p)
        print(f"{len(problems)} problem(s)")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
