"""The access matrix: every route, asked by every role and by someone not signed in, with GET
and with POST, against the answer written down here (not worked out from the permissions
module). Then the object-level cases, by changing ids in addresses and form fields: another
school, another officer's action, an exempt decision for a school lead. What a role may not
see answers 404, as if it were absent.

A route missing from MATRIX fails the test; so does a route with ids in its address and no
row in VARIANTS. Each request runs in its own savepoint (tests/security/cells.py), so a
sign-out or a withdrawal in one cell changes nothing for the next.

Reading a row: the six answers are for anonymous, admin, officer, member, school lead and
partner officer (of the police, which owns an action under the officer's recommendation). A
POST is a valid CSRF token and nothing else: a role that may use the form gets it back with
its errors (200) or is sent on (302); the rest get 404. 302 for anonymous is "sign in".
405: the route does not take that method.
"""
from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from tests.security import world as world_module
from tests.security.cells import WHO, Asker
from tracker.models import Action, Document

# --- Every route ------------------------------------------------------------------------------
#            anon adm off mem lead partner    anon adm off mem lead partner
MATRIX: dict[str, tuple[str, str]] = {
    # Pages anyone may read; signing in.
    "main.accessibility":            ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "main.privacy":                  ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    # Health checks for load balancers and monitoring: anyone, no session needed.
    "health.healthz":                ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "health.readyz":                 ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "auth.sign_in":                  ("200 302 302 302 302 302", "200 302 302 302 302 302"),
    # No password step has been taken in these sessions: "start again".
    "auth.enter_two_factor_code":    ("302 302 302 302 302 302", "302 302 302 302 302 302"),
    "auth.set_up_two_factor":        ("302 200 200 200 200 200", "302 200 200 200 200 200"),
    "auth.set_password":             ("404 404 404 404 404 404", "404 404 404 404 404 404"),  # no such link
    # Every signed-in role: home, account, password, sign out, own two-factor.
    "main.home":                     ("302 200 200 200 200 200", "405 405 405 405 405 405"),
    "auth.account":                  ("302 200 200 200 200 200", "405 405 405 405 405 405"),
    "auth.change_password":          ("302 200 200 200 200 200", "302 200 200 200 200 200"),
    "auth.sign_out":                 ("405 405 405 405 405 405", "302 302 302 302 302 302"),
    "auth.manage_two_factor":        ("302 200 200 200 200 200", "405 405 405 405 405 405"),
    "auth.make_recovery_codes":      ("405 405 405 405 405 405", "302 302 302 302 302 302"),
    "auth.turn_off_two_factor":      ("405 405 405 405 405 405", "302 302 302 302 302 302"),
    # Administration: administrators only.
    "admin_tools.audit_log":         ("302 200 404 404 404 404", "405 405 405 405 405 405"),
    "users.list_users":              ("302 200 404 404 404 404", "405 405 405 405 405 405"),
    "users.add_user":                ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "users.edit_user":               ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    "users.deactivate_user":         ("405 405 405 405 405 405", "302 302 404 404 404 404"),
    "users.reactivate_user":         ("405 405 405 405 405 405", "302 302 404 404 404 404"),
    "users.issue_link":              ("405 405 405 405 405 405", "302 200 404 404 404 404"),
    "organisations.list_organisations": ("302 200 404 404 404 404", "405 405 405 405 405 405"),
    "organisations.add_organisation":   ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "organisations.edit_organisation":  ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "terminology.list_rules":        ("302 200 404 404 404 404", "405 405 405 405 405 405"),
    "terminology.add_rule":          ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "terminology.edit_rule":         ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "terminology.withdraw_rule":     ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    # Themes: everyone reads the list and a theme's page (each sees the recommendations they
    # may); administrators keep the list and give recommendations their themes.
    # Search: every role, each finding only what it may see (tests/themes/test_search.py).
    "search.search":                 ("302 200 200 200 200 200", "405 405 405 405 405 405"),
    "themes.list_themes":            ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    "themes.show_theme":             ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    "themes.add_theme":              ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "themes.edit_theme":             ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "themes.withdraw_theme":         ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "themes.edit_recommendation_themes": ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    # Repeated learning: administrators link recommendations (the address names the other one
    # as ?earlier=; a POST without it goes back to the recommendation) and remove links.
    "themes.link_recommendation":    ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    "themes.unlink_recommendation":  ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    # Decisions: everyone reads (school leads: Open ones only); administrators write.
    "decisions.list_decisions":      ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    "decisions.show_decision":       ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    "decisions.add_decision":        ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "decisions.edit_decision":       ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "decisions.record_call_in":      ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    "decisions.withdraw_decision":   ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "decisions.add_part":            ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "decisions.edit_part":           ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "decisions.withdraw_part":       ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "decisions.add_document":        ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "decisions.edit_document":       ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "decisions.withdraw_document":   ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "decisions.import_notice":       ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "decisions.confirm_import":      ("405 405 405 405 405 405", "302 200 404 404 404 404"),
    # Recommendations: everyone reads; administrators create and edit; officers add actions
    # and updates on what they own and answer its challenges; members ask challenges.
    "recommendations.list_recommendations":  ("302 200 200 200 200 200", "405 405 405 405 405 405"),
    "recommendations.show_recommendation":   ("302 200 200 200 200 200", "405 405 405 405 405 405"),
    # The executive response table and guidance pages are staff pages (docs/roles-and-permissions.md: school
    # leads follow their own schools).
    "recommendations.response_table":        ("302 200 200 200 404 404", "405 405 405 405 405 405"),
    "recommendations.my_actions":            ("302 200 200 404 404 200", "405 405 405 405 405 405"),
    "recommendations.add_recommendation":    ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "recommendations.edit_recommendation":   ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    "recommendations.take_up_recommendation": ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "recommendations.record_response":       ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "recommendations.sign_off_recommendation": ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "recommendations.withdraw_recommendation": ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "recommendations.add_action":            ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    "recommendations.edit_action":           ("302 200 200 404 404 404", "302 302 302 404 404 404"),
    "recommendations.withdraw_action":       ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    "recommendations.record_update":         ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    "recommendations.ask_challenge":         ("302 404 404 200 404 404", "302 404 404 200 404 404"),
    "recommendations.answer_challenge":      ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    "recommendations.export_recommendations": ("302 200 404 404 404 404", "405 405 405 405 405 405"),
    "recommendations.import_recommendations": ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "recommendations.confirm_import":        ("405 405 405 405 405 405", "302 200 404 404 404 404"),
    # Outcome and impact: the owner (or an administrator) states the outcome and records the
    # impact review; a member or administrator confirms it; administrators close, re-open,
    # undo a sign-off and move the review date; the member who asked withdraws a question.
    # The world's recommendation is not signed off: the forms come back with their errors.
    "recommendations.record_outcome":        ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    "recommendations.close_recommendation":  ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "recommendations.reopen_recommendation": ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "recommendations.undo_sign_off":         ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "recommendations.change_review_date":    ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "recommendations.record_impact":         ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    "recommendations.confirm_impact":        ("302 200 404 200 404 404", "302 200 404 200 404 404"),
    "recommendations.withdraw_challenge":    ("302 404 404 200 404 404", "302 404 404 200 404 404"),
    # Schools and guidance. The officer here owns the guidance's decision part, so may record
    # adoption for any school; the school lead leads ``school``.
    "schools.list_schools":          ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    "schools.show_school":           ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    "schools.record_adoption":       ("302 200 200 404 200 404", "302 302 302 404 302 404"),
    # This school lead is not a trust lead (see EXTRA for one who is).
    "schools.record_trust_adoption": ("302 404 404 404 404 404", "302 404 404 404 404 404"),
    "schools.list_guidance":         ("302 302 302 302 404 404", "405 405 405 405 405 405"),
    # A school lead opens the guidance their schools adopt ("Read version 1" on the form).
    "schools.show_guidance":         ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    "schools.add_version":           ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "schools.chasing_list":          ("302 200 200 404 404 404", "405 405 405 405 405 405"),
    "schools.export_chasing_list":   ("302 200 200 404 404 404", "405 405 405 405 405 405"),
    "schools.link_predecessor":      ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "schools.import_schools":        ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "schools.confirm_import":        ("405 405 405 405 405 405", "302 404 404 404 404 404"),  # no such upload
    # Dashboard and committee report: every role, each seeing what it may (see the exempt
    # material test below for school leads).
    "dashboard.show_dashboard":      ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    "dashboard.committee_report":    ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    "dashboard.download_report_csv": ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    "dashboard.download_report_excel": ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    "schools.add_guidance":          ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "schools.import_progress":       ("302 404 404 404 404 404", "405 405 405 405 405 405"),  # no such job
    # Dashboard and committee report: every role, each seeing what it may (see the exempt
    # material test below for school leads).
    "dashboard.download_report_zip": ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    "dashboard.download_report_word": ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    # Open data: off unless switched on (see test_open_data_shows_only_open_decisions).
    "dashboard.api.index":           ("404 404 404 404 404 404", "405 405 405 405 405 405"),
    "dashboard.api.list_decisions":  ("404 404 404 404 404 404", "405 405 405 405 405 405"),
    "dashboard.api.show_decision":   ("404 404 404 404 404 404", "405 405 405 405 405 405"),
    # Messages: the outbox and update rounds are administrators'; officers read a round
    # (their emails link to it); everyone chooses their own summary; anyone may ask for a
    # reset link (the signed-in are sent to change their password).
    "messages.list_messages":        ("302 200 404 404 404 404", "405 405 405 405 405 405"),
    "messages.resend_message":       ("405 405 405 405 405 405", "302 302 404 404 404 404"),
    "messages.set_schedule":         ("405 405 405 405 405 405", "302 302 404 404 404 404"),
    "messages.list_rounds":          ("302 200 404 404 404 404", "405 405 405 405 405 405"),
    "messages.open_round":           ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    "messages.show_round":           ("302 200 200 404 404 404", "405 405 405 405 405 405"),
    "messages.my_settings":          ("302 200 200 200 200 200", "302 200 200 200 200 200"),
    "messages.forgot_password":      ("200 302 302 302 302 302", "200 302 302 302 302 302"),
}

