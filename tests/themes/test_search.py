"""Search: ranking and highlighting on a literal corpus; the index kept in step by the same
transactions that write the rows (edits, withdrawals, imports), on both databases; nothing a
person may not see ever appears (docs/search-and-themes.md)."""
from __future__ import annotations

import re

import lxml.html
import sqlalchemy as sa

from tests.themes.conftest import as_user
from tracker.clock import today
from tracker.search import queries
from tracker.search.queries import Filters, highlight


def _found(user, text, f=Filters(), **kw):  # type: ignore[no-untyped-def]
    return [(h.kind, h.ref_id) for h in queries.search(user, text, f, today=today(), **kw)]


def _corpus(make, world):  # type: ignore[no-untyped-def]
    """Three recommendations about record keeping, one of them with the words in its
    reference-like title field too, and noise."""
    part = world.part
    strong = make.recommendation(part, reference="R1", text=(
        "Record keeping: every school keeps chronologies; record keeping audits each term; "
        "record keeping training for designated safeguarding leads."))
    weak = make.recommendation(part, reference="R2", text=(
        "Information sharing between health and schools, with better record keeping "
        "where it helps, and a protocol for the police."))
    noise = make.recommendation(part, reference="R3", text="Listen to the voice of the child.")
    return strong, weak, noise


def test_ranking_puts_the_most_relevant_first_and_only_matches_every_word(make, world):
    strong, weak, noise = _corpus(make, world)
    found = _found(world.admin, "record keeping")
    recs = [ref for kind, ref in found if kind == "recommendation"]
    assert recs == [strong.id, weak.id]
    assert ("recommendation", noise.id) not in found
    # Stemming: "records" and "kept" find "record keeping" ... at least "records".
    assert ("recommendation", strong.id) in _found(world.admin, "records")
    # Every word must match: a word in no entry finds nothing.
    assert _found(world.admin, "record zebra") == []
    # The kind of an entry is not a word of it: "action" finds no action without the word.
    assert ("action", world.action.id) not in _found(world.admin, "action")
    assert ("action", world.action.id) in _found(world.admin, "protocol")


def test_highlights_mark_the_words_and_typed_markup_stays_text(make, world):
    rec = make.recommendation(world.part, reference="H1",
                              text="Escalation <script>alert(1)</script> policy for escalation")
    hits = queries.search(world.admin, "escalation", today=today())
    hit = next(h for h in hits if h.ref_id == rec.id and h.kind == "recommendation")
    body = str(hit.body)
    assert "<mark>Escalation</mark>" in body
    # Typed markup is never markup: escaped (SQLite), or left out by ts_headline, which
    # reads tags as tags (PostgreSQL); the words between stay.
    assert "<script>" not in body and "alert(1)" in body
    # The marks are balanced and everything else escaped, whatever the text holds.
    assert str(highlight("a \x02<b>\x03 c")) == "a <mark>&lt;b&gt;</mark> c"
    assert str(highlight("\x03x\x02y")) == "x<mark>y</mark>"


def test_typed_syntax_cannot_break_the_query(make, world):
    _corpus(make, world)
    for text in ['"record', "record OR", "NEAR(record keeping)", "record* AND -", "'; drop",
                 "keeping:", "^record", "(((", "¬¬ record"]:
        queries.search(world.admin, text, today=today())  # no error


def test_the_index_follows_edits_withdrawals_and_new_rows(make, world, client, db_session):
    as_user(client, world.admin)
    rec = world.rec
    assert ("recommendation", rec.id) in _found(world.admin, "protocol")
    response = client.post_form(f"/recommendations/{rec.id}/edit", {
        "source": "review", "part_id": str(world.part.id), "reference": "3.1",
        "text": "Agree a memorandum with the police.", "owner_id": str(world.owner.id),
        "version_id": rec.version_id})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert ("recommendation", rec.id) not in _found(world.admin, "protocol")
    assert ("recommendation", rec.id) in _found(world.admin, "memorandum")
    # A new action and an update are found at once.
    action = make.action(rec, title="Write the memorandum of understanding", owner=world.owner)
    update = make.update(action, narrative="Draft circulated to the designated leads")
    assert ("action", action.id) in _found(world.admin, "understanding")
    assert ("update", update.id) in _found(world.admin, "circulated")
    # Withdrawn: gone from the index itself, not only hidden.
    response = client.post_form(f"/actions/{action.id}/withdraw", {
        "reason": "Duplicate", "version_id": action.version_id})
    assert response.status_code == 302
    assert _found(world.admin, "understanding") == []
    stored = db_session.execute(sa.text(
        "SELECT count(*) FROM search_index WHERE kind = 'action' AND ref_id = :id"),
        {"id": action.id}).scalar()
    assert stored == 0
    response = client.post_form(f"/recommendations/{rec.id}/withdraw", {
        "reason": "Merged", "version_id": rec.version_id})
    assert response.status_code == 302
    assert ("recommendation", rec.id) not in _found(world.admin, "memorandum")


