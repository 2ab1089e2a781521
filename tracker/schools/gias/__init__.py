"""Streaming reader for DfE "Get Information About Schools" (GIAS) CSV files.

The reader lives in :mod:`tracker.schools.gias.reader` for now; this package
re-exports its public API so ``from tracker.schools.gias import ...`` keeps
working.
"""

from tracker.schools.gias.reader import (
    EDUBASE_COLUMNS,
    LINKS_COLUMNS,
    LINKS_REQUIRED_COLUMNS,
    REQUIRED_COLUMNS,
    SCOPE_BY_TYPE,
    SCOPE_BY_TYPE_GROUP,
    STATUSES,
    GiasLinksReader,
    GiasReader,
    LinkRow,
    RowError,
    SchoolRow,
    in_scope_by_default,
    open_gias,
    open_gias_links,
    predecessor_pairs,
    read_gias,
    read_gias_links,
)

__all__ = [
    "EDUBASE_COLUMNS",
    "LINKS_COLUMNS",
    "LINKS_REQUIRED_COLUMNS",
    "REQUIRED_COLUMNS",
    "SCOPE_BY_TYPE",
    "SCOPE_BY_TYPE_GROUP",
    "STATUSES",
    "GiasLinksReader",
    "GiasReader",
    "LinkRow",
    "RowError",
    "SchoolRow",
    "in_scope_by_default",
    "open_gias",
    "open_gias_links",
    "predecessor_pairs",
    "read_gias",
    "read_gias_links",
]
