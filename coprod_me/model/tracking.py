"""Is an indicator on track? A pure, direction-aware judgement with a reason a user can check.

The rules, in order:

1. No latest value: ``no_data``.
2. ``maintain_range``: inside [range_min, range_max] (inclusive) is on track, outside is off
   track; without both bounds there is nothing to judge against (``no_data``).
3. ``increase`` / ``decrease`` with thresholds: ``amber_at`` and ``red_at`` are values of the
   indicator itself. A value *worse* than ``red_at`` (below it for an increase, above it for a
   decrease) is off track; worse than ``amber_at`` is at risk; otherwise on track. A value
   exactly at a threshold has not crossed it, so a target set equal to ``amber_at`` counts
   as on track when it is met. Thresholds are the evaluator's explicit call and win over
   the target.
4. Without thresholds, against the target: met or beaten is on track; otherwise the baseline
   decides: better than the baseline (moving towards the target) is on track, no change is at
   risk, worse is off track. Without a baseline, a missed target cannot be judged (no_data).
5. Without thresholds or a target, the baseline alone: better is on track, equal at risk,
   worse off track; with no baseline either, ``no_data``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from coprod_me.model.amounts import amount
from coprod_me.model.enums import Direction


class Track(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"  # amber
    OFF_TRACK = "off_track"  # red
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class Status:
    track: Track
    reason: str

    @property
    def label(self) -> str:
        return self.track.label


def fmt(value: float) -> str:
    """A number as people read it: thousands separated, at most two decimals, no trailing 0."""
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _clean(v: float | None) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


def on_track(
    direction: str | None,
    baseline: float | None,
    latest: float | None,
    target: float | None,
    amber_at: float | None = None,
    red_at: float | None = None,
    range_min: float | None = None,
    range_max: float | None = None,
    unit: str | None = None,
) -> Status:
    """The status of the latest value, and why (see the module docstring for the rules); with
    ``unit`` the figures in the why are rounded and suffixed as that unit's ("78.3 %")."""
    show = fmt if unit is None else (lambda x: amount(x, unit))
    baseline, latest, target = _clean(baseline), _clean(latest), _clean(target)
    amber_at, red_at = _clean(amber_at), _clean(red_at)
    range_min, range_max = _clean(range_min), _clean(range_max)
    if latest is None:
        return Status(Track.NO_DATA, "no value recorded yet")
    v = show(latest)

    if direction == Direction.MAINTAIN_RANGE:
        if range_min is None or range_max is None:
            return Status(Track.NO_DATA, f"{v}: set range_min and range_max to judge a value "
                                         "that should stay in a range")
        lo, hi = sorted((range_min, range_max))
        span = f"{show(lo)}–{show(hi)}"
        if latest < lo:
            return Status(Track.OFF_TRACK, f"{v} is below the range {span}")
        if latest > hi:
            return Status(Track.OFF_TRACK, f"{v} is above the range {span}")
        return Status(Track.ON_TRACK, f"{v} is within the range {span}")

    up = direction != Direction.DECREASE  # increase is the default direction

    def better(a: float, b: float) -> bool:
        return a > b if up else a < b

    worse_word = "below" if up else "above"
    target_note = ""
    if target is not None:
        target_note = (f"; target {show(target)} met" if not better(target, latest)
                       else f"; target {show(target)}")

    if red_at is not None and better(red_at, latest):
        return Status(Track.OFF_TRACK, f"{v} is {worse_word} the red threshold {show(red_at)}"
                      + target_note)
    if amber_at is not None and better(amber_at, latest):
        return Status(Track.AT_RISK, f"{v} is {worse_word} the amber threshold {show(amber_at)}"
                      + target_note)
    if amber_at is not None:
        return Status(Track.ON_TRACK, f"{v} has not crossed the amber threshold "
                      f"{show(amber_at)}" + target_note)
    if red_at is not None:
        return Status(Track.ON_TRACK, f"{v} has not crossed the red threshold {show(red_at)}"
                      + target_note)

    if target is not None:
        if not better(target, latest):
            return Status(Track.ON_TRACK, f"{v} meets the target {show(target)}")
        if baseline is None:
            return Status(Track.NO_DATA, f"{v} is short of the target {show(target)}; without a "
                                         "baseline or thresholds progress cannot be judged")
        if better(latest, baseline):
            share = (latest - baseline) / (target - baseline) if target != baseline else 1.0
            return Status(Track.ON_TRACK, f"{v} is {round(100 * share)} % of the way from the "
                                          f"baseline {show(baseline)} to the target "
                                          f"{show(target)}")
        if latest == baseline:
            return Status(Track.AT_RISK, f"{v} has not moved from the baseline "
                                         f"{show(baseline)}; target {show(target)}")
        return Status(Track.OFF_TRACK, f"{v} is worse than the baseline {show(baseline)}; "
                                       f"target {show(target)}")

    if baseline is None:
        return Status(Track.NO_DATA, f"{v}: no target, baseline or thresholds to judge it "
                                     "against")
    if better(latest, baseline):
        return Status(Track.ON_TRACK, f"{v} is better than the baseline {show(baseline)} "
                                      "(no target set)")
    if latest == baseline:
        return Status(Track.AT_RISK, f"{v} has not moved from the baseline {show(baseline)} "
                                     "(no target set)")
    return Status(Track.OFF_TRACK, f"{v} is worse than the baseline {show(baseline)} "
                                   "(no target set)")
