"""Input at the edges: requests over the size limit are refused with a page that says so;
each upload accepts only the file its import expects; every export is in the audit trail."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa

from tests.conftest import sign_in
from tests.security import world as world_module
from tests.security.helpers import app_with
from tracker.models import AuditEvent

FILE_INPUT = re.compile(r'<input[^>]*type="file"[^>]*name="([^"]+)"|'
                        r'<input[^>]*name="([^"]+)"[^>]*type="file"')
NOT_WHAT_IT_EXPECTS = [
    ("report.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "application/octet-stream"),
    ("page.html", b"<html><script>alert(1)</script></html>", "text/html"),
    ("data.csv", b"\x00\x01\x02\x03\xff\xfe binary pretending to be CSV", "text/csv"),
    ("notice.docx", b"PK\x03\x04\x14\x00\x06\x00", "application/vnd.openxmlformats"),
]


def _count(db_session, **where) -> int:  # type: ignore[no-untyped-def]
    query = sa.select(sa.func.count(AuditEvent.id))
    for key, value in where.items():
        query = query.where(getattr(AuditEvent, key) == value)
    return db_session.scalar(query)


def test_a_request_over_the_size_limit_is_refused_with_a_clear_page(database_url, db_session,
                                                                     make):
    app = app_with(database_url, MAX_CONTENT_LENGTH=10_000)
    client = app.test_client()
    sign_in(client, make.user(role="admin"))
    response = client.post_form("/decisions/import", {"notice_text": "x" * 20_000})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The file or form you sent is too large" in page
    assert "Send a smaller file" in page


def test_every_upload_refuses_files_it_does_not_expect(app, client, make, db_session,
                                                      monkeypatch, tmp_path):
    world = world_module.build(make)
    sign_in(client, world.users["admin"])
    uploads = []
    for rule in world_module.routes(app, "GET"):
        if "POST" not in (rule.methods or ()):
            continue
        path = world_module.url(app, rule, world)
        html = client.get(path).get_data(as_text=True)
        for match in FILE_INPUT.finditer(html):
            uploads.append((path, match.group(1) or match.group(2)))
    assert {p for p, _ in uploads} >= {"/decisions/import", "/admin/recommendations/import",
                                       "/schools/import"}, uploads
    before = _count(db_session)
    problems = []
    for path, field in uploads:
        fields = {f for p, f in uploads if p == path}
        for name, content, mimetype in NOT_WHAT_IT_EXPECTS:
            client.fetch_csrf(path)
            data = {f: (io.BytesIO(content), name, mimetype) for f in fields}
            response = client.post_form(path, data, content_type="multipart/form-data")
            page = response.get_data(as_text=True)
            if response.status_code != 200 or "govuk-error-summary" not in page:
                problems.append(f"{path} {field} {name}: {response.status_code}")
            if "alert(1)" in page and "<script>alert(1)" in page:
                problems.append(f"{path} {field} {name}: uploaded markup shown unescaped")
    assert not problems, "\n".join(problems)
    assert _count(db_session) == before, "a refused upload changed something"


def test_every_export_is_recorded_in_the_audit_trail(app, client, make, db_session):
    world = world_module.build(make)
    sign_in(client, world.users["admin"])
    exports, unrecorded = [], []
    for rule in world_module.routes(app, "GET"):
        path = world_module.url(app, rule, world)
        before = _count(db_session, action="export")
        response = client.get(path)
        disposition = response.headers.get("Content-Disposition", "")
        is_export = "attachment" in disposition or response.mimetype in (
            "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.close()
        if response.status_code == 200 and is_export:
            exports.append(path)
            if _count(db_session, action="export") != before + 1:
                unrecorded.append(path)
    assert len(exports) >= 3, exports
    assert not unrecorded, f"exports with no audit event: {unrecorded}"
