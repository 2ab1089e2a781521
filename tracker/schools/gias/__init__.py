"""Streaming reader for DfE "Get Information About Schools" (GIAS) CSV files.

GIAS publishes ``edubasealldata<YYYYMMDD>.csv`` (every establishment in
England, about 50,000 rows and 139 columns) and a links file
``links_edubasealldata<YYYYMMDD>.csv``.  This package reads either one record
at a time, so memory stays flat whatever the size of the file, and turns each
record into a :class:`SchoolRow` (or :class:`LinkRow`) or into one or more
:class:`RowError` items that say which line and column are wrong and why.

It is pure Python (standard library only): no Flask, no database.  Applying
the rows to the database is the caller's job.

Typical use::

    with open(path, "rb") as f, open_gias(f, la=["884"]) as reader:
        for item in reader:
            if isinstance(item, RowError):
                report(item)
            else:
                upsert(item)
        print(reader.encoding, reader.rows_read, reader.rows_skipped_by_filter)

Import from the package itself; its modules are:

* :mod:`~tracker.schools.gias.columns`: the files' headers, the required
  columns and GIAS's establishment statuses;
* :mod:`~tracker.schools.gias.scope`: which establishments are tracked by
  default, by type and group code or name (:func:`place`);
* :mod:`~tracker.schools.gias.rows`: the items yielded and field parsing;
* :mod:`~tracker.schools.gias.encoding`: how the encoding is chosen, and
  streams that cannot seek;
* :mod:`~tracker.schools.gias.csvfile`: the header check and record
  iteration both readers share (and how lines are counted);
* :mod:`~tracker.schools.gias.reader`: the establishments file
  (:func:`open_gias`, :func:`read_gias`);
* :mod:`~tracker.schools.gias.links`: the links file
  (:func:`open_gias_links`, :func:`read_gias_links`), every link type GIAS
  uses (:data:`LINK_TYPES`) and :func:`predecessor_pairs`.
"""

from tracker.schools.gias.columns import (
    ABSENT_MESSAGES,
    EDUBASE_COLUMNS,
    LINKS_COLUMNS,
    LINKS_REQUIRED_COLUMNS,
    OPTIONAL_FIELDS,
    REQUIRED_COLUMNS,
    STATUS_COLUMNS,
    STATUSES,
)
from tracker.schools.gias.csvfile import ProgressCallback as ProgressCallback
from tracker.schools.gias.links import (
    LINK_TYPES,
    GiasLinksReader,
    LinkTally,
    open_gias_links,
    predecessor_pairs,
    read_gias_links,
)
from tracker.schools.gias.reader import GiasReader, open_gias, read_gias
from tracker.schools.gias.rows import LinkRow, RowError, SchoolRow
from tracker.schools.gias.scope import (
    TYPE_GROUPS,
    TYPES,
    Placement,
    group_known,
    in_scope_by_default,
    place,
)

__all__ = [
    "ABSENT_MESSAGES",
    "EDUBASE_COLUMNS",
    "LINKS_COLUMNS",
    "LINKS_REQUIRED_COLUMNS",
    "LINK_TYPES",
    "OPTIONAL_FIELDS",
    "REQUIRED_COLUMNS",
    "STATUS_COLUMNS",
    "STATUSES",
    "TYPES",
    "TYPE_GROUPS",
    "GiasLinksReader",
    "GiasReader",
    "LinkRow",
    "LinkTally",
    "Placement",
    "RowError",
    "SchoolRow",
    "group_known",
    "in_scope_by_default",
    "open_gias",
    "open_gias_links",
    "place",
    "predecessor_pairs",
    "read_gias",
    "read_gias_links",
]
