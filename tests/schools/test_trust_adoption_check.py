"""Trust-wide adoption without traps: nothing chosen for the lead, a check page showing each
school's change from -> to, and a school moved back only when chosen, with a reason."""
from __future__ import annotations

import datetime as dt

import re

import pytest

from tests.conftest import sign_in
from tests.dashboard.pages import tables
from tests.schools.test_adoption import adoptions_of, events_of, form

TRUST = {"trust_code": "TR05555", "trust_name": "Golden Valley Learning Trust"}


@pytest.fixture()
def trust(client, make, guidance):  # type: ignore[no-untyped-def]
    """Two academies: one embedded (staff trained), one not started; the lead signed in."""
    _, version, _ = guidance
    embedded = make.school(name="Embedded Academy", **TRUST)
    make.adoption(embedded, version, status="embedded", adopted_on=dt.date(2021, 1, 20),
                  trained_on=dt.date(2021, 2, 1))
    fresh = make.school(name="Fresh Academy", **TRUST)
    sign_in(client, make.user(role="school_lead", trust_code=TRUST["trust_code"]))
    return embedded, fresh


def _state(page: str) -> str:
    return page.split('name="state" type="hidden" value="')[1].split('"')[0]


def _text(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_nothing_is_preselected_and_the_caption_names_the_trust(client, trust):
    page = client.get("/schools/trust-adoption").get_data(as_text=True)
    radios = re.findall(r'<input[^>]*name="status"[^>]*>', page)
    assert len(radios) == 6 and not any("checked" in r for r in radios)
    assert _text(page, r'<span class="govuk-caption-l">(.*?)</span>') == TRUST["trust_name"]


def test_the_check_page_lists_each_school_from_and_to_and_saves_nothing(client, trust):
    embedded, fresh = trust
    state = _state(client.get("/schools/trust-adoption").get_data(as_text=True))
    page = client.post_form("/schools/trust-adoption", form(
        "adopted", adopted_on=dt.date(2021, 3, 1)) | {"state": state}).get_data(as_text=True)
    assert _text(page, r"<h1[^>]*>(.*?)</h1>") == "Check the change for each school"
    rows = {row[0]: row[1:] for row in tables(page)["Each school's change"][1:]}
    assert rows["Fresh Academy"] == ["Not started", "Adopted by the governing body or trust"]
    assert rows["Embedded Academy"][1].startswith("Left as Embedded")
    assert len(events_of(fresh)) == 0 and adoptions_of(embedded)[0].status == "embedded"


def test_a_school_that_would_move_back_is_left_as_it_is_unless_chosen(client, trust):
    embedded, fresh = trust
    state = _state(client.get("/schools/trust-adoption").get_data(as_text=True))
    client.post_form("/schools/trust-adoption", form(
        "adopted", adopted_on=dt.date(2021, 3, 1)) | {"state": state, "confirm": "yes"})
    assert adoptions_of(embedded)[0].status == "embedded"  # not silently downgraded
    assert adoptions_of(fresh)[0].status == "adopted"


def test_moving_a_school_back_needs_a_reason_and_keeps_it(client, trust):
    embedded, _ = trust
    state = _state(client.get("/schools/trust-adoption").get_data(as_text=True))
    data = form("adopted", adopted_on=dt.date(2021, 3, 1)) | {
        "state": state, "confirm": "yes", f"downgrade-{embedded.id}": "yes"}
    refused = client.post_form("/schools/trust-adoption", data).get_data(as_text=True)
    assert _text(refused, r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>') == (
        "Give the reason Embedded Academy is moved back")
    assert adoptions_of(embedded)[0].status == "embedded"
    client.post_form("/schools/trust-adoption", data | {
        f"downgrade-reason-{embedded.id}": "Training was for the old version"})
    (adoption,) = adoptions_of(embedded)
    assert adoption.status == "adopted"
    assert adoption.note.startswith("Moved back from Embedded")
    assert "Training was for the old version" in adoption.note
