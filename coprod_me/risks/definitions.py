"""Rule definitions and checklist items, read from ``resources/rules/*.json``.

The JSON files are the single description of every rule (domain §2): parameters with their
provenance tag (LIT, ANCHOR, REG, CONV), severity logic, window, minimum n, citations and
rationale. A programme may override a parameter; ``RuleDefinition.values`` applies overrides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

from coprod_me.model.enums import RiskCategory, Severity

RULE_FILES = tuple(c.value for c in RiskCategory)
TAGS = ("LIT", "ANCHOR", "REG", "CONV")
#: Where a threshold's value comes from, in words (the tags of the rule data, and the two
#: kinds of number a flag shows that are no parameter).
PROVENANCE: dict[str, str] = {
    "LIT": "LIT: from the literature (the value or construct comes straight from the cited "
           "source)",
    "ANCHOR": "ANCHOR: anchored on a published benchmark (a convention set against a "
              "published empirical figure)",
    "REG": "REG: regulatory (borrowed from a screening convention in another field: its "
           "logic, not its legal force)",
    "CONV": "CONV: a convention chosen by coprod-me, documented in docs/rules.md; defensible "
            "but not evidence-based, so a programme may adjust it",
    "measured": "measured: a number the rule computed from the programme's data, shown for "
                "context; it is no threshold",
    "checklist": "checklist: the answer the checklist item treats as a risk",
}
#: Units of rule parameters, in words ("" for a plain count or number).
UNIT_WORDS: dict[str, str] = {
    "percent": "%", "pp": "percentage points", "points": "points", "relative": "relative change",
    "ratio": "ratio", "quarters": "quarters", "months": "months", "index": "HHI points",
    "per_1000": "per 1,000", "score": "score 0-4", "sd": "standard deviations",
    "times": "times", "count": "", "list": "",
}


def param_unit(name: str, label: str, value: Any) -> str:
    """A parameter's unit read from its name and label, for rule data that does not say it
    ("unit" in the parameter's JSON wins)."""
    text = f"{name} {label}".lower()  # "_pp " matches a name's end
    if isinstance(value, list):
        return "list"
    for unit, marks in (("per_1000", ("per_1000", "per 1,000")), ("percent", ("_pct", "(%")),
                        ("pp", ("_pp ",)), ("points", ("(points",)),
                        ("sd", ("standard deviations",)), ("times", ("multiple of",)),
                        ("relative", ("_rel", "(relative)")),
                        ("quarters", ("quarters",)), ("months", ("months",)),
                        ("index", ("hhi",)), ("score", ("0-4",)),
                        ("ratio", ("ratio", "_rr", "rr_", "ogr"))):
        if any(m in text for m in marks):
            return unit
    return "count"


def value_text(value: Any, unit: str) -> str:
    """A parameter's value with its unit: "25 %", "0.10 relative change (10 %)", "1,500 HHI
    points"."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    number = f"{value:,.2f}".rstrip("0").rstrip(".") if unit in ("ratio", "relative",
                                                                  "per_1000") else f"{value:,g}"
    if unit == "percent":
        return f"{number} %"
    if unit == "relative":
        return f"{number} relative change ({value * 100:g} %)"
    words = UNIT_WORDS.get(unit, "")
    return f"{number} {words}".strip()


@dataclass(frozen=True)
class RuleParam:
    name: str
    value: Any
    tag: str
    label: str
    unit: str = ""

    @property
    def text(self) -> str:
        """The value with its unit, as the annex and the report show it."""
        return value_text(self.value, self.unit)


@dataclass(frozen=True)
class RuleDefinition:
    rule_id: str
    version: int
    category: str
    type: str  # computed, checklist, composite
    title: str
    logic: str
    params: dict[str, RuleParam]
    severity_logic: tuple[dict[str, str], ...]
    window_periods: int | None
    min_n: int | None
    persistence_escalation: bool
    citations: tuple[str, ...]
    rationale: str
    enabled: bool = True
    #: What the rule detects, in an evaluator's words (the annex's first line for it).
    detects: str = ""
    #: What an evaluator should do to confirm the flag or act on it.
    next_step: str = ""
    #: Deliberate departures from the rule's text: {"what", "reason", "arithmetic"} each.
    departures: tuple[dict[str, str], ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """The citations in full (author, year, title, where), in the rule's order."""
        if not self.citations:  # a working convention: say so rather than cite nothing
            return (f"No published source: {self.rule_id} is a working convention of "
                    "coprod-me; its reasoning is set out in docs/rules.md.",)
        return tuple(full_citation(c) for c in self.citations)

    def values(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """Parameter values with a programme's overrides applied (min_n included). Without
        overrides this is one shared dict: read it, never change it."""
        if not overrides:
            return self.defaults
        return {**self.defaults, **overrides}

    @cached_property
    def defaults(self) -> dict[str, Any]:
        out = {name: p.value for name, p in self.params.items()}
        out["min_n"] = self.min_n if self.min_n is not None else 30
        return out

    def param_names(self) -> list[str]:
        return [*self.params, "min_n"]


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    category: str
    question: str
    help: str
    risk_answer: str
    severity_if_risk: str
    evidence_required: bool
    citations: tuple[str, ...]
    severity_if_partly: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: What a risky answer implies for the programme, and the evidence that would clear it.
    implies: str = ""
    clears: str = ""


def _read(name: str) -> dict[str, Any]:
    text = resources.files("coprod_me").joinpath("resources", "rules", f"{name}.json").read_text(
        encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _rule(d: dict[str, Any]) -> RuleDefinition:
    params = {name: RuleParam(name, p["value"], p["tag"], p.get("label", name),
                              p.get("unit") or param_unit(name, p.get("label", name), p["value"]))
              for name, p in d.get("params", {}).items()}
    for p in params.values():
        if p.tag not in TAGS:
            raise ValueError(f"rule {d['rule_id']}: parameter {p.name} has tag {p.tag!r}")
    return RuleDefinition(
        rule_id=d["rule_id"], version=int(d.get("version", 1)), category=d["category"],
        type=d.get("type", "computed"), title=d["title"], logic=d.get("logic", ""),
        params=params, severity_logic=tuple(d.get("severity_logic", ())),
        window_periods=d.get("window_periods"), min_n=d.get("min_n"),
        persistence_escalation=bool(d.get("persistence_escalation", True)),
        citations=tuple(d.get("citations", ())), rationale=d.get("rationale", ""),
        enabled=bool(d.get("enabled", True)), detects=d.get("detects", ""),
        next_step=d.get("next_step", ""), departures=tuple(d.get("departures", ())))


@cache
def load_sources() -> dict[str, str]:
    """Every citation key the rules and checklists use, with its full reference
    (``resources/rules/sources.json``; empty until that file exists)."""
    path = resources.files("coprod_me").joinpath("resources", "rules", "sources.json")
    if not path.is_file():
        return {}
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))["sources"]
    return data


def full_citation(key: str) -> str:
    """A citation key's full reference; the key itself when the registry lacks it."""
    return load_sources().get(key, key)


@cache
def load_rules() -> dict[str, RuleDefinition]:
    """Every rule by id, in the order of the files (CD, CL, SU, EQ, DQ)."""
    out: dict[str, RuleDefinition] = {}
    for name in RULE_FILES:
        for d in _read(name)["rules"]:
            out[d["rule_id"]] = _rule(d)
    return out


@cache
def load_checklist_items() -> dict[str, ChecklistItem]:
    out: dict[str, ChecklistItem] = {}
    for d in _read("checklists")["items"]:
        sev = d["severity_if_risk"]
        Severity(sev)  # fail on a typo at load, not at evaluation
        out[d["code"]] = ChecklistItem(
            code=d["code"], category=d["category"], question=d["question"], help=d["help"],
            risk_answer=d["risk_answer"], severity_if_risk=sev,
            evidence_required=bool(d.get("evidence_required", False)),
            citations=tuple(d.get("citations", ())),
            severity_if_partly=d.get("severity_if_partly"), implies=d.get("implies", ""),
            clears=d.get("clears", ""))
    return out
