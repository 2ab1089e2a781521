"""The pages show what the rules of progress say (tracker.progress via facts.py), with words
on every tag; lists filter and page; the response table and "my actions"."""
from __future__ import annotations

import datetime as dt
import re

import lxml.html

from flask import render_template_string

from tests.recommendations.conftest import as_user
from tracker.clock import today as london_today
from tracker.models.base import utcnow


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_overdue_action_shows_a_red_overdue_tag_and_the_recommendation_is_red(client, world, make):
    late = make.action(world.rec, title="Late action", owner=world.owner,
                       due_on=london_today() - dt.timedelta(days=1))
    make.update(late, status="in_progress", rag="green")
    as_user(client, world.owner)
    page = _page(client, f"/recommendations/{world.rec.id}")
    row = page[page.index(f'id="action-{late.id}"'):]
    row = row[:row.index("</tr>")]
    assert 'govuk-tag--red tracker-rag">Overdue<' in row
    assert "In progress: Red" in page
    assert "1 overdue" in _text(page)


def test_complete_is_blue_cancelled_is_left_out_and_awaiting_sign_off_is_shown(client, world, make):
    make.update(world.action, status="complete", rag=None)
    dropped = make.action(world.rec, title="Dropped", owner=world.owner)
    make.update(dropped, status="cancelled", rag=None, reason="Not needed")
    as_user(client, world.member)
    page = _page(client, f"/recommendations/{world.rec.id}")
    assert 'govuk-tag--blue tracker-rag">Complete<' in page
    assert "Cancelled: not counted" in page
    assert "Awaiting sign-off" in page
    assert "1 of 1 counted action complete (100%)" in _text(page)


def test_no_actions_is_grey_with_a_dash_never_a_percentage(client, world, make):
    empty = make.recommendation(world.part, reference="3.7", owner=world.owner)
    as_user(client, world.member)
    page = _text(_page(client, f"/recommendations/{empty.id}"))
    assert "No actions yet" in page and "0 of 0 counted actions complete (–)" in page
    assert "0%" not in page


def test_not_accepted_is_shown_and_left_out(client, world, make):
    rec = make.recommendation(world.part, source="scrutiny", reference="SC3")
    make.response(rec, response="not_accepted", reason="Not a council power")
    as_user(client, world.member)
    page = _page(client, f"/recommendations/{rec.id}")
    assert "Not accepted" in page and "left out of every total" in page
    assert "Not a council power" in page


def test_list_filters_by_source_owner_status_overdue_and_decision(client, world, make):
    other_decision = make.decision(title="Other decision")
    scrutiny = make.recommendation(make.part(other_decision), source="scrutiny",
                                   reference="SC1", owner=world.other)
    late = make.action(scrutiny, owner=world.other, due_on=london_today() - dt.timedelta(days=3))
    make.update(late, status="in_progress", rag="amber")
    as_user(client, world.member)

    def refs(query: str) -> set[str]:
        page = _page(client, "/recommendations?" + query)
        return set(re.findall(r'/recommendations/\d+">Recommendation ([^<]+)<span', page))

    assert refs("") == {"3.1", "SC1"}
    assert refs("source=scrutiny") == {"SC1"}
    assert refs(f"owner={world.owner.id}") == {"3.1"}
    assert refs("overdue=y") == {"SC1"}
    assert refs("status=red") == {"SC1"}
    assert refs("status=grey") == {"3.1"}
    assert refs("status=complete") == set()
    assert refs(f"decision={world.decision.id}") == {"3.1"}
    assert "No recommendations match these filters" in _page(client, "/recommendations?status=complete")


def test_list_pages_with_govuk_pagination(client, world, make, app):
    for n in range(30):
        make.recommendation(world.part, reference=f"P{n:02d}")
    as_user(client, world.member)
    first = _page(client, "/recommendations")
    assert "Showing 1 to 25 of 31 recommendations" in _text(first)
    assert "govuk-pagination" in first and 'rel="next"' in first
    second = _page(client, "/recommendations?page=2")
    assert "Showing 26 to 31 of 31 recommendations" in _text(second)
    filtered = _page(client, "/recommendations?status=no_actions&page=2")
    assert "Showing 26 to 30 of 30" in _text(filtered)
    assert "status=no_actions" in filtered[filtered.index("govuk-pagination"):]
    # The page and its count are read in one query; a page past the last is the last.
    beyond = _page(client, "/recommendations?page=9")
    assert "Showing 26 to 31 of 31 recommendations" in _text(beyond)
    assert "No recommendations match" in _page(client, "/recommendations?words=nowhere&page=3")


