"""Files uploaded for an import, kept until the administrator confirms the preview.

They live in the database, not on one host's disk, so the confirmation may reach any host.
A file is kept as numbered chunks of at most ``CHUNK_BYTES``, so neither storing nor reading
a 60 MB GIAS extract holds it whole in memory. Not tracked data: the import that confirms
one is audited; an upload never confirmed is removed after a day (tracker.uploads).
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow

CHUNK_BYTES = 1024 * 1024


class PendingUpload(Base):
    __tablename__ = "pending_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # which import it waits for
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    details: Mapped[str] = mapped_column(sa.Text)  # JSON: what was chosen with the upload
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class PendingUploadChunk(Base):
    __tablename__ = "pending_upload_chunks"

    upload_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pending_uploads.id", ondelete="CASCADE"), primary_key=True)
    part: Mapped[str] = mapped_column(sa.String(40), primary_key=True)  # which file
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
