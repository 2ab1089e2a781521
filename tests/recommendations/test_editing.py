"""Administrators add, edit, withdraw, respond to, take up and sign off recommendations;
a save from a stale form is refused with what changed; members challenge, owners answer."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.recommendations.conftest import as_user, date_parts, rec_form
from tracker.models import AuditEvent, Challenge, ExecutiveResponse, Recommendation
from tracker.recommendations.services import add_months, response_due


@pytest.mark.parametrize("published,due", [
    (dt.date(2020, 10, 5), dt.date(2020, 12, 5)),
    (dt.date(2020, 12, 31), dt.date(2021, 2, 28)),
    (dt.date(2023, 12, 31), dt.date(2024, 2, 29)),
    (dt.date(2021, 11, 30), dt.date(2022, 1, 30)),
    (dt.date(2021, 8, 31), dt.date(2021, 10, 31)),
])
def test_response_due_is_two_calendar_months_after_publication(published, due):
    assert response_due(published) == due


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2021, 1, 31), 1) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2021, 3, 31), 11) == dt.date(2022, 2, 28)


def test_admin_adds_a_scrutiny_recommendation_before_the_executive_responds(client, world,
                                                                           db_session):
    as_user(client, world.admin)
    response = client.post_form("/recommendations/new", rec_form(
        source="scrutiny", reference="SC7", text="Publish the contacts.",
        owner_id=str(world.owner.id), committee="Children's scrutiny",
        meeting_on=date_parts(dt.date(2020, 12, 24)), minute_reference="SC/20/9",
        report_published_on=date_parts(dt.date(2020, 12, 31))))
    assert response.status_code == 302
    rec = db_session.scalar(sa.select(Recommendation).where(Recommendation.reference == "SC7"))
    assert rec.part_id is None and rec.response_due_on == dt.date(2021, 2, 28)
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "28 February 2021" in page and "Not yet taken up by the executive" in page


def test_review_recommendation_needs_a_part_and_no_scrutiny_fields(client, world):
    as_user(client, world.admin)
    page = client.post_form("/recommendations/new", rec_form()).get_data(as_text=True)
    assert "Choose the decision part this recommendation belongs to" in page
    page = client.post_form("/recommendations/new", rec_form(
        part_id=str(world.part.id), committee="Scrutiny")).get_data(as_text=True)
    assert "for scrutiny recommendations only" in page


def test_stale_edit_is_refused_showing_what_changed(client, world, db_session):
    as_user(client, world.admin)
    form = client.get(f"/recommendations/{world.rec.id}/edit").get_data(as_text=True)
    assert 'name="version_id" type="hidden" value="1"' in form
    first = rec_form(part_id=str(world.part.id), reference="3.1", text="Agree a protocol, now.",
                     owner_id=str(world.owner.id), version_id="1")
    assert client.post_form(f"/recommendations/{world.rec.id}/edit", first).status_code == 302
    second = dict(first, text="My older edit.", version_id="1")
    page = client.post_form(f"/recommendations/{world.rec.id}/edit", second)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Your changes were not saved" in text
    assert "Text is now “Agree a protocol, now.” (was “Agree a protocol.”)" in text
    assert "My older edit." in text  # what the user typed is kept
    rec = db_session.get(Recommendation, world.rec.id)
    assert rec.text == "Agree a protocol, now."
    assert 'name="version_id" type="hidden" value="2"' in text


def test_withdrawal_needs_a_reason_and_keeps_history(client, world, db_session):
    as_user(client, world.admin)
    page = client.post_form(f"/recommendations/{world.rec.id}/withdraw",
                            {"reason": "", "version_id": "1"}).get_data(as_text=True)
    assert "Give the reason for withdrawing it" in page
    assert client.post_form(f"/recommendations/{world.rec.id}/withdraw",
                            {"reason": "Duplicate of 3.2", "version_id": "1"}).status_code == 302
    rec = db_session.get(Recommendation, world.rec.id)
    assert rec.withdrawn_reason == "Duplicate of 3.2"
    assert f'/recommendations/{rec.id}"' not in client.get("/recommendations").get_data(as_text=True)
    assert db_session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "withdraw", AuditEvent.object_id == rec.id))


def test_executive_response_needs_a_reason_unless_accepted_and_keeps_history(client, world,
                                                                            make, db_session):
    rec = make.recommendation(None, source="scrutiny", reference="SC2")
    as_user(client, world.admin)
    data = {"response": "not_accepted", "response_text": "No.", "reason": "",
            "cabinet_member": "Cabinet member", "lead_officer": "Director", "timetable": ""}
    page = client.post_form(f"/recommendations/{rec.id}/response", data).get_data(as_text=True)
    assert "a reason is required unless the recommendation is accepted" in page
    assert client.post_form(f"/recommendations/{rec.id}/response",
                            dict(data, reason="Not ours to do")).status_code == 302
    assert client.post_form(f"/recommendations/{rec.id}/response",
                            dict(data, response="accepted", reason="")).status_code == 302
    responses = db_session.scalars(sa.select(ExecutiveResponse).where(
        ExecutiveResponse.recommendation_id == rec.id).order_by(ExecutiveResponse.id)).all()
    assert [r.response for r in responses] == ["not_accepted", "accepted"]
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Earlier responses (1)" in page and "Not ours to do" in page


def test_take_up_puts_a_scrutiny_recommendation_under_a_part(client, world, make, db_session):
    rec = make.recommendation(None, source="scrutiny", reference="SC4")
    as_user(client, world.admin)
    assert client.post_form(f"/recommendations/{rec.id}/take-up",
                            {"part_id": str(world.part.id), "version_id": "1"}).status_code == 302
    assert db_session.get(Recommendation, rec.id).part_id == world.part.id


def test_sign_off_only_when_awaiting_and_records_the_meeting(client, world, make, db_session):
    as_user(client, world.admin)
    data = {"sign_off_meeting": "Scrutiny committee, 13 September 2021",
            "sign_off_minute": "27", "version_id": "1"}
    page = client.post_form(f"/recommendations/{world.rec.id}/sign-off", data).get_data(as_text=True)
    assert "Only a recommendation awaiting sign-off" in page
    make.update(world.action, status="complete", rag=None)
    page = client.post_form(f"/recommendations/{world.rec.id}/sign-off", data).get_data(as_text=True)
    assert "Record the intended outcome before signing off" in page
    assert client.post_form(f"/recommendations/{world.rec.id}/outcome", {
        "intended_outcome": "Reports handled the same way by every agency.",
        "how_measured": "Termly audit of ten reports.", "version_id": "1"}).status_code == 302
    data["version_id"] = "2"
    assert client.post_form(f"/recommendations/{world.rec.id}/sign-off", data).status_code == 302
    rec = db_session.get(Recommendation, world.rec.id)
    assert (rec.sign_off_meeting, rec.sign_off_minute, rec.signed_off_by_id) == (
        "Scrutiny committee, 13 September 2021", "27", world.admin.id)
    page = client.get(f"/recommendations/{world.rec.id}").get_data(as_text=True)
    assert 'govuk-tag--blue tracker-rag">Complete<' in page and "minute 27" in page


def test_member_challenges_and_owner_answers(client, world, db_session):
    as_user(client, world.member)
    assert client.post_form(f"/recommendations/{world.rec.id}/challenges/new",
                            {"question": "What evidence is there?"}).status_code == 302
    challenge = db_session.scalar(sa.select(Challenge))
    page = client.get(f"/recommendations/{world.rec.id}").get_data(as_text=True)
    assert "What evidence is there?" in page and ">Open<" in page
    as_user(client, world.owner)
    assert client.post_form(f"/challenges/{challenge.id}/answer",
                            {"answer": "The signed protocol.", "version_id": "1"}).status_code == 302
    page = client.get(f"/recommendations/{world.rec.id}").get_data(as_text=True)
    assert "The signed protocol." in page and ">Answered<" in page
    again = client.post_form(f"/challenges/{challenge.id}/answer",
                             {"answer": "Again", "version_id": "2"}).get_data(as_text=True)
    assert "already been answered" in again


def test_action_edit_keeps_the_due_date(client, world, db_session):
    as_user(client, world.owner)
    form = client.get(f"/actions/{world.action.id}/edit").get_data(as_text=True)
    assert "due_on" not in form
    assert client.post_form(f"/actions/{world.action.id}/edit", {
        "title": "Draft and agree the protocol", "description": "",
        "owner_id": str(world.other.id), "version_id": "1"}).status_code == 302
    db_session.refresh(world.action)
    assert (world.action.title, world.action.owner_id) == ("Draft and agree the protocol",
                                                           world.other.id)


def test_recommendation_awaiting_a_late_response_says_late(client, world, make):
    from tracker.clock import today
    late = make.recommendation(None, source="scrutiny", reference="SC8",
                               report_published_on=today() - dt.timedelta(days=70),
                               response_due_on=today() - dt.timedelta(days=8))
    as_user(client, world.member)
    page = client.get(f"/recommendations/{late.id}").get_data(as_text=True)
    assert 'govuk-tag--red tracker-rag">Late<' in page


def test_owner_withdraws_an_action_with_a_reason_and_it_leaves_the_totals(client, world, make,
                                                                          db_session):
    make.update(world.action, status="complete", rag=None)
    extra = make.action(world.rec, owner=world.owner, title="Extra")
    as_user(client, world.owner)
    page = client.get(f"/recommendations/{world.rec.id}").get_data(as_text=True)
    assert "1 of 2 counted actions complete (50%)" in page
    assert client.post_form(f"/actions/{extra.id}/withdraw",
                            {"reason": "Duplicate of the first", "version_id": "1"}).status_code == 302
    page = client.get(f"/recommendations/{world.rec.id}").get_data(as_text=True)
    assert "1 of 1 counted action complete (100%)" in page and "Awaiting sign-off" in page
    as_user(client, world.other)
    assert client.post_form(f"/actions/{world.action.id}/withdraw",
                            {"reason": "x", "version_id": "1"}).status_code == 404
