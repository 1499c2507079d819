"""Indicators, targets and result links, with the outcome-not-output coaching."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coprod_me.model import entities as M
from coprod_me.model.coaching import coaching_warnings, indicator_problems, leads_to
from coprod_me.model.enums import ResultLevel, ResultLinkStrength
from coprod_me.model.errors import DomainError, NotFound
from coprod_me.model.quarter import Quarter
from coprod_me.model.validation import check_code
from coprod_me.queries.indicators import (
    dependents_of,
    find_indicator,
    get_indicator,
    has_observations,
    indicator_ids_of,
    indicators_of,
    link_between,
    link_pairs,
    links_from,
    target_at,
    targets_of,
)
from coprod_me.queries.programmes import get_programme, get_strand
from coprod_me.services.fields import apply_changes
from coprod_me.store.session import Store

if TYPE_CHECKING:
    from coprod_me.services.indicator_status import IndicatorRow


@dataclass(frozen=True)
class Saved:
    """What a save did, with coaching the user should see (never blocking)."""

    id: int
    warnings: tuple[str, ...] = ()


def _check(ind: M.Indicator) -> None:
    problems = indicator_problems(ind)
    if problems:
        raise DomainError("; ".join(problems))


class IndicatorService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def of_programme(self, programme_code: str) -> list[M.Indicator]:
        """Outcomes first, then outputs (domain §1.5.1 E), each group by code."""
        order = {lvl.value: i for i, lvl in enumerate(
            [ResultLevel.IMPACT, ResultLevel.OUTCOME_INTERMEDIATE, ResultLevel.OUTCOME_SHORT,
             ResultLevel.OUTPUT, ResultLevel.ACTIVITY, ResultLevel.INPUT, ResultLevel.CONTEXT])}
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            rows = indicators_of(s, p.id)
        return sorted(rows, key=lambda i: (order.get(i.result_level, 9), i.code))

    def get(self, programme_code: str, code: str) -> M.Indicator:
        with self.store.read() as s:
            return get_indicator(s, get_programme(s, programme_code), code)

    def status_table(self, programme_code: str) -> list[IndicatorRow]:
        """The indicator table with latest value, target and on-track status."""
        from coprod_me.services.indicator_status import indicator_table

        return indicator_table(self.store, programme_code)

    @staticmethod
    def coaching(name: str, result_level: str | None) -> list[str]:
        return coaching_warnings(name, result_level)

    def create(self, programme_code: str, code: str, name: str, *, result_level: str,
               rba_quadrant: str, unit: str, strand: str | None = None,
               reason: str | None = None, **fields: Any) -> Saved:
        code = check_code(code, "indicator")
        if not (name or "").strip():
            raise DomainError("an indicator needs a name that says what is measured")
        with self.store.session(reason=reason or "create indicator") as s:
            p = get_programme(s, programme_code)
            if find_indicator(s, p.id, code):
                raise DomainError(f"{programme_code} already has an indicator '{code}'; "
                                  "choose another code")
            assert p.id is not None
            ind = M.Indicator(programme_id=p.id, code=code, name=name.strip(),
                              result_level="output", rba_quadrant="how_much", unit="count")
            apply_changes(ind, {"result_level": result_level, "rba_quadrant": rba_quadrant,
                                "unit": unit, **fields})
            ind.strand_id = get_strand(s, p, strand)
            _check(ind)
            s.add(ind)
            s.flush()
            assert ind.id is not None
            return Saved(ind.id, tuple(coaching_warnings(ind.name, ind.result_level)))

    def update(self, programme_code: str, code: str, changes: dict[str, Any], *,
               reason: str | None = None) -> Saved:
        with self.store.session(reason=reason) as s:
            p = get_programme(s, programme_code)
            ind = get_indicator(s, p, code)
            changes = dict(changes)
            if "strand" in changes:
                ind.strand_id = get_strand(s, p, changes.pop("strand"))
            if "code" in changes:
                changes["code"] = check_code(changes["code"], "indicator")
            apply_changes(ind, changes)
            _check(ind)
            assert ind.id is not None
            return Saved(ind.id, tuple(coaching_warnings(ind.name, ind.result_level)))

    def delete(self, programme_code: str, code: str, *, reason: str) -> None:
        with self.store.session(reason=reason) as s:
            p = get_programme(s, programme_code)
            ind = get_indicator(s, p, code)
            if has_observations(s, ind.id):
                raise DomainError(f"{code} has observations; delete them first (the audit log "
                                  "keeps them)")
            for row in dependents_of(s, ind.id):
                s.delete(row)
            s.flush()
            s.delete(ind)

    # ----------------------------------------------------------------------------- targets

    def targets(self, programme_code: str, code: str) -> list[M.Target]:
        with self.store.read() as s:
            ind = get_indicator(s, get_programme(s, programme_code), code)
            return targets_of(s, ind.id)

    def set_target(self, programme_code: str, code: str, period: str, value: float, *,
                   strand: str | None = None, rationale: str | None = None,
                   reason: str | None = None) -> int:
        q = str(Quarter.parse(period))
        with self.store.session(reason=reason or "set target") as s:
            p = get_programme(s, programme_code)
            ind = get_indicator(s, p, code)
            strand_id = get_strand(s, p, strand)
            t = target_at(s, ind.id, q, strand_id)
            if t is None:
                assert ind.id is not None
                t = M.Target(indicator_id=ind.id, strand_id=strand_id, period=q, value=0.0)
                s.add(t)
            apply_changes(t, {"value": value, "rationale": rationale})
            s.flush()
            assert t.id is not None
            return t.id

    # ------------------------------------------------------------------------------- links

    def links(self, programme_code: str) -> list[tuple[str, str, M.ResultLink]]:
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            codes = {i.id: i.code for i in indicators_of(s, p.id)}
            rows = links_from(s, [i for i in codes if i is not None])
            return [(codes[r.from_indicator_id], codes[r.to_indicator_id], r) for r in rows]

    def link(self, programme_code: str, from_code: str, to_code: str, assumption: str, *,
             strength: str = ResultLinkStrength.HYPOTHESISED, reason: str | None = None) -> int:
        """Link an output to the outcome it should drive; the assumption says why it would."""
        if not (assumption or "").strip():
            raise DomainError("write the assumption: why should this output drive that "
                              "outcome? (e.g. 'toilets enable use if demand exists')")
        if from_code == to_code:
            raise DomainError("an indicator cannot be linked to itself")
        with self.store.session(reason=reason or "link output to outcome") as s:
            p = get_programme(s, programme_code)
            a = get_indicator(s, p, from_code)
            b = get_indicator(s, p, to_code)
            # the programme's links, read once (not one query per step of the chain)
            onward: dict[int | None, list[int]] = {}
            for f, t in link_pairs(s, indicator_ids_of(s, p.id)):
                onward.setdefault(f, []).append(t)
            if leads_to(lambda n: onward.get(n, ()), b.id, a.id):
                raise DomainError(f"{to_code} already leads to {from_code}; a results chain "
                                  "runs one way (output to outcome to impact)")
            link = link_between(s, a.id, b.id)
            if link is None:
                assert a.id is not None and b.id is not None
                link = M.ResultLink(from_indicator_id=a.id, to_indicator_id=b.id,
                                    assumption_text="")
                s.add(link)
            apply_changes(link, {"assumption_text": assumption.strip(), "strength": strength})
            s.flush()
            assert link.id is not None
            return link.id

    def unlink(self, programme_code: str, from_code: str, to_code: str, *,
               reason: str | None = None) -> None:
        with self.store.session(reason=reason or "remove result link") as s:
            p = get_programme(s, programme_code)
            a = get_indicator(s, p, from_code)
            b = get_indicator(s, p, to_code)
            link = link_between(s, a.id, b.id)
            if link is None:
                raise NotFound(f"{from_code} is not linked to {to_code}")
            s.delete(link)
