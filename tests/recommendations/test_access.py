"""Who may do what (the role table, docs/roles-and-permissions.md), through HTTP, for each role. What a role may
not see or change answers 404 and changes nothing."""
from __future__ import annotations

import sqlalchemy as sa

from tests.recommendations.conftest import as_user, update_form
from tracker.models import Action, AuditEvent, Challenge, ProgressUpdate, Recommendation


def _count(db_session, model) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(model))


def test_every_staff_role_reads_the_list_and_the_recommendation(client, world):
    for user in (world.admin, world.owner, world.other, world.member):
        as_user(client, user)
        assert "3.1" in client.get("/recommendations").get_data(as_text=True)
        page = client.get(f"/recommendations/{world.rec.id}")
        assert page.status_code == 200
        assert "Agree a protocol." in page.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(f"/recommendations/{world.rec.id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_officer_cannot_update_an_action_they_do_not_own_even_by_posting(client, world,
                                                                         db_session):
    as_user(client, world.other)
    assert client.get(f"/actions/{world.action.id}/updates/new").status_code == 404
    before = _count(db_session, ProgressUpdate)
    response = client.post_form(f"/actions/{world.action.id}/updates/new", update_form())
    assert response.status_code == 404
    assert _count(db_session, ProgressUpdate) == before
    assert db_session.get(Action, world.action.id).status == "not_started"
    refused = db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "access_refused")).all()
    assert refused, "a refused access is audited"


def test_officer_does_not_see_update_links_on_actions_of_others(client, world):
    as_user(client, world.other)
    page = client.get(f"/recommendations/{world.rec.id}").get_data(as_text=True)
    assert "Record an update" not in page
    assert "Add an action" not in page


def test_owner_may_add_and_update_actions(client, world):
    as_user(client, world.owner)
    page = client.get(f"/recommendations/{world.rec.id}").get_data(as_text=True)
    assert "Record an update" in page and "Add an action" in page
    response = client.post_form(f"/actions/{world.action.id}/updates/new", update_form())
    assert response.status_code == 302


def test_officer_who_owns_only_the_action_may_update_it_but_not_add_actions(client, world, make):
    action = make.action(world.rec, owner=world.other, title="Other's action")
    as_user(client, world.other)
    assert client.post_form(f"/actions/{action.id}/updates/new", update_form()).status_code == 302
    assert client.get(f"/recommendations/{world.rec.id}/actions/new").status_code == 404


def test_members_and_school_leads_cannot_add_actions_or_updates(client, world, db_session):
    before = _count(db_session, Action), _count(db_session, ProgressUpdate)
    for user in (world.member, world.lead):
        as_user(client, user)
        assert client.post_form(f"/recommendations/{world.rec.id}/actions/new",
                                {"title": "x"}).status_code == 404
        assert client.post_form(f"/actions/{world.action.id}/updates/new",
                                update_form()).status_code == 404
    assert (_count(db_session, Action), _count(db_session, ProgressUpdate)) == before


def test_only_members_ask_challenges(client, world, db_session):
    for user in (world.admin, world.owner, world.lead):
        as_user(client, user)
        assert client.post_form(f"/recommendations/{world.rec.id}/challenges/new",
                                {"question": "Why?"}).status_code == 404
    assert _count(db_session, Challenge) == 0
    as_user(client, world.member)
    assert client.post_form(f"/recommendations/{world.rec.id}/challenges/new",
                            {"question": "Why?"}).status_code == 302
    assert _count(db_session, Challenge) == 1


def test_only_the_owner_or_an_administrator_answers_a_challenge(client, world, make, db_session):
    challenge = make.challenge(world.rec, asked_by=world.member)
    for user in (world.other, world.member, world.lead):
        as_user(client, user)
        assert client.post_form(f"/challenges/{challenge.id}/answer",
                                {"answer": "Because.", "version_id": "1"}).status_code == 404
    assert db_session.get(Challenge, challenge.id).answered_at is None
    as_user(client, world.owner)
    assert client.post_form(f"/challenges/{challenge.id}/answer",
                            {"answer": "Because.", "version_id": "1"}).status_code == 302
    assert db_session.get(Challenge, challenge.id).answer == "Because."


def test_only_administrators_create_edit_withdraw_respond_and_sign_off(client, world, db_session):
    rec_id = world.rec.id
    urls = [("/recommendations/new", {}), (f"/recommendations/{rec_id}/edit", {}),
            (f"/recommendations/{rec_id}/withdraw", {"reason": "x", "version_id": "1"}),
            (f"/recommendations/{rec_id}/response", {"response": "accepted"}),
            (f"/recommendations/{rec_id}/sign-off", {"version_id": "1"}),
            (f"/recommendations/{rec_id}/take-up", {}),
            ("/admin/recommendations/import", {}), ("/admin/recommendations/export.csv", None)]
    for user in (world.owner, world.member, world.lead):
        as_user(client, user)
        for url, data in urls:
            assert client.get(url).status_code == 404, (user.role, url)
            if data is not None:
                assert client.post_form(url, data).status_code == 404, (user.role, url)
    rec = db_session.get(Recommendation, rec_id)
    assert rec.withdrawn_at is None and not rec.responses and rec.signed_off_at is None


def test_school_lead_reads_recommendations_of_open_decisions_only(client, world, make):
    exempt = make.decision(exemption="para_3", title="Exempt decision")
    hidden = make.recommendation(make.part(exempt), reference="X9", text="Exempt text")
    waiting = make.recommendation(None, source="scrutiny", reference="SC9", text="Waiting")
    as_user(client, world.lead)
    page = client.get(f"/recommendations/{world.rec.id}").get_data(as_text=True)
    assert "Agree a protocol." in page
    assert "History" not in page and "Questions from scrutiny" not in page
    assert client.get(f"/recommendations/{hidden.id}").status_code == 404
    assert client.get(f"/recommendations/{waiting.id}").status_code == 404
    listing = client.get("/recommendations").get_data(as_text=True)
    assert "3.1" in listing and "X9" not in listing and "SC9" not in listing
    for url in ("/executive-responses", "/my-actions"):
        assert client.get(url).status_code == 404


def test_withdrawn_recommendation_is_absent_for_all_but_administrators(client, world, make):
    gone = make.recommendation(world.part, reference="GONE")
    from tracker.models.base import utcnow
    gone.withdrawn_at, gone.withdrawn_reason = utcnow(), "Duplicate"
    for user in (world.owner, world.member):
        as_user(client, user)
        assert client.get(f"/recommendations/{gone.id}").status_code == 404
    as_user(client, world.admin)
    assert "Withdrawn" in client.get(f"/recommendations/{gone.id}").get_data(as_text=True)


def test_missing_things_answer_404(client, world):
    as_user(client, world.admin)
    for url in ("/recommendations/999999", "/actions/999999/updates/new",
                "/challenges/999999/answer"):
        assert client.get(url).status_code == 404
