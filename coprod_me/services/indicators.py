"""Indicators, targets and result links, with the outcome-not-output coaching.

A target is set with a plain audited write; changing the value of a target that was set
before needs a reason and is kept as a numbered revision (funders ask for revised targets with
their justification). A revised target cannot be removed, nor its indicator deleted: that
would remove the history the report lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import orm
from sqlmodel import Session

from coprod_me.model import entities as M
from coprod_me.model.amounts import amount
from coprod_me.model.coaching import coaching_warnings, indicator_problems, leads_to
from coprod_me.model.enums import ResultLevel, ResultLinkStrength
from coprod_me.model.errors import DomainError, NotFound
from coprod_me.model.quarter import Quarter
from coprod_me.model.validation import check_code
from coprod_me.model.values import CellError, QuarterWindow, finite, show, unit_problem
from coprod_me.queries.indicators import (
    dependents_of,
    dimensions_in_use,
    find_indicator,
    get_indicator,
    has_observations,
    indicator_ids_of,
    indicators_of,
    latest_target_revision,
    link_between,
    link_pairs,
    links_from,
    revised_target_count,
    target_at,
    target_revisions_of,
    targets_of,
)
from coprod_me.queries.iptt import target_revisions
from coprod_me.queries.observations import periods_of
from coprod_me.queries.programmes import get_programme, get_strand, strands_of
from coprod_me.reports.iptt_model import (
    TargetRevisionInfo as TargetRevisionInfo,  # the GUI lists them
)
from coprod_me.services.fields import apply_changes
from coprod_me.store.session import Store, now

if TYPE_CHECKING:
    from coprod_me.services.indicator_status import IndicatorRow


@dataclass(frozen=True)
class Saved:
    """What a save did, with coaching the user should see (never blocking)."""

    id: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class TargetLine:
    """A target as the editor lists it: ``strand`` None for the whole programme."""

    period: str
    strand: str | None
    value: float
    rationale: str | None
    revisions: int


def _checked_target(p: M.Programme, ind: M.Indicator, quarter: str, value: float) -> float:
    """The value gate for a target: a finite number in the indicator's unit's range, for a
    quarter within the programme's life (a target may lie in the future)."""
    try:
        value = finite(float(value))
    except (TypeError, ValueError, CellError):
        raise DomainError(f"the target of {ind.code} {quarter} is not a finite number; enter "
                          "the figure") from None
    problem = unit_problem(ind.unit, value)
    if problem:
        raise DomainError(f"the target {show(value)} of {ind.code} {problem}")
    wrong = _outside_life(p, quarter)
    if wrong:
        raise DomainError(wrong)
    return value


def _outside_life(p: M.Programme, quarter: str) -> str | None:
    """Why a target's quarter is refused: it lies outside the programme's life (None: it
    does not)."""
    window = QuarterWindow.of(p.code, p.start_date, p.planned_end_date, date.today())
    q = Quarter.parse(quarter)
    if (window.first is not None and q < window.first) or \
            (window.last is not None and q > window.last):
        return (f"{q} lies outside {p.code}'s life ({p.start_date} to {p.planned_end_date}); "
                "check the year")
    return None


def _check(ind: M.Indicator) -> None:
    problems = indicator_problems(ind)
    if problems:
        raise DomainError("; ".join(problems))


