"""IATI 2.03 activities from programmes: the XML, and the checks it must pass before it is
written (the IATI schema, plus the ruleset items that matter for results).

One ``iati-activity`` per programme. Its results follow the IATI ResultType codelist: the
output indicators make one result (type 1), the short and intermediate outcomes another (2),
impact a third (3); input, activity and context indicators are not results and stay out.
Each indicator has its measure (2 percentage for a percent, else 1 unit), ``ascending`` from
its direction, its baseline, and one period per quarter with a target or a value: the
programme-level total as the report computes it (the programme's own value, else the
strands' values summed or averaged) and one ``actual`` per disaggregation cell, small cells
left out as the report suppresses them. Codes are the IATI codelists' (OrganisationRole,
OrganisationType, ActivityDateType, Sector vocabulary 1 = OECD DAC 5-digit).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from coprod_me.model.errors import DomainError
from coprod_me.model.quarter import Quarter
from coprod_me.reports.iati_model import IatiProgramme, Participant
from coprod_me.reports.quarterly_figures import combine, suppressed
from coprod_me.reports.quarterly_model import IndicatorInfo, Measurement

IATI_VERSION = "2.03"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_FILE = "iati-activities-schema.xsd"
#: our result level -> IATI ResultType (1 output, 2 outcome, 3 impact)
RESULT_TYPE = {"output": "1", "outcome_short": "2", "outcome_intermediate": "2",
               "impact": "3"}
RESULT_TITLE = {"1": "Outputs", "2": "Outcomes", "3": "Impact"}
#: IATI IndicatorMeasure: 1 unit, 2 percentage (3 nominal, 4 ordinal, 5 qualitative unused)
MEASURE_UNIT, MEASURE_PERCENTAGE = "1", "2"
NUMERIC_MEASURES = frozenset({"1", "2", "3", "4"})
#: our programme role -> IATI OrganisationRole (1 funding, 2 accountable, 4 implementing);
#: a political sponsor is no organisation of the activity
ROLE = {"funder": "1", "commissioner": "2", "provider": "4", "facilitator": "4",
        "co_designer": "4", "co_deliverer": "4", "co_assessor": "4",
        "beneficiary_representative": "4"}
#: our organisation type -> IATI OrganisationType
ORG_TYPE = {"government_unit": "10", "political_office": "10", "public_company": "15",
            "ngo_association": "22", "user_led_org": "22", "for_profit_provider": "70",
            "private_firm_innovator": "70", "platform_app_developer": "70",
            "funder_philanthropy": "60", "university_research": "80",
            "community_group": "90", "volunteer_network": "90"}
#: ActivityStatus codes from which the programme has really started (implementation on)
STARTED = frozenset({"2", "3", "4", "5"})
#: (the programme field, the IATI element it fills) for what every activity must have
REQUIRED: tuple[tuple[str, str], ...] = (
    ("iati_identifier", "iati-identifier"),
    ("reporting_org_ref", "reporting-org/@ref"),
    ("reporting_org_name", "reporting-org/narrative"),
    ("reporting_org_type", "reporting-org/@type"),
    ("description", "description"),
    ("activity_status", "activity-status/@code"),
    ("start_date", "activity-date"),
    ("jurisdiction_country", "recipient-country"),
    ("sector_code", "sector/@code"),
    ("default_language", "iati-activity/@xml:lang"),
    ("currency", "iati-activity/@default-currency"),
)


class IatiProblems(DomainError):
    """The file would not be valid IATI: every problem found, each naming its element."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(f"not valid IATI 2.03: {self.problems[0]}{more}")


@dataclass
class BuildNotes:
    """What the export left out, for the user to know."""

    suppressed_cells: int = 0
    indicators_left_out: list[str] = field(default_factory=list)  # not a result level


