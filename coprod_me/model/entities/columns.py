"""How entity columns are declared: enumerated, list-valued, long-text and quarter columns,
the import batch column; the Core table behind an entity, and building the mappers."""

from enum import StrEnum
from typing import Any

from sqlalchemy import Table, Text, inspect
from sqlalchemy.orm import configure_mappers
from sqlmodel import Field, SQLModel


def enum_field(
    enum: type[StrEnum],
    default: Any = None,
    *,
    nullable: bool = True,
    description: str | None = None,
) -> Any:
    return Field(
        default=... if default is None and not nullable else default,
        nullable=nullable,
        description=description,
        sa_column_kwargs={"info": {"enum": enum}},
    )


def list_field(enum: type[StrEnum] | None, description: str | None = None) -> Any:
    return Field(
        default=None,
        nullable=True,
        description=description,
        sa_column_kwargs={"info": {"list_of": enum}},
    )


def text_field(default: Any = None, *, description: str | None = None) -> Any:
    return Field(default=default, nullable=True, description=description,
                 sa_type=Text)  # type: ignore[call-overload]


def quarter_field(*, nullable: bool = True, description: str | None = None) -> Any:
    return Field(default=None if nullable else ..., nullable=nullable, description=description,
                 max_length=7, sa_column_kwargs={"info": {"quarter": True}})


def batch_field() -> Any:
    return Field(default=None, foreign_key="import_batch.id", nullable=True, index=True)


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Core table (``model.__table__``, which SQLModel does not declare)."""
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


def prepare_mappers() -> None:
    """Build every entity's ORM mapper now, which the first query would otherwise do (the
    GUI has it done off its thread, through ``Services.prepare``)."""
    configure_mappers()
