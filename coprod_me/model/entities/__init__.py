"""SQLModel entities for the domain model (domain brief §1).

Conventions:
- Enumerated columns are text; ``enum_field`` records the allowed values in the column's
  ``info`` so the workbook format, its drop-downs and its documentation derive from here.
- List-valued columns (an indicator's phases) are comma-separated text with ``info["list_of"]``.
- Quarters are text in the canonical ``2024Q2`` form, which sorts correctly as text.
- Every row a bulk load creates carries that load's ``import_batch_id`` instead of an audit
  row of its own (see ``store.session``).

The entities are grouped by subject in the modules of this package; every one is importable
from here (``from coprod_me.model import entities as M``; ``M.Indicator``), and importing
this package registers every table on ``SQLModel.metadata``.
"""

from coprod_me.model.entities.bookkeeping import (
    AuditLog,
    ImportBatch,
    ImportMapping,
)
from coprod_me.model.entities.columns import (
    batch_field,
    enum_field,
    list_field,
    prepare_mappers,
    quarter_field,
    table_of,
    text_field,
)
from coprod_me.model.entities.evidence import (
    Evidence,
    EvidenceLink,
    InstitutionalStatusChange,
    Note,
)
from coprod_me.model.entities.indicators import (
    Indicator,
    Observation,
    ObservationDim,
    ObservationRevision,
    ResultLink,
    Target,
    TargetRevision,
    VarianceNarrative,
)
from coprod_me.model.entities.programmes import (
    Actor,
    Allocation,
    Dhis2Mapping,
    FundingSource,
    Programme,
    ProgrammeActor,
    ProgrammePhase,
    ReportingPeriod,
    SpendRecord,
    Sponsor,
    StaffingRecord,
    Strand,
)
from coprod_me.model.entities.records import (
    CapacityAssessment,
    CapacityScore,
    ChannelRecord,
    FeedbackRecord,
    ParticipationRecord,
    PopulationReference,
)
from coprod_me.model.entities.risks import (
    ChecklistResponse,
    RiskFlag,
    RiskRun,
    RuleParameterOverride,
)

__all__ = [
    "Actor",
    "Allocation",
    "AuditLog",
    "CapacityAssessment",
    "CapacityScore",
    "ChannelRecord",
    "ChecklistResponse",
    "Dhis2Mapping",
    "Evidence",
    "EvidenceLink",
    "FeedbackRecord",
    "FundingSource",
    "ImportBatch",
    "ImportMapping",
    "Indicator",
    "InstitutionalStatusChange",
    "Note",
    "Observation",
    "ObservationDim",
    "ObservationRevision",
    "ParticipationRecord",
    "PopulationReference",
    "Programme",
    "ProgrammeActor",
    "ProgrammePhase",
    "ReportingPeriod",
    "ResultLink",
    "RiskFlag",
    "RiskRun",
    "RuleParameterOverride",
    "SpendRecord",
    "Sponsor",
    "StaffingRecord",
    "Strand",
    "Target",
    "TargetRevision",
    "VarianceNarrative",
    "batch_field",
    "enum_field",
    "list_field",
    "prepare_mappers",
    "quarter_field",
    "table_of",
    "text_field",
]
