"""Declarative base, naming convention and the column helpers every model shares.

Decisions made once for the whole domain (docs/history-and-time.md):

* times are stored in UTC (``UTCDateTime`` always hands back aware datetimes);
* tracked rows are never deleted: ``Withdrawable`` rows carry who withdrew them, when and why;
* editable rows carry ``version_id``; SQLAlchemy refuses a flush based on an old version and
  services compare the version a form was loaded with before they save;
* every enumeration is a string column with a named CHECK constraint (``enum_check``).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current time, aware, in UTC: the only clock the models use."""
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite forgets zones)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused: record times in UTC")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class Base(DeclarativeBase):
    registry = registry(metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
                        type_annotation_map={dt.datetime: UTCDateTime()})


def enum_check(column: str, values: tuple[str, ...], name: str | None = None,
               nullable: bool = False) -> sa.CheckConstraint:
    """A named CHECK constraint limiting ``column`` to ``values``."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    condition = f"{column} IN ({quoted})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return sa.CheckConstraint(condition, name=name or column)


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Versioned:
    """Optimistic concurrency: a save based on an old version is refused."""

    version_id: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.version_id}


class Withdrawable:
    """Rows are withdrawn with a reason instead of deleted; they stay in history."""

    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    withdrawn_reason: Mapped[str | None] = mapped_column(sa.String(500), default=None)

    @declared_attr
    def withdrawn_by_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(sa.ForeignKey("users.id"), default=None)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Example:
    """Demo rows are marked so the interface can say they are examples."""

    is_example: Mapped[bool] = mapped_column(sa.Boolean, default=False, nullable=False)