# --- The same routes with another record's id in the address --------------------------------
# "exempt": the exempt decision's record (its part, document, recommendation, action or
# challenge); "other": another officer's recommendation, action or challenge, another school.
VARIANTS: dict[tuple[str, str], tuple[str, str]] = {
    # A school lead never sees an exempt decision or anything under it: 404, as if absent.
    ("decisions.show_decision", "exempt"):            ("302 200 200 200 404 404", "405 405 405 405 405 405"),
    ("recommendations.show_recommendation", "exempt"): ("302 200 200 200 404 404", "405 405 405 405 405 405"),
    ("recommendations.show_recommendation", "other"):  ("302 200 200 200 200 404", "405 405 405 405 405 405"),
    # Members challenge any recommendation they can see, exempt ones included.
    ("recommendations.ask_challenge", "exempt"):      ("302 404 404 200 404 404", "302 404 404 200 404 404"),
    ("recommendations.ask_challenge", "other"):       ("302 404 404 200 404 404", "302 404 404 200 404 404"),
    # An officer works on what they own (here the exempt recommendation is theirs too), never
    # on another officer's: 404.
    ("recommendations.add_action", "exempt"):         ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    ("recommendations.add_action", "other"):          ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.edit_action", "exempt"):        ("302 200 200 404 404 404", "302 302 302 404 404 404"),
    ("recommendations.edit_action", "other"):         ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    ("recommendations.withdraw_action", "exempt"):    ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    ("recommendations.withdraw_action", "other"):     ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.record_update", "exempt"):      ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    ("recommendations.record_update", "other"):       ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.answer_challenge", "exempt"):   ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    ("recommendations.answer_challenge", "other"):    ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    # Administrators' pages stay administrators' whatever the record.
    ("recommendations.edit_recommendation", "exempt"): ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    ("recommendations.edit_recommendation", "other"):  ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    ("recommendations.take_up_recommendation", "exempt"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.take_up_recommendation", "other"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.record_response", "exempt"):    ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.record_response", "other"):     ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.sign_off_recommendation", "exempt"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.sign_off_recommendation", "other"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.withdraw_recommendation", "exempt"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.withdraw_recommendation", "other"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("decisions.edit_decision", "exempt"):            ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("decisions.record_call_in", "exempt"):           ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    ("decisions.withdraw_decision", "exempt"):        ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("decisions.add_part", "exempt"):                 ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("decisions.edit_part", "exempt"):                ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("decisions.withdraw_part", "exempt"):            ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("decisions.add_document", "exempt"):             ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("decisions.edit_document", "exempt"):            ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("decisions.withdraw_document", "exempt"):        ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.record_outcome", "exempt"):     ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    ("recommendations.record_outcome", "other"):      ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.record_impact", "exempt"):      ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    ("recommendations.record_impact", "other"):       ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.confirm_impact", "exempt"):     ("302 200 404 200 404 404", "302 200 404 200 404 404"),
    ("recommendations.confirm_impact", "other"):      ("302 200 404 200 404 404", "302 200 404 200 404 404"),
    ("recommendations.close_recommendation", "exempt"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.close_recommendation", "other"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.reopen_recommendation", "exempt"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.reopen_recommendation", "other"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.undo_sign_off", "exempt"):      ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.undo_sign_off", "other"):       ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.change_review_date", "exempt"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.change_review_date", "other"):  ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    # The member asked every challenge of the world, exempt ones included.
    ("recommendations.withdraw_challenge", "exempt"): ("302 404 404 200 404 404", "302 404 404 200 404 404"),
    ("recommendations.withdraw_challenge", "other"):  ("302 404 404 200 404 404", "302 404 404 200 404 404"),
    ("themes.edit_recommendation_themes", "exempt"): ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    ("themes.edit_recommendation_themes", "other"):  ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    ("themes.link_recommendation", "exempt"):        ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    ("themes.link_recommendation", "other"):         ("302 200 404 404 404 404", "302 302 404 404 404 404"),
    # The link names the own recommendation and the other one: from the exempt one it is no
    # link of its own (404 for everyone); from the other one it is.
    ("themes.unlink_recommendation", "exempt"):      ("302 404 404 404 404 404", "302 404 404 404 404 404"),
    ("themes.unlink_recommendation", "other"):       ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    # A school lead sees and records for their own schools only.
    ("schools.show_school", "other"):                 ("302 200 200 200 404 404", "405 405 405 405 405 405"),
    ("schools.record_adoption", "other"):             ("302 200 200 404 404 404", "302 302 302 404 404 404"),
    ("schools.link_predecessor", "other"):            ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    # A partner officer updates their own agency's action (the officer owns its
    # recommendation, so may too), never another agency's: 404, as if absent.
    ("recommendations.record_update", "agency"):      ("302 200 200 404 404 200", "302 200 200 404 404 200"),
    ("recommendations.record_update", "other_agency"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.edit_action", "agency"):        ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    ("recommendations.edit_action", "other_agency"):  ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("recommendations.withdraw_action", "agency"):    ("302 200 200 404 404 404", "302 200 200 404 404 404"),
    ("recommendations.withdraw_action", "other_agency"): ("302 200 404 404 404 404", "302 200 404 404 404 404"),
    ("dashboard.api.show_decision", "exempt"):        ("404 404 404 404 404 404", "405 405 405 405 405 405"),
}