def test_response_table_is_in_committee_form_with_due_dates(client, world, make):
    part_b = make.part(world.decision, label="b", kind="approve_response")
    partly = make.recommendation(part_b, source="scrutiny", reference="SC2",
                                 text="Review every case.", committee="Children's scrutiny")
    make.response(partly, response="partially_accepted", reason="A sample is enough",
                  cabinet_member="Cabinet member for children", lead_officer="Director",
                  timetable="By summer")
    today = london_today()
    make.recommendation(None, source="scrutiny", reference="SC-LATE", text="Late one",
                        report_published_on=today - dt.timedelta(days=90),
                        response_due_on=today - dt.timedelta(days=29))
    as_user(client, world.member)
    page = _page(client, "/executive-responses")
    text = _text(page)
    for header in ("Recommendation", "Response", "Reason", "Cabinet member", "Lead officer",
                   "Timetable", "Status"):
        assert f">{header}</th>" in page
    assert "Partially accepted" in text and "A sample is enough" in text and "By summer" in text
    assert "SC-LATE" in text and 'govuk-tag--red tracker-rag">Late<' in page
    assert "tracker-no-print" in page


def test_every_decisions_response_table_comes_a_page_at_a_time_and_one_decisions_whole(
        client, world, make, monkeypatch):
    """Every decision's scrutiny recommendations (and those not yet taken up) come in pages
    of ``RESPONSES_PER_PAGE``, by committee and meeting, with GOV.UK pagination; a decision
    chosen shows its whole table (the paper put to committee), whatever its length."""
    from tracker.recommendations import queries

    monkeypatch.setattr(queries, "RESPONSES_PER_PAGE", 2)
    part_b = make.part(world.decision, label="b", kind="approve_response")
    other = make.part(make.decision(title="Another decision"), label="a")
    for n, part in enumerate((part_b, part_b, part_b, other, None)):
        rec = make.recommendation(part, source="scrutiny", reference=f"SC{n}",
                                  text=f"Scrutiny {n}.", committee=f"Committee {n}")
        if part is not None:
            make.response(rec, response="accepted", timetable=f"Timetable {n}")
    as_user(client, world.member)

    def shown(url: str) -> tuple[list[str], str]:
        html = _page(client, url)
        table = lxml.html.fromstring(html).xpath(
            "//table[caption[starts-with(., 'Scrutiny recommendations with')]]")[0]
        return [" ".join(row.xpath("./th")[0].text_content().split()).split(" Scrutiny")[0]
                for row in table.xpath("./tbody/tr")], html

    pages = [shown(f"/executive-responses?page={n}") for n in (1, 2, 3)]
    assert [refs for refs, _ in pages] == [
        ["Recommendation SC0", "Recommendation SC1"],
        ["Recommendation SC2", "Recommendation SC3"], ["Recommendation SC4"]]
    first, last = pages[0][1], pages[2][1]
    assert "Recommendations 1 to 2 of 5, by committee and meeting" in _text(first)
    assert "govuk-pagination" in first and 'rel="next"' in first
    assert "(5 to 5 of 5)" in _text(last) and 'rel="next"' not in last
    assert shown("/executive-responses?page=9")[0] == ["Recommendation SC4"]   # the last
    whole, html = shown(f"/executive-responses?decision={world.decision.id}")
    assert whole == ["Recommendation SC0", "Recommendation SC1", "Recommendation SC2"]
    assert "govuk-pagination" not in html and " of 3" not in _text(html)
    # the decision chosen stays chosen, named as every choice of decisions names one
    from tracker.decisions.forms import decision_words
    chosen = lxml.html.fromstring(html).xpath("//select[@id='decision']/option[@selected]")
    assert [(o.get("value"), o.text_content()) for o in chosen] == [
        (str(world.decision.id), decision_words(world.decision))]


