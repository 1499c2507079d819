"""Programmes: create, classify, summarise, and the outcome gates that guard activation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coprod_me.model import entities as M
from coprod_me.model.coaching import Gate, derive_tradition_label, unmet_gates
from coprod_me.model.enums import CoproductionLevel, Phase, ProgrammeStatus, TraditionLabel
from coprod_me.model.errors import DomainError, ValidationFailed
from coprod_me.model.validation import check_code
from coprod_me.queries.programmes import (
    actor_roles_of,
    find_programme,
    funding_of,
    get_programme,
    indicator_count,
    phases_of,
    programme_phase,
    programme_records,
    sponsors_of,
    strands_of,
)
from coprod_me.services.fields import apply_changes
from coprod_me.services.programme_index import ProgrammeReads, ProgrammeSummary
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
            return ProgrammeReads(s.connection()).summaries()

    def get(self, code: str) -> M.Programme:
        with self.store.read() as s:
            return get_programme(s, code)

    def create(self, code: str, name: str, *, reason: str | None = None,
               **fields: Any) -> M.Programme:
        code = check_code(code, "programme")
        if not (name or "").strip():
            raise DomainError("a programme needs a name")
        with self.store.session(reason=reason or "create programme") as s:
            if find_programme(s, code):
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
            n = indicator_count(s, p.id)
            if n:
                raise DomainError(f"{code} still has {n} indicator(s); delete them first or "
                                  "close the programme instead")
            for model in (M.Strand, M.ProgrammePhase, M.ProgrammeActor, M.ReportingPeriod,
                          M.Note):
                for row in programme_records(s, model, p.id):
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
            return ProgrammeReads(s.connection()).gates(code)

    def phases(self, code: str) -> list[M.ProgrammePhase]:
        with self.store.read() as s:
            return phases_of(s, get_programme(s, code).id)

    def set_phase(self, code: str, phase: str, level: str, covered: bool, *,
                  reason: str | None = None) -> None:
        """Mark a phases × levels cell as covered (or not) by the whole programme."""
        phase = Phase(phase).value
        level = CoproductionLevel(level).value
        with self.store.session(reason=reason) as s:
            p = get_programme(s, code)
            row = programme_phase(s, p.id, phase, level)
            if covered and row is None:
                assert p.id is not None
                s.add(M.ProgrammePhase(programme_id=p.id, phase=phase, level=level))
            elif not covered and row is not None:
                s.delete(row)

    def people(self, code: str) -> ProgrammePeople:
        with self.store.read() as s:
            p = get_programme(s, code)
            actors = [
                ActorRole(a.code, a.name, a.actor_class, pa.role, pa.alford_role, pa.phase,
                          f"{pa.seats_on_decision_body} of {pa.total_seats_decision_body} seats"
                          + (f" on {pa.decision_body}" if pa.decision_body else "")
                          if pa.total_seats_decision_body else None,
                          a.is_politically_exposed)
                for pa, a in actor_roles_of(s, p.id)
            ]
            return ProgrammePeople(actors, sponsors_of(s, p.id), funding_of(s, p.id),
                                   p.currency)

    def strands(self, code: str) -> list[M.Strand]:
        with self.store.read() as s:
            return strands_of(s, get_programme(s, code).id)
