"""The terms an indicator is read on, declared once for every read model that carries them.

What it is (code, name, result level), what it counts and which way is better (unit,
direction), where it started (baseline) and when it is in trouble (amber, red, or outside
its range). The report's ``IndicatorInfo`` and the charts' ``IndicatorSeries`` extend it; the
fields are keyword-only, so each read model keeps its own positional fields and a shared one
can never be passed in the wrong place.
"""

from __future__ import annotations

from dataclasses import dataclass

from coprod_me.model.enums import ResultLevel

_OUTCOME_LEVELS = (ResultLevel.OUTCOME_SHORT, ResultLevel.OUTCOME_INTERMEDIATE)


@dataclass(frozen=True, kw_only=True)
class IndicatorTerms:
    code: str
    name: str
    result_level: str  # a ResultLevel value
    unit: str  # a Unit value
    direction: str  # increase, decrease or maintain_range
    baseline_value: float | None = None
    baseline_period: str | None = None
    amber_at: float | None = None
    red_at: float | None = None
    range_min: float | None = None
    range_max: float | None = None

    @property
    def is_outcome(self) -> bool:
        return self.result_level in _OUTCOME_LEVELS
