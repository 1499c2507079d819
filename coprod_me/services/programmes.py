"""Programmes: create, classify, summarise, and the outcome gates that guard activation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from coprod_me.model import entities as M
from coprod_me.model.coaching import Gate, derive_tradition_label, structural_gates, unmet_gates
from coprod_me.model.enums import CoproductionLevel, Phase, ProgrammeStatus, TraditionLabel
from coprod_me.model.errors import DomainError, ValidationFailed
from coprod_me.model.validation import check_code
from coprod_me.queries.programme_index import programme_rows
from coprod_me.queries.programmes import get_programme
from coprod_me.services.fields import apply_changes
from coprod_me.services.programme_index import ProgrammeSummary, summarise
from coprod_me.store.session import Store


@dataclass(frozen=True)
class TraditionLabelView:
    derived: TraditionLabel
    reasoning: str
    override: str | None
    override_reason: str | None

    @property
    def effective(self) -> str:
        return self.override or self.derived


def programme_gates(session: Session, programme: M.Programme) -> list[Gate]:
    indicators = list(session.scalars(
        select(M.Indicator).where(M.Indicator.programme_id == programme.id)))
    ids = [i.id for i in indicators]
    links = list(session.scalars(
        select(M.ResultLink).where(col(M.ResultLink.from_indicator_id).in_(ids))))
    phases = set(session.scalars(
        select(col(M.ProgrammePhase.phase)).where(M.ProgrammePhase.programme_id == programme.id)))
    return structural_gates(indicators, links, phases)


@dataclass(frozen=True)
class ActorRole:
    code: str
    name: str
    actor_class: str
    role: str
    alford_role: str | None
    phase: str | None
    seats: str | None
    politically_exposed: bool


@dataclass(frozen=True)
class ProgrammePeople:
    """Who takes part and who pays: the profile's actors, sponsors and funding."""

    actors: list[ActorRole]
    sponsors: list[M.Sponsor]
    funding: list[M.FundingSource]
    currency: str | None


