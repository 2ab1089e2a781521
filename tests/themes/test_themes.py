"""Themes: administrators add, rename and withdraw them (audited); a recommendation carries
any number; a theme's page lists every recommendation with it that the reader may see, with
its status, a chart and the same figures in a table."""
from __future__ import annotations

import re

import lxml.html
import sqlalchemy as sa

from tests.themes.conftest import as_user
from tracker.models import AuditEvent, Theme, recommendation_themes


def _doc(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.get_data(as_text=True))


def _words(node) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", node.text_content()).strip()


def test_an_administrator_adds_renames_and_withdraws_a_theme(client, world, db_session):
    as_user(client, world.admin)
    response = client.post_form("/themes/new", {"name": "  Information   sharing ",
                                                "description": "Between agencies"})
    assert response.status_code == 302
    theme = db_session.scalar(sa.select(Theme))
    assert theme.name == "Information sharing"
    # The same name again (any case) is refused next to the field.
    page = _doc(client.post_form("/themes/new", {"name": "information sharing"}))
    assert "There is already a theme called “Information sharing”" in _words(
        page.xpath("//*[@id='name-error']")[0])
    response = client.post_form(f"/themes/{theme.id}/edit", {
        "name": "Sharing information", "description": "", "version_id": theme.version_id})
    assert response.status_code == 302
    assert theme.name == "Sharing information"
    response = client.post_form(f"/themes/{theme.id}/withdraw", {
        "reason": "Merged into another theme", "version_id": theme.version_id})
    assert response.status_code == 302
    assert theme.is_withdrawn
    summaries = list(db_session.scalars(sa.select(AuditEvent.summary).where(
        AuditEvent.object_type == "Theme").order_by(AuditEvent.id)))
    assert summaries == ["Added the theme “Information sharing”",
                         "Renamed the theme “Information sharing” to “Sharing information”",
                         "Withdrew the theme “Sharing information”"]
    # Withdrawn: administrators still open it; others are answered 404.
    assert client.get(f"/themes/{theme.id}").status_code == 200
    as_user(client, world.member)
    assert client.get(f"/themes/{theme.id}").status_code == 404


def test_a_recommendation_has_any_number_of_themes_and_shows_them(client, world, make, db_session):
    record = make.theme(name="Record keeping")
    voice = make.theme(name="Voice of the child")
    as_user(client, world.admin)
    response = client.post_form(f"/recommendations/{world.rec.id}/themes",
                                {"themes": [str(record.id), str(voice.id)]})
    assert response.status_code == 302
    page = _doc(client.get(f"/recommendations/{world.rec.id}"))
    row = page.xpath("//*[@id='themes']/dd[contains(@class, 'govuk-summary-list__value')]")[0]
    assert [a.text_content() for a in row.xpath(".//a")] == ["Record keeping",
                                                              "Voice of the child"]
    client.post_form(f"/recommendations/{world.rec.id}/themes", {"themes": [str(voice.id)]})
    stored = set(db_session.scalars(sa.select(recommendation_themes.c.theme_id).where(
        recommendation_themes.c.recommendation_id == world.rec.id)))
    assert stored == {voice.id}
    event = db_session.scalars(sa.select(AuditEvent).where(
        AuditEvent.object_type == "Recommendation").order_by(AuditEvent.id.desc())).first()
    assert event.before == {"themes": ["Record keeping", "Voice of the child"],
                            "theme_ids": sorted([record.id, voice.id])}
    assert event.after == {"themes": ["Voice of the child"], "theme_ids": [voice.id]}
    # The history says it in names; the ids are kept for which theme it was, not shown.
    history = _doc(client.get(f"/recommendations/{world.rec.id}")).get_element_by_id("history")
    table = history.getnext()
    assert "Voice of the child" in table.text_content()
    assert "theme_ids" not in table.text_content() and "Theme ids" not in table.text_content()
    # A theme not on the list (or withdrawn) cannot be given.
    page = _doc(client.post_form(f"/recommendations/{world.rec.id}/themes",
                                 {"themes": ["999999"]}))
    assert page.xpath("//*[contains(@class, 'govuk-error-summary')]")


def test_the_theme_page_lists_recommendations_across_decisions_with_status_and_chart(
        client, world, make):
    other_decision = make.decision(title="Second review", exemption="open")
    other_part = make.part(other_decision, label="a")
    second = make.recommendation(other_part, reference="R2", text="Keep records.")
    exempt = make.decision(title="Exempt review", exemption="para_3")
    hidden = make.recommendation(make.part(exempt, label="a"), reference="X9",
                                 text="Exempt words")
    unthemed = make.recommendation(other_part, reference="R3", text="Not themed")
    theme = make.theme([world.rec, second, hidden], name="Record keeping")
    as_user(client, world.member)
    page = _doc(client.get(f"/themes/{theme.id}"))
    rows = page.xpath("//table[@id='theme-recommendations']/tbody/tr")
    refs = sorted(_words(r.xpath("./td//a")[0]) for r in rows)
    assert refs == ["3.1", "R2", "X9"]
    first = next(r for r in rows if r.get("data-recommendation") == str(world.rec.id))
    assert _words(first.xpath("./td")[3]) == "In progress: Grey"
    assert str(unthemed.id) not in [r.get("data-recommendation") for r in rows]
    # The chart and the table of the same figures beside it.
    assert page.xpath(f"//*[@id='theme-{theme.id}-status-by-source']")
    table = page.xpath("//figure[contains(@class, 'tracker-chart')]//table")[0]
    assert "Review" in _words(table)
    # A school lead never sees the exempt decision's recommendation.
    as_user(client, world.lead)
    page = _doc(client.get(f"/themes/{theme.id}"))
    refs = sorted(_words(r.xpath("./td//a")[0])
                  for r in page.xpath("//table[@id='theme-recommendations']/tbody/tr"))
    assert refs == ["3.1", "R2"]
    assert "Exempt words" not in page.text_content()
    listing = _doc(client.get("/themes"))
    count = listing.xpath("//tbody//td[contains(@class, 'govuk-table__cell--numeric')]")[0]
    assert _words(count) == "2"


def test_the_demo_gives_its_recommendations_themes_once(app, db_session):
    from tracker.demo import load_demo

    load_demo()
    load_demo()
    names = list(db_session.scalars(sa.select(Theme.name).order_by(Theme.name)))
    assert names == ["Information sharing", "Record keeping", "Training", "Voice of the child"]
    given = db_session.execute(sa.select(Theme.name, sa.func.count()).join(
        recommendation_themes, recommendation_themes.c.theme_id == Theme.id)
        .group_by(Theme.name)).tuples().all()
    assert dict(given).get("Record keeping", 0) >= 1
    assert sum(n for _, n in given) >= 3
