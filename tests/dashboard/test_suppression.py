"""Open data suppression cannot be undone by subtraction: a phase with fewer than five
schools is hidden, and so are as many other phases as it takes for the hidden ones together
to describe at least five schools; a total describing fewer than five is hidden too. The
cases are written out as literals."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.dashboard.test_api import open_data  # noqa: F401
from tracker.api.suppression import hidden_cells, hidden_total


@pytest.mark.parametrize("counts,hidden", [
    ([10, 20], set()),                 # nothing small: all shown
    ([10, 3], {0, 1}),                 # 3 = total - 10: the 10 goes too
    ([10, 20, 3], {0, 2}),             # the smallest other cell is enough
    ([3, 3], {0, 1}),                  # 6 together: no more needed
    ([2, 2, 30], {0, 1, 2}),           # 4 together is still too few
    ([5, 1], {0, 1}),
    ([1, 1, 1, 40, 9], {0, 1, 2, 4}),  # 3, then 3 + 9
    ([0, 7], set()),                   # a phase with no school tells nothing
    ([0, 3, 8], {1, 2}),
    ([4], {0}),
    ([], set()),
])
def test_hidden_cells(counts, hidden):
    assert hidden_cells(counts, threshold=5) == hidden
    shown_sum = sum(n for i, n in enumerate(counts) if i not in hidden)
    hidden_sum = sum(counts) - shown_sum
    # total minus what is shown: never 1 to 4 (unless the total itself is hidden)
    assert hidden_sum == 0 or hidden_sum >= 5 or hidden_total(sum(counts), threshold=5)


@pytest.mark.parametrize("total,hidden", [(0, False), (1, True), (4, True), (5, False)])
def test_hidden_total(total, hidden):
    assert hidden_total(total, threshold=5) is hidden


def _guidance_with(make, phases):  # type: ignore[no-untyped-def]
    decision = make.decision(title="Guidance decision", exemption="open",
                             call_in_expires_on=dt.date(2020, 12, 4))
    part = make.part(decision, kind="approve_guidance")
    version = make.guidance_version(make.guidance(part))
    for phase, count, adopted in phases:
        for n in range(count):
            make.adoption(make.school(phase=phase), version,
                          status="adopted" if n < adopted else "not_started")
    return decision


def test_the_api_hides_the_complement_of_a_small_phase(client, make, open_data):  # noqa: F811
    decision = _guidance_with(make, [("Primary", 6, 3), ("Secondary", 2, 1)])
    body = client.get(f"/api/decisions/{decision.id}").json
    guidance = body["guidance"][0]
    assert (guidance["schools"], guidance["adopted"]) == (8, 4)
    assert guidance["by_phase"] == [
        {"phase": "Primary", "schools": None, "adopted": None, "percent_adopted": None,
         "suppressed": True},
        {"phase": "Secondary", "schools": None, "adopted": None, "percent_adopted": None,
         "suppressed": True}]


def test_the_api_hides_a_total_of_fewer_than_five_schools(client, make, open_data):  # noqa: F811
    decision = _guidance_with(make, [("Primary", 3, 1)])
    guidance = client.get(f"/api/decisions/{decision.id}").json["guidance"][0]
    assert (guidance["schools"], guidance["adopted"], guidance["percent_adopted"],
            guidance["suppressed"]) == (None, None, None, True)
