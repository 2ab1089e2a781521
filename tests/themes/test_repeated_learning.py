"""Repeated learning: the most similar existing recommendations come first on a literal set;
an administrator links them as repeats or related (audited); the recommendation page and
the committee report show the link; a repeated recommendation still open is flagged."""
from __future__ import annotations

import re

import lxml.html
import pytest
import sqlalchemy as sa

from tests.recommendations.conftest import update_form
from tests.themes.conftest import as_user
from tracker.clock import today
from tracker.models import AuditEvent, Recommendation, RecommendationLink, StoredReport
from tracker.recommendations import facts
from tracker.themes import similar


def _words(node) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", node.text_content()).strip()


LITERAL = {
    "chron": "Schools keep a chronology of every safeguarding concern and review it each term.",
    "chron2": "Each school should review its chronology of safeguarding concerns termly.",
    "share": "Health visitors share information with schools when a family moves.",
    "share2": "Information sharing between health and education when families move area.",
    "voice": "Practitioners record the voice of the child in every assessment.",
    "train": "All governors complete safer recruitment training every three years.",
}


def _literal(make, world):  # type: ignore[no-untyped-def]
    return {key: make.recommendation(world.part, reference=key, text=text)
            for key, text in LITERAL.items()}


def test_the_expected_neighbours_come_first(make, world):
    recs = _literal(make, world)
    for key, expected in (("chron", "chron2"), ("share", "share2"), ("share2", "share"),
                          ("chron2", "chron")):
        found = similar.similar_to(world.admin, recs[key].text, exclude=[recs[key].id])
        assert found, key
        assert found[0].recommendation_id == recs[expected].id, key
    # A new text, not yet a recommendation (as when one is being added or imported).
    found = similar.similar_to(world.admin, "Hearing the child's voice in assessments")
    assert found[0].recommendation_id == recs["voice"].id
    # Nothing shared: no neighbours (common words alone do not make a match).
    assert similar.similar_to(world.admin, "The and of with should every") == []


def test_similar_recommendations_hide_what_the_reader_may_not_see(make, world):
    recs = _literal(make, world)
    exempt = make.decision(title="Exempt", exemption="para_3")
    hidden = make.recommendation(make.part(exempt, label="a"), reference="X",
                                 text=LITERAL["chron"])
    ids = [s.recommendation_id for s in similar.similar_to(world.lead, LITERAL["chron"])]
    assert hidden.id not in ids and recs["chron"].id in ids
    ids = [s.recommendation_id for s in similar.similar_to(world.member, LITERAL["chron"])]
    assert hidden.id in ids


