"""Plain words on the home page: no double negative when every school has adopted."""
from __future__ import annotations

import lxml.html

from tests.conftest import sign_in


def test_a_lead_whose_schools_have_all_adopted_is_told_so_plainly(client, make, built):
    lead = make.user(role="school_lead", schools=[built.schools["S1"]])
    sign_in(client, lead)
    page = lxml.html.fromstring(client.get("/").data)
    words = " ".join(page.get_element_by_id("adoption-summary").text_content().split())
    assert words.endswith("version 1: all your schools have adopted it.")
    assert "0 of your schools" not in page.text_content()