def test_my_actions_lists_every_open_action_of_mine_sortable_by_due_date(client, world, make):
    today = london_today()
    make.action(world.rec, title="Overdue one", owner=world.owner,
                due_on=today - dt.timedelta(days=2))
    make.action(world.rec, title="Soon one", owner=world.owner, due_on=today + dt.timedelta(days=5))
    done = make.action(world.rec, title="Done one", owner=world.owner, due_on=today)
    done.status = "complete"
    make.action(world.rec, title="Someone else's", owner=world.other, due_on=today)
    as_user(client, world.owner)

    def rows(query: str = "") -> list[list[str]]:
        page = lxml.html.fromstring(client.get("/my-actions" + query).data)
        table = page.xpath("//table[caption[starts-with(., 'Your open actions')]]")
        assert len(table) == 1
        return [[" ".join(cell.text_content().split()) for cell in tr.xpath("./th|./td")]
                for tr in table[0].xpath("./tbody/tr")]

    earliest = rows()
    # every open action of mine (the one due in 60 days too), with status, RAG and due date
    assert [r[0].split(" Record")[0] for r in earliest] == [
        "Overdue one", "Soon one", "Draft the protocol"]
    assert [r[2:4] for r in earliest] == [["Not started", "Overdue"], ["Not started", "Grey"],
                                          ["Not started", "Grey"]]
    assert earliest[0][1] == "Recommendation 3.1"
    latest = rows("?sort=due-latest")
    assert [r[0].split(" Record")[0] for r in latest] == [
        "Draft the protocol", "Soon one", "Overdue one"]
    page = _text(_page(client, "/my-actions"))
    assert "3 open, of which 1 overdue and 1 due in the next 14 days" in page
    assert "Done one" not in page and "Someone else's" not in page


def test_challenges_are_counted_for_members_and_owners(world, make, app):
    from tracker.recommendations import queries
    make.challenge(world.rec, asked_by=world.member)
    answered = make.challenge(world.rec, asked_by=world.member)
    answered.answered_at = utcnow()
    assert len(queries.open_challenges_for_member(world.member)) == 1
    assert len(queries.challenges_to_answer(world.owner)) == 1
    assert queries.challenges_to_answer(world.other) == []
    assert len(queries.challenges_to_answer(world.admin)) == 1
    assert queries.open_challenge_counts() == {world.decision.id: 1}


def test_decision_part_progress_include(client, world, make, app):
    make.update(world.action, status="in_progress", rag="amber")
    as_user(client, world.member)
    with app.test_request_context():
        from flask_login import login_user
        login_user(world.member)
        html = render_template_string('{% include "decisions/_part_progress.html" %}',
                                      part=world.part)
    text = _text(html)
    assert "In progress: Amber" in text
    assert "0 of 1 counted actions complete (0%)" in text
    assert "Recommendations under part (a)" in text and "3.1" in text


def test_history_lists_changes_to_the_recommendation_and_its_work(client, world):
    from tests.recommendations.conftest import update_form
    as_user(client, world.owner)
    client.post_form(f"/actions/{world.action.id}/updates/new", update_form())
    page = _text(_page(client, f"/recommendations/{world.rec.id}"))
    history = page[page.index("History"):]
    assert "Progress update on Draft the protocol: In progress" in history


def test_example_rows_carry_an_example_tag(client, world, make):
    example = make.recommendation(world.part, reference="EX1", is_example=True)
    as_user(client, world.member)
    assert "Example</strong>" in _page(client, f"/recommendations/{example.id}")


def test_decision_page_shows_part_progress_and_school_leads_read_open_ones(client, world, make):
    make.update(world.action, status="in_progress", rag="amber")
    for user in (world.member, world.lead):
        as_user(client, user)
        page = _text(_page(client, f"/decisions/{world.decision.id}"))
        assert "Recommendations under part (a)" in page and "In progress: Amber" in page
    assert client.get(f"/recommendations/{world.rec.id}").status_code == 200


def test_both_fact_adapters_give_the_same_states(app, db_session):
    """states_where (columns, each action's history condensed in SQL as at the date, for
    many rows) and recommendation_fact (ORM rows, every update) agree: every figure, each
    action's state, its latest update's time and status."""
    import sqlalchemy as sa

    from tracker.demo import load_demo
    from tracker.models import Recommendation
    from tracker.recommendations import facts

    def seen(state):
        actions = [(a.id, a.status, a.rag, a.current_due_on, a.overdue, a.counted,
                    a.latest_update and (a.latest_update.recorded_at, a.latest_update.status))
                   for a in state.action_states]
        return (state.label, state.rag, state.share, state.overdue_actions, state.response,
                state.sign_off, actions)

    load_demo()
    recs = facts.load(sa.select(Recommendation))
    for as_at in (None, dt.date(2021, 1, 31), dt.date(2021, 9, 30)):
        by_columns = facts.states_where(sa.true(), today=london_today(), as_at=as_at)
        assert set(by_columns) == {r.id for r in recs}
        for rec in recs:
            expected = facts.state_of(rec, today=london_today(), as_at=as_at)
            assert (by_columns[rec.id] is None) == (expected is None)
            if expected is not None:
                assert seen(by_columns[rec.id]) == seen(expected)


