"""Outcomes, not outputs (domain §1.5.1): the classification wizard, lexical cues, the
derived traditional / non-traditional label and the structural gates.

Pure functions over entities or plain values, so the GUI, the CLI, the loader and the risk
engine (DQ-4) all apply the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from coprod_me.model.enums import (
    Direction,
    IntendedOutcome,
    InteractionMode,
    OrsType,
    OsLevel,
    Phase,
    RbaQuadrant,
    ResultLevel,
    TraditionLabel,
    Unit,
    VerificationType,
)

if TYPE_CHECKING:  # annotations only: the label and the gates need no tables built
    from coprod_me.model.entities import Indicator


class GateIndicator(Protocol):
    """What the outcome gates read of an indicator: an entity, or a plain row of the same
    columns (``coprod-me list`` and ``gates`` read plain rows, without building the tables)."""

    @property
    def id(self) -> int | None: ...
    @property
    def code(self) -> str: ...
    @property
    def result_level(self) -> str: ...
    @property
    def phases(self) -> str | None: ...
    @property
    def baseline_value(self) -> float | None: ...
    @property
    def direction(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def numerator_def(self) -> str | None: ...
    @property
    def denominator_def(self) -> str | None: ...
    @property
    def disaggregation_required(self) -> str | None: ...
    @property
    def verification_type(self) -> str | None: ...


class GateLink(Protocol):
    """What the outcome gates read of a result link."""

    @property
    def from_indicator_id(self) -> int: ...
    @property
    def to_indicator_id(self) -> int: ...
    @property
    def assumption_text(self) -> str: ...


T = TypeVar("T", bound=Hashable)

# ------------------------------------------------------------------------------------------
# Traditional / non-traditional label [SSH18]


def derive_tradition_label(
    interaction_mode: str | None,
    os_level: str | None,
    ors_type: str | None,
    intended_outcome: str | None,
) -> tuple[TraditionLabel, str]:
    """The derived label and a sentence saying why, so the user can judge an override."""
    ict = interaction_mode in (InteractionMode.ICT_SYNC, InteractionMode.ICT_ASYNC)
    innovative = [
        reason
        for reason, holds in (
            ("the intended outcome is user-led innovation",
             intended_outcome == IntendedOutcome.USER_LED_INNOVATION),
            ("the O&S level is enhanced", os_level == OsLevel.ENHANCED),
            ("the ORS type is co-innovation", ors_type == OrsType.CO_INNOVATION),
        )
        if holds
    ]
    if ict and innovative:
        return TraditionLabel.NON_TRADITIONAL, (
            f"non-traditional: interaction is ICT-mediated ({interaction_mode}) and "
            + " and ".join(innovative)
        )
    if interaction_mode == InteractionMode.IN_PERSON_SYNC and os_level in (
        OsLevel.CONSUMER,
        OsLevel.PARTICIPATIVE,
    ):
        return TraditionLabel.TRADITIONAL, (
            f"traditional: interaction is in person and the O&S level is {os_level}, "
            "within the existing delivery framework"
        )
    missing = [n for n, v in (("interaction mode", interaction_mode), ("O&S level", os_level))
               if not v]
    if missing:
        return TraditionLabel.MIXED, "mixed: " + " and ".join(missing) + " not yet classified"
    return TraditionLabel.MIXED, (
        f"mixed: interaction mode {interaction_mode} with O&S level {os_level} fits neither the "
        "traditional nor the non-traditional pattern"
    )


# ------------------------------------------------------------------------------------------
# Lexical heuristics (warnings, never blocks)

_OUTPUT_CUES = [
    r"\bnumber of\b", r"\bno\. of\b", r"\btrained\b", r"\btraining(s)? (held|delivered)\b",
    r"\bbuilt\b", r"\bconstructed\b", r"\bheld\b", r"\bsessions?\b", r"\bworkshops?\b",
    r"\bevents?\b", r"\bdistributed\b", r"\bkits?\b", r"\bapps? launched\b", r"\blaunched\b",
    r"\bdatasets? published\b", r"\bpublished\b", r"\breports? (produced|submitted|written)\b",
    r"\bmeetings?\b", r"\benrolled\b", r"\bregistered\b", r"\bsuggestions received\b",
    r"\bdelivered\b", r"\bdeployed\b", r"\bhosted\b", r"\bactivated\b", r"\bsubmitted\b",
    r"\breceived\b", r"\bvisits\b", r"\bemployed\b", r"\bupgraded\b", r"\bdeclared\b",
]
_OUTPUT_RE = [re.compile(p, re.IGNORECASE) for p in _OUTPUT_CUES]

SANITATION_EXAMPLE = (
    "India's Total Sanitation Campaign counted toilets built and reported 68 % coverage, while "
    "the 2011 census found 31 %: toilets were built but not used. Count what people do "
    "differently (households where everyone uses a toilet), not what the programme did."
)


def output_cues(name: str) -> list[str]:
    """The output-like phrases found in an indicator name ("trained", "number of" ...)."""
    found = []
    for rx in _OUTPUT_RE:
        m = rx.search(name)
        if m:
            found.append(m.group(0))
    return found


def coaching_warnings(name: str, result_level: str | None) -> list[str]:
    """One-line coaching when an output-sounding name is marked as an outcome."""
    if result_level is None or not ResultLevel(result_level).is_outcome:
        return []
    cues = output_cues(name)
    if not cues:
        return []
    quoted = ", ".join(f"'{c}'" for c in cues)
    return [
        f"'{name}' reads like an output ({quoted}) but is marked as an outcome. "
        f"Could it hit its target while nobody is better off? {SANITATION_EXAMPLE}"
    ]


# ------------------------------------------------------------------------------------------
# Classification wizard (domain §1.5.1 A)


@dataclass(frozen=True)
class WizardAnswers:
    """Answers to the five coaching questions; None means not answered yet."""

    more_work_raises_it: bool | None = None  # 1: built, trained, held, distributed ...
    about_how_well: bool | None = None  # 2: timeliness, quality, reach, retention
    change_in_people_or_place: bool | None = None  # 3: is anyone better off?
    target_hit_while_nobody_better_off: bool | None = None  # 4: counterfactual test
    programme_can_move_it: bool | None = None  # 5: attribution test


WIZARD_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("more_work_raises_it",
     "Would this number rise simply because the programme did more work (built, trained, held, "
     "distributed, enrolled, launched, published)?"),
    ("about_how_well",
     "Is it about how well the work was done (timeliness, quality, reach of the intended group, "
     "retention)?"),
    ("change_in_people_or_place",
     "Does it describe a change in people's skills or knowledge, attitudes, behaviour or "
     "circumstances, or in the condition of a population or place?"),
    ("target_hit_while_nobody_better_off",
     "Could this indicator hit its target while nobody is better off (e.g. toilets built but "
     "not used)?"),
    ("programme_can_move_it",
     "Could the programme change this number within its lifetime?"),
)

PARTICIPATION_NOTE = (
    "Participation is not the outcome: counts of co-producers are 'how much'; retention and "
    "representativeness of participants are 'how well'; changes in participants (self-efficacy, "
    "health literacy, sustained behaviour) can be outcomes."
)


@dataclass(frozen=True)
class Suggestion:
    result_level: ResultLevel
    rba_quadrant: RbaQuadrant
    ask_better_off_type: bool
    reason: str


def suggest_classification(a: WizardAnswers) -> Suggestion | None:
    """The result level and RBA quadrant the answers point to, or None if undecided."""
    if a.change_in_people_or_place:
        if a.target_hit_while_nobody_better_off:
            return Suggestion(
                ResultLevel.OUTPUT, RbaQuadrant.HOW_WELL, False,
                "It could hit its target while nobody is better off, so it cannot be an "
                "outcome; treat it as an output and link it to the outcome it should drive.",
            )
        if a.programme_can_move_it is False:
            return Suggestion(
                ResultLevel.IMPACT, RbaQuadrant.BETTER_OFF, True,
                "A change in people or place that the programme cannot move within its "
                "lifetime: an impact (population accountability; claim contribution, not "
                "attribution).",
            )
        return Suggestion(
            ResultLevel.OUTCOME_SHORT, RbaQuadrant.BETTER_OFF, True,
            "It describes people being better off and the programme can move it: an outcome. "
            "Say which kind of change (skills/knowledge, attitude, behaviour, circumstance).",
        )
    if a.programme_can_move_it is False and a.change_in_people_or_place is False:
        return Suggestion(
            ResultLevel.CONTEXT, RbaQuadrant.HOW_MUCH, False,
            "The programme cannot move it and it is not a result of the programme's work: a "
            "context indicator, shown for interpretation and never attributed.",
        )
    if a.about_how_well:
        return Suggestion(
            ResultLevel.OUTPUT, RbaQuadrant.HOW_WELL, False,
            "It measures how well the work was done: an output ('how well').",
        )
    if a.more_work_raises_it:
        return Suggestion(
            ResultLevel.OUTPUT, RbaQuadrant.HOW_MUCH, False,
            "It rises when the programme simply does more: an output ('how much').",
        )
    return None


# ------------------------------------------------------------------------------------------
# Indicator consistency


def indicator_problems(ind: Indicator) -> list[str]:
    """Hard rules an indicator must satisfy before it is saved; each says what to fix."""
    problems: list[str] = []
    if ind.rba_quadrant == RbaQuadrant.BETTER_OFF and not ind.better_off_type:
        problems.append(
            f"{ind.code}: a 'better off' indicator needs a better_off_type "
            "(skills_knowledge, attitude_opinion, behaviour or circumstance)")
    level = ind.result_level
    if (level in (ResultLevel.OUTCOME_SHORT, ResultLevel.OUTCOME_INTERMEDIATE)
            and ind.rba_quadrant == RbaQuadrant.HOW_MUCH):
        problems.append(
            f"{ind.code}: an outcome says whether anyone is better off (or how well the "
            "service works); 'how much did we do?' is an output's question: make it an "
            "output, or choose the 'is anyone better off?' or 'how well' quadrant")
    if ind.direction == Direction.MAINTAIN_RANGE:
        if ind.range_min is None or ind.range_max is None:
            problems.append(f"{ind.code}: direction maintain_range needs range_min and range_max")
        elif ind.range_min > ind.range_max:
            problems.append(f"{ind.code}: range_min {ind.range_min} is above range_max "
                            f"{ind.range_max}; swap them")
    if ind.unit == Unit.PERCENT:
        for name in ("baseline_value", "amber_at", "red_at", "range_min", "range_max"):
            v = getattr(ind, name)
            if v is not None and not 0 <= v <= 100:
                problems.append(f"{ind.code}: {name} {v} is a percent and must be between 0 "
                                "and 100")
    if ind.evidence_standard is not None and not 1 <= ind.evidence_standard <= 5:
        problems.append(f"{ind.code}: evidence_standard must be a Nesta level from 1 to 5")
    return problems


def leads_to(next_of: Callable[[T], Iterable[T]], start: T, goal: T) -> bool:
    """Whether a results chain runs from ``start`` to ``goal``: adding goal -> start then
    would make a cycle, and a results chain runs one way."""
    stack, seen = [start], set()
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(next_of(node))
    return False


def split_list(text: str | None) -> list[str]:
    if not text:
        return []
    return [p.strip() for p in text.split(",") if p.strip()]


# ------------------------------------------------------------------------------------------
# Structural gates (domain §1.5.1 C)


@dataclass(frozen=True)
class Gate:
    code: str
    title: str
    met: bool
    explanation: str
    details: tuple[str, ...] = field(default_factory=tuple)


def _is_outcome(ind: GateIndicator) -> bool:
    return ResultLevel(ind.result_level).is_outcome


def structural_gates(
    indicators: Sequence[GateIndicator],
    links: Iterable[GateLink],
    phases_covered: Iterable[str],
) -> list[Gate]:
    """Every gate, met or not, each with an explanation a user can act on."""
    outcomes = [i for i in indicators if _is_outcome(i)]
    outputs = [i for i in indicators if i.result_level == ResultLevel.OUTPUT]
    by_id = {i.id: i for i in indicators}
    gates: list[Gate] = []

    # G1: at least two outcomes, and one for every phase covered
    phases = sorted(set(phases_covered), key=lambda p: list(Phase).index(Phase(p)))
    uncovered = [p for p in phases if not any(p in split_list(o.phases) for o in outcomes)]
    details = [f"no outcome indicator measures phase {p}" for p in uncovered]
    if len(outcomes) < 2:
        details.insert(0, f"only {len(outcomes)} outcome indicator(s); at least 2 are needed")
    gates.append(Gate(
        "G1", "At least two outcomes, and one for each phase covered", not details,
        "Outcome indicators say whether anyone is better off; a programme needs at least two, "
        "and each service-cycle phase it covers needs one.", tuple(details)))

    # G2: outcome : output ratio >= 1
    ok = len(outcomes) >= len(outputs)
    gates.append(Gate(
        "G2", "At least as many outcomes as outputs", ok,
        "An indicator set heavy with outputs measures activity, not results.",
        () if ok else (f"{len(outcomes)} outcome(s) for {len(outputs)} output(s)",)))

    # G3: every output linked to an outcome with an assumption
    linked: dict[int | None, list[GateLink]] = {}
    for link in links:
        linked.setdefault(link.from_indicator_id, []).append(link)
    details = []
    for o in outputs:
        good = [
            lk for lk in linked.get(o.id, [])
            if (t := by_id.get(lk.to_indicator_id)) is not None and _is_outcome(t)
            and (lk.assumption_text or "").strip()
        ]
        if not good:
            details.append(f"output {o.code} is not linked to an outcome with an assumption")
    gates.append(Gate(
        "G3", "Every output is linked to an outcome, with its assumption", not details,
        "A link says which outcome an output should drive and why; it makes the 'busy but not "
        "better' check (CD-1) possible.", tuple(details)))

    # G4: outcome completeness
    details = []
    for o in outcomes:
        missing = []
        if o.baseline_value is None:
            missing.append("a baseline")
        if not o.direction:
            missing.append("a direction")
        if Unit(o.unit).needs_numerator_and_denominator and not (
            o.numerator_def and o.denominator_def
        ):
            missing.append("numerator and denominator definitions")
        if not split_list(o.disaggregation_required):
            missing.append("a required disaggregation")
        if missing:
            details.append(f"outcome {o.code} lacks " + ", ".join(missing))
    gates.append(Gate(
        "G4", "Every outcome has baseline, direction, definitions and a disaggregation",
        not details,
        "Without a baseline there is no curve to turn; without disaggregation, equity gaps "
        "stay hidden.", tuple(details)))

    # G5: not only providers' own claims
    independent = [o for o in outcomes
                   if o.verification_type and o.verification_type
                   != VerificationType.SELF_REPORT_PROVIDER]
    ok = bool(independent)
    gates.append(Gate(
        "G5", "At least one outcome is verified by someone other than the provider", ok,
        "India's sanitation campaign reported 68 % coverage while the census found 31 %: "
        "providers' own claims cannot be the only evidence.",
        () if ok else ("every outcome is self-reported by providers or has no verification type",
                       )))
    return gates


def unmet_gates(gates: Iterable[Gate]) -> list[Gate]:
    return [g for g in gates if not g.met]
