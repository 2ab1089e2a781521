"""Every write path leaves an audit event: each POST route is sent a valid form, as the
browser would send it (the page's own form, with the changes below), by a role allowed to use
it; the change must be saved (no error shown) and the audit trail must grow.

A POST route missing from WRITES fails the test: say how to write through it, or why it
writes nothing (a preview).
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pyotp
import pytest
import sqlalchemy as sa

from tests.conftest import sign_in
from tests.security import world as world_module
from tests.security.formparse import post_forms
from tracker.clock import now, today
from tracker.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
SEED_NOTICE = ROOT / "tracker" / "demo" / "seed" / "decision-I50035813.txt"
GIAS = ROOT / "tests" / "schools" / "data" / "edubasealldata_hereford_utf8.csv"
TODAY = today()


def day(d: dt.date) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


@dataclass
class Write:
    """How to write through one POST route."""

    role: str
    path: Callable[[Any], str]
    changes: Callable[[Any], dict[str, Any]] = lambda w: {}
    page: Callable[[Any], str] | None = None  # where the form is; default: ``path``
    before: Callable[[Any, Any], Any] | None = None  # (world, ctx) -> value for changes/path
    files: Callable[[Any], dict[str, Any]] = lambda w: {}
    writes: bool = True  # False only for a preview, which must change nothing
    order: int = 0  # withdrawals and deactivations last: others need the records


def _w(world: Any, name: str) -> Any:
    return world.things[name]


WRITES: dict[str, Write] = {
    # --- signing in and accounts -------------------------------------------------------
    "auth.sign_in": Write("anonymous", lambda w: "/sign-in", lambda w: {
        "email": w.users["member"].email, "password": "correct horse battery"}),
    "auth.enter_two_factor_code": Write("two_factor", lambda w: "/sign-in/two-factor",
                                        lambda w: {"code": w.ctx["next_code"]()}),
    "auth.set_up_two_factor": Write("pending_admin", lambda w: "/two-factor/set-up",
                                    lambda w: {"code": w.ctx["enrol_code"]()}),
    "auth.set_password": Write("anonymous", lambda w: f"/set-password/{w.ctx['token']}",
                               lambda w: {"new_password": "a brand new passphrase",
                                          "confirm_password": "a brand new passphrase"}),
    "auth.sign_out": Write("officer", lambda w: "/sign-out", page=lambda w: "/account"),
    "auth.change_password": Write("officer2", lambda w: "/account/password", lambda w: {
        "current_password": "correct horse battery", "new_password": "another long passphrase",
        "confirm_password": "another long passphrase"}),
    "auth.make_recovery_codes": Write("two_factor_signed_in",
                                      lambda w: "/account/two-factor/recovery-codes",
                                      page=lambda w: "/account/two-factor"),
    "auth.turn_off_two_factor": Write("two_factor_signed_in",
                                      lambda w: "/account/two-factor/turn-off",
                                      lambda w: {"code": w.ctx["next_code"]()},
                                      page=lambda w: "/account/two-factor"),
    # --- decisions ---------------------------------------------------------------------
    "decisions.add_decision": Write("admin", lambda w: "/decisions/new", lambda w: {
        "reference": "I99999991", "title": "A decision added by the write walk",
        "decision_maker": "Cabinet member", "key_decision": "no", "decided_on": day(TODAY),
        "exemption": "open", "subject_to_call_in": "yes",
        "call_in_expires_on": day(TODAY + dt.timedelta(days=7))}),
    "decisions.edit_decision": Write("admin", lambda w: f"/decisions/{w.decision.id}/edit",
                                     lambda w: {"title": "World decision, renamed"}),
    "decisions.add_part": Write("admin", lambda w: f"/decisions/{w.decision.id}/parts/new",
                                lambda w: {"label": "z", "kind": "note",
                                           "text": "A part added by the write walk"}),
    "decisions.edit_part": Write(
        "admin", lambda w: f"/decisions/{w.decision.id}/parts/{w.part.id}/edit",
        lambda w: {"text": "Part a text, edited"}),
    "decisions.add_document": Write(
        "admin", lambda w: f"/decisions/{w.decision.id}/documents/new",
        lambda w: {"title": "Appendix 9", "url": "https://example.org/appendix-9.pdf"}),
    "decisions.edit_document": Write(
        "admin", lambda w: f"/decisions/{w.decision.id}/documents/{w.document.id}/edit",
        lambda w: {"title": "Appendix, renamed"}),
    "decisions.record_call_in": Write(
        "admin", lambda w: f"/decisions/{w.exempt.id}/call-in",
        lambda w: {"record": "called_in", "called_in_on": day(dt.date(2020, 12, 3))}),
    "decisions.import_notice": Write(
        "admin", lambda w: "/decisions/import", lambda w: {"notice_text": SEED_NOTICE.read_text()},
        writes=False),
    "decisions.confirm_import": Write(
        "admin", lambda w: "/decisions/import/confirm", before=lambda w, c: _preview_notice(c)),
    "decisions.withdraw_document": Write(
        "admin", lambda w: f"/decisions/{w.decision.id}/documents/{w.document.id}/withdraw",
        lambda w: {"reason": "Added in error"}, order=2),
    "decisions.withdraw_part": Write(
        "admin", lambda w: f"/decisions/{w.exempt.id}/parts/{w.exempt_part.id}/withdraw",
        lambda w: {"reason": "Added in error"}, order=2),
    "decisions.withdraw_decision": Write(
        "admin", lambda w: f"/decisions/{w.decision.id}/withdraw",
        lambda w: {"reason": "Entered twice"}, order=3),
    # --- recommendations, actions, progress ---------------------------------------------
    "recommendations.add_recommendation": Write("admin", lambda w: "/recommendations/new",
                                                lambda w: {
        "source": "review", "part_id": str(w.part.id), "reference": "9.9",
        "text": "A recommendation added by the write walk", "owner_id": str(w.users["officer"].id)}),
    "recommendations.edit_recommendation": Write(
        "admin", lambda w: f"/recommendations/{w.recommendation.id}/edit",
        lambda w: {"text": "World recommendation, edited"}),
    "recommendations.take_up_recommendation": Write(
        "admin", lambda w: f"/recommendations/{w.scrutiny.id}/take-up",
        lambda w: {"part_id": str(w.part.id)}),
    "recommendations.record_response": Write(
        "admin", lambda w: f"/recommendations/{w.scrutiny.id}/response",
        lambda w: {"response": "accepted", "response_text": "Agreed in full.",
                   "cabinet_member": "Cabinet member for children", "lead_officer": "Head of "
                   "service", "timetable": "By March 2021"}),
    "recommendations.add_action": Write(
        "officer", lambda w: f"/recommendations/{w.recommendation.id}/actions/new",
        lambda w: {"title": "An action added by the write walk",
                   "owner_id": str(w.users["officer"].id),
                   "due_on": day(TODAY + dt.timedelta(days=30))}),
    "recommendations.edit_action": Write("officer", lambda w: f"/actions/{w.action.id}/edit",
                                         lambda w: {"title": "World action, renamed"}),
    "recommendations.record_update": Write(
        "officer", lambda w: f"/actions/{w.action.id}/updates/new",
        lambda w: {"status": "in_progress", "rag": "green",
                   "narrative": "Training booked for every school."}),
    "recommendations.ask_challenge": Write(
        "member", lambda w: f"/recommendations/{w.recommendation.id}/challenges/new",
        lambda w: {"question": "How will we know the training worked?"}),
    "recommendations.answer_challenge": Write(
        "officer", lambda w: f"/challenges/{w.challenge.id}/answer",
        lambda w: {"answer": "Schools will report their training dates."}),
    "recommendations.sign_off_recommendation": Write(
        "admin", lambda w: f"/recommendations/{w.ctx['done'].id}/sign-off",
        lambda w: {"sign_off_meeting": "Scrutiny committee, 1 March 2021",
                   "sign_off_minute": "Minute 42"}),
    # --- outcome, closing and impact ---------------------------------------------------------
    "recommendations.record_outcome": Write(
        "officer", lambda w: f"/recommendations/{w.recommendation.id}/outcome",
        lambda w: {"intended_outcome": "Every report handled the same way.",
                   "how_measured": "Termly audit of ten reports."}),
    "recommendations.close_recommendation": Write(
        "admin", lambda w: f"/recommendations/{w.ctx['closable'].id}/close",
        lambda w: {"kind": "risk_accepted", "reason": "No budget this year.",
                   "risk_accepted_by": "Director of Children's Services"}),
    "recommendations.reopen_recommendation": Write(
        "admin", lambda w: f"/recommendations/{w.ctx['closable'].id}/reopen",
        lambda w: {"reason": "Budget found after all."}, order=1),
    "recommendations.change_review_date": Write(
        "admin", lambda w: f"/recommendations/{w.ctx['signed'].id}/review-date",
        lambda w: {"review_on": day(TODAY + dt.timedelta(days=90)),
                   "reason": "The audit runs next term."}),
    "recommendations.undo_sign_off": Write(
        "admin", lambda w: f"/recommendations/{w.ctx['signed'].id}/undo-sign-off",
        lambda w: {"reason": "Signed off in error."}, order=1),
    "recommendations.record_impact": Write(
        "officer", lambda w: f"/recommendations/{w.ctx['reviewed'].id}/impact",
        lambda w: {"narrative": "Audit of ten reports: all handled under the protocol.",
                   "judgement": "evidenced"}),
    "recommendations.confirm_impact": Write(
        "member", lambda w: f"/recommendations/{w.ctx['reviewed'].id}/impact/confirm",
        order=1),
    "recommendations.withdraw_challenge": Write(
        "member", lambda w: f"/challenges/{w.other_challenge.id}/withdraw",
        lambda w: {"reason": "Answered at the committee meeting."}),
    "recommendations.import_recommendations": Write(
        "admin", lambda w: "/admin/recommendations/import",
        files=lambda w: {"csv_file": (io.BytesIO(w.ctx["csv"]), "recommendations.csv")},
        writes=False),
    "recommendations.confirm_import": Write(
        "admin", lambda w: "/admin/recommendations/import/confirm",
        before=lambda w, c: _preview_recommendations(w, c)),
    "recommendations.withdraw_action": Write(
        "admin", lambda w: f"/actions/{w.other_action.id}/withdraw",
        lambda w: {"reason": "No longer needed"}, order=2),
    "recommendations.withdraw_recommendation": Write(
        "admin", lambda w: f"/recommendations/{w.other_recommendation.id}/withdraw",
        lambda w: {"reason": "Entered twice"}, order=2),
    # --- schools and guidance -------------------------------------------------------------
    "schools.record_adoption": Write(
        "school_lead", lambda w: f"/schools/{w.school.id}/adoption",
        lambda w: {"status": "under_review", "note": "Governors meet next month."}),
    "schools.record_trust_adoption": Write(
        "trust_lead", lambda w: "/schools/trust-adoption",
        lambda w: {"status": "under_review", "note": "The trust board meets next month.",
                   "confirm": "yes"}),
    "schools.link_predecessor": Write(
        "admin", lambda w: f"/schools/{w.school.id}/predecessor",
        lambda w: {"predecessor_urn": str(w.other_school.urn)}),
    "schools.add_version": Write(
        "admin", lambda w: f"/schools/guidance/{w.guidance.id}/versions/new",
        lambda w: {"title": "Version 2", "approved_on": day(dt.date(2021, 6, 1)),
                   "url": "https://example.org/guidance-v2.pdf",
                   "changes": "Updated for the new statutory guidance."}),
    "schools.add_guidance": Write(
        "admin", lambda w: f"/schools/guidance/new/{w.guidance_part.id}",
        lambda w: {"title": "Interview checklist", "version_title": "Checklist 2021",
                   "approved_on": day(dt.date(2021, 6, 1)),
                   "url": "https://example.org/checklist.pdf", "changes": ""}),
    "schools.import_schools": Write(
        "admin", lambda w: "/schools/import", lambda w: {"la": "884"},
        files=lambda w: {"establishments": (GIAS.open("rb"), GIAS.name)}, writes=False),
    "schools.confirm_import": Write(
        "admin", lambda w: f"/schools/import/{w.ctx['gias_token']}",
        before=lambda w, c: _preview_schools(w, c)),
    # --- terminology and users ------------------------------------------------------------
    "terminology.add_rule": Write("admin", lambda w: "/admin/terminology/new", lambda w: {
        "term": "peer on peer", "replacement": "child-on-child",
        "source_kind": "national_guidance", "source_title": "Keeping children safe in education"}),
    "terminology.edit_rule": Write("admin", lambda w: f"/admin/terminology/{w.rule.id}",
                                   lambda w: {"explanation": "The decision's amendment (a)(2)."}),
    "terminology.withdraw_rule": Write(
        "admin", lambda w: f"/admin/terminology/{w.rule.id}/withdraw",
        lambda w: {"reason": "Replaced"}, order=2),
    # --- themes and repeated learning ------------------------------------------------------
    "themes.add_theme": Write("admin", lambda w: "/themes/new", lambda w: {
        "name": "Record keeping", "description": "Chronologies and case notes"}),
    "themes.edit_theme": Write("admin", lambda w: f"/themes/{w.theme.id}/edit",
                               lambda w: {"name": "World theme, renamed"}),
    "themes.withdraw_theme": Write("admin", lambda w: f"/themes/{w.theme.id}/withdraw",
                                   lambda w: {"reason": "Merged into another"}, order=2),
    "themes.edit_recommendation_themes": Write(
        "admin", lambda w: f"/recommendations/{w.recommendation.id}/themes",
        lambda w: {"themes": []}),
    "themes.link_recommendation": Write(
        "admin", lambda w: f"/recommendations/{w.recommendation.id}/links/new",
        lambda w: {"kind": "related"},
        page=lambda w: f"/recommendations/{w.recommendation.id}/links/new"
                       f"?earlier={w.scrutiny.id}"),
    "themes.unlink_recommendation": Write(
        "admin", lambda w: f"/recommendations/{w.recommendation.id}/links/{w.link.id}/remove",
        lambda w: {"reason": "Not the same learning"}, order=2),
    "organisations.add_organisation": Write(
        "admin", lambda w: "/admin/organisations/new", lambda w: {
            "name": "Northshire Fire and Rescue", "kind": "voluntary"}),
    "organisations.edit_organisation": Write(
        "admin", lambda w: f"/admin/organisations/{w.police.id}",
        lambda w: {"name": "World Constabulary"}),
    "users.add_user": Write("admin", lambda w: "/admin/users/new", lambda w: {
        "name": "New Person", "email": "new.person@example.gov.uk", "role": "officer"}),
    "users.edit_user": Write("admin", lambda w: f"/admin/users/{w.users['member'].id}",
                             lambda w: {"job_title": "Committee chair"}),
    "users.issue_link": Write("admin", lambda w: f"/admin/users/{w.users['member'].id}/link",
                              page=lambda w: f"/admin/users/{w.users['member'].id}"),
    "users.deactivate_user": Write(
        "admin", lambda w: f"/admin/users/{w.users['officer2'].id}/deactivate",
        page=lambda w: f"/admin/users/{w.users['officer2'].id}", order=4),
    "users.reactivate_user": Write(
        "admin", lambda w: f"/admin/users/{w.users['officer2'].id}/reactivate",
        page=lambda w: f"/admin/users/{w.users['officer2'].id}", order=5),
    # --- messages and update rounds ---------------------------------------------------------
    "messages.forgot_password": Write("anonymous", lambda w: "/forgot-password",
                                      lambda w: {"email": w.users["officer"].email}),
    "messages.my_settings": Write("officer", lambda w: "/account/messages",
                                  lambda w: {"digest_frequency": "daily"}),
    "messages.open_round": Write("admin", lambda w: "/admin/rounds/new", lambda w: {
        "committee": "Scrutiny committee", "meeting_on": day(TODAY + dt.timedelta(days=21)),
        "due_on": day(TODAY + dt.timedelta(days=14)), "reminder_days": "7",
        "decision_ids": str(w.decision.id)}),
    "messages.resend_message": Write("admin", lambda w: f"/admin/messages/{w.message.id}/resend",
                                     page=lambda w: "/admin/messages"),
    "messages.set_schedule": Write("admin", lambda w: "/admin/messages/schedule",
                                   lambda w: {"school_reminder_days": "14"},
                                   page=lambda w: "/admin/messages"),
}


# --- multi-step writes: the preview comes first ------------------------------------------

def _preview_notice(client: Any) -> dict[str, Any]:
    client.fetch_csrf("/decisions/import")
    page = client.post_form("/decisions/import", {"notice_text": SEED_NOTICE.read_text()})
    return _form_to(page.get_data(as_text=True), "/decisions/import/confirm")


def _preview_recommendations(world: Any, client: Any) -> dict[str, Any]:
    client.fetch_csrf("/admin/recommendations/import")
    page = client.post_form("/admin/recommendations/import", {
        "csv_file": (io.BytesIO(world.ctx["csv"]), "recommendations.csv")},
        content_type="multipart/form-data")
    return _form_to(page.get_data(as_text=True), "/admin/recommendations/import/confirm")


def _preview_schools(world: Any, client: Any) -> dict[str, Any]:
    client.fetch_csrf("/schools/import")
    page = client.post_form("/schools/import", {
        "la": "884", "establishments": (GIAS.open("rb"), GIAS.name)},
        content_type="multipart/form-data").get_data(as_text=True)
    token = re.search(r'action="/schools/import/([^"]+)"', page)
    assert token, "the schools preview offered no confirm form"
    world.ctx["gias_token"] = token.group(1)
    return _form_to(page, f"/schools/import/{token.group(1)}")


def _form_to(html: str, action: str) -> dict[str, Any]:
    for form in post_forms(html):
        if form["action"] == action:
            return _as_data(form["fields"])
    summary = re.sub(r"<[^>]+>|\s+", " ", html[html.find("<main"):])[:600]
    raise AssertionError(f"no form posting to {action} on the preview: {summary}")


def _as_data(fields: list[tuple[str, str]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in fields:
        if name in data:
            data[name] = (data[name] if isinstance(data[name], list) else [data[name]]) + [value]
        else:
            data[name] = value
    return data


# --- the walk ----------------------------------------------------------------------------

def _prepare(app: Any, make: Any, world: Any) -> None:
    """Records some writes need: an enrolled administrator, a trust lead, a one-time link,
    a recommendation whose actions are all complete, a CSV exported by the tracker."""
    from tracker.auth.services import issue_token

    secret = pyotp.random_base32()
    enrolled = make.user(role="admin", totp_secret=secret, totp_enabled=True, name="Enrolled")
    pending = make.user(role="admin", name="Not yet enrolled")
    trust_school = make.school(trust_code="TR1", trust_name="Trust One")
    trust_lead = make.user(role="school_lead", trust_code="TR1", schools=[trust_school])
    make.adoption(trust_school, world.version)
    invited = make.user(password=None, name="Invited person")
    officer = world.users["officer"]
    outcome = {"intended_outcome": "Every report handled the same way.",
               "how_measured": "Termly audit of ten reports."}
    done = make.recommendation(world.part, owner_id=officer.id, **outcome)
    finished = make.action(done, owner_id=officer.id, status="complete")
    make.update(finished, status="complete", rag=None, narrative="Done.")
    closable = make.recommendation(world.part, owner_id=officer.id)
    signed = make.recommendation(world.part, owner_id=officer.id, signed_off_at=now(),
                                 signed_off_by_id=world.users["admin"].id, **outcome)
    reviewed = make.recommendation(world.part, owner_id=officer.id, **outcome,
                                   signed_off_at=now() - dt.timedelta(days=200))
    for rec in (signed, reviewed):
        work = make.action(rec, owner_id=officer.id, status="complete")
        make.update(work, status="complete", rag=None, narrative="Done.",
                    recorded_at=now() - dt.timedelta(days=300))
    def next_code() -> str:
        # A code is accepted once: forget the last one, as the next 30 seconds would.
        enrolled.totp_last_step = None
        make.session.flush()
        return pyotp.TOTP(secret).now()

    world.ctx = {"secret": secret, "done": done, "next_code": next_code, "closable": closable,
                 "signed": signed, "reviewed": reviewed,
                 "token": issue_token(invited, "invitation", None)}
    world.users |= {"two_factor": enrolled, "two_factor_signed_in": enrolled,
                    "pending_admin": pending, "trust_lead": trust_lead}


def _as_role(app: Any, client: Any, world: Any, role: str, pending_admin_secret: dict) -> None:
    client._cookies.clear()
    client.csrf = None
    if role == "anonymous":
        return
    user = world.users[role]
    if role == "two_factor":  # the password step only: the code is what is written
        client.post_form("/sign-in", {"email": user.email, "password": "correct horse battery"})
        return
    if role == "pending_admin":
        app.config["REQUIRE_ADMIN_2FA"] = True
        client.post_form("/sign-in", {"email": user.email, "password": "correct horse battery"})
        page = client.get("/two-factor/set-up").get_data(as_text=True)
        key = re.search(r'id="two-factor-key">([A-Z2-7 ]+)</code>', page).group(1)
        pending_admin_secret["key"] = key.replace(" ", "")
        return
    if role == "two_factor_signed_in":
        client.post_form("/sign-in", {"email": user.email, "password": "correct horse battery"})
        client.csrf = None
        client.post_form("/sign-in/two-factor", {"code": world.ctx["next_code"]()})
        client.fetch_csrf("/account")
        return
    sign_in(client, user)


def _audit_count(db_session: Any) -> int:
    return db_session.scalar(sa.select(sa.func.count(AuditEvent.id)))


def test_every_post_route_is_in_the_table(app):
    posts = {rule.endpoint for rule in world_module.routes(app, "POST")}
    missing = sorted(posts - set(WRITES))
    assert not missing, "POST routes with no entry in WRITES: " + ", ".join(missing)
    gone = sorted(set(WRITES) - posts)
    assert not gone, "WRITES names routes that no longer exist: " + ", ".join(gone)


def test_every_write_path_leaves_an_audit_event(app, client, make, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_ADMIN_2FA", False)
    world = world_module.build(make)
    _prepare(app, make, world)
    sign_in(client, world.users["admin"])
    world.ctx["csv"] = client.get("/admin/recommendations/export.csv").data.replace(
        b"World recommendation", b"World recommendation edited in a spreadsheet")
    secrets: dict[str, str] = {}
    world.ctx["enrol_code"] = lambda: pyotp.TOTP(secrets["key"]).now()
    problems: list[str] = []
    posts = {rule.endpoint for rule in world_module.routes(app, "POST")}
    for endpoint, write in sorted(WRITES.items(), key=lambda item: (item[1].order, item[0])):
        if endpoint not in posts:
            continue
        monkeypatch.setitem(app.config, "REQUIRE_ADMIN_2FA", False)
        _as_role(app, client, world, write.role, secrets)
        data: dict[str, Any] = {}
        if write.before is not None:
            data = write.before(world, client)
        path = write.path(world)
        page_path = write.page(world) if write.page else path
        if write.before is None:
            response = client.get(page_path)
            html = response.get_data(as_text=True)
            forms = [f for f in post_forms(html) if f["action"] in ("", path)]
            if not forms:
                problems.append(f"{endpoint}: no form posting to {path} on {page_path} "
                                f"({response.status_code})")
                continue
            data = _as_data(forms[0]["fields"])
        data |= write.changes(world)
        files = write.files(world)
        before = _audit_count(db_session)
        response = client.post(path, data=data | files,
                               content_type="multipart/form-data" if files else None)
        after = _audit_count(db_session)
        html = response.get_data(as_text=True)
        error = "govuk-error-summary" in html or response.status_code >= 400
        if write.writes and (error or after <= before):
            summary = re.sub(r"<[^>]+>|\s+", " ", html[html.find("<main"):])[:500]
            problems.append(f"{endpoint} as {write.role}: {response.status_code}, "
                            f"{after - before} events; {summary}")
        if not write.writes and (error or after != before):
            problems.append(f"{endpoint} (a preview) wrote {after - before} events "
                            f"or failed ({response.status_code})")
    assert not problems, "\n".join(problems)