def test_my_actions_states_from_condensed_histories_are_the_rules_over_every_update(
        db_session, make):
    """"My actions" judges each action over its history condensed to the figures kept on
    write, read with its rows (facts.action_states_now): the same states as the rules over
    every update."""
    import datetime as dt
    from dataclasses import replace

    import sqlalchemy as sa

    from tracker.clock import today
    from tracker.models import Action
    from tracker.recommendations import facts

    day = today()
    rec = make.recommendation()
    actions = [make.action(rec, due_on=day - dt.timedelta(days=5)) for _ in range(5)]
    make.update(actions[0], status="in_progress", rag="amber", reason="Slipping")
    make.update(actions[0], status="in_progress", rag=None,
                revised_due_on=day + dt.timedelta(days=9), revised_due_reason="Staff away")
    make.update(actions[1], status="complete", rag=None)
    make.update(actions[2], status="paused", rag="red", reason="Waiting for the police")
    make.update(actions[3], status="cancelled", rag=None, reason="Replaced")
    make.update(actions[3], status="in_progress", rag="green")
    from tracker.recommendations.condensed import KEPT_COLUMNS

    rows = db_session.execute(sa.select(
        Action.id, Action.owner_id, Action.created_at, Action.due_on, Action.withdrawn_at,
        *KEPT_COLUMNS).where(Action.recommendation_id == rec.id)).all()
    found = facts.action_states_now(rows, today=day)
    whole = {a.id: facts.action_state_of(a, today=day) for a in actions}
    # Its latest_update is the condensed one standing for the history (module docstring of
    # tracker.recommendations.condensed); every figure is the rules' own.
    assert {i: replace(s, latest_update=None) for i, s in found.items()} == {
        i: replace(s, latest_update=None) for i, s in whole.items()}
    assert found[actions[0].id].rag == "amber" and not found[actions[0].id].overdue
    assert found[actions[4].id].overdue


def test_the_recommendation_pages_states_from_condensed_histories_are_the_rules_own(
        db_session, make):
    """The recommendation page judges its states over histories condensed in the database
    (facts.page_states): the reader's view (some of its actions) and the whole are what the
    rules say over every update (facts.state_of)."""
    import datetime as dt
    from dataclasses import replace

    from tracker.clock import today
    from tracker.recommendations import facts

    day = today()
    rec = make.recommendation()
    actions = [make.action(rec, due_on=day + dt.timedelta(days=3 - 4 * k)) for k in range(4)]
    make.update(actions[0], status="complete", rag=None)
    make.update(actions[1], status="in_progress", rag="red", reason="Short of staff")
    make.update(actions[1], status="in_progress", rag=None,
                revised_due_on=day + dt.timedelta(days=30), revised_due_reason="Agreed later")
    make.update(actions[2], status="cancelled", rag=None, reason="Overtaken")
    db_session.expire_all()

    def plain(state):
        return replace(state, action_states=tuple(
            replace(a, latest_update=None) for a in state.action_states))

    for seen in (actions, actions[1:3], actions[:1], []):
        view, whole = facts.page_states(rec, seen, today=day)
        assert plain(view) == plain(facts.state_of(rec, today=day, actions=seen))
        assert plain(whole) == plain(facts.state_of(rec, today=day))


