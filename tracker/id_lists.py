"""Conditions on a list of ids, bound as one value where the database takes one.

``column IN (…)`` binds each id as its own parameter: on PostgreSQL a statement with hundreds
of them is thousands of characters that psycopg parses afresh each time (it caches only
statements up to 4 KB) and the server plans afresh. There a list is bound as one array,
``column = ANY(:ids)``, the same statement whatever its length; SQLite keeps ``IN``. Both
mean the same: true for an id in the list, never for an empty one (and ``not_among`` the
reverse; the columns here are never NULL).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from tracker.extensions import db


def among(column: Any, ids: Iterable[int] | sa.Select[Any]) -> sa.ColumnElement[bool]:
    """``column`` is one of ``ids``: a list, or a query of them (asked as ``IN``)."""
    if isinstance(ids, sa.Select):
        return column.in_(ids)
    wanted = list(ids)
    if _arrays():
        return column == sa.any_(_array(wanted))
    return column.in_(wanted)


def not_among(column: Any, ids: Iterable[int]) -> sa.ColumnElement[bool]:
    """``column`` is none of ``ids``."""
    unwanted = list(ids)
    if _arrays():
        return column != sa.all_(_array(unwanted))
    return column.not_in(unwanted)


def _array(ids: list[int]) -> Any:
    return sa.bindparam(None, ids, type_=postgresql.ARRAY(sa.Integer))


def _arrays() -> bool:
    return db.engine.dialect.name == "postgresql"
