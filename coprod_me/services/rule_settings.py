"""The rules and their parameters, and a programme's own thresholds for them.

A programme may override any parameter of a rule (with a reason, kept in the audit log);
the next rules run uses it. The rules themselves are data (``resources/rules/*.json``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from coprod_me.model import entities as M
from coprod_me.model.errors import DomainError, NotFound, ValidationFailed
from coprod_me.queries.programmes import get_programme
from coprod_me.queries.rule_parameters import parameter_override, parameter_overrides
from coprod_me.risks.definitions import RuleDefinition, load_rules
from coprod_me.services.flag_register import reason_given
from coprod_me.store.session import Store, current_user, now


@dataclass(frozen=True)
class RuleView:
    id: str
    category: str
    type: str
    title: str
    rationale: str
    citations: list[str]
    params: list[dict[str, Any]]  # name, label, value, tag, default, overridden, reason
    version: int = 1
    enabled: bool = True
    logic: str = ""
    severity_logic: list[dict[str, str]] = field(default_factory=list)
    window_periods: int | None = None
    min_n: int | None = None


def _rule(rule_id: str, param: str) -> RuleDefinition:
    rule = load_rules().get(rule_id)
    if rule is None:
        raise NotFound(f"no risk rule '{rule_id}'; 'coprod-me flags' lists them")
    if param not in rule.param_names():
        raise DomainError(f"rule {rule_id} has no parameter '{param}'; it has "
                          f"{', '.join(rule.param_names())}")
    return rule


class RuleSettingsService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def rules(self, code: str | None = None) -> list[RuleView]:
        """Every rule with its parameters, as the programme (None: the defaults) sets them."""
        overrides: dict[tuple[str, str], M.RuleParameterOverride] = {}
        if code is not None:
            with self.store.read() as s:
                prog = get_programme(s, code)
                assert prog.id is not None
                for o in parameter_overrides(s, [prog.id]):
                    overrides[(o.rule_id, o.param)] = o
        out = []
        for r in load_rules().values():
            params = []
            for name in r.param_names():
                p = r.params.get(name)
                default = p.value if p else (r.min_n if r.min_n is not None else 30)
                ov = overrides.get((r.rule_id, name))
                params.append({"name": name, "label": p.label if p else "minimum n",
                               "value": json.loads(ov.value_json) if ov else default,
                               "tag": p.tag if p else "CONV", "default": default,
                               "overridden": ov is not None,
                               "reason": ov.reason if ov else None})
            out.append(RuleView(r.rule_id, r.category, r.type, r.title, r.rationale,
                                list(r.citations), params, r.version, r.enabled, r.logic,
                                list(r.severity_logic), r.window_periods, r.min_n))
        return out

    def set_parameter(self, code: str, rule_id: str, param: str, value: Any, *,
                      reason: str) -> None:
        """The programme's own value for a rule parameter (a number where the default is)."""
        why = reason_given(reason, "a reason for changing the threshold")
        rule = _rule(rule_id, param)
        default = rule.values()[param]
        numeric = isinstance(default, (int, float)) and not isinstance(default, bool)
        if numeric and (isinstance(value, bool) or not isinstance(value, (int, float))):
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise ValidationFailed([f"{rule_id} {param} must be a number, not "
                                        f"{value!r}"]) from None
        with self.store.session(reason=why) as s:
            prog = get_programme(s, code)
            row = parameter_override(s, prog.id, rule_id, param)
            text = json.dumps(value)
            if row is None:
                assert prog.id is not None
                s.add(M.RuleParameterOverride(programme_id=prog.id, rule_id=rule_id,
                                              param=param, value_json=text, reason=why,
                                              user=s.info.get("user") or current_user(),
                                              set_at=now()))
            else:
                row.value_json, row.reason, row.set_at = text, why, now()

    def clear_parameter(self, code: str, rule_id: str, param: str, *, reason: str) -> None:
        """Back to the rule's default for the programme."""
        why = reason_given(reason, "a reason for restoring the default threshold")
        _rule(rule_id, param)
        with self.store.session(reason=why) as s:
            prog = get_programme(s, code)
            row = parameter_override(s, prog.id, rule_id, param)
            if row is not None:
                s.delete(row)
