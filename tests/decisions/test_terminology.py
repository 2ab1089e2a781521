"""Terminology rules: administrators list, add, edit and withdraw them at /admin/terminology,
each linked to the decision or national guidance that set it; free text warns."""
from __future__ import annotations

import sqlalchemy as sa

from tests.decisions.conftest import form_fields, page_text
from tracker.models import AuditEvent, TerminologyRule
from tracker.textcheck import text_warnings


def rule_form(**overrides) -> dict:
    return {"term": "peer on peer", "replacement": "child-on-child",
            "source_kind": "national_guidance", "decision_id": "",
            "source_title": "Keeping children safe in education (DfE)",
            "source_url": "https://www.gov.uk/government/publications/keeping-children-safe-in-education--2",
            "explanation": "National guidance now says child-on-child abuse."} | overrides


def test_the_seed_rule_is_listed_with_the_decision_that_set_it(admin, make):
    decision = make.decision(reference="I50035813", title="Review of peer on peer abuse cases")
    make.terminology_rule(term="alleged victim", replacement="victim", source_kind="decision",
                          decision_id=decision.id, source_title="Decision I50035813, part (a)(2)")
    response = admin.get("/admin/terminology/")
    words = page_text(response)
    assert "alleged victim victim Decision: Decision I50035813, part (a)(2)" in words
    assert f'href="/decisions/{decision.id}"' in response.get_data(as_text=True)
    # ... and the decision page shows the rule it set.
    assert ("“alleged victim” is to be written “victim” (Decision I50035813, part (a)(2))"
            in page_text(admin.get(f"/decisions/{decision.id}")))


def test_add_a_national_guidance_rule(admin, db_session):
    response = admin.post_form("/admin/terminology/new", rule_form())
    assert response.status_code == 302
    rule = db_session.scalars(sa.select(TerminologyRule)).one()
    assert (rule.term, rule.replacement, rule.source_kind, rule.decision_id) == (
        "peer on peer", "child-on-child", "national_guidance", None)
    event = db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "TerminologyRule")).one()
    assert event.action == "create" and event.actor_id == admin.user.id
    listing = admin.get("/admin/terminology/").get_data(as_text=True)
    assert 'href="https://www.gov.uk/government/publications/keeping-children-safe-in-education--2"' in listing
    # Free text anywhere now warns about it.
    assert text_warnings("A peer on peer review.") == [
        "“peer on peer” should be written “child-on-child” (Keeping children safe in education (DfE))."]


def test_a_rule_needs_its_source(admin, make, db_session):
    refused = admin.post_form("/admin/terminology/new", rule_form(source_kind="decision"))
    assert "Choose the decision that set this rule" in page_text(refused)
    refused = admin.post_form("/admin/terminology/new", rule_form(source_title=""))
    assert "Enter the title of the national guidance" in page_text(refused)
    decision = make.decision()
    done = admin.post_form("/admin/terminology/new", rule_form(
        source_kind="decision", decision_id=str(decision.id), source_title="Part (a)(2)"))
    assert done.status_code == 302
    rule = db_session.scalars(sa.select(TerminologyRule)).one()
    assert (rule.decision_id, rule.source_url) == (decision.id, None)  # no stray guidance link


def test_one_rule_per_term(admin, make):
    make.terminology_rule(term="Peer on peer", replacement="child-on-child")
    refused = admin.post_form("/admin/terminology/new", rule_form())
    assert "There is already a rule for “Peer on peer”: edit that one" in page_text(refused)


def test_edit_a_rule_without_being_warned_about_its_own_words(admin, make, db_session):
    rule = make.terminology_rule(term="alleged victim", replacement="victim",
                                 source_title="Decision I50035813, part (a)(2)")
    page = admin.get(f"/admin/terminology/{rule.id}").get_data(as_text=True)
    fields = form_fields(page, "")
    assert fields["term"] == "alleged victim"
    response = admin.post_form(f"/admin/terminology/{rule.id}", rule_form(
        term="alleged victim", replacement="victim",
        explanation="All references to 'alleged victim' should be victim.",
        version_id=str(rule.version_id)))
    assert response.status_code == 302
    db_session.expire_all()
    assert rule.source_kind == "national_guidance"
    update = db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "TerminologyRule", AuditEvent.action == "update")).one()
    assert ("explanation", None, "All references to 'alleged victim' should be victim.") in (
        update.changes())


def test_withdraw_a_rule(admin, make, db_session):
    rule = make.terminology_rule(term="alleged victim", replacement="victim")
    assert text_warnings("The alleged victim said")
    response = admin.post_form(f"/admin/terminology/{rule.id}/withdraw",
                               {"reason": "Superseded", "version_id": str(rule.version_id)})
    assert response.status_code == 302
    db_session.expire_all()
    assert rule.is_withdrawn and rule.withdrawn_reason == "Superseded"
    assert text_warnings("The alleged victim said") == []
    assert "Withdrawn Superseded" in page_text(admin.get("/admin/terminology/"))


def test_a_stale_rule_edit_is_refused(admin, make):
    from tracker.terminology import services

    rule = make.terminology_rule(term="alleged victim", replacement="victim")
    old = rule.version_id
    services.edit_rule(rule, rule_form(term="alleged victim", replacement="the victim"), old)
    response = admin.post_form(f"/admin/terminology/{rule.id}", rule_form(
        term="alleged victim", replacement="mine", version_id=str(old)))
    assert response.status_code == 200
    assert "Someone else saved a change while you were editing (" in page_text(response)
    assert "replacement" in page_text(response)