# --- People the five columns do not cover -----------------------------------------------------
# (who, method, endpoint, variant, answer): officer2 owns none of the world's records (only
# other_action); trust_lead leads a trust.
EXTRA: list[tuple[str, str, str, str, int]] = [
    ("officer2", "GET", "recommendations.record_update", "own", 404),
    ("officer2", "POST", "recommendations.record_update", "own", 404),
    ("officer2", "GET", "recommendations.record_update", "other", 200),
    ("officer2", "GET", "recommendations.add_action", "own", 404),
    ("officer2", "POST", "recommendations.answer_challenge", "own", 404),
    ("officer2", "GET", "recommendations.answer_challenge", "other", 200),
    # Recording adoption needs the guidance's decision part: officer2 does not own it.
    ("officer2", "GET", "schools.record_adoption", "own", 404),
    ("officer2", "POST", "schools.record_adoption", "own", 404),
    ("officer2", "GET", "schools.chasing_list", "own", 200),
    ("trust_lead", "GET", "schools.record_trust_adoption", "own", 200),
    ("trust_lead", "GET", "schools.record_adoption", "own", 404),  # not the trust's school
    ("trust_lead", "GET", "schools.record_adoption", "trust", 200),
    ("trust_lead", "GET", "decisions.show_decision", "exempt", 404),
]


