"""Re-importing a notice: what would change is shown field by field and part by part, and only
the confirmed changes are made; without a reference, the user chooses the decision."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.decisions.conftest import ISSUE, WRITTEN, confirm, form_fields, page_text, preview, seed_text
from tracker.decisions import services
from tracker.models import AuditEvent, Decision

D = dt.date
PURPOSE_OLD = "To receive the outcomes of the review;"
PURPOSE_NEW = "To receive the findings of the review;"
PART_B_OLD = "set out in appendix 5 as amended;"
PART_B_NEW = "set out in appendix 5 as amended at the meeting;"
EXPIRY_OLD = "apply)\t4 December 2020"
EXPIRY_NEW = "apply)\t7 December 2020"


def import_written(admin, db_session) -> Decision:
    confirm(admin, preview(admin, seed_text(WRITTEN)).get_data(as_text=True))
    return db_session.scalars(sa.select(Decision)).one()


def edited() -> str:
    text = seed_text(WRITTEN)
    for old, new in ((PURPOSE_OLD, PURPOSE_NEW), (PART_B_OLD, PART_B_NEW), (EXPIRY_OLD, EXPIRY_NEW)):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def snapshot(decision: Decision) -> dict:
    columns = {c.key: getattr(decision, c.key) for c in sa.inspect(Decision).column_attrs}
    columns["parts"] = [(p.label, p.text, p.kind, p.version_id, p.withdrawn_at)
                        for p in decision.parts]
    return columns


def changes_table(response) -> list[str]:
    """The "What" column of the changes table, in order."""
    import re

    body = response.get_data(as_text=True)
    table = body[body.index('id="changes"'):]
    table = table[:table.index("</table>")]
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th>', table, re.S)]


def test_the_same_notice_again_changes_nothing(admin, db_session):
    decision = import_written(admin, db_session)
    before = snapshot(decision)
    again = preview(admin, seed_text(WRITTEN))
    words = page_text(again)
    assert "Nothing would change: the decision already matches this notice" in words
    assert "Update the decision" not in words
    db_session.expire_all()
    assert snapshot(decision) == before


def test_an_edited_notice_applies_exactly_its_edits_after_confirmation(admin, db_session):
    decision = import_written(admin, db_session)
    before = snapshot(decision)

    shown = preview(admin, edited())
    assert changes_table(shown) == ["Purpose", "Decision", "Call-in expiry date", "Part (b)",
                                    "Notice text as received"]
    words = page_text(shown)
    assert "Call-in expiry date 4 December 2020 7 December 2020" in words
    db_session.expire_all()
    assert snapshot(decision) == before  # nothing changes before confirmation

    done = confirm(admin, shown.get_data(as_text=True))
    assert done.status_code == 302
    db_session.expire_all()
    after = snapshot(decision)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"purpose", "decision_text", "call_in_expires_on", "notice_text", "parts",
                       "version_id", "updated_at"}
    assert after["purpose"].startswith(PURPOSE_NEW)
    assert after["call_in_expires_on"] == D(2020, 12, 7)
    assert PART_B_NEW in after["decision_text"]
    old_parts = {p[0]: p for p in before["parts"]}
    for label, text, kind, version, withdrawn in after["parts"]:
        if label == "b":
            assert text.endswith(PART_B_NEW) and version == old_parts["b"][3] + 1
        else:
            assert (label, text, kind, version, withdrawn) == old_parts[label]
    assert after["notice_text"] == edited()

    update = db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "Decision", AuditEvent.action == "update")).one()
    assert {name for name, _, _ in update.changes()} == {
        "purpose", "decision_text", "call_in_expires_on", "notice_text", "version_id",
        "updated_at"}
    assert update.actor_id == admin.user.id
    assert db_session.scalars(sa.select(AuditEvent.summary).where(
        AuditEvent.action == "import").order_by(AuditEvent.id)).all()[-1] == (
        "Re-imported a decision notice into decision I50035813: 5 change(s) made")


def test_changes_left_unticked_are_not_made(admin, db_session):
    decision = import_written(admin, db_session)
    shown = preview(admin, edited())
    fields = form_fields(shown.get_data(as_text=True), "/decisions/import/confirm")
    keys = fields.getlist("apply")
    assert keys == ["field:purpose", "field:decision_text", "field:call_in_expires_on", "part:b",
                    "notice"]
    confirm(admin, shown.get_data(as_text=True), {"apply": ["field:call_in_expires_on"]})
    db_session.expire_all()
    assert decision.call_in_expires_on == D(2020, 12, 7)
    assert decision.purpose.startswith(PURPOSE_OLD)
    assert decision.parts[1].text.endswith(PART_B_OLD)
    assert decision.notice_text == seed_text(WRITTEN)


def test_unticking_everything_is_refused(admin, db_session):
    decision = import_written(admin, db_session)
    version = decision.version_id
    shown = preview(admin, edited())
    refused = confirm(admin, shown.get_data(as_text=True), {"apply": None})
    assert "Nothing would change: choose at least one change to make" in page_text(refused)
    db_session.expire_all()
    assert decision.version_id == version


def test_a_part_no_longer_in_the_notice_is_withdrawn_not_deleted(admin, db_session):
    decision = import_written(admin, db_session)
    text = seed_text(WRITTEN)
    cut = text[text.index("; and d) The children"):text.index("safeguarding.") + len("safeguarding.")]
    shown = preview(admin, text.replace(cut, "."))
    assert changes_table(shown) == ["Decision", "Part (c)",
                                    "Part (d) is not in this notice: withdraw it",
                                    "Notice text as received"]
    confirm(admin, shown.get_data(as_text=True))
    db_session.expire_all()
    assert [p.label for p in decision.live_parts] == ["a", "b", "c"]
    part_d = decision.parts[3]
    assert part_d.label == "d" and part_d.is_withdrawn
    assert part_d.withdrawn_reason == "Not in the re-imported notice"


def test_a_stale_preview_is_refused_and_shown_again(admin, db_session):
    decision = import_written(admin, db_session)
    shown = preview(admin, edited())
    # Someone else changes the decision between the preview and the confirmation.
    values = {"reasons": "Changed meanwhile"}
    services.edit_decision(decision, values, decision.version_id)
    refused = confirm(admin, shown.get_data(as_text=True))
    assert refused.status_code == 200
    words = page_text(refused)
    assert "Someone else saved a change while you were editing (reasons)" in words
    db_session.expire_all()
    assert decision.purpose.startswith(PURPOSE_OLD)  # nothing applied
    assert "Reasons for the decision Changed meanwhile" in words  # the new "before"
    done = confirm(admin, refused.get_data(as_text=True))
    assert done.status_code == 302
    db_session.expire_all()
    assert decision.purpose.startswith(PURPOSE_NEW)
    assert decision.reasons.startswith("As set out in the report.")  # the notice's value again


def issue_extras() -> dict:
    return {"extra_decision_maker": "Cabinet", "extra_decided_on-day": "26",
            "extra_decided_on-month": "11", "extra_decided_on-year": "2020",
            "extra_exemption": "open"}


def test_without_a_reference_decisions_with_the_same_title_are_offered(admin, make, db_session):
    existing = make.decision(title="Review of peer on peer abuse cases", reference="I50035813",
                             published_on=None)
    make.decision(title="Another decision")
    shown = preview(admin, seed_text(ISSUE))
    words = page_text(shown)
    assert "The tracker already has a decision with this title. Which is this notice?" in words
    assert "Create a new decision beside it" in words

    refused = confirm(admin, shown.get_data(as_text=True))
    assert ("Choose whether to update one of the decisions with this title or to create a new "
            "decision") in page_text(refused)
    assert db_session.scalar(sa.select(sa.func.count(Decision.id))) == 2

    chosen = confirm(admin, refused.get_data(as_text=True), {"target": existing.id})
    assert chosen.status_code == 200  # first, what would change in the chosen decision
    words = page_text(chosen)
    assert "Check what would change in the decision you chose, then save." in words
    assert "Date published Not given 30 November 2020" in words
    db_session.expire_all()
    assert existing.published_on is None

    done = confirm(admin, chosen.get_data(as_text=True))
    assert done.status_code == 302
    db_session.expire_all()
    assert existing.published_on == D(2020, 11, 30)
    assert [p.label for p in existing.parts] == ["a", "b", "c", "d"]
    assert db_session.scalar(sa.select(sa.func.count(Decision.id))) == 2  # none created


def test_a_new_decision_beside_one_with_the_same_title_only_when_asked(admin, make, db_session):
    make.decision(title="Review of peer on peer abuse cases", reference="I50035813")
    shown = preview(admin, seed_text(ISSUE))
    done = confirm(admin, shown.get_data(as_text=True), {"target": "new", **issue_extras()})
    assert done.status_code == 302
    titles = db_session.scalars(sa.select(Decision.title)).all()
    assert titles == ["Review of peer on peer abuse cases"] * 2


def test_withdrawn_decisions_are_not_offered(admin, make, db_session):
    make.decision(title="Review of peer on peer abuse cases", withdrawn_reason="Duplicate",
                  withdrawn_at=dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc))
    shown = preview(admin, seed_text(ISSUE))
    assert "Which is this notice?" not in page_text(shown)