def missing_fields(p: IatiProgramme) -> list[tuple[str, str]]:
    """(programme field, IATI element) for each profile field the activity needs and lacks."""
    values = {"iati_identifier": p.iati_identifier, "reporting_org_ref": p.reporting_org_ref,
              "reporting_org_name": p.reporting_org_name,
              "reporting_org_type": p.reporting_org_type, "description": p.description,
              "activity_status": p.activity_status, "start_date": p.start_date,
              "jurisdiction_country": p.countries, "sector_code": p.sector_code,
              "default_language": p.default_language, "currency": p.currency}
    missing = [(f, element) for f, element in REQUIRED
               if not values[f] or (isinstance(values[f], str) and not str(values[f]).strip())]
    if not _participating(p):
        missing.append(("actors", "participating-org"))
    return missing


# ---------------------------------------------------------------------------------- build


def build(programmes: Sequence[IatiProgramme], *, threshold: int,
          decimals: Mapping[str, int], generated_at: datetime,
          notes: BuildNotes | None = None) -> etree._Element:
    """The ``iati-activities`` document of these programmes (not yet checked)."""
    notes = notes if notes is not None else BuildNotes()
    stamp = generated_at.replace(microsecond=0).isoformat()
    root = etree.Element("iati-activities", {"version": IATI_VERSION,
                                             "generated-datetime": stamp})
    for p in programmes:
        root.append(_activity(p, threshold, decimals, generated_at, notes))
    return root


def clean(text: str) -> str:
    """The text without the control characters XML 1.0 cannot carry (a pasted cell can)."""
    return _NOT_XML.sub("", text)


def _sub(parent: etree._Element, tag: str, attrs: Mapping[str, str] | None = None,
         text: str | None = None) -> etree._Element:
    """A child element, with a ``narrative`` holding ``text`` when given."""
    el = etree.SubElement(parent, tag, {k: clean(v) for k, v in (attrs or {}).items()})
    if text is not None:
        etree.SubElement(el, "narrative").text = clean(text)
    return el


def _activity(p: IatiProgramme, threshold: int, decimals: Mapping[str, int],
              generated_at: datetime, notes: BuildNotes) -> etree._Element:
    stamp = generated_at.replace(microsecond=0).isoformat()
    today = generated_at.date()
    attrs = {"last-updated-datetime": stamp}
    if p.default_language:
        attrs[XML_LANG] = clean(p.default_language.lower())
    if p.currency:
        attrs["default-currency"] = clean(p.currency.upper())
    a = etree.Element("iati-activity", attrs)
    _sub(a, "iati-identifier").text = clean(p.iati_identifier or "")
    _sub(a, "reporting-org", {"ref": p.reporting_org_ref or "",
                              "type": p.reporting_org_type or ""}, p.reporting_org_name or "")
    _sub(a, "title", text=p.name)
    if p.description:
        sample = "SAMPLE DATA, not a real programme. " if p.is_sample else ""
        _sub(a, "description", {"type": "1"}, sample + p.description)
    for ref, role, org_type, name in _participating(p):
        attrs = {"role": role}
        if ref:
            attrs["ref"] = ref
        if org_type:
            attrs["type"] = org_type
        _sub(a, "participating-org", attrs, name)
    if p.activity_status:
        _sub(a, "activity-status", {"code": p.activity_status})
    for kind, day in _dates(p, today):
        _sub(a, "activity-date", {"type": kind, "iso-date": day.isoformat()})
    for code, share in country_shares(p.countries):
        attrs = {"code": code}
        if share is not None:
            attrs["percentage"] = share
        _sub(a, "recipient-country", attrs)
    if p.sector_code:
        _sub(a, "sector", {"vocabulary": "1", "code": p.sector_code})
    _results(a, p, threshold, decimals, notes)
    return a