def _check(asker: Asker, rows: dict, variant_of) -> list[str]:  # type: ignore[no-untyped-def]
    wrong = []
    for key, (get_row, post_row) in rows.items():
        endpoint, variant = variant_of(key)
        path = asker.url(endpoint, variant)
        for method, row in (("GET", get_row), ("POST", post_row)):
            expected = [int(x) for x in row.split()]
            for who, want in zip(WHO, expected):
                got = asker.ask(who, method, path)
                if got != want:
                    wrong.append(f"{endpoint} [{variant}] {method} {path} as {who}: "
                                 f"{got}, expected {want}")
    return wrong


@pytest.fixture()
def asker(app, make, db_session):  # type: ignore[no-untyped-def]
    world = world_module.build(make)
    trust_school = make.school(name="Trust School", trust_code="TR9", trust_name="Trust Nine")
    make.adoption(trust_school, world.version)
    world.things["trust_school"] = trust_school
    world.users["trust_lead"] = make.user(role="school_lead", trust_code="TR9",
                                          schools=[trust_school])
    return Asker(app, db_session, world, extra=("officer2", "trust_lead"))


def test_every_route_is_in_the_matrix(app):
    routes = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"}
    missing = sorted(routes - set(MATRIX))
    assert not missing, "routes missing from MATRIX (write their expected answers):\n  " + \
        "\n  ".join(missing)
    stale = sorted(set(MATRIX) - routes)
    assert not stale, f"MATRIX names routes that no longer exist: {stale}"


