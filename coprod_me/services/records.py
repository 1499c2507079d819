"""Participation, feedback and allocation records and the 3 × 3 capacity matrix, cell by cell.

The editable fields and their kinds come from the programme workbook's column specs, and a
value is validated as the workbook loader validates it: ``apply_changes`` for the kind and
allowed values, the field's bounds, and the sheet's "not above" rules (continuing active
participants cannot outnumber active ones). Key fields (quarter, phase and group of a
participation row, an allocation's code) identify a row and are shown, not edited here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import SQLModel

from coprod_me.model import entities as M
from coprod_me.model.enums import CapacityLevel, Competence
from coprod_me.model.errors import DomainError, NotFound
from coprod_me.model.validation import field_bounds
from coprod_me.queries.actors import actor_by_code, actor_codes, all_actors
from coprod_me.queries.programmes import (
    find_strand,
    get_programme,
    programme_records,
    strands_of,
)
from coprod_me.queries.records import (
    assessments_of,
    capacity_score,
    capacity_scores,
    record_with_key,
)
from coprod_me.services.fields import apply_changes, coerce
from coprod_me.services.workbooks import NOT_ABOVE
from coprod_me.spreadsheets.workbook_format import SHEETS_BY_NAME, SheetSpec
from coprod_me.store.session import Store

PARTICIPATION = "participation"
FEEDBACK = "feedback"
ALLOCATIONS = "allocations"
SPONSORS = "sponsors"
FUNDING = "funding"
SPEND = "spend"
CHANNELS = "channels"
STAFFING = "staffing"
ACTORS = "actors"
RECORD_KINDS: tuple[str, ...] = (ACTORS, PARTICIPATION, FEEDBACK, ALLOCATIONS, SPONSORS,
                                 FUNDING, SPEND, CHANNELS, STAFFING)

_SHEET_OF = {ACTORS: "ProgrammeActors", PARTICIPATION: "Participation", FEEDBACK: "Feedback",
             ALLOCATIONS: "Allocations",
             SPONSORS: "Sponsors", FUNDING: "FundingSources", SPEND: "SpendRecords",
             CHANNELS: "Channels", STAFFING: "StaffingRecords"}
# the actor each kind of record names (shown beside the strand)
_ACTOR_ATTR = {ACTORS: "actor_id", FEEDBACK: "provider_actor_id", ALLOCATIONS: "provider_actor_id",
               SPONSORS: "actor_id", FUNDING: "funder_actor_id", STAFFING: "provider_actor_id"}

LEVELS: tuple[str, ...] = tuple(m.value for m in CapacityLevel)
COMPETENCES: tuple[str, ...] = tuple(m.value for m in Competence)
SCORE_WORDS = ("absent", "weak", "partial", "adequate", "strong")


@dataclass(frozen=True)
class FieldInfo:
    """One editable column: its stored name, a label, its kind and allowed values."""

    name: str
    label: str
    kind: str
    allowed: tuple[str, ...] = ()
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class RecordRow:
    """One record as the GUI shows it: what identifies it, and its editable values."""

    id: int
    strand_code: str | None
    actor_code: str | None
    key: dict[str, Any] = field(default_factory=dict)  # read-only identifying fields
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AssessmentInfo:
    id: int
    code: str
    assessed_on: str
    assessor: str | None
    actor_scope: str
    actor_code: str | None
    method: str | None

    @property
    def label(self) -> str:
        who = f" · {self.actor_code}" if self.actor_code else ""
        return f"{self.code} ({self.actor_scope.replace('_', ' ')}{who}, {self.assessed_on})"


def _label(attr: str) -> str:
    return _words(attr).capitalize()


def _words(attr: str) -> str:
    return attr.replace("_", " ")


def _num(v: Any) -> str:
    return f"{v:g}" if isinstance(v, int | float) else str(v)


def _sheet(kind: str) -> SheetSpec:
    try:
        return SHEETS_BY_NAME[_SHEET_OF[kind]]
    except KeyError:
        raise DomainError(f"'{kind}' is not a kind of record; use one of: "
                          + ", ".join(RECORD_KINDS)) from None


def _key_attrs(kind: str) -> tuple[str, ...]:
    sheet = _sheet(kind)
    return tuple(a for a in sheet.key_attrs if a not in ("programme_id", "strand_id",
                                                          "provider_actor_id", "actor_id"))


def _check_bounds(obj: SQLModel, attr: str) -> None:
    value = getattr(obj, attr)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return
    lo, hi = field_bounds(type(obj), attr)
    if lo is not None and value < lo:
        raise DomainError(f"{_label(attr)} cannot be below {lo:g}; enter {lo:g} or more")
    if hi is not None and value > hi:
        raise DomainError(f"{_label(attr)} cannot be above {hi:g}; enter {hi:g} or less")


def _check_not_above(kind: str, obj: SQLModel, changed: str) -> None:
    for low, high in NOT_ABOVE.get(_SHEET_OF[kind], ()):
        if changed not in (low, high):
            continue
        a, b = getattr(obj, low), getattr(obj, high)
        if a is None or b is None or a <= b:
            continue
        other = high if changed == low else low
        fix = f"enter at most {_num(b)}" if changed == low else f"enter at least {_num(a)}"
        raise DomainError(f"{_label(low)} ({_num(a)}) cannot be above {_words(high)} "
                          f"({_num(b)}); {fix}, or change {_words(other)} first")


class RecordService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --------------------------------------------------------------------- record tables

    @staticmethod
    def kinds() -> tuple[str, ...]:
        return RECORD_KINDS

    @staticmethod
    def has_actor(kind: str) -> bool:
        return kind in _ACTOR_ATTR

    @staticmethod
    def key_columns(kind: str) -> list[FieldInfo]:
        """The read-only columns that identify a row (shown before the editable ones)."""
        sheet = _sheet(kind)
        by_attr = {c.attr: c for c in sheet.columns}
        return [FieldInfo(a, _label(a), by_attr[a].kind, tuple(by_attr[a].allowed),
                          by_attr[a].required, by_attr[a].description)
                for a in _key_attrs(kind)]

    @staticmethod
    def columns(kind: str) -> list[FieldInfo]:
        sheet = _sheet(kind)
        keys = set(sheet.key_attrs)
        return [FieldInfo(c.attr, _label(c.attr), c.kind, tuple(c.allowed), c.required,
                          c.description)
                for c in sheet.columns
                if c.ref is None and c.attr in sheet.table.c and c.attr not in keys]

    def rows(self, kind: str, programme_code: str) -> list[RecordRow]:
        sheet = _sheet(kind)
        model = sheet.model
        editable = [f.name for f in self.columns(kind)]
        keys = _key_attrs(kind)
        actor_attr = _ACTOR_ATTR.get(kind)
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            strands = {st.id: st.code for st in strands_of(s, p.id)}
            records: list[Any] = programme_records(s, model, p.id)
            actor_ids = {getattr(r, actor_attr) for r in records} if actor_attr else set()
            actors = actor_codes(s, {i for i in actor_ids if i is not None})
        out = [RecordRow(
            id=r.id, strand_code=strands.get(r.strand_id),
            actor_code=actors.get(getattr(r, actor_attr)) if actor_attr else None,
            key={k: getattr(r, k) for k in keys},
            values={f: getattr(r, f) for f in editable}) for r in records]
        return sorted(out, key=lambda row: (
            row.strand_code or "", *(str(v or "") for v in row.key.values()),
            row.actor_code or "", row.id))

    def update(self, kind: str, record_id: int, field_name: str, value: Any, *,
               reason: str | None = None) -> Any:
        """Set one field; returns the value as stored. DomainError says what to fix."""
        sheet = _sheet(kind)
        if field_name not in {f.name for f in self.columns(kind)}:
            raise DomainError(f"'{field_name}' cannot be edited in {kind} records; editable: "
                              + ", ".join(f.name for f in self.columns(kind)))
        with self.store.session(reason=reason or f"edit {kind} record") as s:
            obj = s.get(sheet.model, record_id)
            if obj is None:
                raise NotFound(f"no {kind} record {record_id}; it may have been deleted")
            apply_changes(obj, {field_name: value})
            _check_bounds(obj, field_name)
            _check_not_above(kind, obj, field_name)
            return getattr(obj, field_name)

    def actor_required(self, kind: str) -> bool:
        attr = _ACTOR_ATTR.get(kind)
        sheet = _sheet(kind)
        return attr is not None and any(c.attr == attr and c.required for c in sheet.columns)

    def create(self, kind: str, programme_code: str, values: dict[str, Any], *,
               strand_code: str | None = None, actor_code: str | None = None,
               reason: str | None = None) -> int:
        """Add a record from user-entered values (identifying and editable fields alike);
        returns its id. DomainError lists everything to fix at once."""
        sheet = _sheet(kind)
        fields = (*self.key_columns(kind), *self.columns(kind))
        allowed = {f.name for f in fields}
        unknown = sorted(set(values) - allowed)
        if unknown:
            raise DomainError(f"{', '.join(unknown)} cannot be set on {kind} records; use: "
                              + ", ".join(sorted(allowed)))
        required = [f.name for f in fields if f.required and f.name not in values]
        actor_attr = _ACTOR_ATTR.get(kind)
        if self.actor_required(kind) and not actor_code:
            required.append("actor")
        if required:
            raise DomainError(f"a {kind} record needs: {', '.join(required)}")
        with self.store.session(reason=reason or f"add {kind} record") as s:
            p = get_programme(s, programme_code)
            assert p.id is not None
            obj: Any = sheet.model(programme_id=p.id)
            if strand_code:
                obj.strand_id = self._strand_id(s, p.id, strand_code)
            if actor_code and actor_attr:
                setattr(obj, actor_attr, self._actor_id(s, actor_code))
            apply_changes(obj, values)
            for name in values:
                _check_bounds(obj, name)
                _check_not_above(kind, obj, name)
            self._check_unique(s, kind, obj)
            s.add(obj)
            s.flush()
            return int(obj.id)

    def delete(self, kind: str, record_id: int, *, reason: str | None = None
               ) -> dict[str, Any]:
        """Delete a record; returns its stored values, which ``restore`` puts back (undo)."""
        sheet = _sheet(kind)
        with self.store.session(reason=reason or f"delete {kind} record") as s:
            obj = s.get(sheet.model, record_id)
            if obj is None:
                raise NotFound(f"no {kind} record {record_id}; it may have been deleted")
            stored = {c.name: getattr(obj, c.name) for c in sheet.table.c if c.name != "id"}
            s.delete(obj)
            return stored

    def restore(self, kind: str, stored: dict[str, Any], *, reason: str | None = None) -> int:
        """Re-insert a deleted record from the values ``delete`` returned; returns its new id."""
        sheet = _sheet(kind)
        with self.store.session(reason=reason or f"restore {kind} record") as s:
            obj: Any = sheet.model(**stored)
            self._check_unique(s, kind, obj)
            s.add(obj)
            s.flush()
            return int(obj.id)

    @staticmethod
    def _strand_id(s: Any, programme_id: int, code: str) -> int:
        strand = find_strand(s, programme_id, code)
        if strand is None:
            raise DomainError(f"no strand '{code}' in this programme; add it in the "
                              "programme workbook's Strands sheet first")
        assert strand.id is not None
        return strand.id

    @staticmethod
    def _actor_id(s: Any, code: str) -> int:
        actor = actor_by_code(s, code)
        if actor is None:
            raise DomainError(f"no actor '{code}'; add it first: Records tab, 'Actors' "
                              "(Ins adds one), or the Actors sheet of the programme workbook")
        assert actor.id is not None
        return actor.id

    @staticmethod
    def _check_unique(s: Any, kind: str, obj: Any) -> None:
        """Say which record already has this key instead of failing on the constraint."""
        sheet = _sheet(kind)
        attrs = [a for a in sheet.key_attrs if a in sheet.table.c]
        if record_with_key(s, sheet.model, {a: getattr(obj, a) for a in attrs}) is not None:
            key = ", ".join(f"{_words(a.removesuffix('_id'))} {getattr(obj, a)}" for a in attrs
                            if a != "programme_id" and getattr(obj, a) is not None)
            raise DomainError(f"this programme already has a {kind} record with {key}; "
                              "edit that one instead")

    def actors(self) -> list[tuple[str, str]]:
        """Every actor as (code, name), for choosing one on a new record."""
        with self.store.read() as s:
            return [(a.code, a.name) for a in all_actors(s)]

    # -------------------------------------------------------------------------- capacity

    def assessments(self, programme_code: str) -> list[AssessmentInfo]:
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            rows = assessments_of(s, p.id)
            actors = actor_codes(s, [r.actor_id for r in rows if r.actor_id])
        out = []
        for r in rows:
            assert r.id is not None
            out.append(AssessmentInfo(r.id, r.code, r.assessed_on.isoformat(), r.assessor,
                                      r.actor_scope,
                                      None if r.actor_id is None else actors.get(r.actor_id),
                                      r.method))
        return sorted(out, key=lambda a: (a.assessed_on, a.code))

    def matrix(self, assessment_id: int) -> dict[tuple[str, str], tuple[int, str | None]]:
        """(level, competence) -> (score, descriptor) for the scored cells."""
        with self.store.read() as s:
            if s.get(M.CapacityAssessment, assessment_id) is None:
                raise NotFound(f"no capacity assessment {assessment_id}")
            return {(c.level, c.competence): (c.score, c.descriptor)
                    for c in capacity_scores(s, assessment_id)}

    @staticmethod
    def _check_cell(level: str, competence: str) -> None:
        if level not in LEVELS:
            raise DomainError(f"level '{level}' is not one of: {', '.join(LEVELS)}")
        if competence not in COMPETENCES:
            raise DomainError(f"competence '{competence}' is not one of: "
                              f"{', '.join(COMPETENCES)}")

    @staticmethod
    def check_score(score: Any) -> int:
        try:
            value = float(str(score).strip().replace(",", "."))
        except ValueError:
            raise DomainError(f"score '{score}' is not a number; enter 0 (absent), 1 (weak), "
                              "2 (partial), 3 (adequate) or 4 (strong)") from None
        if not value.is_integer() or not 0 <= value <= 4:
            raise DomainError(f"score {score} is outside the scale; enter a whole number from "
                              "0 (absent) to 4 (strong)")
        return int(value)

    def set_score(self, assessment_id: int, level: str, competence: str, score: Any,
                  descriptor: str | None, *, reason: str | None = None) -> bool:
        """Score one cell (creating it if missing); returns whether it was created."""
        text = (descriptor or "").strip()
        if not text:
            raise DomainError(f"write a one-line justification for the {level} × {competence} "
                              "score (e.g. '3: two trained facilitators per village')")
        if "\n" in text:
            raise DomainError("keep the justification to one line; put longer text in the "
                              "assessment's notes")
        return self._write(assessment_id, level, competence, self.check_score(score), text,
                           reason=reason or "set capacity score")

    def restore_score(self, assessment_id: int, level: str, competence: str, score: int,
                      descriptor: str | None, *, reason: str | None = None) -> None:
        """Put back a cell exactly as it was (undo), even one imported without descriptor."""
        self._write(assessment_id, level, competence, self.check_score(score), descriptor,
                    reason=reason or "undo capacity score")

    def _write(self, assessment_id: int, level: str, competence: str, score: int,
               descriptor: str | None, *, reason: str) -> bool:
        self._check_cell(level, competence)
        with self.store.session(reason=reason) as s:
            if s.get(M.CapacityAssessment, assessment_id) is None:
                raise NotFound(f"no capacity assessment {assessment_id}")
            cell = capacity_score(s, assessment_id, level, competence)
            created = cell is None
            if cell is None:
                cell = M.CapacityScore(assessment_id=assessment_id, level=level,
                                       competence=competence, score=score)
                s.add(cell)
            cell.score = score
            cell.descriptor = descriptor
            return created

    def clear_score(self, assessment_id: int, level: str, competence: str, *,
                    reason: str | None = None) -> None:
        """Remove a scored cell (the undo of one that set_score created)."""
        self._check_cell(level, competence)
        with self.store.session(reason=reason or "clear capacity score") as s:
            cell = capacity_score(s, assessment_id, level, competence)
            if cell is not None:
                s.delete(cell)


def convert(kind: str, field_name: str, value: Any) -> Any:
    """A user-entered value as the record stores it (no save); DomainError says what to fix."""
    return coerce(_sheet(kind).table.name, field_name, value)


def parse_score_text(text: str) -> tuple[int, str]:
    """'3: adequate staffing' (or '3 - ...', or just '3') as (score, justification)."""
    m = re.match(r"^\s*([^\s:;–-]+)\s*(?:[:;–-]\s*(.*))?$", text or "", re.DOTALL)
    if m is None:
        raise DomainError("enter the score and a one-line justification, e.g. "
                          "'3: adequate staffing'")
    return RecordService.check_score(m.group(1)), (m.group(2) or "").strip()
