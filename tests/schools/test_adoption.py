"""Recording adoption through HTTP: who may, what is checked, and the dated history kept."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.conftest import sign_in
from tracker import clock
from tracker.extensions import db
from tracker.models import Adoption, AdoptionEvent, AuditEvent, RefusalTally


def form(status: str, version_id: int = 0, **fields: object) -> dict[str, object]:
    data: dict[str, object] = {"status": status, "version_id": version_id}
    for name in ("adopted_on", "trained_on"):
        day = fields.pop(name, None)
        data[name] = [str(day.day), str(day.month), str(day.year)] if day else ["", "", ""]
    return data | fields


def adoptions_of(school) -> list[Adoption]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(sa.select(Adoption).where(Adoption.school_id == school.id)))


def events_of(school) -> list[AdoptionEvent]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(sa.select(AdoptionEvent).join(Adoption).where(
        Adoption.school_id == school.id).order_by(AdoptionEvent.id)))


def test_school_lead_records_adoption_for_their_school(client, make, guidance):
    school = make.school(name="Wyebank Primary School")
    lead = make.user(role="school_lead", schools=[school])
    sign_in(client, lead)
    response = client.post_form(f"/schools/{school.id}/adoption", form(
        "adopted", adopted_on=dt.date(2021, 3, 10), policy_url="https://example.org/policy"),
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Saved: Wyebank Primary School is “Adopted by the governing body or trust”" in page
    (adoption,) = adoptions_of(school)
    assert (adoption.status, adoption.adopted_on) == ("adopted", dt.date(2021, 3, 10))
    (event,) = events_of(school)
    assert (event.via, event.recorded_by_id, event.status) == ("school_lead", lead.id, "adopted")
    # kept on write, in the same transaction: the adoption's latest event and its status
    assert (adoption.latest_status, adoption.latest_event_id, adoption.latest_event_at) == (
        "adopted", event.id, event.recorded_at)
    assert db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.object_type == "Adoption", AuditEvent.action == "create")).actor_id == lead.id
    # the school page shows the dated history
    assert "10 March 2021" in client.get(f"/schools/{school.id}").get_data(as_text=True)


def test_school_lead_cannot_update_another_school(client, make, guidance):
    own, other = make.school(), make.school(name="Someone Else's School")
    lead = make.user(role="school_lead", schools=[own])
    sign_in(client, lead)
    assert client.get(f"/schools/{other.id}").status_code == 404
    assert client.get(f"/schools/{other.id}/adoption").status_code == 404
    response = client.post_form(f"/schools/{other.id}/adoption",
                                form("adopted", adopted_on=dt.date(2021, 3, 10)))
    assert response.status_code == 404
    assert adoptions_of(other) == [] and events_of(other) == []
    refused = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "access_refused", AuditEvent.actor_id == lead.id)).all()
    # The first refusal is written; the repeats in the same ten minutes are counted.
    assert [e.summary for e in refused] == [f"Refused GET /schools/{other.id}"]
    assert db.session.get(RefusalTally, lead.id).refusals == 3
    listed = client.get("/schools").get_data(as_text=True)
    assert own.name in listed and "Someone Else&#39;s School" not in listed


def test_trust_lead_records_once_for_every_open_school_of_the_trust(client, make, guidance):
    trust = {"trust_code": "TR01234", "trust_name": "Wye Valley Learning Trust"}
    academies = [make.school(name=f"Academy {n}", type_name="Academy converter", **trust)
                 for n in (1, 2, 3)]
    closed = make.school(name="Closed Academy", status="closed", **trust)
    elsewhere = make.school(name="Not In The Trust")
    lead = make.user(role="school_lead", trust_code="TR01234")
    sign_in(client, lead)
    page = client.get("/schools/trust-adoption").get_data(as_text=True)
    assert all(a.name in page for a in academies) and closed.name not in page
    response = client.post_form("/schools/trust-adoption", form(
        "own_policy", policy_url="https://trust.example.org/safeguarding") | {
        "state": page.split('name="state" type="hidden" value="')[1].split('"')[0],
        "confirm": "yes"}, follow_redirects=True)
    assert "Saved for 3 of the trust&#39;s 3 open schools" in response.get_data(as_text=True)
    for academy in academies:
        (event,) = events_of(academy)
        assert (event.via, event.status, event.policy_url) == (
            "trust_lead", "own_policy", "https://trust.example.org/safeguarding")
        (adoption,) = adoptions_of(academy)
        assert (adoption.latest_status, adoption.latest_event_id) == ("own_policy", event.id)
    assert events_of(closed) == [] and events_of(elsewhere) == []
    # a school lead without a trust has no trust page
    plain = make.user(role="school_lead", schools=[elsewhere])
    other_client = client.application.test_client()
    sign_in(other_client, plain)
    assert other_client.get("/schools/trust-adoption").status_code == 404


def test_stale_trust_record_is_refused(client, make, guidance):
    _, version, _ = guidance
    school = make.school(trust_code="TR01234", trust_name="Trust")
    lead = make.user(role="school_lead", trust_code="TR01234")
    sign_in(client, lead)
    page = client.get("/schools/trust-adoption").get_data(as_text=True)
    state = page.split('name="state" type="hidden" value="')[1].split('"')[0]
    make.adoption(school, version, status="under_review")  # someone else, meanwhile
    response = client.post_form("/schools/trust-adoption", form("adopted",
                                adopted_on=dt.date(2021, 5, 1)) | {"state": state,
                                                                   "confirm": "yes"},
                                follow_redirects=True)
    assert "while you were editing" in response.get_data(as_text=True)
    assert adoptions_of(school)[0].status == "under_review"


def test_officer_owning_the_guidance_part_records_on_a_school_s_behalf(client, make, guidance):
    _, _, owner = guidance
    school = make.school()
    sign_in(client, owner)
    response = client.post_form(f"/schools/{school.id}/adoption",
                                form("under_review", note="Governors meet in March."))
    assert response.status_code == 302
    (event,) = events_of(school)
    assert (event.via, event.note) == ("officer", "Governors meet in March.")


@pytest.mark.parametrize("role", ["officer", "member"])
def test_other_officers_and_members_cannot_record(client, make, guidance, role):
    school = make.school()
    sign_in(client, make.user(role=role))
    assert client.post_form(f"/schools/{school.id}/adoption",
                            form("under_review")).status_code == 404
    assert adoptions_of(school) == []


@pytest.mark.parametrize(("fields", "message"), [
    ({"status": "adopted", "adopted_on": "tomorrow"}, "Date adopted must be today or in the past"),
    ({"status": "adopted", "adopted_on": dt.date(2020, 11, 25)},
     "Date adopted must be on or after 26 November 2020, when version 1 was approved"),
    ({"status": "embedded", "adopted_on": dt.date(2021, 1, 5), "trained_on": "tomorrow"},
     "Date staff were trained must be today or in the past"),
    ({"status": "embedded", "adopted_on": dt.date(2021, 1, 5)},
     "Enter the date staff were trained: embedded needs it"),
    ({"status": "adopted"}, "Enter the date the governing body or trust adopted the guidance"),
    ({"status": "own_policy"}, "Enter a link to the school&#39;s own published policy"),
    ({"status": "declined"}, "Enter why the school declined the guidance"),
    ({"status": "own_policy", "policy_url": "javascript:alert(1)"},
     "Enter link to the published policy starting with http:// or https://"),
    ({"status": "adopted", "adopted_on": ["31", "2", "2021"]}, "must be a real date"),
])
def test_checks_refuse_with_clear_messages(client, make, guidance, fields, message):
    school = make.school()
    sign_in(client, make.user(role="admin"))
    fields = dict(fields)
    status = fields.pop("status")
    for name in ("adopted_on", "trained_on"):
        if fields.get(name) == "tomorrow":
            fields[name] = clock.today() + dt.timedelta(days=1)
    data = form(status, **{k: v for k, v in fields.items() if not isinstance(v, list)})
    data |= {k: v for k, v in fields.items() if isinstance(v, list)}
    response = client.post_form(f"/schools/{school.id}/adoption", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert message in page
    assert adoptions_of(school) == []


def test_call_in_guard_refuses_work_while_the_decision_is_open_to_call_in(client, make):
    decision = make.decision(decided_on=clock.today(),
                             call_in_expires_on=clock.today() + dt.timedelta(days=5))
    part = make.part(decision, kind="approve_guidance")
    version = make.guidance_version(make.guidance(part), approved_on=clock.today())
    school = make.school()
    sign_in(client, make.user(role="admin"))
    page = client.post_form(f"/schools/{school.id}/adoption",
                            form("under_review")).get_data(as_text=True)
    assert "This decision is open to call-in until" in page
    assert adoptions_of(school) == []
    # "not started" is not work: it may be recorded
    assert client.post_form(f"/schools/{school.id}/adoption",
                            form("not_started", note="Chased by email.")).status_code == 302
    assert adoptions_of(school)[0].guidance_version_id == version.id


def test_stale_save_is_refused_and_same_details_again_change_nothing(client, make, guidance):
    _, version, _ = guidance
    school = make.school()
    adoption = make.adoption(school, version, status="under_review")
    sign_in(client, make.user(role="admin"))
    loaded_version = adoption.version_id
    client.post_form(f"/schools/{school.id}/adoption",
                     form("adopted", loaded_version, adopted_on=dt.date(2021, 4, 1)))
    stale = client.post_form(f"/schools/{school.id}/adoption",
                             form("declined", loaded_version, reason="Not now"),
                             follow_redirects=True)
    assert "Someone else saved a change while you were editing (" in stale.get_data(as_text=True)
    db.session.refresh(adoption)
    assert adoption.status == "adopted"
    events = len(events_of(school))
    same = client.post_form(f"/schools/{school.id}/adoption", form(
        "adopted", adoption.version_id, adopted_on=dt.date(2021, 4, 1)), follow_redirects=True)
    assert "Nothing had changed" in same.get_data(as_text=True)
    assert len(events_of(school)) == events


def test_a_new_version_starts_a_new_round_and_keeps_the_old_one(client, make, guidance):
    guidance_row, version, _ = guidance
    school = make.school(name="Castle Green Primary School")
    make.adoption(school, version, status="adopted", adopted_on=dt.date(2021, 3, 1))
    sign_in(client, make.user(role="admin"))
    response = client.post_form(f"/schools/guidance/{guidance_row.id}/versions/new", {
        "title": "Updated for child-on-child abuse", "approved_on": ["1", "9", "2023"],
        "url": "https://example.org/v2", "changes": "Terminology brought up to date.",
        "approved_by_part_id": "0"}, follow_redirects=True)
    assert "Version 2 added" in response.get_data(as_text=True)
    listed = client.get("/schools").get_data(as_text=True)
    assert "Adoption of version 2" in listed and "Not started" in listed
    page = client.get(f"/schools/{school.id}").get_data(as_text=True)
    assert "Version 2: Updated for child-on-child abuse (current)" in page
    assert "Version 1: Model guidance (appendix 6)" in page
    old_round = page.split("Version 1: Model guidance (appendix 6)")[1]
    assert "Adopted by the governing body or trust" in old_round
    assert [a.status for a in adoptions_of(school)] == ["adopted"]  # kept as history
    # dates are checked against the new version's approval
    page = client.post_form(f"/schools/{school.id}/adoption", form(
        "adopted", adopted_on=dt.date(2022, 1, 1))).get_data(as_text=True)
    assert "must be on or after 1 September 2023, when version 2 was approved" in page


def test_a_version_cannot_be_approved_before_the_last_one(client, make, guidance):
    guidance_row, _, _ = guidance
    sign_in(client, make.user(role="admin"))
    page = client.post_form(f"/schools/guidance/{guidance_row.id}/versions/new", {
        "title": "Backdated", "approved_on": ["1", "1", "2020"], "approved_by_part_id": "0",
    }).get_data(as_text=True)
    assert "Date approved must be on or after 26 November 2020, when version 1 was approved" in page
    assert len(guidance_row.versions) == 1


def test_guidance_under_an_exempt_decision_is_not_shown_to_school_leads(client, make):
    decision = make.decision(exemption="para_3")
    make.guidance_version(make.guidance(make.part(decision, kind="approve_guidance")))
    school = make.school()
    sign_in(client, make.user(role="school_lead", schools=[school]))
    listed = client.get("/schools").get_data(as_text=True)
    assert "No guidance version is being tracked yet" in listed
    assert client.get(f"/schools/{school.id}/adoption").status_code == 404