def test_every_route_with_ids_has_its_object_level_rows(app):
    needed = {(r.endpoint, v) for r in app.url_map.iter_rules() if r.endpoint != "static"
              for v in world_module.variants(r)}
    missing = sorted(needed - set(VARIANTS))
    assert not missing, "routes with record ids and no VARIANTS row:\n  " + \
        "\n  ".join(f"{e} [{v}]" for e, v in missing)


def test_every_role_gets_the_expected_answer_on_every_route(asker):
    wrong = _check(asker, MATRIX, lambda endpoint: (endpoint, "own"))
    assert not wrong, f"{len(wrong)} answers differ from the matrix:\n" + "\n".join(wrong)


def test_other_records_ids_in_the_address_answer_404(asker):
    wrong = _check(asker, VARIANTS, lambda key: key)
    assert not wrong, f"{len(wrong)} answers differ from the matrix:\n" + "\n".join(wrong)


def test_another_officer_and_a_trust_lead(asker):
    wrong = []
    for who, method, endpoint, variant, want in EXTRA:
        if variant == "trust":
            rule = next(r for r in asker.app.url_map.iter_rules() if r.endpoint == endpoint)
            with asker.app.test_request_context():
                from flask import url_for
                path = url_for(endpoint, **{a: asker.world.trust_school.id for a in rule.arguments})
        else:
            path = asker.url(endpoint, variant)
        got = asker.ask(who, method, path)
        if got != want:
            wrong.append(f"{who} {method} {path}: {got}, expected {want}")
    assert not wrong, "\n".join(wrong)


# --- Ids in form fields -----------------------------------------------------------------------

