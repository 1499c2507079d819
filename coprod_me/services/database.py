"""Database-level use cases: the demo samples, backups, health checks, the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coprod_me.model.errors import DomainError
from coprod_me.model.progress import IsCancelled, Progress, never, no_progress
from coprod_me.paths import sample_programmes_dir
from coprod_me.queries.audit import audit_entries
from coprod_me.services.workbooks import LoadResult, WorkbookService
from coprod_me.store.database import CheckReport, backup_file, check
from coprod_me.store.session import Store

SAMPLE_CODES = ("RS-01", "ULL-01", "HR-01", "HL-01", "KR-01")


def sample_workbooks() -> list[Path]:
    folder = sample_programmes_dir()
    paths = [folder / f"{code}.xlsx" for code in SAMPLE_CODES]
    missing = [p.name for p in paths if not p.exists()]
    if missing:
        raise DomainError(f"sample workbooks missing from {folder}: {', '.join(missing)}")
    return paths


def load_samples(store: Store, *, progress: Progress = no_progress,
                 cancelled: IsCancelled = never) -> list[LoadResult]:
    """Load the five sample programmes; loading them again changes nothing."""
    service = WorkbookService(store)
    paths = sample_workbooks()
    results = []
    for i, path in enumerate(paths):
        def sub(done: int, total: int, message: str, i: int = i, stem: str = path.stem) -> None:
            progress(i * 100 + int(100 * done / max(total, 1)), 100 * len(paths),
                     f"{stem}: {message}")
        results.append(service.load(path, reason="load sample programmes", progress=sub,
                                    cancelled=cancelled, kind="sample_programme"))
    return results


def backup(store: Store, target: Path | str) -> Path:
    return backup_file(store.engine, Path(target))


def health(store: Store) -> CheckReport:
    return check(store.engine)


@dataclass(frozen=True)
class AuditEntry:
    at: str
    user: str
    action: str
    entity: str
    entity_id: int | None
    field: str | None
    old: str | None
    new: str | None
    reason: str | None


def audit_trail(store: Store, entity: str | None = None, entity_id: int | None = None,
                limit: int = 500) -> list[AuditEntry]:
    """The latest changes, newest first: of one table (and one row of it) when given."""
    with store.read() as s:
        return [AuditEntry(a.at.isoformat(timespec="seconds"), a.user, a.action, a.entity,
                           a.entity_id, a.field, a.old, a.new, a.reason)
                for a in audit_entries(s, entity, entity_id, limit)]


class DatabaseService:
    """The database as a whole: the sample programmes, backups, health, the audit trail."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load_samples(self, *, progress: Progress = no_progress,
                     cancelled: IsCancelled = never) -> list[LoadResult]:
        return load_samples(self.store, progress=progress, cancelled=cancelled)

    def backup(self, target: Path | str) -> Path:
        return backup(self.store, target)

    def health(self) -> CheckReport:
        """Integrity, foreign keys and schema revision (``coprod-me check``)."""
        return health(self.store)

    def audit_trail(self, entity: str | None = None, entity_id: int | None = None,
                    limit: int = 500) -> list[AuditEntry]:
        return audit_trail(self.store, entity, entity_id, limit)