def test_an_administrator_links_a_repeat_and_both_pages_and_the_report_show_it(
        make, world, client, db_session):
    recs = _literal(make, world)
    later_decision = make.decision(title="Second review", reference="I2", exemption="open")
    later = make.recommendation(make.part(later_decision, label="a"), reference="9.1",
                                text="A chronology of safeguarding concerns in every school.")
    as_user(client, world.admin)
    page = lxml.html.fromstring(client.get(f"/recommendations/{later.id}").get_data(as_text=True))
    similar_rows = page.xpath("//table[@id='similar']/tbody/tr")
    assert similar_rows[0].get("data-recommendation") in (str(recs["chron"].id),
                                                          str(recs["chron2"].id))
    response = client.post_form(f"/recommendations/{later.id}/links/new",
                                {"earlier": str(recs["chron"].id), "kind": "repeats"})
    assert response.status_code == 302
    link = db_session.scalar(sa.select(RecommendationLink))
    assert (link.recommendation_id, link.earlier_id, link.kind) == (later.id, recs["chron"].id,
                                                                    "repeats")
    assert db_session.scalar(sa.select(AuditEvent.summary).where(
        AuditEvent.object_type == "RecommendationLink")) == \
        "Linked recommendation 9.1: repeats chron"
    # Linking the same two again is refused.
    page = client.post_form(f"/recommendations/{recs['chron'].id}/links/new",
                            {"earlier": str(later.id), "kind": "related"})
    assert "already linked" in page.get_data(as_text=True)
    # The later page: "Repeats chron", and chron (no actions yet) is still open: flagged.
    as_user(client, world.member)
    page = lxml.html.fromstring(client.get(f"/recommendations/{later.id}").get_data(as_text=True))
    item = page.xpath("//ul[@id='links']/li")[0]
    assert _words(item).startswith("Repeats recommendation chron")
    assert item.xpath(".//*[contains(@class, 'tracker-still-open')]")
    # The earlier page: "Repeated by 9.1".
    page = lxml.html.fromstring(client.get(
        f"/recommendations/{recs['chron'].id}").get_data(as_text=True))
    assert _words(page.xpath("//ul[@id='links']/li")[0]).startswith(
        "Repeated by recommendation 9.1 of I2")
    # The committee report, for the later decision today.
    day = today()
    report = client.get(f"/reports/committee?decision={later_decision.id}"
                        f"&as_at={day.isoformat()}")
    doc = lxml.html.fromstring(report.get_data(as_text=True))
    links = doc.xpath("//*[contains(@class, 'tracker-report-link')]")
    assert [_words(x) for x in links] == [
        f"Repeats chron of {world.decision.reference or world.decision.title} (no actions yet): "
        "repeated learning still open"]


def test_a_link_is_removed_with_a_reason(
        make, world, client, db_session):
    recs = _literal(make, world)
    link = make.recommendation_link(recs["chron2"], recs["chron"], kind="related")
    as_user(client, world.admin)
    response = client.post_form(f"/recommendations/{recs['chron'].id}/links/{link.id}/remove",
                                {"reason": "Not the same learning"})
    assert response.status_code == 302
    assert link.is_withdrawn
    page = lxml.html.fromstring(client.get(
        f"/recommendations/{recs['chron'].id}").get_data(as_text=True))
    assert not page.xpath("//ul[@id='links']")


def test_the_import_preview_names_the_most_similar_existing_recommendations(make, world, client):
    from tests.recommendations.test_csv import _export, _rows, _upload, _write
    from tracker.recommendations import csv_io

    recs = _literal(make, world)
    as_user(client, world.admin)
    new = {c: "" for c in csv_io.COLUMNS} | {
        "decision_reference": world.decision.reference, "part": "A", "source": "review",
        "reference": "N1", "text": "Governors complete safer recruitment training.",
        "owner_email": world.owner.email}
    preview = lxml.html.fromstring(_upload(client, _write(_rows(_export(client)) + [new])))
    similar_line = preview.xpath("//*[contains(@class, 'tracker-import-similar')]")[0]
    assert similar_line.xpath(".//a")[0].get("href") == f"/recommendations/{recs['train'].id}"


def _similar_ids(client, rec_id) -> list[str]:  # type: ignore[no-untyped-def]
    page = lxml.html.fromstring(client.get(f"/recommendations/{rec_id}").get_data(as_text=True))
    return [row.get("data-recommendation")
            for row in page.xpath("//table[@id='similar']/tbody/tr")]


