"""Use cases and transaction boundaries; the only door to the store for the GUI and CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from coprod_me.model.progress import IsCancelled, never
from coprod_me.store.database_file import LOCK_WAIT
from coprod_me.store.errors import DatabaseError, DatabaseLocked

#: what the GUI and the CLI catch when a database file cannot be used (``DomainError``s)
__all__ = ["LOCK_WAIT", "DatabaseError", "DatabaseLocked", "Services"]

if TYPE_CHECKING:
    from coprod_me.services.actors import ActorService
    from coprod_me.services.checklists import ChecklistService
    from coprod_me.services.database import DatabaseService
    from coprod_me.services.dhis2_exports import Dhis2ExportService
    from coprod_me.services.flag_register import FlagRegisterService
    from coprod_me.services.hxl_exports import HxlExportService
    from coprod_me.services.iati_exports import IatiExportService
    from coprod_me.services.indicators import IndicatorService
    from coprod_me.services.narratives import VarianceNarrativeService
    from coprod_me.services.ngo_imports import ImportService
    from coprod_me.services.observations import ObservationService
    from coprod_me.services.portfolio import PortfolioService
    from coprod_me.services.programme_index import ProgrammeSummary
    from coprod_me.services.programmes import ProgrammeService
    from coprod_me.services.quarterly_reports import ReportService
    from coprod_me.services.records import RecordService
    from coprod_me.services.risk_runs import RiskRunService
    from coprod_me.services.rule_settings import RuleSettingsService
    from coprod_me.services.series import SeriesService
    from coprod_me.services.workbooks import WorkbookService
    from coprod_me.store.session import Store


@dataclass
class Services:
    """Every service on one store; widgets and commands receive this, never the store.

    Each service is built, and its module imported, on first use: the modules bring the
    SQLModel entities (a sixth of a second to build), the spreadsheet readers, the risk
    rules and the report writer, none of which the window's first paint needs
    (``programme_index`` is plain SQL).
    """

    store: Store
    path: Path | None = None

    def programme_index(self) -> list[ProgrammeSummary]:
        """The programmes with their counts and strands, without the outcome gates."""
        from coprod_me.services.programme_index import programme_index
        return programme_index(self.store)

    def programme_codes(self) -> list[str]:
        """Every programme's code, sorted: no counts (``flags`` lists 200 programmes)."""
        from coprod_me.services.programme_index import programme_codes
        return programme_codes(self.store)

    @cached_property
    def programmes(self) -> ProgrammeService:
        from coprod_me.services.programmes import ProgrammeService
        return ProgrammeService(self.store)

    @cached_property
    def actors(self) -> ActorService:
        from coprod_me.services.actors import ActorService
        return ActorService(self.store)

    @cached_property
    def indicators(self) -> IndicatorService:
        from coprod_me.services.indicators import IndicatorService
        return IndicatorService(self.store)

    @cached_property
    def observations(self) -> ObservationService:
        from coprod_me.services.observations import ObservationService
        return ObservationService(self.store)

    @cached_property
    def workbooks(self) -> WorkbookService:
        from coprod_me.services.workbooks import WorkbookService
        return WorkbookService(self.store)

    @cached_property
    def series(self) -> SeriesService:
        from coprod_me.services.series import SeriesService
        return SeriesService(self.store)

    @cached_property
    def records(self) -> RecordService:
        from coprod_me.services.records import RecordService
        return RecordService(self.store)

    @cached_property
    def imports(self) -> ImportService:
        from coprod_me.services.ngo_imports import ImportService
        return ImportService(self.store)

    @cached_property
    def risk_runs(self) -> RiskRunService:
        from coprod_me.services.risk_runs import RiskRunService
        return RiskRunService(self.store)

    @cached_property
    def flag_register(self) -> FlagRegisterService:
        from coprod_me.services.flag_register import FlagRegisterService
        return FlagRegisterService(self.store)

    @cached_property
    def rule_settings(self) -> RuleSettingsService:
        from coprod_me.services.rule_settings import RuleSettingsService
        return RuleSettingsService(self.store)

    @cached_property
    def checklists(self) -> ChecklistService:
        from coprod_me.services.checklists import ChecklistService
        return ChecklistService(self.store)

    @cached_property
    def narratives(self) -> VarianceNarrativeService:
        from coprod_me.services.narratives import VarianceNarrativeService
        return VarianceNarrativeService(self.store)

    @cached_property
    def portfolio(self) -> PortfolioService:
        from coprod_me.services.portfolio import PortfolioService
        return PortfolioService(self.store)

    @cached_property
    def reports(self) -> ReportService:
        from coprod_me.services.quarterly_reports import ReportService
        return ReportService(self.store)

    @cached_property
    def iati_exports(self) -> IatiExportService:
        from coprod_me.services.iati_exports import IatiExportService
        return IatiExportService(self.store)

    @cached_property
    def dhis2_exports(self) -> Dhis2ExportService:
        from coprod_me.services.dhis2_exports import Dhis2ExportService
        return Dhis2ExportService(self.store)

    @cached_property
    def hxl_exports(self) -> HxlExportService:
        from coprod_me.services.hxl_exports import HxlExportService
        return HxlExportService(self.store)

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True, make_folder: bool = False,
             read_only: bool = False, wait: float = LOCK_WAIT,
             waiting: Callable[[str], None] | None = None,
             cancelled: IsCancelled = never) -> Services:
        """The services on the database at ``path``: see ``store.database.open_store`` for
        what is created, when it waits for another program's write, and what it refuses."""
        from coprod_me.store.database import open_store  # SQLAlchemy: not for the small reads

        store = open_store(path, create=create, make_folder=make_folder, read_only=read_only,
                           wait=wait, waiting=waiting, cancelled=cancelled)
        return cls(store, Path(path).expanduser())

    def close(self) -> None:
        self.store.dispose()

    @cached_property
    def database(self) -> DatabaseService:
        """The database as a whole: the sample programmes, backups, the audit trail."""
        from coprod_me.services.database import DatabaseService
        return DatabaseService(self.store)

    @staticmethod
    def prepare() -> None:
        """Import the entities and build their ORM mappers now: the window calls this off
        its GUI thread, so the first query on that thread does not."""
        from coprod_me.model.entities import prepare_mappers
        prepare_mappers()
