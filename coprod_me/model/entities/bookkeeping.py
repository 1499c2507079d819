"""Bookkeeping: the import batches, saved NGO column mappings and the audit log."""

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from coprod_me.model.entities.columns import (
    text_field,
)


class ImportBatch(SQLModel, table=True):
    """One bulk load: a programme workbook or an NGO spreadsheet."""

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="programme_workbook")
    file_name: str
    sha256: str = Field(max_length=64)
    imported_at: datetime
    user: str
    rows_created: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_rejected: int = 0
    counts_json: str | None = text_field()
    mapping_json: str | None = text_field()
    reverted_at: datetime | None = None
    # A code, not a foreign key: programme rows already point at their batch.
    programme_code: str | None = Field(default=None, index=True)
    sheet: str | None = None


class ImportMapping(SQLModel, table=True):
    """A saved column mapping for one NGO's spreadsheet, reused when its headers match."""

    __tablename__ = "import_mapping"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    header_signature: str = Field(index=True, description="normalised headers, to recognise "
                                  "next quarter's file from the same sender")
    mapping_json: str = Field(sa_type=Text)  # type: ignore[call-overload]
    created_at: datetime
    updated_at: datetime
    user: str


class AuditLog(SQLModel, table=True):
    """Who changed what, when, from what to what, and why."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    user: str
    action: str = Field(max_length=8)  # insert, update, delete
    entity: str = Field(index=True)
    entity_id: int | None = Field(default=None, index=True)
    field: str | None = None
    old: str | None = text_field()
    new: str | None = text_field()
    reason: str | None = text_field()
    import_batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
