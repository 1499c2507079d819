"""Observations and reporting quarters. A locked quarter refuses changes here, for every caller.

Every value passes the value gate (``model.values``): its unit's range, and for a new
observation a quarter that has begun and lies within the programme's life. ``warnings`` says
beforehand what a change would store that looks like a typo (``model.plausibility``), so the
grid can ask before it saves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import inspect
from sqlmodel import Session

from coprod_me.model import entities as M
from coprod_me.model.disaggregation import dims_key, parse_dims_key
from coprod_me.model.enums import PeriodStatus
from coprod_me.model.errors import DomainError, LockedPeriod, NotFound, ValidationFailed
from coprod_me.model.plausibility import series_warnings
from coprod_me.model.quarter import Quarter
from coprod_me.model.validation import observation_problems
from coprod_me.model.values import QuarterWindow
from coprod_me.queries.indicators import get_indicator, indicators_of
from coprod_me.queries.observations import (
    dims_of,
    last_revision,
    locked_quarters,
    observation_at,
    observations_of,
    periods_of,
    quarters_of,
    reporting_period,
    revision_counts,
    revisions_of,
)
from coprod_me.queries.programmes import get_programme, get_strand, strands_of
from coprod_me.services.fields import apply_changes
from coprod_me.spreadsheets.cells import CellError as CellError
from coprod_me.spreadsheets.cells import is_code

# Pasted blocks are read by the spreadsheet layer's rules; the GUI reaches them through here.
from coprod_me.spreadsheets.clipboard import CellKind as CellKind
from coprod_me.spreadsheets.clipboard import convert_block as convert_block
from coprod_me.spreadsheets.clipboard import convert_cell as convert_cell
from coprod_me.spreadsheets.clipboard import format_block as format_block
from coprod_me.spreadsheets.clipboard import parse_block as parse_block
from coprod_me.spreadsheets.clipboard import parse_dims as parse_dims
from coprod_me.store.session import Store, now

#: What a correction of a locked quarter may change; a revision keeps their previous values.
CORRECTABLE = ("value", "numerator", "denominator", "n_sample", "quality_status", "comment")


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
    revisions: int = 0

    @property
    def key(self) -> ObservationKey:
        return ObservationKey(self.indicator_code, self.period, self.strand_code,
                              dims_key(self.dims))


@dataclass(frozen=True)
class ObservationKey:
    """What identifies an observation across deletes and re-creations (ids do not)."""

    indicator: str
    period: str
    strand: str | None = None
    dims_key: str = ""

    def describe(self) -> str:
        where = f" at {self.strand}" if self.strand else ""
        cell = f" ({self.dims_key})" if self.dims_key else ""
        return f"{self.indicator} {self.period}{where}{cell}"


@dataclass(frozen=True)
class BlockRow:
    """One row of a pasted block: the observation it lands on (created if missing) and the
    fields to set there. ``label`` says where the row came from, for messages."""

    indicator: str
    period: str
    strand: str | None = None
    dims: Mapping[str, str] = field(default_factory=dict)
    changes: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""


@dataclass(frozen=True)
class BlockEntry:
    key: ObservationKey
    observation_id: int
    created: bool
    previous: Mapping[str, Any]  # field -> value before the block (empty when created)


@dataclass(frozen=True)
class BlockResult:
    """What ``apply_block`` did, enough for ``revert_block`` to put everything back."""

    programme_code: str
    entries: tuple[BlockEntry, ...]

    @property
    def created_ids(self) -> list[int]:
        return [e.observation_id for e in self.entries if e.created]

    @property
    def changed_ids(self) -> list[int]:
        return [e.observation_id for e in self.entries if not e.created]


@dataclass(frozen=True)
class DeletedObservation:
    """Everything a deleted observation held, so that undo can put it back as it was."""

    row: Mapping[str, Any]  # every column, id included
    dims: Mapping[str, str]
    revisions: tuple[Mapping[str, Any], ...] = ()


def period_status(session: Session, programme_id: int | None, quarter: str) -> str:
    rp = reporting_period(session, programme_id, quarter)
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


def _refuse_outside_life(programme: M.Programme, quarter: str) -> None:
    """A new observation's quarter has begun and lies within the programme's life."""
    window = QuarterWindow.of(programme.code, programme.start_date, programme.planned_end_date,
                              date.today())
    wrong = window.problem(quarter)
    if wrong is not None:
        raise DomainError(f"{quarter} {wrong}")


def _clean_dims(dims: Mapping[str, str] | None) -> dict[str, str]:
    out = {}
    for d, c in (dims or {}).items():
        d = d.strip().lower()
        if not is_code(d):
            raise DomainError(f"'{d}' is not a dimension code (e.g. sex, age_band)")
        if str(c).strip():
            out[d] = str(c).strip()
    return out


def _columns(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in inspect(obj).mapper.column_attrs
            if c.key not in skip}


def _refuse_key_changes(changes: Mapping[str, Any]) -> None:
    keys = [f for f in ("indicator", "period", "strand", "strand_id", "dims", "dims_key")
            if f in changes]
    if keys:
        raise DomainError(f"{', '.join(keys)} identify an observation and cannot be changed "
                          "here; delete it and add it again in its right place")


class ObservationService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def find(self, programme_code: str, *, indicator: str | None = None,
             period: str | None = None) -> list[ObservationView]:
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            rows = observations_of(
                s, p.id, indicator_id=get_indicator(s, p, indicator).id if indicator else None,
                period=str(Quarter.parse(period)) if period else None)
            return self._views(s, p, rows)

    def get(self, observation_id: int) -> ObservationView:
        with self.store.read() as s:
            obs, p, _ind = self._load(s, observation_id)
            return self._views(s, p, [obs])[0]

    def locate(self, programme_code: str, key: ObservationKey) -> int | None:
        """The id of the observation in the cell ``key`` names, or None when there is none."""
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            ind = get_indicator(s, p, key.indicator)
            obs = observation_at(s, ind.id, str(Quarter.parse(key.period)),
                                 get_strand(s, p, key.strand), key.dims_key)
            return None if obs is None else obs.id

    @staticmethod
    def _views(s: Session, p: M.Programme, rows: list[M.Observation]) -> list[ObservationView]:
        inds = {i.id: i.code for i in indicators_of(s, p.id)}
        strands = {st.id: st.code for st in strands_of(s, p.id)}
        locked = locked_quarters(s, p.id)
        n_rev = revision_counts(s, [i for i in inds if i is not None])
        return [
            ObservationView(o.id or 0, inds[o.indicator_id], strands.get(o.strand_id or -1),
                            o.period, parse_dims_key(o.dims_key), o.phase, o.value,
                            o.numerator, o.denominator, o.n_sample, o.quality_status,
                            o.verification_type, o.data_source, o.comment,
                            o.period in locked, n_rev.get(o.id or 0, 0))
            for o in rows
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
            if observation_at(s, ind.id, q, strand_id, key) is not None:
                raise DomainError(f"{indicator} already has a value for {q}"
                                  f"{' at ' + strand if strand else ''}"
                                  f"{' (' + key + ')' if key else ''}; edit that one instead")
            obs = self._create(s, p, ind, q, strand_id, clean, fields)
            assert obs.id is not None
            return obs.id

    @staticmethod
    def _create(s: Session, p: M.Programme, ind: M.Indicator, quarter: str,
                strand_id: int | None, dims: dict[str, str], fields: Mapping[str, Any]
                ) -> M.Observation:
        """A new observation, checked, added and flushed (so it has its id), with its dims."""
        assert ind.id is not None
        _refuse_outside_life(p, quarter)
        obs = M.Observation(indicator_id=ind.id, strand_id=strand_id, period=quarter,
                            dims_key=dims_key(dims), entered_by=s.info["user"],
                            entered_at=now())
        apply_changes(obs, dict(fields))
        _check_numbers(ind.unit, obs)
        s.add(obs)
        s.flush()
        assert obs.id is not None
        for d, c in dims.items():
            s.add(M.ObservationDim(observation_id=obs.id, dimension=d, category=c))
        return obs

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
            self._delete(s, obs)

    def delete_many(self, observation_ids: Iterable[int], *,
                    reason: str | None = None) -> list[DeletedObservation]:
        """Delete several observations in one transaction; what they held comes back, so
        ``restore`` can undo it. A locked quarter refuses, and then nothing is deleted."""
        with self.store.session(reason=reason or "delete observations") as s:
            out = []
            for oid in observation_ids:
                obs, p, _ind = self._load(s, oid)
                _refuse_if_locked(s, p, obs.period)
                out.append(self._delete(s, obs))
            return out

    def restore(self, deleted: Sequence[DeletedObservation], *,
                reason: str | None = None) -> list[int]:
        """Put deleted observations back with every value they had (and their id when free)."""
        with self.store.session(reason=reason or "restore observations") as s:
            ids = []
            for d in deleted:
                row = dict(d.row)
                ind = s.get(M.Indicator, row["indicator_id"])
                if ind is None:
                    raise NotFound("the indicator of a deleted observation no longer exists; "
                                   "it cannot be put back")
                p = s.get(M.Programme, ind.programme_id)
                assert p is not None
                _refuse_if_locked(s, p, row["period"])
                if observation_at(s, ind.id, row["period"], row["strand_id"],
                                  row["dims_key"]) is not None:
                    raise DomainError(f"{ind.code} has a value for {row['period']} in that cell "
                                      "again; delete or edit that one instead")
                if row.get("id") is not None and s.get(M.Observation, row["id"]) is not None:
                    row.pop("id")  # the id was taken meanwhile: take a new one
                obs = M.Observation(**row)
                s.add(obs)
                s.flush()
                assert obs.id is not None
                for dim, cat in d.dims.items():
                    s.add(M.ObservationDim(observation_id=obs.id, dimension=dim, category=cat))
                for r in d.revisions:
                    s.add(M.ObservationRevision(observation_id=obs.id, **r))
                ids.append(obs.id)
            return ids

    @staticmethod
    def _delete(s: Session, obs: M.Observation) -> DeletedObservation:
        row = _columns(obs)
        dims = {}
        for d in dims_of(s, obs.id):
            dims[d.dimension] = d.category
            s.delete(d)
        revisions = []
        for r in revisions_of(s, obs.id):
            revisions.append(_columns(r, skip=("id", "observation_id")))
            s.delete(r)
        s.flush()
        s.delete(obs)
        return DeletedObservation(row, dims, tuple(revisions))

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

    # -------------------------------------------------------------------------- corrections

    def correct(self, observation_id: int, changes: Mapping[str, Any], *, reason: str) -> int:
        """Correct an observation of a locked quarter (domain §1.4).

        The values it replaces are kept as a numbered revision with the reason; the change and
        the revision are audited in the same transaction. Returns the revision number.
        """
        why = (reason or "").strip()
        if not why:
            raise DomainError("say why the locked value is being corrected; the reason is kept "
                              "with the revision and in the audit log")
        if not changes:
            raise DomainError("give the corrected value")
        other = [f for f in changes if f not in CORRECTABLE]
        if other:
            raise DomainError(f"a correction can change {', '.join(CORRECTABLE)}, not "
                              f"{', '.join(other)}; unlock the quarter (with a reason) to "
                              "change anything else")
        with self.store.session(reason=why) as s:
            obs, p, ind = self._load(s, observation_id)
            if period_status(s, p.id, obs.period) != PeriodStatus.LOCKED:
                raise DomainError(f"quarter {obs.period} of {p.code} is not locked; edit the "
                                  "value directly (corrections with a reason are for locked "
                                  "quarters)")
            before = {f: getattr(obs, f) for f in CORRECTABLE}
            apply_changes(obs, dict(changes))
            if all(getattr(obs, f) == v for f, v in before.items()):
                raise DomainError(f"{ind.code} {obs.period} already holds these values; "
                                  "nothing to correct")
            _check_numbers(ind.unit, obs)
            last = last_revision(s, obs.id)
            assert obs.id is not None
            s.add(M.ObservationRevision(observation_id=obs.id, revision=last + 1, reason=why,
                                        revised_by=s.info["user"], revised_at=now(),
                                        **before))
            return last + 1

    def revisions(self, observation_id: int) -> list[M.ObservationRevision]:
        """The corrections of an observation, oldest first (each with the values it replaced)."""
        with self.store.read() as s:
            self._load(s, observation_id)
            return revisions_of(s, observation_id)

    # ------------------------------------------------------------------------------ blocks

    def apply_block(self, programme_code: str, rows: Sequence[BlockRow], *,
                    reason: str | None = None) -> BlockResult:
        """Set many observations at once (a block pasted from a spreadsheet).

        Each row lands on the observation its indicator, quarter, strand and disaggregation
        name, which is created when missing. Every row is checked; when any has a problem
        nothing is saved and ValidationFailed lists them all. The result holds what was
        created and the previous values of what changed, for ``revert_block``.
        """
        if not rows:
            raise DomainError("the block is empty; nothing to paste")
        problems: list[str] = []
        entries: list[BlockEntry] = []
        seen: dict[ObservationKey, str] = {}
        with self.store.session(reason=reason or "paste observations") as s:
            p = get_programme(s, programme_code)
            for i, row in enumerate(rows, start=1):
                label = row.label or f"row {i}"
                try:
                    q = str(Quarter.parse(row.period))
                    clean = _clean_dims(row.dims)
                    key = ObservationKey(row.indicator, q, row.strand or None, dims_key(clean))
                    if key in seen:
                        raise DomainError(f"{key.describe()} is set by {seen[key]} already; a "
                                          "block sets each observation once")
                    seen[key] = label
                    entry = self._apply_row(s, p, row, key, clean)
                except DomainError as exc:
                    problems.append(f"{label}: {exc}")
                    continue
                if entry is not None:
                    entries.append(entry)
            if problems:
                raise ValidationFailed(problems, f"{len(problems)} problem(s) in the block; "
                                                 "nothing was saved")
            return BlockResult(p.code, tuple(entries))

    def _apply_row(self, s: Session, p: M.Programme, row: BlockRow, key: ObservationKey,
                   dims: dict[str, str]) -> BlockEntry | None:
        _refuse_key_changes(row.changes)
        ind = get_indicator(s, p, key.indicator)
        _refuse_if_locked(s, p, key.period)
        strand_id = get_strand(s, p, key.strand)
        obs = observation_at(s, ind.id, key.period, strand_id, key.dims_key)
        if obs is None:
            obs = self._create(s, p, ind, key.period, strand_id, dims, row.changes)
            assert obs.id is not None
            return BlockEntry(key, obs.id, True, {})
        before = {f: getattr(obs, f) for f in row.changes}
        apply_changes(obs, dict(row.changes))
        _check_numbers(ind.unit, obs)
        previous = {f: v for f, v in before.items() if getattr(obs, f) != v}
        assert obs.id is not None
        return BlockEntry(key, obs.id, False, previous) if previous else None

    def warnings(self, programme_code: str, rows: Sequence[BlockRow]) -> list[str]:
        """What the values ``rows`` would set look like next to their series (a cumulative
        total falling, a figure ten times its neighbour or the value it replaces), each
        phrased with its observation; nothing is saved. Rows that set no value say nothing."""
        proposed: dict[tuple[str, str | None, str], list[tuple[ObservationKey, Any]]] = \
            defaultdict(list)
        for row in rows:
            value = row.changes.get("value")
            if isinstance(value, int | float):
                key = ObservationKey(row.indicator, str(Quarter.parse(row.period)),
                                     row.strand or None, dims_key(_clean_dims(row.dims)))
                proposed[(key.indicator, key.strand, key.dims_key)].append((key, float(value)))
        if not proposed:
            return []
        out: list[str] = []
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            strands = {st.id: st.code for st in strands_of(s, p.id)}
            for code in sorted({k[0] for k in proposed}):
                ind = get_indicator(s, p, code)
                stored: dict[tuple[str | None, str], dict[str, float]] = defaultdict(dict)
                for o in observations_of(s, p.id, indicator_id=ind.id):
                    if o.value is not None:
                        stored[(strands.get(o.strand_id or -1), o.dims_key)][o.period] = o.value
                for (_code, strand, dk), items in proposed.items():
                    if _code != code:
                        continue
                    series = stored.get((strand, dk), {})
                    changes = [(k.period, v, series.get(k.period)) for k, v in items]
                    out += [f"{items[i][0].describe()}: {text}" for i, text in
                            series_warnings(series, changes, cumulative=ind.is_cumulative)]
        return out

    def revert_block(self, result: BlockResult, *, reason: str | None = None) -> None:
        """Undo ``apply_block``: delete what it created, put back what it changed; one
        transaction, refused (with nothing changed) when a quarter has been locked since."""
        with self.store.session(reason=reason or "undo paste") as s:
            p = get_programme(s, result.programme_code)
            for e in reversed(result.entries):
                ind = get_indicator(s, p, e.key.indicator)
                _refuse_if_locked(s, p, e.key.period)
                obs = observation_at(s, ind.id, e.key.period, get_strand(s, p, e.key.strand),
                                     e.key.dims_key)
                if obs is None:
                    if e.created:
                        continue  # deleted meanwhile: already as before the block
                    raise NotFound(f"{e.key.describe()} no longer exists; its previous values "
                                   "cannot be put back")
                if e.created:
                    self._delete(s, obs)
                else:
                    for f, v in e.previous.items():
                        setattr(obs, f, v)

    # ----------------------------------------------------------------------------- quarters

    def periods(self, programme_code: str) -> list[M.ReportingPeriod]:
        with self.store.read() as s:
            return periods_of(s, get_programme(s, programme_code).id)

    def quarters(self, programme_code: str) -> list[str]:
        """Every quarter that has observations or a reporting period, in order."""
        with self.store.read() as s:
            return sorted(quarters_of(s, get_programme(s, programme_code).id))

    def set_period_status(self, programme_code: str, quarter: str, status: str, *,
                          reason: str | None = None) -> None:
        q = str(Quarter.parse(quarter))
        status = PeriodStatus(status).value
        with self.store.session(reason=reason) as s:
            p = get_programme(s, programme_code)
            rp = reporting_period(s, p.id, q)
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
