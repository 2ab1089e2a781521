"""Finding recommendations: a due-date column, sorting by due date, status and owner, and a
box that filters by words."""
from __future__ import annotations

import datetime as dt

import lxml.html

from tests.recommendations.conftest import as_user
from tracker.clock import today as london_today


def _rows(client, query=""):  # type: ignore[no-untyped-def]
    page = lxml.html.fromstring(client.get("/recommendations" + query).data)
    table = page.xpath("//table[caption[starts-with(normalize-space(), 'Showing')]]")
    assert len(table) == 1, query
    header = [" ".join(th.text_content().split()) for th in table[0].xpath("./thead/tr/th")]
    return [dict(zip(header, [" ".join(c.text_content().split()) for c in tr.xpath("./td")]))
            for tr in table[0].xpath("./tbody/tr")]


def _refs(rows):  # type: ignore[no-untyped-def]
    return [r["Recommendation"].split()[1] for r in rows]


def _three(world, make):  # type: ignore[no-untyped-def]
    """3.1 (Olu Owner, due in 60 days, grey), 3.2 (Otto Other, due in 10 days, red), 3.3
    (no owner, no actions)."""
    today = london_today()
    late = make.recommendation(world.part, reference="3.2", text="Train the MASH staff.",
                               owner=world.other)
    action = make.action(late, title="Run the course", owner=world.other,
                         due_on=today + dt.timedelta(days=10))
    make.update(action, status="in_progress", rag="red", narrative="Trainer ill.")
    make.recommendation(world.part, reference="3.3", text="Audit MASH recording of plans.")


def test_the_list_has_a_due_date_column(client, world, make):
    _three(world, make)
    as_user(client, world.member)
    rows = {r["Recommendation"].split()[1]: r for r in _rows(client)}
    due = world.action.due_on
    assert rows["3.1"]["Due"] == f"{due.day} {due:%B %Y}"
    assert rows["3.3"]["Due"] == "No due date yet"


def test_the_list_sorts_by_due_date_status_and_owner(client, world, make):
    _three(world, make)
    as_user(client, world.member)
    assert _refs(_rows(client, "?sort=due")) == ["3.2", "3.1", "3.3"]
    assert _refs(_rows(client, "?sort=status")) == ["3.2", "3.1", "3.3"]  # red, grey, no actions
    assert [r["Status"] for r in _rows(client, "?sort=status")] == [
        "In progress: Red", "In progress: Grey", "No actions yet"]
    assert _refs(_rows(client, "?sort=owner")) == ["3.1", "3.2", "3.3"]   # Olu, Otto, nobody
    assert [r["Owner"] for r in _rows(client, "?sort=owner")] == [
        "Olu Owner", "Otto Other", "No owner yet"]


def test_the_words_box_keeps_recommendations_with_every_word(client, world, make):
    _three(world, make)
    as_user(client, world.member)
    assert _refs(_rows(client, "?words=mash")) == ["3.2", "3.3"]
    assert _refs(_rows(client, "?words=MASH+audit")) == ["3.3"]
    assert _refs(_rows(client, "?words=3.1")) == ["3.1"]
    page = lxml.html.fromstring(client.get("/recommendations?words=100%25").data)
    assert " ".join(page.xpath("string(//main//p[@class='govuk-body'][last()])").split()) == \
        "No recommendations match these filters."
