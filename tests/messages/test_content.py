"""Every kind of message, made by the real paths and sent through both transports: plain
text and HTML, the council's name, links to the exact page, and never narrative text (each
free-text field of the world below carries a marker that must not appear in any message)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.messages.conftest import NOTIFY_TEMPLATES
from tests.messages.servers import API_KEY, NotifyStandIn, SmtpServer
from tests.messages.test_reminders import MONDAY, at
from tracker import clock
from tracker.messages import outbox, reminders, rounds
from tracker.auth.services import count_failure
from tracker.messages.services import issue_and_send_link
from tracker.models import Message, RecommendationClosure
from tracker.models.messages import MESSAGE_KINDS
from tracker.recommendations.services import answer_challenge

MARK = "NARRATIVE-MARK"


def _every_kind(make, db_session):
    admin = make.user(role="admin", email="admin@council.example")
    owner = make.user(role="officer", email="owner@council.example")
    member = make.user(role="member", email="member@council.example")
    decision = make.decision(decision_text=f"{MARK} decision text", purpose=f"{MARK} purpose")
    rec = make.recommendation(make.part(decision, text=f"{MARK} part"), reference="3.1",
                              text=f"{MARK} recommendation", owner_id=owner.id)
    late = make.action(rec, title="Draft the protocol", description=f"{MARK} description",
                       owner_id=owner.id, due_on=MONDAY - dt.timedelta(days=40))
    make.update(late, narrative=f"{MARK} update narrative")
    make.recommendation(source="scrutiny", part=None, reference="S1", text=f"{MARK} scrutiny",
                        response_due_on=MONDAY + dt.timedelta(days=3))
    challenge = make.challenge(rec, asked_by=member, question=f"{MARK} question")
    signed = make.recommendation(rec.part, reference="3.2", text=f"{MARK} signed off",
                                 owner_id=owner.id, intended_outcome=f"{MARK} outcome")
    make.update(make.action(signed, owner_id=owner.id), status="complete", rag=None,
                narrative=f"{MARK} done")
    db_session.add(RecommendationClosure(  # its impact review fell due 40 days ago
        recommendation=signed, kind="signed_off", recorded_at=at(MONDAY - dt.timedelta(days=200)),
        recorded_by_id=admin.id, review_on=MONDAY - dt.timedelta(days=40)))
    version = make.guidance_version(make.guidance(make.part(decision, kind="approve_guidance")),
                                    approved_on=MONDAY - dt.timedelta(days=1), changes=MARK)
    school = make.school(name="Hill Primary")
    make.adoption(school, version, note=f"{MARK} note")
    make.user(role="school_lead", schools=[school], email="lead@council.example")
    with clock.travel_to(at(MONDAY)):
        issue_and_send_link(make.user(email="new@council.example", password=None), "invitation", admin)
        issue_and_send_link(owner, "password_reset", None)
        for _ in range(5):  # five wrong passwords in a row: the owner is told once
            count_failure(owner, "Failed sign-in: wrong password")
        answer_challenge(owner, challenge, f"{MARK} answer", challenge.version_id)
        rounds.open_round(admin, rounds.RoundDetails(
            committee="Scrutiny", meeting_on=MONDAY + dt.timedelta(days=30),
            due_on=MONDAY + dt.timedelta(days=14), decision_ids=[decision.id]))
        reminders.queue_due(clock.now())
    with clock.travel_to(at(MONDAY + dt.timedelta(days=7))):
        reminders.queue_due(clock.now())
    db_session.commit()


def test_every_kind_through_smtp_and_notify_without_narrative(db_session, make, configure):
    _every_kind(make, db_session)
    stored = list(db_session.scalars(sa.select(Message).order_by(Message.id)))
    assert {m.kind for m in stored} == set(MESSAGE_KINDS)
    for m in stored:
        for body in (m.body_text, m.body_html):
            assert MARK not in body, f"{m.kind} carries narrative text"
            assert "Herefordshire Council" in body
        assert m.body_html.lstrip().startswith("<!DOCTYPE html>")
        assert "https://tracker.council.example/" in m.body_text + (m.secret_link or "")
    copies = [outbox.resend(m) if m.kind not in ("invitation", "password_reset") else None
              for m in stored]
    db_session.commit()

    with SmtpServer() as smtp:
        configure(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_FROM="t@council.example",
                  MAIL_TIMEOUT=5.0)
        with clock.travel_to(at(MONDAY + dt.timedelta(days=8))):
            report = outbox.deliver(limit=len(stored))
    assert report.sent == len(stored)
    assert {mail.subject for mail in smtp.received} == {m.subject for m in stored}
    for mail in smtp.received:
        assert MARK not in mail.part("plain") + mail.part("html")

    with NotifyStandIn(set(NOTIFY_TEMPLATES.values())) as notify:
        configure(MAIL_SERVER=None, NOTIFY_API_KEY=API_KEY, NOTIFY_BASE_URL=notify.url,
                  NOTIFY_TEMPLATES=dict(NOTIFY_TEMPLATES))
        with clock.travel_to(at(MONDAY + dt.timedelta(days=8))):
            report = outbox.deliver()
        assert report.sent == sum(c is not None for c in copies)
        used = {body["template_id"] for body in notify.accepted}
    kinds_sent = {m.kind for m in stored if m.kind not in ("invitation", "password_reset")}
    assert used == {NOTIFY_TEMPLATES[k] for k in kinds_sent}
    for body in notify.accepted:
        assert MARK not in str(body["personalisation"])
