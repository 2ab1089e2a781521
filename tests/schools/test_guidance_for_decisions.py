"""Guidance for any decision: an administrator adds, from the decision page, each guidance
document an "approve guidance" part approved, with its first version linked to that part; a
decision may approve several, and each is adopted, charted and reported on its own. A part
with no guidance says what to do next, and links to it for an administrator."""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from tests.conftest import sign_in
from tests.dashboard.pages import charts, tables
from tests.messages.pages import text_by_id
from tracker.clock import today
from tracker.models import Adoption, AuditEvent, Guidance, GuidanceVersion

ONCE = re.compile(r'name="once" type="hidden" value="([^"]+)"')


def _decision(make):  # type: ignore[no-untyped-def]
    decision = make.decision(reference="I50099001", title="Safer recruitment in schools",
                             decided_on=dt.date(2024, 3, 5))
    make.part(decision, label="a", kind="agree_recommendations", text="Agree the review.")
    part = make.part(decision, label="b", kind="approve_guidance",
                     text="Approve the model policies for schools.")
    return decision, part


def _fields(**overrides):  # type: ignore[no-untyped-def]
    return {"title": "Model safer recruitment policy", "version_title": "Policy 2024 to 2025",
            "approved_on": ["5", "3", "2024"], "url": "https://example.org/policy.pdf",
            "changes": "", "warnings_seen": ""} | overrides


def test_an_administrator_adds_guidance_from_the_decision_page(signed_in, make, db_session):
    client, admin = signed_in("admin", totp_enabled=False)
    decision, part = _decision(make)
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert text_by_id(page, "part-b-no-guidance").startswith(
        "No guidance has been linked to this part yet, so no school can record adopting it.")
    link = re.search(r'id="part-b-add-guidance" href="([^"]+)"', page).group(1)
    assert link == f"/schools/guidance/new/{part.id}"
    form = client.get(link).get_data(as_text=True)
    assert "Add the guidance this part approved" in form
    assert 'id="approved_on-day" name="approved_on" type="text" value="05"' in form  # the decision's date

    done = client.post_form(link, _fields(once=ONCE.search(form).group(1)))
    assert done.status_code == 302
    assert done.headers["Location"] == f"/decisions/{decision.id}#part-b"
    guidance = db_session.scalar(sa.select(Guidance))
    assert (guidance.title, guidance.part_id) == ("Model safer recruitment policy", part.id)
    [version] = guidance.versions
    assert (version.number, version.title, version.approved_on, version.approved_by_part_id,
            version.url) == (1, "Policy 2024 to 2025", dt.date(2024, 3, 5), part.id,
                             "https://example.org/policy.pdf")
    events = db_session.execute(sa.select(AuditEvent.object_type, AuditEvent.action,
                                          AuditEvent.actor_id).where(
        AuditEvent.action == "create").order_by(AuditEvent.id)).all()
    assert [tuple(e) for e in events] == [("Guidance", "create", admin.id),
                                          ("GuidanceVersion", "create", admin.id)]

    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "part-b-no-guidance" not in page
    assert "Guidance: Model safer recruitment policy (version 1, approved 5 March 2024)" in \
        re.sub(r"<[^>]+>|\s+", " ", page).replace("  ", " ")
    assert text_by_id(page, "part-b-add-guidance") == \
        "Add another guidance document this part approved (part b)"


def test_a_second_copy_of_the_form_adds_nothing(signed_in, make, db_session):
    client, _ = signed_in("admin", totp_enabled=False)
    _, part = _decision(make)
    path = f"/schools/guidance/new/{part.id}"
    token = ONCE.search(client.get(path).get_data(as_text=True)).group(1)
    first = client.post_form(path, _fields(once=token))
    second = client.post_form(path, _fields(once=token))
    assert first.headers["Location"] == second.headers["Location"]
    assert db_session.scalar(sa.select(sa.func.count(Guidance.id))) == 1


