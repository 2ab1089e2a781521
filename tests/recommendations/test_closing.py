"""Outcome, closing and impact through the pages (docs/rules-of-progress.md, "Closing and
impact"): who may do each step, what each refuses, the history rows and audit events each
writes, and what the recommendation page then shows."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from tests.messages.pages import text_by_id
from tests.recommendations.conftest import as_user
from tracker.clock import now, today, travel_to
from tracker.models import AuditEvent, Challenge, ImpactReview, RecommendationClosure


def _text(page, selector):
    return text_by_id(page, selector.lstrip("#"))


def _page(client, rec):
    return client.get(f"/recommendations/{rec.id}").get_data(as_text=True)


def _ready_to_sign_off(client, world, make):
    make.update(world.action, status="complete", rag=None)
    as_user(client, world.owner)
    assert client.post_form(f"/recommendations/{world.rec.id}/outcome", {
        "intended_outcome": "Every report handled the same way by school, MASH and police.",
        "how_measured": "Termly audit of ten reports.",
        "version_id": str(world.rec.version_id)}).status_code == 302


def _sign_off(client, world, db_session, **extra):
    as_user(client, world.admin)
    data = {"sign_off_meeting": "Scrutiny, 13 September 2021", "sign_off_minute": "27",
            "version_id": str(world.rec.version_id)} | extra
    answer = client.post_form(f"/recommendations/{world.rec.id}/sign-off", data)
    db_session.expire_all()
    return answer


def _steps(db_session, rec):
    return [(s.kind, s.reason) for s in db_session.scalars(
        sa.select(RecommendationClosure).where(RecommendationClosure.recommendation_id == rec.id)
        .order_by(RecommendationClosure.id))]


def test_the_page_says_the_outcome_is_needed_before_sign_off(client, world):
    as_user(client, world.admin)
    page = _page(client, world.rec)
    assert _text(page, "#outcome-needed") == ("! Warning The intended outcome and how it will "
                                              "be measured must be recorded before this "
                                              "recommendation can be signed off.")


def test_the_owner_records_the_outcome_another_officer_may_not(client, world, make, db_session):
    as_user(client, world.other)
    assert client.post_form(f"/recommendations/{world.rec.id}/outcome", {
        "intended_outcome": "X", "how_measured": "Y", "version_id": "1"}).status_code == 404
    _ready_to_sign_off(client, world, make)
    db_session.expire_all()
    assert world.rec.how_measured == "Termly audit of ten reports."
    assert db_session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.object_type == "Recommendation", AuditEvent.object_id == world.rec.id,
        AuditEvent.summary == "Recommendation 3.1: outcome and measure recorded")) == 1
    page = _page(client, world.rec)
    assert _text(page, "#intended-outcome") == (
        "Every report handled the same way by school, MASH and police.")


def test_sign_off_sets_the_impact_review_six_months_on(client, world, make, db_session):
    _ready_to_sign_off(client, world, make)
    assert _sign_off(client, world, db_session).status_code == 302
    signed_on = today()
    step = db_session.scalar(sa.select(RecommendationClosure))
    assert (step.kind, step.meeting, step.minute, step.recorded_by_id, step.review_on) == (
        "signed_off", "Scrutiny, 13 September 2021", "27", world.admin.id, None)
    page = _page(client, world.rec)
    assert _text(page, "#implemented") == f"Yes: signed off {signed_on.day} {signed_on:%B %Y}"
    assert _text(page, "#impact") == "Implemented"
    from tracker.progress import months_after
    review_on = months_after(signed_on, 6)
    assert _text(page, "#review-on") == f"{review_on.day} {review_on:%B %Y}"


def test_sign_off_with_a_review_date_in_the_past_is_refused(client, world, make, db_session):
    _ready_to_sign_off(client, world, make)
    past = today() - dt.timedelta(days=1)
    page = _sign_off(client, world, db_session, review_on=[
        str(past.day), str(past.month), str(past.year)]).get_data(as_text=True)
    assert "The impact review date must be in the future" in page
    assert _steps(db_session, world.rec) == []


def test_impact_recorded_at_the_review_date_then_confirmed(client, world, make, db_session):
    _ready_to_sign_off(client, world, make)
    soon = today() + dt.timedelta(days=3)
    assert _sign_off(client, world, db_session, review_on=[
        str(soon.day), str(soon.month), str(soon.year)]).status_code == 302
    as_user(client, world.owner)
    evidence = {"narrative": "Audit of ten reports: all handled under the protocol.",
                "judgement": "evidenced", "evidence_url_1": "https://example.org/audit.pdf",
                "evidence_description_1": "Audit report"}
    early = client.post_form(f"/recommendations/{world.rec.id}/impact", evidence)
    assert "once the impact review is due" in early.get_data(as_text=True)
    with travel_to(now() + dt.timedelta(days=4)):
        page = _page(client, world.rec)
        assert _text(page, "#impact") == "Impact review due"
        assert client.post_form(f"/recommendations/{world.rec.id}/impact",
                                evidence).status_code == 302
        as_user(client, world.owner)  # the owner records; confirming is not theirs
        assert client.post_form(f"/recommendations/{world.rec.id}/impact/confirm",
                                {"version_id": "1"}).status_code == 404
        as_user(client, world.member)
        page = _page(client, world.rec)
        assert _text(page, "#impact") == "Impact review due"  # not yet confirmed
        assert client.post_form(f"/recommendations/{world.rec.id}/impact/confirm",
                                {"version_id": "1"}).status_code == 302
        db_session.expire_all()
        review = db_session.scalar(sa.select(ImpactReview))
        assert (review.judgement, review.confirmed_by_id, [l.url for l in review.links]) == (
            "evidenced", world.member.id, ["https://example.org/audit.pdf"])
        page = _page(client, world.rec)
        assert _text(page, "#impact") == "Impact evidenced"
        assert _text(page, "#implemented").startswith("Yes: signed off")


def test_close_each_way_needs_its_particulars_and_re_opens(client, world, make, db_session):
    other = make.recommendation(world.part, reference="3.9", text="A better protocol.")
    as_user(client, world.admin)
    url = f"/recommendations/{world.rec.id}/close"
    page = client.post_form(url, {"kind": "superseded", "reason": "Replaced by 3.9 in full."})
    assert "Choose the recommendation that supersedes this one" in page.get_data(as_text=True)
    page = client.post_form(url, {"kind": "risk_accepted", "reason": "No budget this year."})
    assert "Say who accepted the risk" in page.get_data(as_text=True)
    page = client.post_form(url, {"kind": "withdrawn", "reason": "No."})
    assert "Give the reason in a few words" in page.get_data(as_text=True)
    assert _steps(db_session, world.rec) == []
    assert client.post_form(url, {"kind": "superseded", "superseded_by_id": str(other.id),
                                  "reason": "Replaced by 3.9 in full.", "meeting": "Cabinet",
                                  "minute": "12"}).status_code == 302
    page = _page(client, world.rec)
    assert _text(page, "#status") == "Superseded"
    assert _text(page, "#implemented") == "No: Superseded"
    assert "Closed: superseded by 3.9" in _text(page, "#closing-history")
    again = client.post_form(url, {"kind": "withdrawn", "reason": "Withdrawn as well."})
    assert "already closed: re-open it first" in again.get_data(as_text=True)
    assert client.post_form(f"/recommendations/{world.rec.id}/reopen",
                            {"reason": "3.9 was itself withdrawn."}).status_code == 302
    assert client.post_form(url, {"kind": "risk_accepted", "reason": "No budget this year.",
                                  "risk_accepted_by": "Director of Children's Services"}
                            ).status_code == 302
    assert _steps(db_session, world.rec) == [
        ("superseded", "Replaced by 3.9 in full."), ("reopened", "3.9 was itself withdrawn."),
        ("risk_accepted", "No budget this year.")]
    page = _page(client, world.rec)
    assert _text(page, "#status") == "Closed: not implemented, risk accepted"
    events = db_session.scalars(sa.select(AuditEvent.summary).where(
        AuditEvent.object_type == "RecommendationClosure").order_by(AuditEvent.id)).all()
    assert events == ["Recommendation 3.1 closed: superseded", "Recommendation 3.1 re-opened",
                      "Recommendation 3.1 closed as not implemented, risk accepted"]


def test_an_administrator_undoes_a_sign_off_with_a_reason(client, world, make, db_session):
    _ready_to_sign_off(client, world, make)
    assert _sign_off(client, world, db_session).status_code == 302
    as_user(client, world.owner)
    assert client.post_form(f"/recommendations/{world.rec.id}/undo-sign-off",
                            {"reason": "Signed off in error."}).status_code == 404
    as_user(client, world.admin)
    assert client.post_form(f"/recommendations/{world.rec.id}/undo-sign-off",
                            {"reason": "Signed off in error."}).status_code == 302
    db_session.expire_all()
    assert world.rec.signed_off_at is None
    assert _steps(db_session, world.rec) == [("signed_off", None),
                                             ("sign_off_undone", "Signed off in error.")]
    page = _page(client, world.rec)
    assert _text(page, "#status") == "Awaiting sign-off"
    again = client.post_form(f"/recommendations/{world.rec.id}/undo-sign-off",
                             {"reason": "Signed off in error."})
    assert "This recommendation is not signed off" in again.get_data(as_text=True)


def test_a_member_withdraws_their_own_unanswered_question(client, world, make, db_session):
    challenge = make.challenge(world.rec, asked_by=world.member)
    as_user(client, world.member)
    assert client.post_form(f"/challenges/{challenge.id}/withdraw",
                            {"reason": "Answered at the meeting.",
                             "version_id": "1"}).status_code == 302
    db_session.expire_all()
    assert db_session.get(Challenge, challenge.id).withdrawn_reason == "Answered at the meeting."
    answered = make.challenge(world.rec, asked_by=world.member, answer="Yes.",
                              answered_at=now(), answered_by_id=world.owner.id)
    assert client.post_form(f"/challenges/{answered.id}/withdraw",
                            {"reason": "Answered at the meeting.",
                             "version_id": "1"}).status_code == 404