class ProgrammeService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def summaries(self) -> list[ProgrammeSummary]:
        """The navigator's rows (``programme_index``) with the outcome gates counted."""
        with self.store.read() as s:
            rows = programme_rows(s.connection())
            unmet = {p.id: len(unmet_gates(programme_gates(s, p)))
                     for p in s.scalars(select(M.Programme)) if p.id is not None}
        return summarise(rows, unmet)

    def get(self, code: str) -> M.Programme:
        with self.store.read() as s:
            return get_programme(s, code)

    def create(self, code: str, name: str, *, reason: str | None = None,
               **fields: Any) -> M.Programme:
        code = check_code(code, "programme")
        if not (name or "").strip():
            raise DomainError("a programme needs a name")
        with self.store.session(reason=reason or "create programme") as s:
            if s.scalars(select(M.Programme).where(M.Programme.code == code)).first():
                raise DomainError(f"a programme with code '{code}' already exists; choose "
                                  "another code")
            p = M.Programme(code=code, name=name.strip())
            apply_changes(p, fields)
            s.add(p)
            s.flush()
            return p

    def update(self, code: str, changes: dict[str, Any], *, reason: str | None = None) -> None:
        if "status" in changes and changes["status"] == ProgrammeStatus.ACTIVE_REPORTING:
            self._check_can_activate(code)
        with self.store.session(reason=reason) as s:
            p = get_programme(s, code)
            if "code" in changes:
                changes["code"] = check_code(changes["code"], "programme")
            apply_changes(p, changes)

    def _check_can_activate(self, code: str) -> None:
        unmet = unmet_gates(self.gates(code))
        if unmet:
            raise ValidationFailed(
                [f"{g.code} {g.title}: " + "; ".join(g.details) for g in unmet],
                f"{code} cannot move to active reporting until its outcome gates hold")

    def delete(self, code: str, *, reason: str) -> None:
        with self.store.session(reason=reason) as s:
            p = get_programme(s, code)
            n = s.scalar(select(func.count()).select_from(M.Indicator).where(
                M.Indicator.programme_id == p.id))
            if n:
                raise DomainError(f"{code} still has {n} indicator(s); delete them first or "
                                  "close the programme instead")
            for model in (M.Strand, M.ProgrammePhase, M.ProgrammeActor, M.ReportingPeriod,
                          M.Note):
                for row in s.scalars(select(model).where(model.programme_id == p.id)):
                    s.delete(row)
            s.flush()
            s.delete(p)

    def tradition_label(self, code: str) -> TraditionLabelView:
        p = self.get(code)
        label, why = derive_tradition_label(p.interaction_mode, p.os_level, p.ors_type,
                                            p.intended_outcome)
        return TraditionLabelView(label, why, p.tradition_label_override,
                                  p.tradition_label_override_reason)

    def override_tradition_label(self, code: str, label: str | None, reason: str) -> None:
        """Set (or clear, with None) the user's label; the reason goes to the audit log too."""
        if label is not None:
            label = TraditionLabel(label).value
            if not (reason or "").strip():
                raise DomainError("say why the derived label does not fit before overriding it")
        with self.store.session(reason=reason or "clear tradition label override") as s:
            p = get_programme(s, code)
            p.tradition_label_override = label
            p.tradition_label_override_reason = reason if label else None

    def gates(self, code: str) -> list[Gate]:
        with self.store.read() as s:
            return programme_gates(s, get_programme(s, code))

    def phases(self, code: str) -> list[M.ProgrammePhase]:
        with self.store.read() as s:
            p = get_programme(s, code)
            return list(s.scalars(select(M.ProgrammePhase).where(
                M.ProgrammePhase.programme_id == p.id)))

    def set_phase(self, code: str, phase: str, level: str, covered: bool, *,
                  reason: str | None = None) -> None:
        """Mark a phases × levels cell as covered (or not) by the whole programme."""
        phase = Phase(phase).value
        level = CoproductionLevel(level).value
        with self.store.session(reason=reason) as s:
            p = get_programme(s, code)
            row = s.exec(select(M.ProgrammePhase).where(
                M.ProgrammePhase.programme_id == p.id, M.ProgrammePhase.phase == phase,
                M.ProgrammePhase.level == level,
                col(M.ProgrammePhase.strand_id).is_(None))).first()
            if covered and row is None:
                assert p.id is not None
                s.add(M.ProgrammePhase(programme_id=p.id, phase=phase, level=level))
            elif not covered and row is not None:
                s.delete(row)

    def people(self, code: str) -> ProgrammePeople:
        with self.store.read() as s:
            p = get_programme(s, code)
            rows = s.exec(select(M.ProgrammeActor, M.Actor).join(
                M.Actor, col(M.Actor.id) == col(M.ProgrammeActor.actor_id)).where(
                M.ProgrammeActor.programme_id == p.id).order_by(col(M.ProgrammeActor.role),
                                                                 col(M.Actor.name))).all()
            actors = [
                ActorRole(a.code, a.name, a.actor_class, pa.role, pa.alford_role, pa.phase,
                          f"{pa.seats_on_decision_body} of {pa.total_seats_decision_body} seats"
                          + (f" on {pa.decision_body}" if pa.decision_body else "")
                          if pa.total_seats_decision_body else None,
                          a.is_politically_exposed)
                for pa, a in rows
            ]
            sponsors = list(s.exec(select(M.Sponsor).where(M.Sponsor.programme_id == p.id)
                                   .order_by(col(M.Sponsor.code))))
            funding = list(s.exec(select(M.FundingSource).where(
                M.FundingSource.programme_id == p.id).order_by(col(M.FundingSource.code))))
            return ProgrammePeople(actors, sponsors, funding, p.currency)

    def strands(self, code: str) -> list[M.Strand]:
        with self.store.read() as s:
            p = get_programme(s, code)
            return list(s.scalars(select(M.Strand).where(M.Strand.programme_id == p.id)
                                  .order_by(M.Strand.code)))