def test_the_form_says_what_to_fix(signed_in, make, db_session):
    client, _ = signed_in("admin", totp_enabled=False)
    _, part = _decision(make)
    tomorrow = today() + dt.timedelta(days=1)
    page = client.post_form(f"/schools/guidance/new/{part.id}", _fields(
        title="", approved_on=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Error: Add guidance" in text
    assert "Enter the title of the guidance" in text
    page = client.post_form(f"/schools/guidance/new/{part.id}", _fields(
        approved_on=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]))
    assert "Date approved must be today or in the past" in page.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(Guidance.id))) == 0


def test_only_a_live_approve_guidance_part_takes_guidance(signed_in, make):
    client, _ = signed_in("admin", totp_enabled=False)
    decision, part = _decision(make)
    recommendations_part = decision.parts[0]
    assert client.get(f"/schools/guidance/new/{recommendations_part.id}").status_code == 404
    part.withdrawn_at = dt.datetime(2024, 4, 1, tzinfo=dt.timezone.utc)
    part.withdrawn_reason = "Replaced"
    assert client.get(f"/schools/guidance/new/{part.id}").status_code == 404


def test_others_are_told_what_happens_next(signed_in, make):
    client, _ = signed_in("officer")
    decision, _ = _decision(make)
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert text_by_id(page, "part-b-no-guidance").endswith(
        "An administrator adds the guidance the part approved from this page.")
    assert "part-b-add-guidance" not in page


def test_the_guidance_page_lists_each_document_and_the_parts_awaiting_one(signed_in, make):
    client, _ = signed_in("admin", totp_enabled=False)
    decision, part = _decision(make)
    first = make.guidance(part, title="Model safer recruitment policy")
    make.guidance_version(first)
    waiting = make.part(make.decision(reference="I50099002"), label="a", kind="approve_guidance")
    page = client.get("/schools/guidance")
    assert page.status_code == 200
    shown = tables(page.get_data(as_text=True))["Guidance documents"]
    assert shown[1][:3] == ["Model safer recruitment policy", "I50099001, part (b)",
                            "1, approved 26 November 2020"]
    html = page.get_data(as_text=True)
    assert f'href="/schools/guidance/new/{waiting.id}"' in html
    assert text_by_id(html, "awaiting-guidance") == \
        "Add the guidance approved by I50099002, part (a)"


def _two_documents(make):  # type: ignore[no-untyped-def]
    decision, part = _decision(make)
    policy = make.guidance(part, title="Model safer recruitment policy")
    policy_v1 = make.guidance_version(policy, approved_on=dt.date(2024, 3, 5))
    checklist = make.guidance(part, title="Interview checklist")
    checklist_v1 = make.guidance_version(checklist, approved_on=dt.date(2024, 3, 5))
    return decision, policy, policy_v1, checklist, checklist_v1


def test_each_document_is_adopted_on_its_own(signed_in, make, db_session):
    decision, policy, policy_v1, checklist, checklist_v1 = _two_documents(make)
    school = make.school(name="Hill Primary", phase="Primary")
    client, lead = signed_in("school_lead", schools=[school])
    page = client.get(f"/schools/{school.id}").get_data(as_text=True)
    assert tables(page)["Hill Primary's adoption of other guidance"] == [
        ["Guidance", "Current version", "Status"],
        ["Interview checklist: adoption at Hill Primary", "1, approved 5 March 2024",
         "Not started"]]
    other = client.get(f"/schools/{school.id}?guidance={checklist.id}").get_data(as_text=True)
    assert f'href="/schools/{school.id}/adoption?guidance={checklist.id}"' in other
    saved = client.post_form(f"/schools/{school.id}/adoption?guidance={checklist.id}", {
        "status": "under_review", "adopted_on": ["", "", ""], "policy_url": "",
        "trained_on": ["", "", ""], "reason": "", "note": "", "version_id": "0",
        "warnings_seen": ""})
    assert saved.status_code == 302
    assert saved.headers["Location"] == f"/schools/{school.id}?guidance={checklist.id}"
    adoptions = db_session.execute(sa.select(Adoption.guidance_version_id, Adoption.status)).all()
    assert [tuple(a) for a in adoptions] == [(checklist_v1.id, "under_review")]
    page = client.get(f"/schools/{school.id}").get_data(as_text=True)
    assert tables(page)["Hill Primary's adoption of other guidance"][1][2] == "Under review"
    # A guidance the lead may not see (under an exempt decision) is not theirs to choose.
    hidden = make.guidance(make.part(make.decision(exemption="para_3"), kind="approve_guidance"))
    make.guidance_version(hidden)
    assert client.get(f"/schools/{school.id}?guidance={hidden.id}").status_code == 404
    assert client.get(f"/schools/{school.id}/adoption?guidance={hidden.id}").status_code == 404


