"""The decision page leads with the whole decision's progress and what is late; the decision
text is shown once (its parts), the full text as published behind a details element."""
from __future__ import annotations

import datetime as dt

import lxml.html

from tests.conftest import sign_in
from tracker.clock import today as london_today


def _page(client, decision):  # type: ignore[no-untyped-def]
    answer = client.get(f"/decisions/{decision.id}")
    assert answer.status_code == 200
    return lxml.html.fromstring(answer.data)


def _words(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join(element.text_content().split())


def test_the_page_leads_with_overall_progress_and_what_is_late(client, make):
    today = london_today()
    decision = make.decision(title="Review of cases",
                             decision_text="The executive agrees the recommendations (a).")
    part = make.part(decision, label="a", text="The executive agrees the recommendations (a).")
    owner = make.user(role="officer", name="Olu Owner")
    first = make.recommendation(part, reference="3.1", owner=owner)
    make.action(first, title="Late one", owner=owner, due_on=today - dt.timedelta(days=3))
    second = make.recommendation(part, reference="3.2", owner=owner)
    done = make.action(second, title="Done", owner=owner, due_on=today)
    make.update(done, status="complete", rag=None, narrative="Finished.")
    sign_in(client, make.user(role="member"))
    page = _page(client, decision)
    headings = [_words(h) for h in page.xpath("//main//h2")]
    assert headings[0] == "Progress so far"
    section = page.get_element_by_id("overall-progress")
    assert _words(section.xpath(".//p")[0]) == (
        "In progress: Red 1 of 2 counted actions complete (50%), across 2 recommendations.")
    late = page.get_element_by_id("what-is-late")
    assert _words(late) == ("Late: 1 action is overdue. See the recommendations with an "
                            "overdue action.")
    assert late.xpath(".//a/@href") == [f"/recommendations?decision={decision.id}&overdue=y"]


def test_the_decision_text_is_shown_once_the_full_text_behind_details(client, make):
    decision = make.decision(title="Review of cases",
                             decision_text="The executive agrees the recommendations (a).")
    make.part(decision, label="a", text="The executive agrees the recommendations (a).")
    sign_in(client, make.user(role="member"))
    page = _page(client, decision)
    outside = [el for el in page.xpath("//main//*[text()[contains(., 'agrees the recommendations')]]")
               if not el.xpath("ancestor::details")]
    assert len(outside) == 1
    details = page.xpath("//details[.//*[contains(text(), 'agrees the recommendations')]]")
    assert [_words(d.xpath(".//summary")[0]) for d in details] == [
        "The decision text as published (its parts are above)"]