def _participating(p: IatiProgramme) -> list[tuple[str | None, str, str | None, str]]:
    """(ref, role, type, name) once each: the programme's actors in the roles IATI knows,
    the lead agency accountable when no commissioner is named."""
    out: dict[tuple[str, str], tuple[str | None, str, str | None, str]] = {}
    for who in p.participants:
        role = ROLE.get(who.role)
        if role:
            out.setdefault((who.code, role), _org(who, role))
    lead = p.lead_agency
    if lead is not None and not any(r == "2" for (_c, r) in out):
        out[(lead.code, "2")] = _org(lead, "2")
    return sorted(out.values(), key=lambda t: (t[1], t[3]))


def _org(who: Participant, role: str) -> tuple[str | None, str, str | None, str]:
    return (who.registration_id, role, ORG_TYPE.get(who.org_type or ""), who.name)


def _dates(p: IatiProgramme, today: date) -> list[tuple[str, date]]:
    """ActivityDateType 1 planned start, 2 actual start (once it has started: never in the
    future, as the IATI rules require), 3 planned end."""
    out = []
    if p.start_date:
        out.append(("1", p.start_date))
        if p.activity_status in STARTED and p.start_date <= today:
            out.append(("2", p.start_date))
    if p.planned_end_date:
        out.append(("3", p.planned_end_date))
    return out


def country_shares(countries: Sequence[str]) -> list[tuple[str, str | None]]:
    """Each country with its share of the activity: none for one country; for several, equal
    shares in two decimals, the last taking the remainder so they sum to exactly 100."""
    if len(countries) < 2:
        return [(c, None) for c in countries]
    each = round(100 / len(countries), 2)
    shares = [each] * (len(countries) - 1)
    shares.append(round(100 - sum(shares), 2))
    return [(c, f"{s:.2f}".rstrip("0").rstrip(".")) for c, s in zip(countries, shares,
                                                                      strict=True)]


def number(value: float, unit: str, decimals: Mapping[str, int]) -> str:
    """A figure rounded by its unit as the report rounds it, plain digits for machines."""
    d = decimals.get(unit, 1)
    text = f"{round(value, d):.{d}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# -------------------------------------------------------------------------------- results


def _results(a: etree._Element, p: IatiProgramme, threshold: int,
             decimals: Mapping[str, int], notes: BuildNotes) -> None:
    by_type: dict[str, list[IndicatorInfo]] = defaultdict(list)
    for ind in p.indicators:
        kind = RESULT_TYPE.get(ind.result_level)
        if kind is None:
            notes.indicators_left_out.append(f"{p.code}/{ind.code}")
        else:
            by_type[kind].append(ind)
    values = _values_by_indicator(p.measurements)
    targets: dict[str, list[tuple[str | None, str, float]]] = defaultdict(list)
    for t in p.targets:
        targets[t.indicator].append((t.strand, t.period, t.value))
    for kind in sorted(by_type):
        result = _sub(a, "result", {"type": kind, "aggregation-status": "false"})
        _sub(result, "title", text=RESULT_TITLE[kind])
        for ind in by_type[kind]:
            _indicator(result, ind, values.get(ind.code, []), targets.get(ind.code, []),
                       threshold, decimals, notes)


def _values_by_indicator(measurements: Sequence[Measurement]
                         ) -> dict[str, list[Measurement]]:
    out: dict[str, list[Measurement]] = defaultdict(list)
    for m in measurements:
        out[m.indicator].append(m)
    return out


def measure_of(ind: IndicatorInfo) -> str:
    return MEASURE_PERCENTAGE if ind.unit == "percent" else MEASURE_UNIT


