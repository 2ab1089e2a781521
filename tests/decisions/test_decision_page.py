"""The decision page, laid out like the notice: every field, each part with what it set in
motion, documents, call-in state."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.decisions.conftest import WRITTEN, confirm, page_text, preview, seed_text
from tracker.decisions import queries
from tracker.models import Decision

D = dt.date


def test_every_field_of_the_seed_decision_is_on_its_page(admin, db_session):
    confirm(admin, preview(admin, seed_text(WRITTEN)).get_data(as_text=True))
    decision = db_session.scalars(sa.select(Decision)).one()
    response = admin.get(f"/decisions/{decision.id}")
    assert response.status_code == 200
    words = page_text(response)
    for label, value in [
        ("Issue reference", "I50035813"),
        ("Title", "Review of peer on peer abuse cases"),
        ("Decision maker", "Cabinet"),
        ("Key decision", "No"),
        ("Date of decision", "26 November 2020"),
        ("Date published", "Not given"),
        ("Report exemption class", "Open"),
        ("Purpose", "To receive the outcomes of the review; to agree the recommendations arising "
                    "from the review;"),
        ("Reasons for the decision", "As set out in the report. Documents relating to this "
                                     "decision are available at http://councillors.herefordshire"
                                     ".gov.uk/mglssueHistoryHome.aspx?IId=50035813"),
        ("Options considered", "There no alternative options to the above recommendations;"),
        ("Declarations of interest", "Not given"),
        ("Subject to call-in", "Not known"),
        ("Call-in expiry date", "4 December 2020"),
        ("Effective from", "Not given"),
        ("Signed by", "Leader of the Council (Councillor David Hitchiner)"),
        ("Date signed", "26 November 2020"),
    ]:
        assert f"{label} {value}" in words, label
    assert "Decision a) The executive note the contents and recommendations" in words
    for label, kind, start in [
        ("a", "Agree recommendations", "The executive note the contents"),
        ("b", "Approve executive response", "The executive approves the executive response"),
        ("c", "Approve guidance", "The executive approves the peer on peer model guidance"),
        ("d", "Referral to a committee", "The children and young people's scrutiny committee"),
    ]:
        assert f"Part ({label}) {kind} {start}" in words, label
    # The call-in state is computed from the dates: long past, so it can be implemented.
    assert "Call-in: Can be implemented Can be implemented from 5 December 2020." in words
    # The notice as received is kept, and the page says how it was read.
    assert "The notice text as received" in words
    assert "Read as: Written statement of a decision (text taken from its PDF)." in words


def test_parts_show_what_they_set_in_motion(signed_in, make):
    client, _ = signed_in("officer")
    decision = make.decision(title="A decision")
    recs_part = make.part(decision, label="a", kind="agree_recommendations",
                          text="Agree the recommendations.")
    make.recommendation(recs_part, reference="R1", text="Train every designated lead.")
    make.recommendation(recs_part, reference="R2", text="Withdrawn one.",
                        withdrawn_at=dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc),
                        withdrawn_reason="Merged")
    guidance_part = make.part(decision, label="b", kind="approve_guidance",
                              text="Approve the model guidance.")
    guidance = make.guidance(guidance_part, title="Model guidance for schools")
    make.guidance_version(guidance, number=1, approved_on=D(2020, 11, 26))
    make.part(decision, label="c", kind="note", text="Note the report.")
    make.document(decision, part=recs_part, label="Appendix 1", title="Review report",
                  url="https://example.org/appendix-1.pdf")
    words = page_text(client.get(f"/decisions/{decision.id}"))
    # Each recommendation once, in the part's progress table, with its state in words.
    assert words.count("Train every designated lead.") == 1
    assert "R1 Train every designated lead. No owner yet No actions yet 0 of 0" in words
    assert "Withdrawn one." not in words
    assert ("Guidance: Model guidance for schools (version 1, approved 26 November 2020)"
            in words)
    # A guidance part shows its adoption figure: no schools yet, so 0 of 0 is "–".
    assert "Adoption of version 1: 0 of 0 schools in scope have adopted it (–)" in words
    assert "Part (c) Note Note the report. What it has set in motion Nothing recorded under this part yet." in words
    assert "Documents for this part: Appendix 1: Review report" in words
    body = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert 'href="https://example.org/appendix-1.pdf"' in body


def test_other_features_can_add_to_each_part(signed_in, make, app):
    client, user = signed_in("member")
    decision = make.decision()
    part = make.part(decision, label="a")
    seen = []

    def progress(summaries, viewer):  # all the decision's parts at once
        for summary in summaries:
            seen.append((summary.part.id, viewer.id))
            summary.extras["progress"] = "3 of 4 complete"

    queries.register_part_summary("test-progress", progress)
    try:
        with app.test_request_context():
            [summary] = queries.part_summaries(decision, user)
        assert summary.extras == {"progress": "3 of 4 complete"}
        assert seen == [(part.id, user.id)]
    finally:
        queries._PROVIDERS.pop("test-progress")


def test_call_in_state_and_what_was_recorded_are_shown(signed_in, make):
    client, _ = signed_in("member")
    decision = make.decision(decided_on=D(2020, 11, 26), call_in_expires_on=D(2020, 12, 4),
                             call_in_record="called_in", called_in_on=D(2020, 12, 2),
                             call_in_outcome="referred_back", call_in_outcome_on=D(2020, 12, 15))
    words = page_text(client.get(f"/decisions/{decision.id}"))
    assert "Call-in: Called in" in words
    assert ("Called in on 2 December 2020; committee's outcome: Referred back to the decision "
            "maker (15 December 2020).") in words


def test_school_leads_see_an_open_decision_without_its_history(signed_in, make):
    client, _ = signed_in("school_lead")
    decision = make.decision(title="Open to everyone")
    response = client.get(f"/decisions/{decision.id}")
    assert response.status_code == 200
    assert "History" not in page_text(response)


def test_a_missing_decision_is_not_found(signed_in):
    client, _ = signed_in("officer")
    assert client.get("/decisions/999999").status_code == 404


def test_the_history_lists_the_decisions_changes_not_every_download_of_its_papers(
        signed_in, make, db_session):
    """Every download of a decision's committee papers is recorded against the decision.
    Listed in its history, they grew the page with each one (280 KB after a few hundred);
    the history shows what changed, and the downloads stay in the audit log."""
    from tracker import audit

    client, user = signed_in("admin")
    decision = make.decision(title="Papers downloaded weekly")
    audit.record("update", decision, summary="Decision edited: call-in recorded", actor=user)
    for n in range(3):
        audit.record("export", decision, summary=f"Committee report exported as CSV ({n})",
                     actor=user)
    db_session.flush()
    words = page_text(client.get(f"/decisions/{decision.id}"))
    assert "Decision edited: call-in recorded" in words
    assert "Committee report exported" not in words
    assert "Committee report exported as CSV (2)" in page_text(client.get("/admin/audit"))
