"""How much a request may carry: a little for anyone not signed in (signing in is a few
hundred bytes), enough for the longest form for anyone signed in, and a file's worth only on
the upload routes, only for the administrators who may use them. A bigger request is
refused (413) before it is read."""
from __future__ import annotations

import io

import pytest

from tests.conftest import sign_in
from tracker.security import UPLOAD_LIMITS

KB = 1024
MB = 1024 * KB


def _answer(response) -> int:  # type: ignore[no-untyped-def]
    """The status; and the body the test client spooled to a temporary file is closed (a
    request refused unread would leave it open: a test client artefact, not the server's)."""
    response.request.environ["wsgi.input"].close()
    response.close()
    return response.status_code


def _padding(size: int) -> dict[str, str]:
    return {"padding": "x" * size}


def test_anyone_not_signed_in_may_send_only_a_little(client, make):
    user = make.user()
    client.fetch_csrf("/sign-in")
    small = client.post_form("/sign-in", {"email": user.email, "password": "wrong password!!"})
    assert small.status_code == 200
    big = client.post_form("/sign-in", {"email": user.email, "password": "x"} | _padding(100 * KB))
    assert big.status_code == 413


def test_a_signed_in_form_takes_its_longest_text_but_not_megabytes(client, make):
    officer = make.user(role="officer")
    sign_in(client, officer)
    long_enough = client.post_form("/account/password", _padding(200 * KB))
    assert long_enough.status_code == 200  # the form again, with its errors
    too_big = client.post_form("/account/password", _padding(3 * MB))
    assert _answer(too_big) == 413


@pytest.mark.parametrize("path,field", [
    ("/schools/import", "establishments"),
    ("/decisions/import", "notice_file"),
    ("/admin/recommendations/import", "csv_file"),
])
def test_uploads_are_large_only_for_administrators(client, make, path, field):
    def payload() -> io.BytesIO:
        return io.BytesIO(b"URN,EstablishmentName\n" + b"1,x\n" * (2 * MB // 4))

    officer = make.user(role="officer")
    sign_in(client, officer)
    refused = client.post_form(path, {field: (payload(), "big.csv")},
                               content_type="multipart/form-data")
    assert _answer(refused) == 413
    client.post_form("/sign-out")

    admin = make.user(role="admin")
    sign_in(client, admin)
    accepted = client.post_form(path, {field: (payload(), "big.csv")},
                                content_type="multipart/form-data")
    assert _answer(accepted) != 413


def test_every_upload_limit_names_a_route_for_administrators_only(app):
    from tracker.permissions import ADMIN

    assert UPLOAD_LIMITS, "no upload routes?"
    for endpoint in UPLOAD_LIMITS:
        view = app.view_functions[endpoint]
        assert view.allowed_roles == {ADMIN}, endpoint