def _indicator(result: etree._Element, ind: IndicatorInfo, values: Sequence[Measurement],
               targets: Sequence[tuple[str | None, str, float]], threshold: int,
               decimals: Mapping[str, int], notes: BuildNotes) -> None:
    attrs = {"measure": measure_of(ind)}
    if ind.direction in ("increase", "decrease"):  # a range to hold has no better end
        attrs["ascending"] = "true" if ind.direction == "increase" else "false"
    el = _sub(result, "indicator", attrs)
    _sub(el, "title", text=ind.name)
    definition = dict(ind.definition_fields).get("definition")
    if definition:
        _sub(el, "description", text=str(definition))
    _sub(el, "reference", {"vocabulary": "99", "code": ind.code})
    if ind.baseline_value is not None and ind.baseline_period:
        at = Quarter.parse(ind.baseline_period)
        base = _sub(el, "baseline", {
            "year": str(at.year), "iso-date": at.end.isoformat(),
            "value": number(ind.baseline_value, ind.unit, decimals)})
        source = dict(ind.definition_fields).get("baseline_source")
        if source:
            _sub(base, "comment", text=str(source))
    totals = _quarter_totals(ind, values)
    aims = _quarter_targets(ind, targets)
    for q in sorted(set(totals) | set(aims)):
        quarter = Quarter.parse(q)
        period = _sub(el, "period")
        _sub(period, "period-start", {"iso-date": quarter.start.isoformat()})
        _sub(period, "period-end", {"iso-date": quarter.end.isoformat()})
        if q in aims:
            _sub(period, "target", {"value": number(aims[q], ind.unit, decimals)})
        if q in totals:
            _sub(period, "actual", {"value": number(totals[q], ind.unit, decimals)})
            for dims, value in _cells(ind, values, q, threshold, notes):
                actual = _sub(period, "actual",
                                          {"value": number(value, ind.unit, decimals)})
                for name, category in dims:
                    _sub(actual, "dimension", {"name": name, "value": category})


def _quarter_totals(ind: IndicatorInfo, values: Sequence[Measurement]) -> dict[str, float]:
    """Quarter -> the programme's total: its own value, else its strands' combined."""
    own: dict[str, float] = {}
    strands: dict[str, list[float]] = defaultdict(list)
    for m in values:
        if m.dims or m.value is None:
            continue
        if m.strand is None:
            own[m.period] = m.value
        else:
            strands[m.period].append(m.value)
    out = {q: v for q, vs in strands.items() if (v := combine(ind.unit, vs)) is not None}
    out.update(own)
    return out


def _quarter_targets(ind: IndicatorInfo, targets: Sequence[tuple[str | None, str, float]]
                     ) -> dict[str, float]:
    own: dict[str, float] = {}
    strands: dict[str, list[float]] = defaultdict(list)
    for strand, q, value in targets:
        if strand is None:
            own[q] = value
        else:
            strands[q].append(value)
    out = {q: v for q, vs in strands.items() if (v := combine(ind.unit, vs)) is not None}
    out.update(own)
    return out


def _cells(ind: IndicatorInfo, values: Sequence[Measurement], quarter: str, threshold: int,
           notes: BuildNotes) -> list[tuple[tuple[tuple[str, str], ...], float]]:
    """The quarter's disaggregation cells at programme level, small ones left out.

    The programme's own cells where it has them; else each cell combined over the strands,
    left out when any strand's cell is small (its count could be read back by difference).
    """
    own: list[Measurement] = []
    by_dims: dict[tuple[tuple[str, str], ...], list[Measurement]] = defaultdict(list)
    for m in values:
        if m.period != quarter or not m.dims or m.value is None:
            continue
        if m.strand is None:
            own.append(m)
        else:
            by_dims[m.dims].append(m)
    groups = {m.dims: [m] for m in own} if own else by_dims
    out = []
    for dims in sorted(groups):
        parts = groups[dims]
        whole = Measurement(ind.code, None, quarter, dims,
                            combine(ind.unit, [m.value for m in parts if m.value is not None]),
                            _sum(m.numerator for m in parts), _sum(m.denominator for m in parts),
                            _sum_int(m.n_sample for m in parts))
        if whole.value is None:
            continue
        if any(suppressed(m, ind.unit, threshold)
                                      for m in (*parts, whole)):
            notes.suppressed_cells += 1
            continue
        out.append((dims, whole.value))
    return out


