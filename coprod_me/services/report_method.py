"""The report's Method sheet from the rule data: every rule with its default parameter values,
the programmes' own values with their reasons, the provenance tags and the full sources."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlmodel import Session

from coprod_me.queries.programmes import get_programme
from coprod_me.queries.rule_parameters import parameter_overrides
from coprod_me.reports import quarterly_model as R
from coprod_me.risks.definitions import (
    PROVENANCE,
    TAGS,
    RuleDefinition,
    load_checklist_items,
    load_rules,
    load_sources,
    param_unit,
    value_text,
)


def method_of(session: Session, codes: Sequence[str]) -> R.Method:
    """The rules, the parameter values the programmes ``codes`` override, and the sources
    the rules and checklist items cite."""
    rules = load_rules()
    overrides = []
    for code in codes:
        prog = get_programme(session, code)
        assert prog.id is not None
        for o in sorted(parameter_overrides(session, [prog.id]),
                        key=lambda o: (o.rule_id, o.param)):
            rule = rules.get(o.rule_id)
            value = json.loads(o.value_json)
            default = rule.defaults.get(o.param) if rule is not None else None
            unit = _unit(rule, o.param, value)
            param = rule.params.get(o.param) if rule is not None else None
            overrides.append(R.MethodOverride(
                code, o.rule_id, f"{param.label} ({o.param})" if param else o.param,
                value_text(value, unit),
                "" if default is None else value_text(default, unit), o.reason, o.user,
                o.set_at.date()))
    cited = {c for r in rules.values() for c in r.citations}
    cited |= {c for i in load_checklist_items().values() for c in i.citations}
    sources = load_sources()
    return R.Method(
        rules=tuple(_rule(r) for r in rules.values()), overrides=tuple(overrides),
        sources=tuple((k, sources.get(k, k)) for k in sorted(cited)),
        provenance=tuple((t, PROVENANCE[t].split(": ", 1)[1]) for t in TAGS))


def _unit(rule: RuleDefinition | None, name: str, value: object) -> str:
    param = rule.params.get(name) if rule is not None else None
    if param is not None:
        return param.unit
    return "count" if name == "min_n" else param_unit(name, name, value)


def _rule(r: RuleDefinition) -> R.MethodRule:
    params = tuple(R.MethodParameter(p.name, p.label, p.text, p.tag)
                   for p in r.params.values())
    if r.min_n is not None:
        params += (R.MethodParameter("min_n", "minimum n", str(r.min_n), "CONV"),)
    return R.MethodRule(r.rule_id, r.title, r.category, r.enabled, r.detects or r.rationale,
                        r.logic, params, r.next_step, r.citations)
