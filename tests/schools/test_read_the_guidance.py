"""'Read version 1' on the adoption form leads to the guidance page, which the school lead
can open; guidance approved by an exempt decision stays hidden from them (404)."""
from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html

from tests.conftest import sign_in


def test_read_version_1_leads_to_the_guidance_page_the_school_lead_can_open(
        client, make, guidance):
    found, version, _ = guidance
    school = make.school(name="Wyebank Primary School")
    lead = make.user(role="school_lead", schools=[school])
    sign_in(client, lead)
    page = lxml.html.fromstring(client.get(f"/schools/{school.id}/adoption").data)
    links = page.xpath("//a[starts-with(normalize-space(), 'Read version 1')]")
    assert [" ".join(a.text_content().split()) for a in links] == [
        "Read version 1 of Peer on peer model guidance"]
    target = urlsplit(links[0].get("href"))
    assert target.path == f"/schools/guidance/{found.id}" and target.query == "version=1"
    answer = client.get(links[0].get("href"))
    assert answer.status_code == 200
    heading = lxml.html.fromstring(answer.data).xpath("string(//h1)")
    assert " ".join(heading.split()) == "Peer on peer model guidance"


def test_guidance_of_an_exempt_decision_is_absent_for_a_school_lead(client, make):
    decision = make.decision(title="Exempt review", exemption="para_3")
    part = make.part(decision, label="c", kind="approve_guidance")
    hidden = make.guidance(part, title="Exempt guidance")
    lead = make.user(role="school_lead", schools=[make.school()])
    sign_in(client, lead)
    assert client.get(f"/schools/guidance/{hidden.id}").status_code == 404
