"""Open data: off unless OPEN_DATA_ENABLED; then totals only, for Open decisions only."""
from __future__ import annotations

import json

import pytest



@pytest.fixture()
def open_data(app):
    app.config["OPEN_DATA_ENABLED"] = True
    yield
    app.config["OPEN_DATA_ENABLED"] = False


@pytest.mark.parametrize("path", ["/api/", "/api/decisions", "/api/decisions/1"])
def test_open_data_is_off_unless_switched_on(client, built, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json == {"error": "Not Found", "status": 404,
                             "message": response.json["message"]}


def test_open_data_gives_totals_for_open_decisions_only(client, built, exempt, open_data):
    listed = client.get("/api/decisions")
    assert listed.status_code == 200 and listed.mimetype == "application/json"
    assert listed.headers["Access-Control-Allow-Origin"] == "*"
    body = listed.json
    assert [d["reference"] for d in body["decisions"]] == ["I50000001"]
    decision = body["decisions"][0]
    assert decision["status"] == {"label": "in_progress", "rag": "red",
                                  "words": "In progress: Red"}
    assert decision["actions"] == {"complete": 2, "counted": 4, "percent_complete": 50,
                                   "overdue": 2}
    assert decision["recommendations"]["counted"] == 4
    assert decision["recommendations"]["not_accepted"] == 1
    assert {s["words"]: s["count"] for s in decision["recommendations"]["by_status"]} == {
        "In progress: Red": 2, "No actions yet": 1, "Complete": 1, "Not accepted": 1}
    assert decision["guidance"][0]["schools"] == 8            # every school in scope
    assert decision["guidance"][0]["adopted"] == 2
    # a phase with fewer than five schools is suppressed: no school's status can be read off
    assert decision["guidance"][0]["by_phase"] == [
        {"phase": "Primary", "schools": None, "adopted": None, "percent_adopted": None,
         "suppressed": True},
        {"phase": "Secondary", "schools": None, "adopted": None, "percent_adopted": None,
         "suppressed": True}]
    detail = client.get(decision["url"]).json
    assert [p["label"] for p in detail["parts"]] == ["a", "b", "c", "d"]
    assert detail["parts"][0]["actions"] == {"complete": 2, "counted": 3,
                                             "percent_complete": 67, "overdue": 1}
    assert client.get(f"/api/decisions/{exempt.decision.id}").status_code == 404
    text = json.dumps(body) + json.dumps(detail)
    for private in ("Exempt commercial review", "I50000009", "First draft written.",
                    "Train every designated safeguarding lead.", "Ash Primary", "990001",
                    "Olu Officer", "Priya Patel", "No budget in 2021."):
        assert private not in text


def test_open_data_as_at_a_past_date_and_bad_dates(client, built, open_data):
    past = client.get("/api/decisions?as_at=2021-01-31").json
    assert past["as_at"] == "2021-01-31"
    assert past["decisions"][0]["actions"] == {"complete": 1, "counted": 4,
                                               "percent_complete": 25, "overdue": 1}
    bad = client.get("/api/decisions?as_at=31/01/2021")
    assert bad.status_code == 400
    assert bad.json["message"] == ("as_at must be a date written YYYY-MM-DD, "
                                   "for example 2021-03-31")
    assert client.get("/api/decisions?as_at=2999-01-01").status_code == 400
    assert client.get("/api/decisions?as_at=2020-12-31").json["decisions"] == []
