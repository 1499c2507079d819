"""What the IPTT reads besides figures and targets: deviation narratives and target revisions.

Plain frozen records of the report's read model (``quarterly_model.ProgrammeData`` carries
them); codes stand in for database ids, strand ``None`` is the programme as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class NarrativeText:
    """Why an indicator's actual differs from its target in a quarter."""

    indicator: str
    strand: str | None
    period: str
    text: str


@dataclass(frozen=True)
class TargetRevisionInfo:
    """A change to a target that had been set, with its justification."""

    indicator: str
    strand: str | None
    period: str
    revision: int
    previous_value: float
    value: float
    reason: str
    revised_by: str
    revised_at: datetime