def keep_target_revision(session: orm.Session, target: M.Target, value: float, why: str) -> None:
    """Keep the value a target had before it changes to ``value``, as its next numbered
    revision, with who, when and why: the report lists revised targets (an edit in the app
    and a loaded workbook alike)."""
    assert target.id is not None
    last = latest_target_revision(session, target.id)
    session.add(M.TargetRevision(
        target_id=target.id, revision=(last.revision if last else 0) + 1,
        previous_value=target.value, value=value, reason=why,
        revised_by=session.info["user"], revised_at=now()))


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

    def dimensions_in_use(self, programme_code: str) -> set[str]:
        """The disaggregation dimensions the programme's indicators require or its data uses."""
        with self.store.read() as s:
            return dimensions_in_use(s, get_programme(s, programme_code).id)

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
            if revised_target_count(s, ind.id):
                raise DomainError(f"{code} has revised targets; their revisions are kept for "
                                  "the report, so it cannot be deleted")
            for row in dependents_of(s, ind.id):
                s.delete(row)
            s.flush()
            s.delete(ind)

    # ----------------------------------------------------------------------------- targets

    def targets(self, programme_code: str, code: str) -> list[M.Target]:
        with self.store.read() as s:
            ind = get_indicator(s, get_programme(s, programme_code), code)
            return targets_of(s, ind.id)

    def target_lines(self, programme_code: str, code: str) -> list[TargetLine]:
        """The indicator's targets by quarter, each with its strand's code and how often it
        was revised."""
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            ind = get_indicator(s, p, code)
            strands = {st.id: st.code for st in strands_of(s, p.id)}
            rows = targets_of(s, ind.id)
            revised: dict[int, int] = {}
            for r in target_revisions_of(s, [t.id for t in rows if t.id is not None]):
                revised[r.target_id] = revised.get(r.target_id, 0) + 1
        return [TargetLine(t.period, strands.get(t.strand_id) if t.strand_id else None,
                           t.value, t.rationale, revised.get(t.id or 0, 0)) for t in rows]

    def target_revisions(self, programme_code: str, code: str) -> list[TargetRevisionInfo]:
        """Every revision of the indicator's targets, newest first: who, when, old, new, why
        (read as the report's IPTT sheet reads them)."""
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            ind = get_indicator(s, p, code)
            assert ind.id is not None
            strands = {st.id: st.code for st in strands_of(s, p.id) if st.id is not None}
            revisions = target_revisions(s, {ind.id: ind.code}, strands)
        return sorted(revisions, key=lambda r: (r.revised_at, r.revision), reverse=True)

    def last_reporting_quarter(self, programme_code: str) -> str | None:
        """The quarter of the programme's planned end (its end-of-programme target's quarter),
        else its latest reporting quarter."""
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            if p.planned_end_date is not None:
                return str(Quarter.containing(p.planned_end_date))
            periods = periods_of(s, p.id)
        return periods[-1].quarter if periods else None

    def target_quarter_problem(self, programme_code: str, period: str) -> str | None:
        """Why a target cannot be set for this quarter (None: it can), for a form to say
        before anything is saved."""
        with self.store.read() as s:
            return _outside_life(get_programme(s, programme_code), str(Quarter.parse(period)))

    def set_target(self, programme_code: str, code: str, period: str, value: float, *,
                   strand: str | None = None, rationale: str | None = None,
                   reason: str | None = None) -> int:
        """Set a target (a plain, audited write); changing the value of a target that was set
        before needs ``reason`` and is kept as a numbered revision in the same transaction.
        ``rationale`` None keeps the target's rationale. Returns the target's id."""
        q = str(Quarter.parse(period))
        why = (reason or "").strip()
        with self.store.session(reason=why or "set target") as s:
            p = get_programme(s, programme_code)
            ind = get_indicator(s, p, code)
            value = _checked_target(p, ind, q, value)
            strand_id = get_strand(s, p, strand)
            t = target_at(s, ind.id, q, strand_id)
            if t is None:
                assert ind.id is not None
                t = M.Target(indicator_id=ind.id, strand_id=strand_id, period=q, value=value)
                s.add(t)
            elif t.value != value:
                where = f"{code} {q}" + (f" ({strand})" if strand else "")
                if not why:
                    raise DomainError(
                        f"the target of {where} was {amount(t.value, ind.unit)}; say why it "
                        f"changes to {amount(value, ind.unit)} (the reason is kept with the "
                        "revision and listed in the report)")
                keep_target_revision(s, t, value, why)
            changes: dict[str, Any] = {"value": value}
            if rationale is not None:
                changes["rationale"] = rationale.strip() or None
            apply_changes(t, changes)
            s.flush()
            assert t.id is not None
            return t.id

    def withdraw_target_revision(self, programme_code: str, code: str, period: str, *,
                                 strand: str | None = None, reason: str) -> None:
        """Undo the target's latest revision: its previous value comes back and the revision
        row goes (the audit log keeps both the revision and its withdrawal)."""
        with self.store.session(reason=reason) as s:
            t = self._target(s, programme_code, code, period, strand)
            last = latest_target_revision(s, t.id)
            if last is None:
                raise DomainError(f"the target of {code} {period} has no revision to undo")
            t.value = last.previous_value
            s.delete(last)

    def remove_target(self, programme_code: str, code: str, period: str, *,
                      strand: str | None = None, reason: str) -> TargetLine:
        """Remove a target, with a reason; what it held comes back for undo. A revised target
        is refused: its revisions are the history the report lists (change its value
        instead, with a reason)."""
        why = (reason or "").strip()
        if not why:
            raise DomainError(f"say why the target of {code} {period} is removed; the reason "
                              "is kept in the audit log")
        with self.store.session(reason=why) as s:
            t = self._target(s, programme_code, code, period, strand)
            if latest_target_revision(s, t.id) is not None:
                raise DomainError(
                    f"the target of {code} {period} has been revised; its revisions are kept "
                    "for the report, so it cannot be removed: change its value instead")
            s.delete(t)
            return TargetLine(t.period, strand, t.value, t.rationale, 0)

    @staticmethod
    def _target(s: Session, programme_code: str, code: str, period: str,
                strand: str | None) -> M.Target:
        p = get_programme(s, programme_code)
        ind = get_indicator(s, p, code)
        q = str(Quarter.parse(period))
        t = target_at(s, ind.id, q, get_strand(s, p, strand))
        if t is None:
            raise NotFound(f"{code} has no target for {q}" + (f" at {strand}" if strand else ""))
        return t

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
