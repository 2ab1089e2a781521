"""Administrators create, edit and withdraw decisions, parts and documents, and record call-in;
every change is audited, stale saves are refused, free text draws warnings (without blocking)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from tests.decisions.conftest import form_fields, page_text
from tracker.decisions import services
from tracker.models import AuditEvent, Decision, DecisionPart, Document

D = dt.date


def events(db_session, obj, action=None) -> list[AuditEvent]:
    query = sa.select(AuditEvent).where(AuditEvent.object_type == type(obj).__name__,
                                        AuditEvent.object_id == obj.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db_session.scalars(query.order_by(AuditEvent.id)))


def decision_form(**overrides) -> dict:
    values = {"reference": "I12345678", "title": "Home to school transport policy",
              "decision_maker": "Cabinet member children and families", "key_decision": "yes",
              "decided_on": ["14", "1", "2021"], "published_on": ["15", "1", "2021"],
              "exemption": "open", "purpose": "To agree the policy.",
              "decision_text": "THAT a) the policy be agreed; and b) it be reviewed in a year.",
              "reasons": "To meet the statutory duty.", "options_considered": "None.",
              "interests_declared": "", "subject_to_call_in": "yes",
              "call_in_expires_on": ["21", "1", "2021"], "effective_from": ["", "", ""],
              "signed_by": "Councillor A Person", "signed_on": ["14", "1", "2021"]}
    return values | overrides


def post(client, path, values):
    """POST a form with the session's CSRF token; a list value is a date's three boxes."""
    data = MultiDict([("csrf_token", client.csrf)])
    for key, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(key, item)
    return client.post(path, data=data)


def test_create_a_decision_through_the_form(admin, db_session):
    response = post(admin, "/decisions/new", decision_form())
    assert response.status_code == 302
    decision = db_session.scalars(sa.select(Decision)).one()
    assert (decision.reference, decision.title, decision.key_decision, decision.decided_on,
            decision.published_on, decision.call_in_expires_on, decision.effective_from,
            decision.interests_declared, decision.signed_on) == (
        "I12345678", "Home to school transport policy", True, D(2021, 1, 14), D(2021, 1, 15),
        D(2021, 1, 21), None, None, D(2021, 1, 14))
    [event] = events(db_session, decision)
    assert event.action == "create" and event.actor_id == admin.user.id
    assert event.after["title"] == "Home to school transport policy"


def test_the_form_says_what_to_fix(admin, db_session):
    response = post(admin, "/decisions/new", decision_form(
        title="", decided_on=["31", "2", "2021"], call_in_expires_on=["1", "1", "2020"]))
    words = page_text(response)
    assert "There is a problem" in words
    assert "Enter the title of the decision" in words
    assert "Date of decision must be a real date, for example 27 3 2021" in words
    assert db_session.scalars(sa.select(Decision)).all() == []


def test_an_expiry_date_before_the_decision_is_refused(admin, db_session):
    response = post(admin, "/decisions/new", decision_form(call_in_expires_on=["1", "1", "2020"]))
    assert "The call-in expiry date must be on or after the date of decision" in page_text(response)


def test_a_reference_belongs_to_one_decision(admin, make, db_session):
    make.decision(reference="I12345678")
    response = post(admin, "/decisions/new", decision_form())
    assert "Decision I12345678 already exists" in page_text(response)
    assert db_session.scalar(sa.select(sa.func.count(Decision.id))) == 1


def test_edit_a_decision_records_before_and_after(admin, make, db_session):
    decision = make.decision(title="Old title", reference="I1")
    page = admin.get(f"/decisions/{decision.id}/edit").get_data(as_text=True)
    fields = form_fields(page, "")  # the edit form posts to its own address
    assert fields["title"] == "Old title"
    response = post(admin, f"/decisions/{decision.id}/edit",
                    decision_form(reference="I1", title="New title",
                                  version_id=str(decision.version_id)))
    assert response.status_code == 302
    update = events(db_session, decision, "update")[-1]
    assert ("title", "Old title", "New title") in update.changes()


def test_a_stale_edit_is_refused_naming_what_changed(admin, make, db_session):
    decision = make.decision(title="Original", reference="I2")
    loaded_version = decision.version_id
    services.edit_decision(decision, {"title": "Changed by someone else"}, loaded_version)
    response = post(admin, f"/decisions/{decision.id}/edit",
                    decision_form(reference="I2", title="My change",
                                  version_id=str(loaded_version)))
    assert response.status_code == 200
    words = page_text(response)
    assert ("Someone else saved a change while you were editing (title). Your changes were not "
            "saved: check theirs and try again.") in words
    assert "Title is now “Changed by someone else”" in words
    db_session.expire_all()
    assert decision.title == "Changed by someone else"
    # The form now carries the current version: saving again, knowingly, works.
    again = form_fields(response.get_data(as_text=True), "")
    assert again["version_id"] == str(decision.version_id)


def test_terminology_and_personal_data_warn_once_then_save(admin, make, db_session):
    make.terminology_rule(term="alleged victim", replacement="victim",
                          source_title="Decision I50035813, part (a)(2)")
    text = "Support every alleged victim; pupil A123456789012 was mentioned."
    first = post(admin, "/decisions/new", decision_form(purpose=text))
    assert first.status_code == 200
    words = page_text(first)
    assert "Nothing has been saved yet." in words
    assert ("“alleged victim” should be written “victim” (Decision I50035813, part (a)(2))."
            in words)
    assert "Do not record personal information about children or families here." in words
    assert db_session.scalars(sa.select(Decision)).all() == []
    seen = form_fields(first.get_data(as_text=True), "")["warnings_seen"]
    second = post(admin, "/decisions/new", decision_form(purpose=text, warnings_seen=seen))
    assert second.status_code == 302
    assert db_session.scalars(sa.select(Decision)).one().purpose == text


def test_withdraw_a_decision_with_a_reason(admin, make, db_session):
    decision = make.decision(title="To withdraw")
    missing = post(admin, f"/decisions/{decision.id}/withdraw",
                   {"reason": "", "version_id": str(decision.version_id)})
    assert "Enter why it is being withdrawn" in page_text(missing)
    done = post(admin, f"/decisions/{decision.id}/withdraw",
                {"reason": "Entered twice", "version_id": str(decision.version_id)})
    assert done.status_code == 302
    db_session.expire_all()
    assert decision.is_withdrawn and decision.withdrawn_reason == "Entered twice"
    assert decision.withdrawn_by_id == admin.user.id
    [event] = events(db_session, decision, "withdraw")
    assert event.after["withdrawn_reason"] == "Entered twice"
    assert db_session.get(Decision, decision.id) is not None  # never deleted


def test_add_edit_and_withdraw_a_part(admin, make, db_session):
    decision = make.decision()
    owner = make.user(role="officer", name="Olu Officer")
    added = post(admin, f"/decisions/{decision.id}/parts/new",
                 {"label": "A", "kind": "agree_recommendations", "text": "Agree them.",
                  "owner_id": str(owner.id)})
    assert added.status_code == 302
    part = db_session.scalars(sa.select(DecisionPart)).one()
    assert (part.label, part.kind, part.owner_id, part.position) == (
        "a", "agree_recommendations", owner.id, 0)
    clash = post(admin, f"/decisions/{decision.id}/parts/new",
                 {"label": "a", "kind": "note", "text": "Again."})
    assert "Part (a) already exists in this decision" in page_text(clash)
    bad = post(admin, f"/decisions/{decision.id}/parts/new",
               {"label": "(b)", "kind": "note", "text": "Brackets."})
    assert "The part label must be 1 to 10 letters or numbers" in page_text(bad)

    edited = post(admin, f"/decisions/{decision.id}/parts/{part.id}/edit",
                  {"label": "a", "kind": "note", "text": "Note them.", "owner_id": "",
                   "version_id": str(part.version_id)})
    assert edited.status_code == 302
    update = events(db_session, part, "update")[-1]
    assert ("kind", "agree_recommendations", "note") in update.changes()
    assert ("owner_id", owner.id, None) in update.changes()

    gone = post(admin, f"/decisions/{decision.id}/parts/{part.id}/withdraw",
                {"reason": "Recorded by mistake", "version_id": str(part.version_id)})
    assert gone.status_code == 302
    db_session.expire_all()
    assert part.is_withdrawn
    assert [e.action for e in events(db_session, part)] == ["create", "update", "withdraw"]


def test_a_stale_part_edit_is_refused(admin, make, db_session):
    part = make.part(text="Original text")
    version = part.version_id
    services.edit_part(part, {"label": part.label, "text": "Their text"}, version)
    response = post(admin, f"/decisions/{part.decision_id}/parts/{part.id}/edit",
                    {"label": part.label, "kind": "note", "text": "My text",
                     "version_id": str(version)})
    assert "Someone else saved a change while you were editing (text)" in page_text(response)


def test_a_part_of_another_decision_is_not_found(admin, make):
    part = make.part()
    other = make.decision()
    assert admin.get(f"/decisions/{other.id}/parts/{part.id}/edit").status_code == 404


def test_add_edit_and_withdraw_a_document(admin, make, db_session):
    decision = make.decision()
    part = make.part(decision, label="a")
    refused = post(admin, f"/decisions/{decision.id}/documents/new",
                   {"kind": "appendix", "label": "Appendix 1", "title": "Report",
                    "url": "javascript:alert(1)", "part_id": str(part.id)})
    assert "starting with http:// or https://" in page_text(refused)
    added = post(admin, f"/decisions/{decision.id}/documents/new",
                 {"kind": "appendix", "label": "Appendix 1", "title": "Review report",
                  "url": "https://example.org/a1.pdf", "part_id": str(part.id)})
    assert added.status_code == 302
    document = db_session.scalars(sa.select(Document)).one()
    assert (document.label, document.part_id, document.url) == (
        "Appendix 1", part.id, "https://example.org/a1.pdf")
    page = admin.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert '<a class="govuk-link" href="https://example.org/a1.pdf"' in page
    post(admin, f"/decisions/{decision.id}/documents/{document.id}/edit",
         {"kind": "appendix", "label": "Appendix 1", "title": "Review report (final)",
          "url": "https://example.org/a1.pdf", "part_id": "",
          "version_id": str(document.version_id)})
    post(admin, f"/decisions/{decision.id}/documents/{document.id}/withdraw",
         {"reason": "Superseded", "version_id": str(document.version_id)})
    db_session.expire_all()
    assert document.title == "Review report (final)" and document.part_id is None
    assert document.is_withdrawn
    assert [e.action for e in events(db_session, document)] == ["create", "update", "withdraw"]


def test_record_a_call_in_and_its_outcome(admin, make, db_session):
    decision = make.decision(decided_on=D(2020, 11, 26), call_in_expires_on=D(2020, 12, 4))
    refused = post(admin, f"/decisions/{decision.id}/call-in",
                   {"record": "called_in", "called_in_on": ["9", "12", "2020"],
                    "outcome": "", "outcome_on": ["", "", ""],
                    "version_id": str(decision.version_id)})
    assert ("The date it was called in must be on or before the call-in expiry date "
            "(4 December 2020)") in page_text(refused)
    called = post(admin, f"/decisions/{decision.id}/call-in",
                  {"record": "called_in", "called_in_on": ["2", "12", "2020"], "outcome": "",
                   "outcome_on": ["", "", ""], "version_id": str(decision.version_id)})
    assert called.status_code == 302
    db_session.expire_all()
    assert "Call-in: Called in" in page_text(admin.get(f"/decisions/{decision.id}"))
    released = post(admin, f"/decisions/{decision.id}/call-in",
                    {"record": "called_in", "called_in_on": ["2", "12", "2020"],
                     "outcome": "confirmed", "outcome_on": ["15", "12", "2020"],
                     "version_id": str(decision.version_id)})
    assert released.status_code == 302
    db_session.expire_all()
    words = page_text(admin.get(f"/decisions/{decision.id}"))
    assert "Call-in: Can be implemented" in words
    assert "Can be implemented from 15 December 2020" in words
    updates = events(db_session, decision, "update")
    assert [dict((n, a) for n, _, a in e.changes() if n.startswith("call")) for e in updates] == [
        {"call_in_record": "called_in", "called_in_on": "2020-12-02"},
        {"call_in_outcome": "confirmed", "call_in_outcome_on": "2020-12-15"},
    ]


def test_a_date_that_is_not_three_boxes_is_explained_not_a_crash(admin, make):
    decision = make.decision()
    response = post(admin, f"/decisions/{decision.id}/call-in",
                    {"record": "called_in", "called_in_on": "2020-12-02", "outcome": "",
                     "outcome_on": ["", "", ""], "version_id": str(decision.version_id)})
    assert response.status_code == 200
    assert "Date it was called in must be a real date" in page_text(response)


def test_an_outcome_needs_a_call_in(admin, make):
    decision = make.decision()
    response = post(admin, f"/decisions/{decision.id}/call-in",
                    {"record": "urgent", "called_in_on": ["", "", ""], "outcome": "confirmed",
                     "outcome_on": ["15", "12", "2020"], "version_id": str(decision.version_id)})
    assert "Only a decision that was called in has a call-in date or a committee outcome" in (
        page_text(response))
