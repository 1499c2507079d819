"""The actor register: people, offices and organisations, shared between programmes.

An actor is created, edited and deleted here as the programme workbook's Actors sheet would
(same columns, kinds and allowed values), with what the sheet cannot say checked too: the
code is unique (also ignoring case) and at most 40 characters, the name and class are
required, political exposure ends no earlier than it began, and an actor that any record
still names (a role, allocation, sponsor, funding source, feedback or staffing record, a
capacity assessment, a programme's lead agency) is not deleted: the message says which.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from coprod_me.model import entities as M
from coprod_me.model.errors import DomainError, NotFound
from coprod_me.queries.actors import (
    all_actors,
    other_actor_with_code,
    programme_ids_by_actor,
    reference_counts,
)
from coprod_me.queries.programmes import programme_codes
from coprod_me.services.fields import apply_changes, coerce
from coprod_me.services.records import FieldInfo
from coprod_me.spreadsheets.workbook_format import SHEETS_BY_NAME
from coprod_me.store.session import Store

CODE_MAX = 40

_LABELS = {
    "code": "Code", "name": "Name", "actor_class": "Class", "org_type": "Organisation type",
    "registration_id": "Registration id", "is_politically_exposed": "Politically exposed",
    "pep_description": "Exposure description", "pep_since": "Exposed since",
    "pep_until": "Exposed until",
}
_HELP = {
    "code": "Unique code other records and the programme workbook use to name the actor "
            f"(at most {CODE_MAX} characters), e.g. RS-01-ACT-PMU",
    "name": "The person, office or organisation as people know it",
    "actor_class": "State actors are regular producers (direct, or contracted by government); "
                   "lay actors are individuals, groups or organisations who work with them",
    "org_type": "What kind of organisation this is (optional)",
    "registration_id": "Company, charity or register number (optional)",
    "is_politically_exposed": "Yes if a board member, owner or leader holds or held political "
                              "office; feeds the clientelism rule CL-4",
    "pep_description": "Who is exposed and how, e.g. 'board chair is a serving councillor of "
                       "the governing party'",
    "pep_since": "When the political exposure began (YYYY-MM-DD)",
    "pep_until": "When it ended (YYYY-MM-DD); empty while it lasts",
}

# (table, actor column) -> how a reference is named in a message (singular, plural)
_WHAT = {
    "programme_actor": ("role", "roles"),
    "allocation": ("allocation", "allocations"),
    "feedback_record": ("feedback record", "feedback records"),
    "sponsor": ("sponsor", "sponsors"),
    "staffing_record": ("staffing record", "staffing records"),
    "funding_source": ("funding source", "funding sources"),
    "capacity_assessment": ("capacity assessment", "capacity assessments"),
    "programme": ("lead agency", "lead agency"),
}
# where a user changes such a record
_WHERE = {
    "programme_actor": "Records › Actor roles", "allocation": "Records › Allocations",
    "feedback_record": "Records › Feedback", "sponsor": "Records › Sponsors",
    "staffing_record": "Records › Staffing", "funding_source": "Records › Funding sources",
    "capacity_assessment": "the CapacityAssessments sheet of the programme workbook",
    "programme": "the lead agency in the Programmes sheet of the programme workbook",
}


@dataclass(frozen=True)
class ActorRow:
    """One actor as the GUI shows it: its editable values and the programmes naming it."""

    id: int
    code: str
    values: dict[str, Any] = field(default_factory=dict)
    programmes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    """Records of one kind in one programme that name an actor."""

    programme_code: str
    what: str  # "roles", "allocation", "lead agency", ...
    count: int

    def __str__(self) -> str:
        singular, plural = _WHAT.get(self.what, (self.what, self.what))
        if self.what == "programme":
            return singular
        return f"{self.count} {singular if self.count == 1 else plural}"


class ActorInUse(DomainError):
    """The actor is still named by other records; the message lists them."""


def _name(attr: str) -> str:
    return _LABELS.get(attr, attr.replace("_", " ").capitalize())


class ActorService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ---------------------------------------------------------------------------- reading

    @staticmethod
    def columns() -> list[FieldInfo]:
        """Every editable field of an actor, in the Actors sheet's order."""
        sheet = SHEETS_BY_NAME["Actors"]
        return [FieldInfo(c.attr, _name(c.attr), c.kind, tuple(c.allowed), c.required,
                          _HELP.get(c.attr, c.description))
                for c in sheet.columns if c.ref is None and c.attr in sheet.table.c]

    @staticmethod
    def convert(field_name: str, value: Any) -> Any:
        """A user-entered value as the actor stores it (no save); DomainError says what to
        fix."""
        try:
            return coerce(M.Actor.__tablename__, field_name, value)
        except DomainError as exc:
            raise DomainError(ActorService._friendly(exc)) from None

    @staticmethod
    def required() -> list[str]:
        return [f.name for f in ActorService.columns() if f.required]

    def rows(self, programme_code: str | None = None) -> list[ActorRow]:
        """Every actor; those that ``programme_code`` names come first, then by code."""
        names = [f.name for f in self.columns()]
        with self.store.read() as s:
            actors = all_actors(s)
            used = self._programmes_by_actor(s)
        rows = [ActorRow(int(a.id or 0), a.code, {n: getattr(a, n) for n in names},
                         tuple(sorted(used.get(int(a.id or 0), ())))) for a in actors]
        return sorted(rows, key=lambda r: (programme_code not in r.programmes, r.code.casefold(),
                                           r.id))

    def get(self, actor_id: int) -> ActorRow:
        with self.store.read() as s:
            a = s.get(M.Actor, actor_id)
            if a is None:
                raise NotFound(f"no actor {actor_id}; it may have been deleted")
            used = self._programmes_by_actor(s, actor_id)
        return ActorRow(actor_id, a.code, {f.name: getattr(a, f.name) for f in self.columns()},
                        tuple(sorted(used.get(actor_id, ()))))

    def references(self, actor_id: int) -> list[Reference]:
        """The records that name the actor, per programme and kind."""
        with self.store.read() as s:
            return self._references(s, actor_id)

    @staticmethod
    def _programmes_by_actor(s: Any, actor_id: int | None = None) -> dict[int, set[str]]:
        codes = programme_codes(s)
        out: dict[int, set[str]] = defaultdict(set)
        for aid, programme_id in programme_ids_by_actor(s, actor_id):
            out[aid].add(codes.get(programme_id, "?"))
        return out

    @staticmethod
    def _references(s: Any, actor_id: int) -> list[Reference]:
        codes = programme_codes(s)
        refs = [Reference(codes.get(programme_id, "?"), table, n)
                for table, programme_id, n in reference_counts(s, actor_id)]
        return sorted(refs, key=lambda r: (r.programme_code, list(_WHAT).index(r.what)
                                           if r.what in _WHAT else 99))

    # ---------------------------------------------------------------------------- writing

    def create(self, values: dict[str, Any], *, reason: str | None = None) -> int:
        """Add an actor from user-entered values; returns its id. DomainError lists
        everything to fix at once."""
        allowed = [f.name for f in self.columns()]
        unknown = sorted(set(values) - set(allowed))
        if unknown:
            raise DomainError(f"{', '.join(unknown)} cannot be set on an actor; use: "
                              + ", ".join(allowed))
        missing = [_name(n).lower() for n in self.required()
                   if values.get(n) is None or not str(values.get(n)).strip()]
        if missing:
            raise DomainError(f"a new actor needs {', '.join(missing)}; fill in the fields "
                              "marked *")
        code = str(values.get("code", "")).strip()
        with self.store.session(reason=reason or f"add actor {code}") as s:
            obj = M.Actor(code=code, name="", actor_class="")
            try:
                apply_changes(obj, values)
            except DomainError as exc:
                raise DomainError(self._friendly(exc)) from None
            self._check(s, obj, None)
            s.add(obj)
            s.flush()
            return int(obj.id or 0)

    def update(self, actor_id: int, field_name: str, value: Any, *,
               reason: str | None = None) -> Any:
        """Set one field; returns the value as stored. DomainError says what to fix."""
        names = [f.name for f in self.columns()]
        if field_name not in names:
            raise DomainError(f"'{field_name}' is not an editable field of an actor; "
                              "editable: " + ", ".join(names))
        with self.store.session(reason=reason or f"edit actor {actor_id}") as s:
            obj = s.get(M.Actor, actor_id)
            if obj is None:
                raise NotFound(f"no actor {actor_id}; it may have been deleted")
            try:
                apply_changes(obj, {field_name: value})
            except DomainError as exc:
                raise DomainError(self._friendly(exc)) from None
            self._check(s, obj, actor_id)
            return getattr(obj, field_name)

    def delete(self, actor_id: int, *, reason: str | None = None) -> dict[str, Any]:
        """Delete an actor nothing names; returns its stored values for ``restore`` (undo).
        ActorInUse says which records still name it."""
        with self.store.session(reason=reason or f"delete actor {actor_id}") as s:
            obj = s.get(M.Actor, actor_id)
            if obj is None:
                raise NotFound(f"no actor {actor_id}; it may have been deleted")
            refs = self._references(s, actor_id)
            if refs:
                by_programme: dict[str, list[str]] = defaultdict(list)
                for r in refs:
                    by_programme[r.programme_code].append(str(r))
                where = "; ".join(f"{code}: {', '.join(items)}"
                                  for code, items in by_programme.items())
                fix = ", ".join(dict.fromkeys(_WHERE.get(r.what, r.what) for r in refs))
                raise ActorInUse(
                    f"actor {obj.code} cannot be deleted while records name it ({where}); "
                    f"change or delete those first ({fix}), then delete the actor")
            stored = {c.name: getattr(obj, c.name) for c in M.Actor.__table__.c}  # type: ignore[attr-defined]
            s.delete(obj)
            return stored

    def restore(self, stored: dict[str, Any], *, reason: str | None = None) -> int:
        """Put back a deleted actor (undo), under its old id when that is still free;
        returns the id it has now."""
        values = dict(stored)
        with self.store.session(reason=reason or f"restore actor {values.get('code')}") as s:
            if values.get("id") is not None and s.get(M.Actor, values["id"]) is not None:
                values.pop("id")
            obj = M.Actor(**values)
            self._check(s, obj, None)
            s.add(obj)
            s.flush()
            return int(obj.id or 0)

    # ---------------------------------------------------------------------------- checks

    @staticmethod
    def _friendly(exc: DomainError) -> str:
        """'pep_since: 'x' is not a date' as 'Exposed since: 'x' is not a date', for each of
        the problems ``apply_changes`` joined with '; '."""
        parts = []
        for part in str(exc).split("; "):
            for attr, label in _LABELS.items():
                if part.startswith(f"{attr}:"):
                    part = label + part[len(attr):]
                    break
                if part == f"{attr} is required":
                    part = f"{label} is required; enter or choose one"
                    break
            parts.append(part.replace("a date cell or text like", "a date like"))
        return "; ".join(parts)

    @staticmethod
    def _check(s: Any, obj: M.Actor, actor_id: int | None) -> None:
        problems = []
        code = (obj.code or "").strip()
        obj.code = code
        if not code:
            problems.append("code is required; enter a short unique code like RS-01-ACT-PMU")
        elif len(code) > CODE_MAX:
            problems.append(f"code '{code}' is {len(code)} characters long; use at most "
                            f"{CODE_MAX}")
        else:
            other = other_actor_with_code(s, code, actor_id)
            if other is not None and other is not obj:
                problems.append(f"code '{code}' is taken by {other.code} ({other.name}); "
                                "choose another code, or use that actor")
        if not (obj.name or "").strip():
            problems.append("name is required; enter the person, office or organisation")
        if not obj.actor_class:
            problems.append("class is required; choose state direct, state indirect "
                            "contracted, lay individual, lay group or lay organisation")
        if obj.pep_since and obj.pep_until and obj.pep_until < obj.pep_since:
            problems.append(f"exposed until ({obj.pep_until.isoformat()}) is before exposed "
                            f"since ({obj.pep_since.isoformat()}); correct one of the dates")
        if problems:
            raise DomainError("; ".join(problems))
