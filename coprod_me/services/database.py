"""Database-level use cases: the demo samples, backups, health checks, the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import col, select

from coprod_me.model import entities as M
from coprod_me.model.errors import DomainError
from coprod_me.model.progress import IsCancelled, Progress, never, no_progress
from coprod_me.paths import sample_programmes_dir
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


def is_empty(store: Store) -> bool:
    with store.read() as s:
        return s.scalars(select(col(M.Programme.id))).first() is None


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
    with store.read() as s:
        stmt = select(M.AuditLog).order_by(col(M.AuditLog.id).desc()).limit(limit)
        if entity:
            stmt = stmt.where(M.AuditLog.entity == entity)
        if entity_id is not None:
            stmt = stmt.where(M.AuditLog.entity_id == entity_id)
        return [AuditEntry(a.at.isoformat(timespec="seconds"), a.user, a.action, a.entity,
                           a.entity_id, a.field, a.old, a.new, a.reason)
                for a in s.scalars(stmt)]