def test_the_similar_list_is_stored_per_readers_scope_and_follows_every_write(
        make, world, client, db_session):
    """similar.learning: one stored body per role, served as a fresh search gives it; an
    audited edit of another recommendation's text and a new recommendation are in the next
    page, as are a new link (its recommendation leaves the list) and a theme given."""

    def stored() -> int:
        return len(db_session.scalars(sa.select(StoredReport).where(
            StoredReport.kind == "learning")).all())

    recs = _literal(make, world)
    exempt = make.decision(title="Exempt", exemption="para_3")
    hidden = make.recommendation(make.part(exempt, label="a"), reference="X",
                                 text=LITERAL["chron2"])
    as_user(client, world.member)
    member = _similar_ids(client, recs["chron"].id)
    assert member[:2] in ([str(recs["chron2"].id), str(hidden.id)],
                          [str(hidden.id), str(recs["chron2"].id)])
    assert _similar_ids(client, recs["chron"].id) == member and stored() == 1   # served
    as_user(client, world.lead)
    lead = _similar_ids(client, recs["chron"].id)
    assert lead[0] == str(recs["chron2"].id) and str(hidden.id) not in lead
    assert stored() == 2   # the school lead's own: exempt decisions are not theirs

    # An audited edit of another recommendation's text: found at once.
    as_user(client, world.admin)
    response = client.post_form(f"/recommendations/{recs['train'].id}/edit", {
        "source": "review", "part_id": str(world.part.id), "reference": "train",
        "text": LITERAL["chron"], "owner_id": "", "version_id": recs["train"].version_id})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    as_user(client, world.member)
    assert str(recs["train"].id) in _similar_ids(client, recs["chron"].id)[:3]
    # A new recommendation with the same words: found at once.
    newer = make.recommendation(world.part, reference="new", text=LITERAL["chron"])
    db_session.commit()
    assert str(newer.id) in _similar_ids(client, recs["chron"].id)[:4]
    # Linked: no longer suggested.
    as_user(client, world.admin)
    assert client.post_form(f"/recommendations/{recs['chron'].id}/links/new", {
        "earlier": str(newer.id), "kind": "related"}).status_code == 302
    assert str(newer.id) not in _similar_ids(client, recs["chron"].id)
    page = lxml.html.fromstring(client.get(f"/recommendations/{recs['chron'].id}").data)
    assert _words(page.xpath("//ul[@id='links']/li")[0]).startswith(
        "Related to recommendation new")
    # A theme given (audited): on the next page.
    theme = make.theme(name="Record keeping")
    db_session.commit()
    assert client.post_form(f"/recommendations/{recs['chron'].id}/themes", {
        "themes": [str(theme.id)]}).status_code == 302
    page = lxml.html.fromstring(client.get(f"/recommendations/{recs['chron'].id}").data)
    assert "Record keeping" in _words(page.xpath("//*[@id='themes']")[0])
    # What is served is what a fresh search gives.
    served = _similar_ids(client, recs["chron"].id)
    db_session.execute(sa.delete(StoredReport))
    assert _similar_ids(client, recs["chron"].id) == served


def test_the_stored_learning_watches_every_table_its_build_reads(make, world, db_session):
    """The stamp a stored body is served under (similar.LEARNING_READS: new rows of its
    tables, their audited changes) covers every table the learning's build reads (themes,
    links, similar ones); the index is written by triggers on those tables' rows, themes
    given are audited as a change of the recommendation. Progress is not read: statuses are
    read per request."""
    recs = _literal(make, world)
    read: list[str] = []

    def note(_conn, _cursor, statement, *_):  # type: ignore[no-untyped-def]
        read.extend(re.findall(r"(?:FROM|JOIN)\s+\"?(\w+)", statement))

    sa.event.listen(db_session.get_bind(), "before_cursor_execute", note)
    try:
        body = similar._learning_body(world.member, recs["chron"].id, recs["chron"].text)
    finally:
        sa.event.remove(db_session.get_bind(), "before_cursor_execute", note)
    assert str(recs["chron2"].id).encode() in body
    reads = similar.LEARNING_READS
    watched = {model.__tablename__ for model in reads.tables}
    assert {model.__name__ for model in reads.tables} == set(reads.audited or ())
    assert set(read) - watched - {"recommendation_themes", "search_index"} == set(), read
    assert not {"actions", "progress_updates", "recommendation_rollups"} & set(read)
    assert "actions" in {m.__tablename__ for m in similar.PARTNER_LEARNING_READS.tables}


