"""Invitation and password-reset links by email, and "forgot your password": the same answer
whether or not the address has an account, a limit per account and one per address, every
request audited."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD
from tests.messages.pages import text_by_id
from tests.recommendations.conftest import as_user
from tests.security.helpers import app_with
from tracker.extensions import limiter
from tracker.messages import outbox
from tracker.messages.services import RESET_LINKS_PER_HOUR
from tracker.models import AuditEvent, Message

LINK = re.compile(r"https://tracker\.council\.example/set-password/[\w-]+")


def test_an_invited_person_gets_the_link_by_email_and_it_works(client, make, db_session, smtp):
    admin = make.user(role="admin")
    as_user(client, admin)
    response = client.post_form("/admin/users/new", {
        "name": "Nia New", "email": "nia@council.example", "role": "officer",
        "job_title": "", "school_urns": "", "trust_code": ""})
    assert response.status_code == 200
    assert "nia@council.example is in the outbox" in text_by_id(response.get_data(as_text=True),
                                                                "link-emailed")
    assert outbox.deliver().sent == 1
    [mail] = smtp.received
    assert mail.recipients == ["nia@council.example"]
    assert mail.subject == "You have been invited to the tracker – Herefordshire Council"
    link = LINK.search(mail.part("plain")).group(0)
    stored = db_session.scalar(sa.select(Message))
    assert stored.secret_link is None and link not in stored.body_text  # not kept after sending

    client.delete_cookie("session")
    path = link.removeprefix("https://tracker.council.example")
    page = client.get(path)
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      page.get_data(as_text=True)).group(1)
    done = client.post(path, data={"csrf_token": token, "new_password": "a new long password",
                                   "confirm_password": "a new long password"})
    assert done.status_code == 302


def test_forgot_password_same_answer_known_or_unknown(client, make, db_session):
    user = make.user(email="known@council.example")
    answers = []
    for address in ("known@council.example", "nobody@council.example"):
        client.csrf = None
        page = client.post_form("/forgot-password", {"email": address})
        assert page.status_code == 200
        answers.append(text_by_id(page.get_data(as_text=True), "link-sent").replace(address, "X"))
    assert answers[0] == answers[1]
    [message] = db_session.scalars(sa.select(Message))
    assert (message.kind, message.to_address) == ("password_reset", "known@council.example")
    assert message.secret_link and LINK.match(message.secret_link)
    events = db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "token_issued").order_by(AuditEvent.id)).all()
    assert events[0].object_id == user.id and events[0].summary == "Password reset link issued"
    assert "no active account" in events[1].summary and "nobody@council.example" in events[1].summary


def test_forgot_password_is_limited_per_account(client, make, db_session):
    make.user(email="often@council.example")
    for _ in range(RESET_LINKS_PER_HOUR + 2):
        client.csrf = None
        assert client.post_form("/forgot-password", {"email": "often@council.example"}).status_code == 200
    assert db_session.scalar(sa.select(sa.func.count(Message.id))) == RESET_LINKS_PER_HOUR
    refused = db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.summary.like("Password reset asked again%"))).all()
    assert len(refused) == 2


def test_forgot_password_needs_an_address(client, db_session):
    page = client.post_form("/forgot-password", {"email": "not an address"})
    assert "Enter an email address in the correct format" in page.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(Message.id))) == 0


def test_forgot_password_for_a_deactivated_account_sends_nothing(client, make, db_session):
    make.user(email="gone@council.example", active=False)
    client.post_form("/forgot-password", {"email": "gone@council.example"})
    assert db_session.scalar(sa.select(sa.func.count(Message.id))) == 0


def test_reset_link_issued_by_an_administrator_is_emailed(client, make, db_session):
    admin = make.user(role="admin")
    user = make.user(email="has.password@council.example", password=PASSWORD)
    as_user(client, admin)
    assert client.post_form(f"/admin/users/{user.id}/link").status_code == 200
    [message] = db_session.scalars(sa.select(Message))
    assert message.kind == "password_reset" and message.recipient_id == user.id


def test_sign_in_page_offers_the_reset(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/forgot-password"' in page


@pytest.fixture()
def limited_client(database_url, db_session):  # type: ignore[no-untyped-def]
    app = app_with(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                   FORGOT_PASSWORD_LIMIT="3 per hour", BASE_URL="https://tracker.council.example")
    limiter.reset()
    yield app.test_client()
    limiter.reset()


def test_forgot_password_is_limited_per_address_whatever_the_account(limited_client, make,
                                                                     db_session):
    make.user(email="known@council.example")
    asked = ("known@council.example", "a@council.example", "b@council.example")
    for address in asked:
        limited_client.csrf = None
        assert limited_client.post_form("/forgot-password", {"email": address}).status_code == 200
    # The fourth request from this address is refused, naming no account; reading the page is not.
    limited_client.csrf = None
    refused = limited_client.post_form("/forgot-password", {"email": "known@council.example"})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert "known@council.example" not in refused.get_data(as_text=True)
    assert limited_client.get("/forgot-password").status_code == 200
    assert db_session.scalar(sa.select(sa.func.count(Message.id))) == 1
    # Another address is not held back by this one's requests.
    other = limited_client.application.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert other.post_form("/forgot-password", {"email": "known@council.example"}).status_code == 200
    assert db_session.scalar(sa.select(sa.func.count(Message.id))) == 2
