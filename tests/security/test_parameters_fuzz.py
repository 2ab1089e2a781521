"""No crafted parameter gives a 500: every route's path ids and query parameters are fuzzed
(hypothesis) for each role, and every form posted with crafted values, on SQLite and (with
TEST_DATABASE_URL) PostgreSQL. The values are the ones that found 500s: digits Python reads
as numbers but ``int`` does not ("²"), ids beyond 2³¹ and 2⁶⁴, dates in year 1 or 9999, a
date sent as one box instead of three, and arbitrary text."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import sign_in
from tests.recommendations.conftest import as_user
from tests.security import world as world_module
from tests.security.formparse import forms
from werkzeug.datastructures import MultiDict

NASTY = ["²", "١٢", "-1", "0", "00", "1.5", "1e3", " 7", "2147483648", "9223372036854775808",
         str(2**70), "99999999999999999999999", "all", "", "%", "'", "0001-01-01",
         "9999-12-31", "1", "9999", "2021-02-30", "true", "None"]
IDS = st.one_of(st.sampled_from([0, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64, 2**70]),
                st.integers(min_value=0, max_value=2**80))
VALUES = st.one_of(st.sampled_from(NASTY), st.integers(-(2**70), 2**70).map(str),
                   st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12))
# Every name a route reads from its query string (besides its forms' fields, read off the page).
KNOWN = ["page", "as_at", "decision", "version", "source", "owner", "status", "overdue",
         "part_id", "object_type", "object_id", "date_from", "date_to", "user", "action", "q",
         "phase", "type_name", "trust", "show", "next"]
DATES = {"as_at", "date_from", "date_to", "due_on", "revised_due_on", "decided_on"}
SKIP = {"auth.sign_out", "static"}
ROLES = ["admin", "officer", "school_lead"]


def _query_names(html: str) -> list[str]:
    names = {name for form in forms(html) if form["method"] == "get"
             for name, _ in form["fields"]}
    return sorted(names | set(KNOWN))


def _path(rule: Any, ids: dict[str, int]) -> str:
    return re.sub(r"<(?:int:)?([a-z_]+)>", lambda m: str(ids.get(m.group(1), "x")), rule.rule)


@pytest.mark.parametrize("role", ROLES)
def test_no_query_or_path_parameter_gives_a_500(app, client, make, role):
    world = world_module.build(make)
    sign_in(client, world.users[role])
    routes = [r for r in world_module.routes(app, "GET") if r.endpoint not in SKIP]
    names = {}
    for rule in routes:
        page = client.get(world_module.url(app, rule, world))
        names[rule.endpoint] = _query_names(
            page.get_data(as_text=True) if page.mimetype == "text/html" else "")
    failures: list[str] = []

    @settings(max_examples=len(routes) * 6, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(data: st.DataObject) -> None:
        rule = data.draw(st.sampled_from(routes))
        own = world_module.values(rule, world)
        ids = {arg: data.draw(st.one_of(st.just(value), IDS)) if isinstance(value, int)
               else value for arg, value in own.items()}
        chosen = data.draw(st.lists(st.sampled_from(names[rule.endpoint]), max_size=4,
                                    unique=True))
        query: list[tuple[str, str]] = []
        for name in chosen:
            count = data.draw(st.integers(1, 3)) if name in DATES else 1
            query += [(name, data.draw(VALUES)) for _ in range(count)]
        path = _path(rule, ids) + ("?" + urlencode(query) if query else "")
        if (status := _status(client.get, path)) >= 500:
            failures.append(f"{path}: {status}")

    check()
    assert not failures, "\n".join(sorted(set(failures))[:40])


def test_every_route_survives_the_values_that_found_500s(app, client, make):
    """The same, deterministically: each route with each crafted value in every parameter
    at once, and each id in its path beyond what the database holds (404)."""
    world = world_module.build(make)
    sign_in(client, world.users["admin"])
    failures = []
    for rule in world_module.routes(app, "GET"):
        if rule.endpoint in SKIP:
            continue
        own = world_module.values(rule, world)
        for arg, value in own.items():
            if isinstance(value, int):
                for big in (2**31, 2**64, 2**70):
                    path = _path(rule, own | {arg: big})
                    if (status := _status(client.get, path)) != 404:
                        failures.append(f"{path}: {status}")
        base = _path(rule, own)
        for crafted in (["²"], [str(2**64)], ["2147483648"], ["-5"], ["3"], [""],
                        ["1", "1", "1"], ["31", "12", "9999"], ["1", "²", "2021"]):
            path = f"{base}?{urlencode([(name, v) for name in KNOWN for v in crafted])}"
            if _status(client.get, path) >= 500:
                failures.append(f"{path}: 500")
    assert not failures, "\n".join(failures[:60])


@pytest.mark.parametrize("role", ["admin", "officer"])
def test_no_form_posted_with_crafted_values_gives_a_500(app, client, make, role):
    """Each form on each page, posted with every field set to a crafted value (a date as
    one box, a year 1 or 9999, "²", an id beyond 2⁶⁴) but one left empty, so the form fails
    and is shown again with what was sent."""
    world = world_module.build(make)
    user = world.users[role]
    as_user(client, user)
    failures = []
    for rule in world_module.routes(app, "GET"):
        if rule.endpoint in SKIP or "POST" not in (rule.methods or ()):
            continue
        page_path = world_module.url(app, rule, world)
        page = client.get(page_path)
        if page.status_code != 200:
            continue
        for form in forms(page.get_data(as_text=True)):
            if form["method"] != "post" or form["files"] or \
                    (form["action"] or page_path).split("?")[0] != page_path.split("?")[0]:
                continue
            names = list(dict.fromkeys(n for n, _ in form["fields"] if n != "csrf_token"))
            token = dict(form["fields"]).get("csrf_token", "")
            for crafted in (["3"], ["1", "1", "1"], ["31", "12", "9999"], ["²"],
                            [str(2**64)], ["1", "²", "2021"]):
                fields = [("csrf_token", token)] + [
                    (n, v) for n in names[1:] for v in crafted] + [(names[0], "")] \
                    if names else [("csrf_token", token)]
                status = _status(client.post, page_path, data=MultiDict(fields))
                if status >= 500:
                    failures.append(f"{page_path} {crafted}: {status}")
                if status == 302:
                    as_user(client, user)  # in case the post signed us out
    assert not failures, "\n".join(failures[:60])


def _status(call: Any, *args: Any, **kwargs: Any) -> int:
    """The status, with an exception the test client lets through counted as the 500 it
    would be."""
    try:
        response = call(*args, **kwargs)
    except Exception as error:  # noqa: BLE001
        print(f"{args[0]}: {type(error).__name__}: {error}")
        return 500
    response.close()
    return response.status_code


def test_the_crafted_parameters_the_attack_found_get_clear_answers(client, make):
    """The literal cases: a page "²" is the first page; an id beyond the database's integer
    is a page that does not exist; audit dates in year 1 or 9999 are a message on the form."""
    admin = make.user(role="admin")
    decision = make.decision(title="A decision")
    sign_in(client, admin)
    assert client.get("/recommendations?page=%C2%B2").status_code == 200
    assert client.get("/admin/audit?page=%C2%B2").status_code == 200
    assert client.get(f"/decisions/{decision.id}").status_code == 200
    for big in (2**31, 2**63, 2**64, 2**70):
        assert client.get(f"/decisions/{big}").status_code == 404
    for year in ("0001", "9999"):
        page = client.get(f"/admin/audit?date_from=1&date_from=1&date_from={year}"
                          "&date_to=31&date_to=12&date_to=9999")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "From must be a date between 1900 and 2999" in text
        assert "To must be a date between 1900 and 2999" in text  # no "(inclusive)" in messages