def test_imported_recommendations_are_found(make, world, client):
    from tests.recommendations.test_csv import _confirm, _export, _rows, _upload, _write
    from tracker.recommendations import csv_io

    as_user(client, world.admin)
    rows = _rows(_export(client))
    new = {c: "" for c in csv_io.COLUMNS} | {
        "decision_reference": world.decision.reference, "part": "A", "source": "review",
        "reference": "3.9", "text": "Quarterly multiagency audit of neglect cases",
        "owner_email": world.owner.email}
    assert _confirm(client, _upload(client, _write(rows + [new]))).status_code == 302
    found = queries.search(world.admin, "multiagency neglect", today=today())
    assert [(h.kind, str(h.body).count("<mark>")) for h in found] == [("recommendation", 2)]


def test_nothing_hidden_ever_appears(make, world, client, db_session):
    exempt = make.decision(title="Exempt serious case review", exemption="para_3")
    part = make.part(exempt, label="a")
    secret = make.recommendation(part, reference="X1", text="Confidential gazetteer findings")
    action = make.action(secret, title="Gazetteer follow up", owner=world.owner)
    make.update(action, narrative="Gazetteer work started")
    withdrawn_decision = make.decision(title="Withdrawn gazetteer decision", exemption="open")
    gone = make.recommendation(make.part(withdrawn_decision, label="a"), reference="W1",
                               text="Gazetteer in a withdrawn decision")
    from tracker.clock import now
    withdrawn_decision.withdrawn_at = now()
    withdrawn_decision.withdrawn_reason = "Entered twice"
    db_session.flush()
    assert {k for k, _ in _found(world.member, "gazetteer")} == {
        "recommendation", "action", "update"}
    assert ("recommendation", gone.id) not in _found(world.member, "gazetteer")
    # A school lead: nothing under an exempt decision, by query or by any filter.
    assert _found(world.lead, "gazetteer") == []
    assert _found(world.lead, "gazetteer", Filters(decision_id=exempt.id)) == []
    assert _found(world.lead, "exempt serious") == []
    as_user(client, world.lead)
    page = client.get("/search?q=gazetteer").get_data(as_text=True)
    assert "azetteer" not in re.sub(r"<input[^>]*>|<title>.*?</title>", "", page, flags=re.S)


def test_filters_by_decision_theme_owner_and_status(make, world, client):
    strong, weak, noise = _corpus(make, world)
    other = make.decision(title="Another review", exemption="open")
    elsewhere = make.recommendation(make.part(other, label="a"), reference="E1",
                                    text="Record keeping again", owner=world.other)
    theme = make.theme([weak], name="Information sharing")
    ids = lambda f: {r for k, r in _found(world.admin, "record keeping", f)  # noqa: E731
                     if k == "recommendation"}
    assert ids(Filters()) == {strong.id, weak.id, elsewhere.id}
    assert ids(Filters(decision_id=other.id)) == {elsewhere.id}
    assert ids(Filters(theme_id=theme.id)) == {weak.id}
    assert ids(Filters(owner_id=world.other.id)) == {elsewhere.id}
    assert ids(Filters(status="no_actions")) == {strong.id, weak.id, elsewhere.id}
    make.action(elsewhere, title="Audit", owner=world.other)
    assert ids(Filters(status="no_actions")) == {strong.id, weak.id}
    # The page: results as a list, best first, with the marks.
    as_user(client, world.member)
    page = lxml.html.fromstring(client.get(
        f"/search?q=record+keeping&decision={world.decision.id}").get_data(as_text=True))
    items = page.xpath("//ol[contains(@class, 'tracker-search-results')]/li")
    assert [(i.get("data-kind"), i.get("data-id")) for i in items] == [
        ("recommendation", str(strong.id)), ("recommendation", str(weak.id))]
    assert items[0].xpath(".//mark")


def test_every_indexed_table_keeps_its_triggers_after_every_migration(db_session):
    """A later migration that copies an indexed table (SQLite batch mode: 0010_agencies on
    actions and recommendations) must put the index's triggers back, or edits stop reaching
    the index."""
    bind = db_session.get_bind()
    if bind.dialect.name == "sqlite":
        names = set(db_session.scalars(sa.text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")))
        for table in ("decisions", "recommendations", "actions", "progress_updates"):
            for event in ("insert", "update", "delete"):
                assert f"search_index_{table}_{event}" in names
    else:
        tables = set(db_session.scalars(sa.text(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name LIKE 'search_index_%'")))
        assert tables == {"decisions", "recommendations", "actions", "progress_updates"}