def test_ids_changed_in_form_fields_are_refused(asker, db_session):
    w = asker.world
    before_actions = db_session.scalar(sa.select(sa.func.count(Action.id)))
    # An officer adding an action to their own recommendation cannot give it to a school
    # lead (owners are officers or administrators), nor to someone who does not exist.
    for owner in (w.users["school_lead"].id, 999_999):
        status = asker.ask("officer", "POST", f"/recommendations/{w.recommendation.id}/actions/new",
                           {"title": "Smuggled action", "owner_id": str(owner),
                            "due_on": ["1", "4", "2031"]})
        assert status == 200, owner
    assert db_session.scalar(sa.select(sa.func.count(Action.id))) == before_actions
    # A document of one decision cannot be attached to a part of another (the exempt one).
    status = asker.ask("admin", "POST", f"/decisions/{w.decision.id}/documents/{w.document.id}/edit",
                       {"kind": "appendix", "title": "Appendix", "url": "https://example.org/a.pdf",
                        "part_id": str(w.exempt_part.id), "version_id": str(w.document.version_id)})
    assert status == 200
    assert db_session.get(Document, w.document.id).part_id is None
    # Another officer's action cannot be reached through one's own: the action in the address
    # decides, and the form carries no action id to change.
    status = asker.ask("officer", "POST", f"/actions/{w.other_action.id}/updates/new",
                       {"status": "in_progress", "rag": "green", "narrative": "Not mine"})
    assert status == 404


# --- What a school lead can read anywhere -----------------------------------------------------

def _text_of(response) -> str:  # type: ignore[no-untyped-def]
    body = response.get_data()
    if body[:2] == b"PK":  # an Excel workbook: read every part of it
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    return body.decode("utf-8", "replace")


def test_a_school_lead_never_reads_exempt_material_on_any_page(asker):
    w = asker.world
    secrets = [w.exempt.title, w.exempt_recommendation.text, w.exempt_action.title,
               w.exempt_challenge.question]
    assert w.exempt_challenge.question == w.challenge.question  # same words, so use ids too
    secrets = secrets[:3]
    client = asker.clients["school_lead"]
    leaks = []
    opened = 0
    for rule in world_module.routes(asker.app, "GET"):
        for variant in ["own", *world_module.variants(rule)]:
            path = world_module.url(asker.app, rule, w, variant)
            response = client.get(path)
            if response.status_code == 200:
                opened += 1
                text = _text_of(response)
                leaks += [f"{path}: {s!r}" for s in secrets if s in text]
            response.close()
    assert opened > 15
    assert not leaks, "exempt material shown to a school lead:\n" + "\n".join(leaks)


def test_a_partner_officer_never_reads_another_agencys_work_on_any_page(asker):
    """Every page the partner officer can open, with every record's id: only the police's
    work (and the recommendation it is under) is ever shown, never the council's own action
    beside it, the health body's action, another recommendation or the exempt decision."""
    w = asker.world
    secrets = [w.action.title, w.health_action.title, w.other_recommendation.text,
               w.exempt.title, w.exempt_recommendation.text, w.exempt_action.title]
    assert w.action.title == "World action" and w.police_action.title not in secrets
    client = asker.clients["partner_officer"]
    leaks, opened = [], []
    for rule in world_module.routes(asker.app, "GET"):
        for variant in ["own", *world_module.variants(rule)]:
            path = world_module.url(asker.app, rule, w, variant)
            response = client.get(path)
            if response.status_code == 200:
                opened.append(path)
                text = _text_of(response)
                leaks += [f"{path}: {s!r}" for s in secrets if s in text]
            response.close()
    assert f"/recommendations/{w.recommendation.id}" in opened
    assert f"/actions/{w.police_action.id}/updates/new" in opened
    assert not leaks, "another agency's work shown to a partner officer:\n" + "\n".join(leaks)


def test_open_data_shows_only_open_decisions(asker, monkeypatch):
    monkeypatch.setitem(asker.app.config, "OPEN_DATA_ENABLED", True)
    w = asker.world
    assert asker.ask("anonymous", "GET", f"/api/decisions/{w.decision.id}") == 200
    assert asker.ask("anonymous", "GET", f"/api/decisions/{w.exempt.id}") == 404
    listing = asker.clients["anonymous"].get("/api/decisions").get_data(as_text=True)
    assert w.decision.title in listing and w.exempt.title not in listing
