"""Use cases and transaction boundaries; the only door to the store for the GUI and CLI."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from coprod_me.services.indicators import IndicatorService
from coprod_me.services.observations import ObservationService
from coprod_me.services.programmes import ProgrammeService
from coprod_me.services.records import RecordService
from coprod_me.services.series import SeriesService
from coprod_me.services.workbooks import WorkbookService
from coprod_me.store.database import open_store
from coprod_me.store.session import Store

if TYPE_CHECKING:
    from coprod_me.services.ngo_imports import ImportService
    from coprod_me.services.quarterly_reports import ReportService
    from coprod_me.services.risk_register import RiskService


@dataclass
class Services:
    """Every service on one store; widgets and commands receive this, never the store."""

    store: Store
    path: Path | None = None

    def __post_init__(self) -> None:
        self.programmes = ProgrammeService(self.store)
        self.indicators = IndicatorService(self.store)
        self.observations = ObservationService(self.store)
        self.workbooks = WorkbookService(self.store)
        self.series = SeriesService(self.store)
        self.records = RecordService(self.store)

    # Services with heavier imports are built on first use, so start-up stays quick.
    @cached_property
    def imports(self) -> ImportService:
        from coprod_me.services.ngo_imports import ImportService
        return ImportService(self.store)

    @cached_property
    def risks(self) -> RiskService:
        from coprod_me.services.risk_register import RiskService
        return RiskService(self.store)

    @cached_property
    def reports(self) -> ReportService:
        from coprod_me.services.quarterly_reports import ReportService
        return ReportService(self.store)

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True) -> Services:
        return cls(open_store(path, create=create), Path(path))

    def close(self) -> None:
        self.store.dispose()