def test_the_report_charts_each_document(client, make, db_session):
    decision, policy, policy_v1, checklist, checklist_v1 = _two_documents(make)
    for n in range(4):
        school = make.school(name=f"School {n}", phase="Primary")
        if n < 1:
            make.adoption(school, checklist_v1, status="adopted", adopted_on=dt.date(2024, 4, 1))
    sign_in(client, make.user(role="member"))
    as_at = today()
    page = client.get(f"/reports/committee?decision={decision.id}&as_at={as_at.isoformat()}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    found = charts(html)
    names = [t["name"] for t in found[f"decision-{decision.id}-adoption-by-week"]["data"]]
    assert names == ["Model safer recruitment policy, version 1", "Interview checklist, version 1"]
    assert [d["y"][-1] for d in found[f"decision-{decision.id}-adoption-by-week"]["data"]] == [0, 25]
    assert f"decision-{decision.id}-adoption-by-phase-2" in found


def test_the_schools_list_and_chasing_list_show_the_guidance_chosen(signed_in, make):
    decision, policy, policy_v1, checklist, checklist_v1 = _two_documents(make)
    adopted = make.school(name="Adopted Primary", phase="Primary")
    waiting = make.school(name="Waiting Primary", phase="Primary")
    make.adoption(adopted, checklist_v1, status="adopted", adopted_on=dt.date(2024, 4, 1))
    client, _ = signed_in("officer")
    first = client.get("/schools").get_data(as_text=True)
    assert "Adoption of Model safer recruitment policy, version 1" in \
        " ".join(re.sub(r"<[^>]+>", "", first).split())
    assert f'href="/schools?guidance={checklist.id}"' in first
    chosen = client.get(f"/schools?guidance={checklist.id}").get_data(as_text=True)
    rows = {r[0].split(" URN")[0]: r[-1] for r in tables(chosen)[
        "Schools 1 to 2 of 2"][1:]}
    assert rows == {"Adopted Primary": "Adopted by the governing body or trust",
                    "Waiting Primary": "Not started"}
    chasing = client.get(f"/schools/chasing?guidance={checklist.id}").get_data(as_text=True)
    assert "Waiting Primary" in chasing and "Adopted Primary" not in chasing
    assert "Adopted Primary" in client.get("/schools/chasing").get_data(as_text=True)
    csv = client.get(f"/schools/chasing.csv?guidance={checklist.id}")
    assert csv.status_code == 200 and "Waiting Primary" in csv.get_data(as_text=True)
    assert "Adopted Primary" not in csv.get_data(as_text=True)
    assert client.get("/schools?guidance=999999").status_code == 404
    assert waiting.id


def test_a_school_leads_home_page_counts_what_is_outstanding_for_each_document(signed_in,
                                                                              make):
    decision, policy, policy_v1, checklist, checklist_v1 = _two_documents(make)
    schools = [make.school(name=f"Lead School {n}", phase="Primary") for n in range(3)]
    make.adoption(schools[0], checklist_v1, status="adopted", adopted_on=dt.date(2024, 4, 1))
    client, _ = signed_in("school_lead", schools=schools)
    home = client.get("/").get_data(as_text=True)
    assert text_by_id(home, "other-guidance-outstanding") == (
        "Interview checklist, version 1: 2 of your schools have not adopted it yet. "
        "Your schools' adoption of Interview checklist")
    assert f'href="/schools?guidance={checklist.id}"' in home
