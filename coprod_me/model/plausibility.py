"""Plausibility warnings: figures that are allowed but look like typos, said before saving.

A cumulative series (a running total) that falls, or a figure ten times (or a tenth of) the
quarter before it or the stored figure it replaces, is what a digit too many, a digit too
few or a decimal mark read as a thousands mark leaves behind. These are never refused (a
recount can lower a total; a programme can scale up): the grid asks before it saves them,
the import preview and the workbook load list them. Pure: callers hand in the stored series.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import le
from typing import Any

from coprod_me.model.values import show

#: A figure this many times its neighbour (or a this-many-th of it) is worth a second look:
#: a digit too many or too few multiplies by ten, a decimal mark read as thousands by 1,000.
JUMP = 10.0

#: One figure a change would store: (quarter, new value, the stored value it replaces or
#: None, …); a caller may carry more of its own after these three (the row it comes from).
Proposed = tuple[Any, ...]


def _jump(value: float, other: float) -> str | None:
    """'is 12 times' or 'is 1/12 of' when ``value`` is at least JUMP times off ``other``."""
    if value <= 0 or other <= 0:
        return None  # from or to nothing, or signed values: no ratio to judge
    ratio = value / other
    if ratio >= JUMP:
        return f"is {show(round(ratio))} times"
    if ratio <= 1 / JUMP:
        return f"is 1/{show(round(1 / ratio))} of"
    return None


def _within_jump(stored: Mapping[str, float], proposed: Sequence[Proposed]) -> bool:
    """Every figure of the series (stored, proposed, replaced) positive and under JUMP times
    the smallest, so no two can be a jump: most series, told apart without ordering their
    quarters (a 100,000-row load stays fast)."""
    values = [p[1] for p in proposed]
    values += [p[2] for p in proposed if p[2] is not None]
    values += stored.values()
    low = min(values)
    return low > 0 and max(values) < JUMP * low


def series_warnings(stored: Mapping[str, float], proposed: Sequence[Proposed], *,
                    cumulative: bool) -> list[tuple[int, str]]:
    """(index into ``proposed``, warning) for each figure of one series (an indicator at a
    strand and disaggregation cell) that looks wrong next to its neighbours.

    ``stored`` maps quarters (canonical, 2024Q2) to the series' stored values; ``proposed``
    are the figures a change would store, one per quarter. Each is compared with the quarter
    before it, and with the quarter after it unless that one is proposed too (it then
    compares itself).
    """
    if not proposed:
        return []
    quiet = _within_jump(stored, proposed)
    if quiet and not cumulative:
        return []
    merged = dict(stored)
    for p in proposed:
        merged[p[0]] = p[1]
    quarters = sorted(merged)  # canonical quarters sort as text
    if quiet:  # a cumulative series: only a fall can warrant a warning
        in_order = [merged[q] for q in quarters]
        if all(map(le, in_order, in_order[1:])):
            return []
    changing = {p[0] for p in proposed}
    at = {q: i for i, q in enumerate(quarters)}
    out: list[tuple[int, str]] = []
    for k, p in enumerate(proposed):
        quarter, value, old = p[0], p[1], p[2]
        i = at[quarter]
        if i > 0:
            pq = quarters[i - 1]
            pv = merged[pq]
            if cumulative and value < pv:
                out.append((k, f"{show(value)} is below {show(pv)} in {pq}, but this series "
                               "is cumulative: a running total does not fall"))
            jump = _jump(value, pv)
            if jump:
                out.append((k, f"{show(value)} {jump} {show(pv)} in {pq}; check for a digit "
                               "too many or too few, or a decimal mark read as thousands"))
        if i + 1 < len(quarters) and quarters[i + 1] not in changing:
            nq = quarters[i + 1]
            nv = merged[nq]
            if cumulative and value > nv:
                out.append((k, f"{show(value)} is above {show(nv)} in {nq}, the quarter after, "
                               "but this series is cumulative: a running total does not fall"))
            jump = _jump(value, nv)
            if jump:
                out.append((k, f"{show(value)} {jump} {show(nv)} in {nq}, the quarter after; "
                               "check for a digit too many or too few, or a decimal mark read "
                               "as thousands"))
        if old is not None:
            jump = _jump(value, old)
            if jump:
                out.append((k, f"{show(value)} {jump} {show(old)}, the figure it replaces"))
    return out