def test_a_recommendations_page_loads_only_the_collections_it_has_rows_of(
        client, world, make, db_session):
    """facts.load_shown: whether the recommendation has any response, question, closing
    step or impact review is asked with the recommendation; a collection with none is not
    asked for, one with rows is loaded and shown. So is the timeline's evidence."""
    import sqlalchemy as sa

    from tracker.extensions import db

    sent: list[str] = []

    def keep(_conn, _cursor, statement, *_):  # type: ignore[no-untyped-def]
        sent.append(statement)

    def page() -> str:
        client.get(f"/recommendations/{world.rec.id}")
        sent.clear()
        sa.event.listen(db.engine, "before_cursor_execute", keep)
        try:
            answer = client.get(f"/recommendations/{world.rec.id}")
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", keep)
        assert answer.status_code == 200
        return answer.get_data(as_text=True)

    def asked(table: str) -> bool:
        return any(re.match(rf"SELECT {table}\.", s) for s in sent)

    as_user(client, world.member)
    html = page()
    assert not asked("challenges") and not asked("executive_responses")
    assert not asked("recommendation_closures") and not asked("impact_reviews")
    assert "No questions yet." in html
    make.challenge(world.rec, question="Who has been trained?", asked_by=world.member,
                   asked_at=utcnow() - dt.timedelta(hours=1))
    make.challenge(world.rec, question="When will the audit report?", asked_by=world.member,
                   asked_at=utcnow())
    db_session.commit()
    html = page()
    assert asked("challenges") and not asked("recommendation_closures")
    assert html.index("Who has been trained?") < html.index("When will the audit report?")
    # The timeline's evidence: asked for only when an update on the page has some.
    make.update(world.action, narrative="Drafted.")
    db_session.commit()
    html = page()
    assert "Drafted." in html and not asked("evidence_links")
    make.update(world.action, narrative="Agreed.",
                evidence=[("https://example.org/minutes", "Minutes of the meeting")])
    db_session.commit()
    html = page()
    assert asked("evidence_links") and "Minutes of the meeting" in html


def test_a_recommendations_history_comes_newest_first_a_page_at_a_time(
        client, world, monkeypatch):
    """Every progress update is a line of the history: a recommendation updated for years
    has hundreds, so the page shows them a page at a time (queries.history), newest first,
    saying how many there are."""
    from tests.recommendations.conftest import update_form
    from tracker.clock import now, travel_to
    from tracker import audit

    monkeypatch.setattr(audit, "HISTORY_PER_PAGE", 2)   # every history's page size
    as_user(client, world.owner)
    days = (3, 2, 1)   # updates recorded three, two and one days ago
    for n, ago in enumerate(days):
        with travel_to(now() - dt.timedelta(days=ago)):
            assert client.post_form(f"/actions/{world.action.id}/updates/new", update_form(
                narrative=f"Meeting {n} held.")).status_code == 302
    as_user(client, world.member)

    def history(page: int) -> tuple[list[tuple[str, str, str]], str]:
        html = _page(client, f"/recommendations/{world.rec.id}?history_page={page}")
        doc = lxml.html.fromstring(html)
        [table] = doc.xpath("//h2[@id='history']/following-sibling::table[1]")
        return [(" ".join(row.xpath("td[1]")[0].text_content().split()),
                 " ".join(row.xpath("td[3]")[0].text_content().split()),
                 " ".join(row.xpath("td[4]")[0].text_content().split()))
                for row in table.xpath(".//tbody/tr")], html

    first, html = history(1)
    total = int(re.search(r"(\d+) changes, newest first, 2 to a page: these are 1 to 2\.",
                          html).group(1))
    assert total >= 6   # each update and the change to its action's kept figures
    _, html = history(99)   # past the last: the last
    assert f"these are {total - (total - 1) % 2} to {total}." in html
    every = [row for page in range(1, (total + 1) // 2 + 1) for row in history(page)[0]]
    assert len(every) == total and every[:2] == first
    narratives = re.findall(r"Narrative set to “(Meeting \d) held", " ".join(
        changes for _, _, changes in every))
    assert narratives == ["Meeting 2", "Meeting 1", "Meeting 0"]   # newest first


def test_the_pager_names_the_first_the_last_and_the_pages_near_this_one(app):
    """components/pager.html: GOV.UK pagination of 1, …, the two either side of the page
    asked for, …, the last, whatever the number of pages (only those are walked: a list of
    25,000 schools has a thousand pages)."""
    from types import SimpleNamespace

    def shown(page: int, pages: int) -> list[str]:
        with app.test_request_context("/"):
            html = render_template_string(
                '{% from "components/pager.html" import pager %}'
                "{{ pager(p, 'recommendations.list_recommendations') }}",
                p=SimpleNamespace(page=page, pages=pages))
        doc = lxml.html.fromstring(f"<div>{html}</div>")
        return [" ".join(item.text_content().split()).replace("Current page ", "")
                for item in doc.xpath("//li[contains(@class, 'govuk-pagination__item')]")]

    assert shown(450, 1000) == ["1", "⋯", "448", "449", "450", "451", "452", "⋯", "1000"]
    assert shown(1, 2) == ["1", "2"]
    assert shown(7, 7) == ["1", "⋯", "5", "6", "7"]
    assert shown(4, 9) == ["1", "2", "3", "4", "5", "6", "⋯", "9"]
