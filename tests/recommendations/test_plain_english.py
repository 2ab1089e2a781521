"""Plain English on the pages people read: a key to the status colours wherever a RAG colour
shows; history tables with names, labels, UK dates and each change said in words."""
from __future__ import annotations

import datetime as dt

import lxml.html

from tests.recommendations.conftest import as_user, date_parts, update_form


def _page(client, path):  # type: ignore[no-untyped-def]
    answer = client.get(path)
    assert answer.status_code == 200, path
    return lxml.html.fromstring(answer.data)


def _words(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join(element.text_content().split())


def test_every_page_showing_a_rag_colour_has_the_key_and_grey_is_explained(client, world):
    as_user(client, world.owner)
    # the dashboard, the decision page and the report show a stored body (web.page_around)
    for path in ("/recommendations", f"/recommendations/{world.rec.id}", "/my-actions",
                 "/dashboard", f"/decisions/{world.decision.id}",
                 f"/reports/committee?decision={world.decision.id}"):
        page = _page(client, path)
        assert page.xpath("//*[contains(concat(' ', @class, ' '), ' tracker-rag ')]"), path
        keys = page.xpath("//section[@class='tracker-rag-key']")
        assert len(keys) == 1, path
        items = [_words(li) for li in keys[0].xpath(".//li")]
        assert "Grey no RAG given yet: no update has rated it, or it has no actions yet" \
            in items, path
    page = _page(client, "/accessibility")
    assert not page.xpath("//section[@class='tracker-rag-key']")


def test_the_history_table_says_each_change_in_words_with_names_labels_and_uk_dates(
        client, world, db_session):
    original = world.action.due_on
    revised = original + dt.timedelta(days=30)
    as_user(client, world.owner)
    answer = client.post_form(f"/actions/{world.action.id}/updates/new", update_form(
        status="in_progress", rag="amber", reason="Legal advice is late.",
        narrative="Waiting for legal advice.",
        revised_due_on=date_parts(revised), revised_due_reason="Legal advice is late."))
    assert answer.status_code == 302, answer.get_data(as_text=True)[:3000]
    db_session.refresh(world.action)
    as_user(client, world.admin)
    answer = client.post_form(f"/actions/{world.action.id}/edit", {
        "title": world.action.title, "description": "", "owner_id": str(world.other.id),
        "version_id": str(world.action.version_id)})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:3000]
    page = _page(client, f"/recommendations/{world.rec.id}")
    rows = page.xpath("//table[caption[starts-with(normalize-space(), 'Changes to this')]]"
                      "/tbody/tr")
    changes = [_words(span) for row in rows
               for span in row.xpath(".//span[contains(@class, 'tracker-history-change')]")]
    when = f"{original.day} {original:%B %Y}"
    then = f"{revised.day} {revised:%B %Y}"
    assert f"Current due date changed from {when} to {then}" in changes, changes
    assert "Owner changed from Olu Owner to Otto Other" in changes, changes
    assert "Status set to In progress" in changes, changes
    assert "RAG set to Amber" in changes, changes
    assert f"Revised due date set to {then}" in changes, changes
    assert not [c for c in changes if "in_progress" in c or "_id" in c or "-" in c.split()[-1]]
    who = {_words(row.xpath("./td")[1]) for row in rows}
    assert who == {"Olu Owner", world.admin.name}
    assert all("@" not in name for name in who)


def test_links_to_a_recommendation_name_it_not_only_its_number(client, world):
    as_user(client, world.member)
    for path in ("/recommendations", f"/decisions/{world.decision.id}"):
        page = _page(client, path)
        links = page.xpath(f"//main//a[@href='/recommendations/{world.rec.id}']")
        assert links, path
        for link in links:
            assert _words(link).startswith("Recommendation 3.1"), (path, _words(link))


def test_the_readme_and_the_docs_say_question_as_the_pages_do():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for name in ("README.md", "docs/roles-and-permissions.md"):
        prose = re.sub(r"`[^`]*`", "", (root / name).read_text(encoding="utf-8"))
        assert not re.search(r"\bchallenges?\b", prose, re.IGNORECASE), name
