"""The programme workbook format: one sheet per entity, derived from the model.

A column's type, allowed values and whether it is required come from the SQLModel entity,
so the format, its drop-downs, the loader's checks and ``docs/workbook-format.md`` cannot
disagree. Foreign keys appear as the referenced record's code (``strand_code``), never as
database ids, so a workbook moves between databases. The facts both the reader and the
writer need (the README lines, what a column expects) live here, so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic_core import PydanticUndefined
from sqlalchemy import Table, TypeDecorator
from sqlmodel import SQLModel

from coprod_me.model import entities as M

FORMAT_VERSION = 1
DIM_PREFIX = "dim:"
README_SHEET = "README"
LISTS_SHEET = "_lists"

#: What every reader of the format is told first: the README sheet and the format document.
README_LINES = (
    "One workbook holds one or more programmes completely: one sheet per kind of record.",
    "Row 1 of each sheet is the header. Dark headers are the columns that identify a row: "
    "loading creates a row when no row has those codes and updates it when one does, so "
    "loading the same file twice changes nothing.",
    "Rows refer to each other by code (programme_code, strand_code, indicator_code ...), "
    "never by number. Leave a cell empty for 'not known'.",
    "Quarters are written 2024Q2. Dates are date cells or text like 2024-03-31. Lists (phases, "
    "required disaggregations) are comma-separated.",
    "Loading is all or nothing: if any cell is wrong, nothing is saved and every problem is "
    "listed with its sheet, row and column.",
    "Sample programmes mark their figures with data_label R (real public figure) or I "
    "(illustrative).",
)


Kind = Literal["text", "int", "float", "bool", "date", "datetime", "quarter", "enum", "list",
               "ref"]


@dataclass(frozen=True)
class Ref:
    """A foreign key shown as the target's code; ``scoped`` targets are codes within a programme."""

    sheet: str
    scoped: bool = True


@dataclass(frozen=True)
class ColumnSpec:
    header: str
    attr: str
    kind: Kind
    required: bool
    enum: type[StrEnum] | None = None
    list_of: type[StrEnum] | None = None
    ref: Ref | None = None
    description: str = ""
    default: Any = None

    @property
    def allowed(self) -> list[str]:
        e = self.enum or self.list_of
        return [m.value for m in e] if e else []


