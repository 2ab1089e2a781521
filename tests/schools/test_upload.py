"""Importing GIAS files through an administrator's upload page: check, preview, confirm."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.schools.conftest import BAD_ROWS, HEREFORD_CP1252, HEREFORD_UTF8, LINKS, schools_by_urn
from tracker.extensions import db
from tracker.models import School


def _upload(client, path, name=None, **fields):  # type: ignore[no-untyped-def]
    data = {"establishments": (path.open("rb"), name or path.name), "la": "", **fields}
    return client.post_form("/schools/import", data, content_type="multipart/form-data")


def test_administrator_uploads_previews_and_confirms(signed_in):
    client, _ = signed_in("admin")
    preview = _upload(client, HEREFORD_CP1252, la="884", links=(LINKS.open("rb"), LINKS.name))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "13 added, 0 updated, 0 closed, 0 unchanged; 4 skipped" in page
    assert schools_by_urn() == {}  # nothing yet
    token = page.split('action="/schools/import/')[1].split('"')[0]
    done = client.post_form(f"/schools/import/{token}")
    assert "Schools imported" in done.get_data(as_text=True)
    assert len(schools_by_urn()) == 13
    assert schools_by_urn()[990003].predecessor_id == schools_by_urn()[990004].id
    # the same token cannot be used twice
    again = client.post_form(f"/schools/import/{token}", follow_redirects=True)
    assert "expired or was already imported" in again.get_data(as_text=True)


def test_upload_with_bad_rows_lists_them_and_applies_nothing(signed_in):
    client, _ = signed_in("admin")
    page = _upload(client, BAD_ROWS).get_data(as_text=True)
    assert "9 problems found" in page and "nothing was imported" in page
    assert "12A45" in page and "EstablishmentName is empty" in page
    assert schools_by_urn() == {}


def test_upload_accepts_only_csv(signed_in):
    client, _ = signed_in("admin")
    page = _upload(client, HEREFORD_UTF8, name="schools.xlsx").get_data(as_text=True)
    assert "The establishments file must be a CSV file" in page
    assert schools_by_urn() == {}


def test_only_administrators_import(signed_in):
    client, _ = signed_in("officer")
    assert client.get("/schools/import").status_code == 404
    assert _upload(client, HEREFORD_UTF8).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(School.id))) == 0
