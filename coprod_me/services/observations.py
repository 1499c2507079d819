"""Observations and reporting quarters. A locked quarter refuses changes here, for every caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from coprod_me.model import entities as M
from coprod_me.model.enums import PeriodStatus
from coprod_me.model.errors import DomainError, LockedPeriod, NotFound
from coprod_me.model.quarter import Quarter
from coprod_me.model.validation import observation_problems
from coprod_me.services.fields import apply_changes
from coprod_me.services.indicators import get_indicator, get_strand
from coprod_me.services.programmes import get_programme
from coprod_me.services.workbook_rows import dims_key, parse_dims_key
from coprod_me.spreadsheets.cells import is_code
from coprod_me.store.session import Store, now

_NUMBERS = ("value", "numerator", "denominator")


@dataclass(frozen=True)
class ObservationView:
    id: int
    indicator_code: str
    strand_code: str | None
    period: str
    dims: dict[str, str]
    phase: str | None
    value: float | None
    numerator: float | None
    denominator: float | None
    n_sample: int | None
    quality_status: str | None
    verification_type: str | None
    data_source: str | None
    comment: str | None
    locked: bool


def period_status(session: Session, programme_id: int | None, quarter: str) -> str:
    rp = session.scalars(select(M.ReportingPeriod).where(
        M.ReportingPeriod.programme_id == programme_id,
        M.ReportingPeriod.quarter == quarter)).first()
    return rp.status if rp else PeriodStatus.OPEN


def _refuse_if_locked(session: Session, programme: M.Programme, quarter: str) -> None:
    if period_status(session, programme.id, quarter) == PeriodStatus.LOCKED:
        raise LockedPeriod(f"quarter {quarter} of {programme.code} is locked; unlock it (with a "
                           "reason) or record a correction")


def _check_numbers(unit: str, obs: M.Observation) -> None:
    problems = observation_problems(unit, obs.value, obs.numerator, obs.denominator)
    if problems:
        raise DomainError("; ".join(f"{f} {('' if v is None else repr(v) + ' ')}{m}"
                                    for f, v, m in problems))


def _clean_dims(dims: dict[str, str] | None) -> dict[str, str]:
    out = {}
    for d, c in (dims or {}).items():
        d = d.strip().lower()
        if not is_code(d):
            raise DomainError(f"'{d}' is not a dimension code (e.g. sex, age_band)")
        if str(c).strip():
            out[d] = str(c).strip()
    return out


class ObservationService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def find(self, programme_code: str, *, indicator: str | None = None,
             period: str | None = None) -> list[ObservationView]:
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            inds = {i.id: i.code for i in s.scalars(
                select(M.Indicator).where(M.Indicator.programme_id == p.id))}
            strands = {st.id: st.code for st in s.scalars(
                select(M.Strand).where(M.Strand.programme_id == p.id))}
            locked = {rp.quarter for rp in s.scalars(select(M.ReportingPeriod).where(
                M.ReportingPeriod.programme_id == p.id,
                M.ReportingPeriod.status == PeriodStatus.LOCKED))}
            stmt = select(M.Observation).where(col(M.Observation.indicator_id).in_(list(inds)))
            if indicator:
                stmt = stmt.where(M.Observation.indicator_id == get_indicator(s, p, indicator).id)
            if period:
                stmt = stmt.where(M.Observation.period == str(Quarter.parse(period)))
            stmt = stmt.order_by(col(M.Observation.indicator_id), col(M.Observation.period),
                                 col(M.Observation.strand_id), col(M.Observation.dims_key))
            return [
                ObservationView(o.id or 0, inds[o.indicator_id], strands.get(o.strand_id or -1),
                                o.period, parse_dims_key(o.dims_key), o.phase, o.value,
                                o.numerator, o.denominator, o.n_sample, o.quality_status,
                                o.verification_type, o.data_source, o.comment,
                                o.period in locked)
                for o in s.scalars(stmt)
            ]

    def record(self, programme_code: str, indicator: str, period: str, *,
               strand: str | None = None, dims: dict[str, str] | None = None,
               reason: str | None = None, **fields: Any) -> int:
        """Log one value; refuses a duplicate cell and a locked quarter."""
        q = str(Quarter.parse(period))
        clean = _clean_dims(dims)
        with self.store.session(reason=reason or "log observation") as s:
            p = get_programme(s, programme_code)
            ind = get_indicator(s, p, indicator)
            _refuse_if_locked(s, p, q)
            strand_id = get_strand(s, p, strand)
            key = dims_key(clean)
            dup = s.scalars(select(M.Observation).where(
                M.Observation.indicator_id == ind.id, M.Observation.period == q,
                M.Observation.dims_key == key,
                M.Observation.strand_id == strand_id if strand_id else
                col(M.Observation.strand_id).is_(None))).first()
            if dup is not None:
                raise DomainError(f"{indicator} already has a value for {q}"
                                  f"{' at ' + strand if strand else ''}"
                                  f"{' (' + key + ')' if key else ''}; edit that one instead")
            assert ind.id is not None
            obs = M.Observation(indicator_id=ind.id, strand_id=strand_id, period=q,
                                dims_key=key, entered_by=s.info["user"], entered_at=now())
            apply_changes(obs, fields)
            _check_numbers(ind.unit, obs)
            s.add(obs)
            s.flush()
            assert obs.id is not None
            for d, c in clean.items():
                s.add(M.ObservationDim(observation_id=obs.id, dimension=d, category=c))
            return obs.id

    def update(self, observation_id: int, changes: dict[str, Any], *,
               reason: str | None = None) -> None:
        with self.store.session(reason=reason) as s:
            obs, p, ind = self._load(s, observation_id)
            _refuse_if_locked(s, p, obs.period)
            apply_changes(obs, changes)
            _check_numbers(ind.unit, obs)

    def delete(self, observation_id: int, *, reason: str | None = None) -> None:
        with self.store.session(reason=reason or "delete observation") as s:
            obs, p, _ind = self._load(s, observation_id)
            _refuse_if_locked(s, p, obs.period)
            for d in s.scalars(select(M.ObservationDim).where(
                    M.ObservationDim.observation_id == obs.id)):
                s.delete(d)
            s.flush()
            s.delete(obs)

    @staticmethod
    def _load(s: Session, observation_id: int) -> tuple[M.Observation, M.Programme,
                                                        M.Indicator]:
        obs = s.get(M.Observation, observation_id)
        if obs is None:
            raise NotFound(f"observation {observation_id} no longer exists")
        ind = s.get(M.Indicator, obs.indicator_id)
        assert ind is not None
        p = s.get(M.Programme, ind.programme_id)
        assert p is not None
        return obs, p, ind

    # ----------------------------------------------------------------------------- quarters

    def periods(self, programme_code: str) -> list[M.ReportingPeriod]:
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            return list(s.scalars(select(M.ReportingPeriod).where(
                M.ReportingPeriod.programme_id == p.id).order_by(M.ReportingPeriod.quarter)))

    def set_period_status(self, programme_code: str, quarter: str, status: str, *,
                          reason: str | None = None) -> None:
        q = str(Quarter.parse(quarter))
        status = PeriodStatus(status).value
        with self.store.session(reason=reason) as s:
            p = get_programme(s, programme_code)
            rp = s.scalars(select(M.ReportingPeriod).where(
                M.ReportingPeriod.programme_id == p.id, M.ReportingPeriod.quarter == q)).first()
            if rp is None:
                assert p.id is not None
                rp = M.ReportingPeriod(programme_id=p.id, quarter=q)
                s.add(rp)
            if rp.status == PeriodStatus.LOCKED and status != PeriodStatus.LOCKED and not (
                    reason or "").strip():
                raise DomainError(f"say why {q} is being unlocked; the reason is kept in the "
                                  "audit log")
            rp.status = status
            if status == PeriodStatus.LOCKED:
                rp.locked_by = s.info["user"]
                rp.locked_at = now().replace(microsecond=0)
            else:
                rp.locked_by = None
                rp.locked_at = None