def _sum(values: Iterable[float | None]) -> float | None:
    """The sum, unknown when any part is."""
    vs = list(values)
    return None if any(v is None for v in vs) else float(sum(v or 0 for v in vs))


def _sum_int(values: Iterable[int | None]) -> int | None:
    total = _sum(values)
    return None if total is None else int(total)


# --------------------------------------------------------------------------------- checks


def load_schema(folder: Path) -> etree.XMLSchema:
    """The IATI activity schema from ``folder`` (with its ``iati-common`` and ``xml`` XSDs)."""
    return etree.XMLSchema(etree.parse(str(folder / SCHEMA_FILE)))


def problems(root: etree._Element, schema: etree.XMLSchema) -> list[str]:
    """Every way the document falls short: the schema's complaints, then the ruleset's."""
    found = []
    if not schema.validate(root):
        for e in schema.error_log:
            found.append(f"{_where(root, e.path)}: {e.message}")
    for a in root.iter("iati-activity"):
        found.extend(ruleset_problems(a))
    return found


def _where(root: etree._Element, path: str | None) -> str:
    """The failing element's XPath, led by the activity it is in."""
    if not path:
        return "iati-activities"
    hits = root.xpath(path) if path.startswith("/") else []
    if hits and isinstance(hits[0], etree._Element):
        activity = next((x for x in hits[0].iterancestors("iati-activity")), None)
        if activity is not None:
            ident = activity.findtext("iati-identifier") or "(no identifier)"
            return f"{ident} {path}"
    return path


def ruleset_problems(a: etree._Element) -> list[str]:
    """The IATI ruleset items that matter for results, for one activity."""
    ident = a.findtext("iati-identifier") or ""
    at = ident or "(no identifier)"
    out = []
    ref = a.find("reporting-org")
    prefix = ref.get("ref", "") if ref is not None else ""
    if not prefix or not ident.startswith(prefix):
        out.append(f"{at} iati-identifier: must start with the reporting-org ref "
                   f"'{prefix}' (then a hyphen and the activity's own id)")
    dates = {d.get("type"): d.get("iso-date", "") for d in a.iter("activity-date")}
    for start, end, words in (("1", "3", "planned"), ("2", "4", "actual")):
        if start in dates and end in dates and not dates[start] < dates[end]:
            out.append(f"{at} activity-date: the {words} start {dates[start]} is not before "
                       f"the {words} end {dates[end]}")
    shares = [c.get("percentage") for c in a.iter("recipient-country")]
    if len(shares) > 1 and (None in shares or
                            abs(sum(float(s or 0) for s in shares) - 100) > 0.001):
        out.append(f"{at} recipient-country: the percentages of several countries must sum "
                   "to 100")
    for ind in a.iter("indicator"):
        out.extend(_indicator_problems(at, ind))
    return out


def _indicator_problems(at: str, ind: etree._Element) -> list[str]:
    code = ind.find("reference")
    name = f"{at} indicator {code.get('code') if code is not None else '?'}"
    out = []
    numeric = ind.get("measure") in NUMERIC_MEASURES
    for el in ind.iter("baseline", "target", "actual"):
        value = el.get("value")
        if numeric and (value is None or not _is_number(value)):
            out.append(f"{name} {el.tag}: value '{value or ''}' must be a number for measure "
                       f"{ind.get('measure')}")
    for period in ind.iter("period"):
        start = period.find("period-start")
        end = period.find("period-end")
        if start is not None and end is not None and \
                not start.get("iso-date", "") < end.get("iso-date", ""):
            out.append(f"{name} period: the start {start.get('iso-date')} is not before the "
                       f"end {end.get('iso-date')}")
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip().lower() not in ("nan", "inf", "-inf", "infinity")


def check(root: etree._Element, schema: etree.XMLSchema) -> None:
    """Raise ``IatiProblems`` unless the document is valid IATI 2.03 and passes the rules."""
    found = problems(root, schema)
    if found:
        raise IatiProblems(found)


def to_bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))
