"""The committee report's address reads ``as_at=2021-01-31``: the form's three boxes are
sent on to that address, old addresses (three ``as_at`` values) still work, and every link
the page makes uses the one date. Every CSV download says ``text/csv; charset=utf-8`` once."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import lxml.html

from tests.conftest import sign_in
from tests.dashboard.conftest import AS_AT


def test_the_forms_three_boxes_are_sent_on_to_an_address_with_one_date(client, built):
    sign_in(client, built.users["member"])
    answer = client.get(f"/reports/committee?decision={built.decision.id}&as_at=31&as_at=1"
                        "&as_at=2021")
    assert answer.status_code == 302
    where = urlsplit(answer.headers["Location"])
    assert where.path == "/reports/committee"
    assert parse_qs(where.query) == {"decision": [str(built.decision.id)],
                                     "as_at": ["2021-01-31"]}


def test_an_address_with_one_date_shows_the_report_with_the_date_in_its_boxes(client, built):
    sign_in(client, built.users["member"])
    answer = client.get(f"/reports/committee?decision={built.decision.id}&as_at=2021-01-31")
    assert answer.status_code == 200
    page = lxml.html.fromstring(answer.data)
    assert " ".join(page.xpath("string(//h1)").split()) == \
        "Committee progress report as at 31 January 2021"
    assert [page.get_element_by_id(f"as_at-{box}").get("value")
            for box in ("day", "month", "year")] == ["31", "1", "2021"]
    downloads = page.xpath("//a[@download]/@href")
    assert len(downloads) == 4
    for href in downloads:
        assert parse_qs(urlsplit(href).query)["as_at"] == ["2021-01-31"], href


def test_an_old_download_address_gives_the_same_file(client, built):
    sign_in(client, built.users["member"])
    old = client.get(f"/reports/committee.csv?decision={built.decision.id}&as_at=31&as_at=1"
                     "&as_at=2021")
    new = client.get(f"/reports/committee.csv?decision={built.decision.id}"
                     f"&as_at={AS_AT.isoformat()}")
    assert old.status_code == new.status_code == 200
    assert old.data == new.data


def test_a_date_that_does_not_exist_is_an_error_next_to_the_field(client, built):
    sign_in(client, built.users["member"])
    page = lxml.html.fromstring(client.get(
        f"/reports/committee?decision={built.decision.id}&as_at=2021-02-31").data)
    assert " ".join(page.xpath("string(//*[@class='govuk-error-message'])").split()) == \
        "Error: Report as at must be a real date, for example 27 3 2021"


def test_every_csv_download_names_its_character_set_once(client, built):
    sign_in(client, built.users["admin"])
    for address in (f"/reports/committee.csv?decision={built.decision.id}&as_at=2021-01-31",
                    "/admin/recommendations/export.csv", "/schools/chasing.csv"):
        answer = client.get(address)
        assert answer.status_code == 200, address
        assert answer.headers.get_all("Content-Type") == ["text/csv; charset=utf-8"], address
