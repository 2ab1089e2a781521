"""Uploads awaiting confirmation wait in the database (tracker.uploads), so any host can
confirm a preview: stored in chunks and given back byte for byte, taken once, only by the
person who uploaded them, and removed after a day if never confirmed."""
from __future__ import annotations

import datetime as dt
import io
import os

import sqlalchemy as sa

from tests.conftest import sign_in
from tests.schools.conftest import HEREFORD_CP1252, LINKS
from tracker import uploads
from tracker.extensions import db
from tracker.models import PendingUpload, PendingUploadChunk, School, utcnow
from tracker.models.uploads import CHUNK_BYTES


def _count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_file_larger_than_a_chunk_comes_back_byte_for_byte_once(make):
    user = make.user(role="admin")
    body = os.urandom(2 * CHUNK_BYTES + 12345)
    token = uploads.keep("test", user, {"data": io.BytesIO(body), "other": io.BytesIO(b"x")},
                         {"chosen": [1, 2]})
    assert _count(PendingUploadChunk) == 4  # three chunks and one
    pending = uploads.take("test", token, user)
    assert pending is not None
    with uploads.local_copy(pending) as upload:
        assert upload.details == {"chosen": [1, 2]}
        assert upload.path("data").read_bytes() == body  # type: ignore[union-attr]
        assert upload.path("other").read_bytes() == b"x"  # type: ignore[union-attr]
        assert upload.path("links") is None
        folder = upload.folder
    db.session.commit()
    assert not folder.exists()  # the local copy lasted the request only
    assert uploads.take("test", token, user) is None
    assert _count(PendingUpload) == 0 and _count(PendingUploadChunk) == 0


def test_only_the_uploader_may_take_it_and_only_as_the_kind_it_was(make):
    owner, other = make.user(role="admin"), make.user(role="admin")
    token = uploads.keep("gias", owner, {"data": io.BytesIO(b"abc")}, {})
    try:
        uploads.take("gias", token, other)
    except uploads.NotYours:
        pass
    else:
        raise AssertionError("someone else's upload was handed over")
    assert uploads.take("other-kind", token, owner) is None
    assert uploads.take("gias", token, owner) is not None


def test_an_upload_left_a_day_expires_and_is_swept_by_the_next(make):
    user = make.user(role="admin")
    token = uploads.keep("gias", user, {"data": io.BytesIO(b"old")}, {})
    db.session.execute(sa.update(PendingUpload).values(
        created_at=utcnow() - uploads.KEEP_FOR - dt.timedelta(minutes=1)))
    assert uploads.take("gias", token, user) is None
    uploads.keep("gias", user, {"data": io.BytesIO(b"new")}, {})
    assert _count(PendingUpload) == 1 and _count(PendingUploadChunk) == 1


def test_gias_preview_waits_in_the_database_and_someone_else_cannot_confirm_it(client, make):
    first, second = make.user(role="admin"), make.user(role="admin")
    sign_in(client, first)
    with HEREFORD_CP1252.open("rb") as data, LINKS.open("rb") as links:
        page = client.post_form("/schools/import", {
            "establishments": (data, HEREFORD_CP1252.name), "links": (links, LINKS.name),
            "la": "884"}, content_type="multipart/form-data").get_data(as_text=True)
    token = page.split('action="/schools/import/')[1].split('"')[0]
    assert _count(PendingUpload) == 1
    assert set(db.session.scalars(sa.select(PendingUploadChunk.part))) == {
        "establishments", "links"}

    someone_else = client.application.test_client()
    sign_in(someone_else, second)
    assert someone_else.post_form(f"/schools/import/{token}").status_code == 404
    assert _count(PendingUpload) == 1 and _count(School) == 0

    done = client.post_form(f"/schools/import/{token}")
    assert "Schools imported" in done.get_data(as_text=True)
    assert _count(School) == 13
    assert _count(PendingUpload) == 0 and _count(PendingUploadChunk) == 0
