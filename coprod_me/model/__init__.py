"""The domain model: entities, enumerations, quarters and pure rules. No Qt, no I/O.

The entities are imported when first asked for (``from coprod_me.model import Programme``
or ``coprod_me.model.entities``), not with the package: building the 31 SQLModel tables
costs a sixth of a second, which the window's first paint (and ``model.errors``) should not
pay.
"""

from typing import TYPE_CHECKING, Any

from coprod_me.model.errors import DomainError, LockedPeriod, NotFound, ValidationFailed
from coprod_me.model.quarter import Quarter, quarter_range

if TYPE_CHECKING:
    from coprod_me.model.entities import (
        Actor,
        Allocation,
        AuditLog,
        CapacityAssessment,
        CapacityScore,
        ChannelRecord,
        ChecklistResponse,
        Evidence,
        EvidenceLink,
        FeedbackRecord,
        FundingSource,
        ImportBatch,
        Indicator,
        Note,
        Observation,
        ObservationDim,
        ObservationRevision,
        ParticipationRecord,
        PopulationReference,
        Programme,
        ProgrammeActor,
        ProgrammePhase,
        ReportingPeriod,
        ResultLink,
        RiskFlag,
        SpendRecord,
        Sponsor,
        StaffingRecord,
        Strand,
        Target,
    )


def __getattr__(name: str) -> Any:
    if name in __all__:  # the rest are imported above; this is only asked for an entity
        from coprod_me.model import entities

        return getattr(entities, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Actor",
    "Allocation",
    "AuditLog",
    "CapacityAssessment",
    "CapacityScore",
    "ChannelRecord",
    "ChecklistResponse",
    "DomainError",
    "Evidence",
    "EvidenceLink",
    "FeedbackRecord",
    "FundingSource",
    "ImportBatch",
    "Indicator",
    "LockedPeriod",
    "NotFound",
    "Note",
    "Observation",
    "ObservationDim",
    "ObservationRevision",
    "ParticipationRecord",
    "PopulationReference",
    "Programme",
    "ProgrammeActor",
    "ProgrammePhase",
    "Quarter",
    "ReportingPeriod",
    "ResultLink",
    "RiskFlag",
    "SpendRecord",
    "Sponsor",
    "StaffingRecord",
    "Strand",
    "Target",
    "ValidationFailed",
    "quarter_range",
]
