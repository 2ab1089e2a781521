"""Download names: every download says its file name in ASCII (all a WSGI server may send
in a header) and, in full, in RFC 5987's ``filename*``, so a decision whose reference or title
is not in Latin letters downloads like any other."""
from __future__ import annotations

import re
from urllib.parse import unquote

from tests.conftest import sign_in
from tests.security import world as world_module
from tracker.clock import today
from tracker.downloads import content_disposition

DISPOSITION = re.compile(
    r"""^attachment; filename="(?P<ascii>[\x20-\x7e]+)"; filename\*=UTF-8''(?P<full>[!-~]+)$""")


def _names(header: str) -> tuple[str, str]:
    header.encode("latin-1")  # what PEP 3333 allows in a header (else no answer at all)
    match = DISPOSITION.match(header)
    assert match, header
    assert '"' not in match.group("ascii")[:-1] and "\\" not in match.group("ascii")
    return match.group("ascii"), unquote(match.group("full"), errors="strict")


def test_the_header_keeps_the_whole_name_and_an_ascii_one():
    assert _names(content_disposition("committee-report-Решение-☃.csv")) == (
        "committee-report.csv", "committee-report-Решение-☃.csv")
    assert _names(content_disposition("Café report.xlsx")) == (
        "Cafe report.xlsx", "Café report.xlsx")
    assert _names(content_disposition('a"b\\c\r\nd.csv')) == ("a_b_c__d.csv", "a_b_c__d.csv")
    assert _names(content_disposition("плохо-2.csv"))[0] == "2.csv"
    assert _names(content_disposition("日本.csv"))[0] == "download.csv"


def test_a_report_for_a_decision_named_in_cyrillic_downloads(client, make):
    decision = make.decision(reference="Решение-7", title="Доклад ☃ Café", exemption="open")
    sign_in(client, make.user(role="member"))
    day = today()
    for kind in ("csv", "xlsx"):
        response = client.get(f"/reports/committee.{kind}?decision={decision.id}"
                              f"&as_at={day.day}&as_at={day.month}&as_at={day.year}")
        assert response.status_code == 200
        ascii_name, full = _names(response.headers["Content-Disposition"])
        assert full == f"committee-report-решение-7-as-at-{day:%Y-%m-%d}.{kind}"
        assert ascii_name == f"committee-report-7-as-at-{day:%Y-%m-%d}.{kind}"


def test_every_download_names_its_file_the_same_way(app, client, make):
    world = world_module.build(make)
    sign_in(client, world.users["admin"])
    found = []
    for rule in world_module.routes(app, "GET"):
        response = client.get(world_module.url(app, rule, world))
        header = response.headers.get("Content-Disposition")
        response.close()
        if header and response.status_code == 200:
            found.append(rule.endpoint)
            _names(header)
    assert len(found) >= 4, found