def test_progress_shows_on_the_learning_at_once_and_rebuilds_nothing(
        make, world, client, db_session):
    """A progress update on a similar recommendation changes its status on the page at once
    (read per request from the kept roll-ups), and the stored body is not built again: it
    is rebuilt by a change of what it reads (an edit of a text), not by progress."""
    recs = _literal(make, world)
    action = make.action(recs["chron2"], title="Termly review", owner=world.owner)
    db_session.commit()

    def page_status() -> str:
        page = lxml.html.fromstring(client.get(f"/recommendations/{recs['chron'].id}").data)
        [row] = page.xpath(f"//table[@id='similar']/tbody/tr"
                           f"[@data-recommendation='{recs['chron2'].id}']")
        return _words(row.xpath("td")[1])

    def stored() -> list[tuple[object, object]]:
        db_session.expire_all()
        return [(r.created_at, r.through) for r in db_session.scalars(
            sa.select(StoredReport).where(StoredReport.kind == "learning"))]

    as_user(client, world.member)
    before = page_status()
    built = stored()
    assert len(built) == 1
    as_user(client, world.owner)
    response = client.post_form(f"/actions/{action.id}/updates/new",
                                update_form(status="complete", rag=""))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    as_user(client, world.member)
    after = page_status()
    assert after != before
    state = facts.states_where(Recommendation.id == recs["chron2"].id,
                               today=today()).get(recs["chron2"].id)
    assert after == facts.rec_tag(state)[1]
    assert stored() == built            # served, not built again
    # An audited edit of a text the body reads: built again.
    as_user(client, world.admin)
    response = client.post_form(f"/recommendations/{recs['train'].id}/edit", {
        "source": "review", "part_id": str(world.part.id), "reference": "train",
        "text": LITERAL["chron"], "owner_id": "", "version_id": recs["train"].version_id})
    assert response.status_code == 302
    as_user(client, world.member)
    page_status()
    assert stored() != built


def test_the_similar_search_is_asked_with_its_words_written_in(make, world, db_session,
                                                                database_url):
    """PostgreSQL plans a statement asked often once for any words (tracker.planning): the
    similar search then read every recommendation's document, 60 to 90 ms at the large
    council's shape where a plan for its words takes 15. The words are in the statement."""
    if not database_url.startswith("postgresql"):
        pytest.skip("plans of prepared statements: PostgreSQL")
    recs = _literal(make, world)
    sent: list[str] = []

    def keep(_conn, _cursor, statement, *_):  # type: ignore[no-untyped-def]
        sent.append(statement)

    sa.event.listen(db_session.get_bind(), "before_cursor_execute", keep)
    try:
        found = similar.similar_to(world.member, LITERAL["chron"], exclude=[recs["chron"].id])
    finally:
        sa.event.remove(db_session.get_bind(), "before_cursor_execute", keep)
    assert found[0].recommendation_id == recs["chron2"].id
    [ranked] = [s for s in sent if "ts_rank" in s]
    assert "'schools or keep or chronology or safeguarding or concern or term'" in ranked, ranked


def test_a_partner_officers_learning_follows_the_actions_their_organisation_owns(
        make, world, client, db_session):
    """A partner officer sees the recommendations their organisation owns an action of, so
    their stored learning also watches actions (similar.PARTNER_LEARNING_READS): an action
    given to their organisation brings its recommendation into their similar list at once."""
    recs = _literal(make, world)
    partner = make.user(role="partner_officer")
    agency = make.organisation(name="County police", members=[partner])
    make.action(recs["chron"], title="Share the chronology", owner_organisation_id=agency.id)
    db_session.commit()
    as_user(client, partner)
    before = _similar_ids(client, recs["chron"].id)
    assert str(recs["chron2"].id) not in before      # not theirs to see
    make.action(recs["chron2"], title="Review termly", owner_organisation_id=agency.id)
    db_session.commit()
    assert _similar_ids(client, recs["chron"].id)[0] == str(recs["chron2"].id)