@dataclass(frozen=True)
class SheetSpec:
    name: str
    model: type[SQLModel]
    key: tuple[str, ...]  # headers that identify a row (create or update by these)
    columns: tuple[ColumnSpec, ...]
    description: str
    has_dims: bool = False
    programme_scoped: bool = True
    #: a sheet added after workbooks were in use: one written before it still loads
    optional: bool = False
    by_header: dict[str, ColumnSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_header", {c.header: c for c in self.columns})

    @property
    def table(self) -> Table:
        return M.table_of(self.model)

    @property
    def key_attrs(self) -> tuple[str, ...]:
        attrs = tuple(self.by_header[h].attr for h in self.key
                      if h != "dims" and self.by_header[h].attr in self.table.c)
        return (*attrs, "dims_key") if "dims" in self.key else attrs


# Foreign-key attribute -> (header, reference)
_REFS: dict[str, tuple[str, Ref]] = {
    "programme_id": ("programme_code", Ref("Programmes", scoped=False)),
    "strand_id": ("strand_code", Ref("Strands")),
    "actor_id": ("actor_code", Ref("Actors", scoped=False)),
    "provider_actor_id": ("provider_actor_code", Ref("Actors", scoped=False)),
    "funder_actor_id": ("funder_actor_code", Ref("Actors", scoped=False)),
    "lead_agency_actor_id": ("lead_agency_actor_code", Ref("Actors", scoped=False)),
    "sponsor_id": ("sponsor_code", Ref("Sponsors")),
    "indicator_id": ("indicator_code", Ref("Indicators")),
    "from_indicator_id": ("from_indicator_code", Ref("Indicators")),
    "to_indicator_id": ("to_indicator_code", Ref("Indicators")),
    "evidence_id": ("evidence_code", Ref("Evidence")),
    "commitment_evidence_id": ("commitment_evidence_code", Ref("Evidence")),
    "co_defined_evidence_id": ("co_defined_evidence_code", Ref("Evidence")),
    "assessment_id": ("assessment_code", Ref("CapacityAssessments")),
}
# not the sender's data: ids, batches, derived keys, and when the rules judged a locked quarter
_SKIP = {"id", "import_batch_id", "dims_key", "entered_by", "entered_at", "rules_ran_at"}


def _kind_of(col: Any) -> Kind:
    info = col.info
    if "enum" in info:
        return "enum"
    if "list_of" in info:
        return "list"
    if info.get("quarter"):
        return "quarter"
    t = col.type
    py = (t.impl_instance if isinstance(t, TypeDecorator) else t).python_type
    if py is bool:
        return "bool"
    if py is int:
        return "int"
    if py is float:
        return "float"
    if py is datetime:
        return "datetime"
    if py is date:
        return "date"
    return "text"


def _columns(model: type[SQLModel], *, needs_programme: bool) -> tuple[ColumnSpec, ...]:
    table = M.table_of(model)
    fields = model.model_fields
    cols: list[ColumnSpec] = []
    if needs_programme and "programme_id" not in table.c:
        cols.append(ColumnSpec("programme_code", "programme_code", "ref", True,
                               ref=Ref("Programmes", scoped=False),
                               description="code of the programme this row belongs to"))
    for col in table.c:
        if col.name in _SKIP:
            continue
        f = fields.get(col.name)
        default = None if f is None or f.default is PydanticUndefined else f.default
        has_default = f is not None and f.default is not PydanticUndefined
        required = not col.nullable and not has_default
        desc = (f.description if f is not None else None) or ""
        if col.name in _REFS:
            header, ref = _REFS[col.name]
            cols.append(ColumnSpec(header, col.name, "ref", required, ref=ref, description=desc))
            continue
        cols.append(ColumnSpec(
            col.name, col.name, _kind_of(col), required,
            enum=col.info.get("enum"), list_of=col.info.get("list_of"),
            description=desc, default=default,
        ))
    return tuple(cols)


def _sheet(name: str, model: type[SQLModel], key: tuple[str, ...], description: str,
           *, has_dims: bool = False, programme_scoped: bool = True,
           optional: bool = False) -> SheetSpec:
    return SheetSpec(name, model, key, _columns(model, needs_programme=programme_scoped),
                     description, has_dims=has_dims, programme_scoped=programme_scoped,
                     optional=optional)


# In load order: every sheet refers only to sheets above it.
SHEETS: tuple[SheetSpec, ...] = (
    _sheet("Actors", M.Actor, ("code",),
           "People, offices and organisations; shared between programmes.",
           programme_scoped=False),
    _sheet("Programmes", M.Programme, ("code",),
           "One row per programme with its co-production classification.",
           programme_scoped=False),
    _sheet("Strands", M.Strand, ("programme_code", "code"),
           "Sites and service strands of each programme."),
    _sheet("Evidence", M.Evidence, ("programme_code", "code"),
           "Documents, datasets and other evidence; other sheets refer to them by code."),
    _sheet("ProgrammePhases", M.ProgrammePhase,
           ("programme_code", "strand_code", "phase", "level"),
           "The phases × levels cells a programme (or one of its strands) covers."),
    _sheet("ProgrammeActors", M.ProgrammeActor,
           ("programme_code", "actor_code", "role", "phase", "strand_code"),
           "Who plays which role in which phase, with decision-body seats."),
    _sheet("Sponsors", M.Sponsor, ("programme_code", "code"),
           "Political sponsors and the terms that bound their support."),
    _sheet("FundingSources", M.FundingSource, ("programme_code", "code"),
           "Where the money comes from, committed for which period."),
    _sheet("Allocations", M.Allocation, ("programme_code", "code"),
           "Grants, contracts and places awarded to providers, with procurement fields."),
    _sheet("SpendRecords", M.SpendRecord, ("programme_code", "strand_code", "period"),
           "Money spent per quarter (the base of the funding runway)."),
    _sheet("StaffingRecords", M.StaffingRecord,
           ("programme_code", "strand_code", "period", "provider_actor_code"),
           "Hiring and staff strain per quarter and provider."),
    _sheet("ReportingPeriods", M.ReportingPeriod, ("programme_code", "quarter"),
           "Reporting quarters and whether they are open, in review or locked."),
    _sheet("InstitutionalStatus", M.InstitutionalStatusChange,
           ("programme_code", "strand_code", "period"),
           "Dated changes of institutional status (pilot, project, recurrent budget, unit)."),
    _sheet("Indicators", M.Indicator, ("programme_code", "code"),
           "Indicators with their reference-sheet (PIRS) fields; outcomes before outputs."),
    _sheet("Targets", M.Target, ("programme_code", "indicator_code", "strand_code", "period"),
           "Target values by quarter (and strand)."),
    _sheet("ResultLinks", M.ResultLink,
           ("programme_code", "from_indicator_code", "to_indicator_code"),
           "Results chain: which output should drive which outcome, and the assumption."),
    _sheet("Observations", M.Observation,
           ("programme_code", "indicator_code", "strand_code", "period", "dims"),
           "Measured values in long form: one row per indicator × quarter × strand × "
           "disaggregation cell; one 'dim:<dimension>' column per disaggregation.",
           has_dims=True),
    _sheet("Participation", M.ParticipationRecord,
           ("programme_code", "strand_code", "period", "phase", "group_dimension",
            "group_category"),
           "Aggregated participation counts per quarter × phase × group."),
    _sheet("PopulationReferences", M.PopulationReference,
           ("programme_code", "strand_code", "geo", "group_dimension", "group_category",
            "year"),
           "Population counts: the denominators of representation ratios."),
    _sheet("Feedback", M.FeedbackRecord,
           ("programme_code", "strand_code", "period", "provider_actor_code"),
           "Complaints, satisfaction and proposals per quarter × strand × provider."),
    _sheet("Channels", M.ChannelRecord, ("programme_code", "strand_code", "period"),
           "Participation channels: online-only opportunities and assisted routes."),
    _sheet("CapacityAssessments", M.CapacityAssessment, ("programme_code", "code"),
           "Capacity assessments (who assessed whose capacity, when, how)."),
    _sheet("CapacityScores", M.CapacityScore,
           ("programme_code", "assessment_code", "level", "competence"),
           "The 3 × 3 capacity matrix: 0 absent, 1 weak, 2 partial, 3 adequate, 4 strong."),
    _sheet("ChecklistResponses", M.ChecklistResponse,
           ("programme_code", "strand_code", "period", "item_code"),
           "Evaluator answers to the risk checklists (CDQ, CLQ, SUQ, EQQ)."),
    _sheet("RiskFlags", M.RiskFlag,
           ("programme_code", "strand_code", "period", "rule_id", "subject"),
           "Raised risk flags with the evaluator's judgement, overrides and mitigation."),
    _sheet("EvidenceLinks", M.EvidenceLink,
           ("programme_code", "evidence_code", "entity", "entity_key"),
           "Which evidence supports which record (entity = sheet's table, key = its codes)."),
    _sheet("Notes", M.Note, ("programme_code", "code"),
           "Memos: the story behind the curve, decisions, lessons."),
    _sheet("Dhis2Mappings", M.Dhis2Mapping, ("programme_code", "kind", "source"),
           "How the programme's figures are named in a DHIS2 instance: kind data_set "
           "(source empty), data_element (source: an indicator code), org_unit (a strand "
           "code; empty for the programme as a whole), category_option_combo (a breakdown "
           "such as sex=female; empty for the total) or attribute_option_combo (source "
           "empty); target is the DHIS2 code or UID. A workbook without this sheet "
           "loads as before.", optional=True),
    _sheet("Narratives", M.VarianceNarrative,
           ("programme_code", "indicator_code", "strand_code", "period"),
           "Deviation narratives of the IPTT: why an indicator's actual differs from its "
           "target in a quarter (period), for a strand or, strand_code empty, the programme "
           "as a whole. A workbook without this sheet loads as before.", optional=True),
)

SHEETS_BY_NAME: dict[str, SheetSpec] = {s.name: s for s in SHEETS}


def expected_for(col: ColumnSpec) -> str:
    """What a cell of this column must hold, in the words problems and header notes use."""
    return {
        "float": "a number", "int": "a whole number", "bool": "TRUE or FALSE",
        "date": "a date", "datetime": "a date and time", "quarter": "a quarter like 2024Q2",
        "enum": "one of: " + ", ".join(col.allowed),
        "list": "a comma-separated list", "ref": "a code", "text": "text",
    }[col.kind]
