"""Uploads awaiting confirmation, kept in the database so that a preview shown by one host
can be confirmed on another (several hosts behind a load balancer share nothing else).

    token = keep("gias", user, {"establishments": file, "links": other}, details)
    pending = take("gias", token, user)       # None: expired or used; NotYours: someone else's
    with local_copy(pending) as upload:
        upload.path("establishments")         # a local copy for this request only

``take`` locks the upload's row and ``local_copy`` deletes it in the caller's transaction, so
two confirmations of one preview (a double click, two hosts) import it once. Uploads never
confirmed are removed after ``KEEP_FOR``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import User, utcnow
from tracker.models.uploads import CHUNK_BYTES, PendingUpload, PendingUploadChunk

KEEP_FOR = dt.timedelta(days=1)


def keep(kind: str, user: User, files: dict[str, IO[bytes]], details: dict[str, Any]) -> str:
    """Store the files (read in chunks) and what was chosen with them; commit; return the
    token that names them."""
    sweep()
    upload = PendingUpload(token=secrets.token_urlsafe(18), kind=kind, user_id=user.id,
                           details=json.dumps(details))
    db.session.add(upload)
    db.session.flush()
    for part, stream in files.items():
        seq = 0
        while chunk := stream.read(CHUNK_BYTES):
            # A plain insert, not an object the session would keep: one chunk in memory.
            db.session.execute(sa.insert(PendingUploadChunk).values(
                upload_id=upload.id, part=part, seq=seq, data=chunk))
            seq += 1
    db.session.commit()
    return upload.token


def sweep() -> None:
    """Remove uploads older than ``KEEP_FOR`` (the caller commits)."""
    old = list(db.session.scalars(sa.select(PendingUpload.id).where(
        PendingUpload.created_at < utcnow() - KEEP_FOR)))
    if old:
        _delete(old)


def discard(kind: str, token: str) -> None:
    """Remove an upload whatever its state (an import of it failed); commits."""
    _delete(list(db.session.scalars(sa.select(PendingUpload.id).where(
        PendingUpload.token == token, PendingUpload.kind == kind))))
    db.session.commit()


def _delete(ids: list[int]) -> None:
    db.session.execute(sa.delete(PendingUploadChunk).where(PendingUploadChunk.upload_id.in_(ids)))
    db.session.execute(sa.delete(PendingUpload).where(PendingUpload.id.in_(ids)))


class NotYours(Exception):
    """An upload made by someone else: answer as if it did not exist."""


@dataclass
class Claimed:
    details: dict[str, Any]
    folder: Path
    parts: set[str] = field(default_factory=set)

    def path(self, part: str) -> Path | None:
        """A local copy of the file ``part`` (None if none was uploaded), for this request."""
        return self.folder / part if part in self.parts else None


def take(kind: str, token: str, user: User) -> PendingUpload | None:
    """The upload ``token`` of ``kind`` that ``user`` made, its row locked until the caller's
    transaction ends; None if there is none (never made, expired, or already taken).
    Someone else's upload raises ``NotYours``."""
    upload = db.session.scalar(sa.select(PendingUpload).where(
        PendingUpload.token == token, PendingUpload.kind == kind,
        PendingUpload.created_at >= utcnow() - KEEP_FOR).with_for_update())
    if upload is not None and upload.user_id != user.id:
        raise NotYours(token)
    return upload


def find(kind: str, token: str) -> PendingUpload | None:
    """The upload ``token`` of ``kind``, unlocked, for a job that only reads it (a preview)."""
    return db.session.scalar(sa.select(PendingUpload).where(
        PendingUpload.token == token, PendingUpload.kind == kind,
        PendingUpload.created_at >= utcnow() - KEEP_FOR))


@contextlib.contextmanager
def local_copy(upload: PendingUpload, remove: bool = True) -> Iterator[Claimed]:
    """The upload's files copied to a folder private to this request, and (``remove``) the
    upload deleted in the current transaction (the caller commits it with whatever it
    imports); a preview made in the background reads a copy and leaves the upload be."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-upload-"))
    try:
        claimed = Claimed(details=json.loads(upload.details), folder=folder)
        for part in _parts(upload.id):
            claimed.parts.add(part)
            with (folder / part).open("wb") as out:
                for data in _chunks(upload.id, part):
                    out.write(data)
        if remove:
            _delete([upload.id])
        yield claimed
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _parts(upload_id: int) -> list[str]:
    return list(db.session.scalars(sa.select(PendingUploadChunk.part).where(
        PendingUploadChunk.upload_id == upload_id).distinct().order_by(PendingUploadChunk.part)))


def _chunks(upload_id: int, part: str) -> Iterator[bytes]:
    """The chunks of one file in order, fetched one at a time."""
    seqs = list(db.session.scalars(sa.select(PendingUploadChunk.seq).where(
        PendingUploadChunk.upload_id == upload_id, PendingUploadChunk.part == part)
        .order_by(PendingUploadChunk.seq)))
    for seq in seqs:
        yield db.session.execute(sa.select(PendingUploadChunk.data).where(
            PendingUploadChunk.upload_id == upload_id, PendingUploadChunk.part == part,
            PendingUploadChunk.seq == seq)).scalar_one()
