"""Text people typed or imported (a user's name, a GIAS phase, a guidance title) reaches
Plotly as text: Plotly reads a subset of HTML in labels, so every such text is escaped and a
name like ``<a href=...>`` shows as written, never as a link."""
from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import sign_in
from tests.dashboard.pages import charts
from tracker import charts as chart_module
from tracker import progress
from tracker.clock import today
from tracker.dashboard.figures import (
    AdoptionByPhase, OwnerRow, PhaseRow, SeriesPoint, Status, StatusBySource, WeeklySeries,
)

LINK = '<a href="https://evil.example">Bob</a>'
SHOWN = '&lt;a href="https://evil.example"&gt;Bob&lt;/a&gt;'


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.replace("<extra></extra>", "")]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def _markup(figure: dict[str, Any]) -> list[str]:
    return [s for s in _strings(figure) if "<" in s or ">" in s]


def test_every_chart_escapes_the_text_it_is_given():
    figure = progress.AdoptionFigure(as_at=dt.date(2021, 1, 31), adopted=1, in_scope_open=2,
                                     share=None, by_status={s: 1 for s in progress.ADOPTION_STATUSES})
    by_phase = AdoptionByPhase(LINK, (PhaseRow(f"<b>{LINK}</b>", figure),), figure,
                               ((progress.ADOPTION_ADOPTED, "Adopted <i>by</i> governors"),))
    status = StatusBySource(((progress.SOURCES[0], f"Review {LINK}"),),
                            (Status(progress.RAG_RED, f"Red {LINK}", "#d4351c"),),
                            {(progress.SOURCES[0], progress.RAG_RED): 1})
    weekly = WeeklySeries(f"Guidance {LINK}", (SeriesPoint(
        week_ending=dt.date(2021, 1, 31), numerator=1, denominator=2, share=None),))
    figures = [chart_module.overdue_by_owner([OwnerRow(LINK, 3)]),
               chart_module.adoption_by_phase(by_phase),
               chart_module.status_by_source(status),
               chart_module.weekly_shares([weekly], "Share")]
    for figure in figures:
        assert not _markup(figure), _markup(figure)
    assert figures[0]["data"][0]["y"] == [SHOWN]
    assert figures[1]["data"][0]["y"] == [f"&lt;b&gt;{SHOWN}&lt;/b&gt;"]
    assert figures[3]["data"][0]["name"] == f"Guidance {SHOWN}"


def test_a_name_with_markup_shows_as_text_in_the_dashboard_chart(client, make):
    owner = make.user(role="officer", name=LINK)
    decision = make.decision(title="Decision", exemption="open",
                             call_in_expires_on=dt.date(2020, 12, 4))
    part = make.part(decision, kind="agree_recommendations", owner_id=owner.id)
    recommendation = make.recommendation(part, owner_id=owner.id)
    make.action(recommendation, owner_id=owner.id, due_on=today() - dt.timedelta(days=3))
    guidance_part = make.part(decision, kind="approve_guidance", owner_id=owner.id)
    version = make.guidance_version(make.guidance(guidance_part, title=f"Guide {LINK}"))
    make.adoption(make.school(phase="<b>Primary</b>"), version, status="adopted")
    sign_in(client, make.user(role="member"))
    html = client.get("/dashboard").get_data(as_text=True)
    found = charts(html)
    overdue = found["dashboard-overdue-by-owner"]
    assert overdue["data"][0]["y"] == [SHOWN]
    for chart_id, figure in found.items():
        assert not _markup(figure), (chart_id, _markup(figure))


def test_the_late_chart_escapes_action_titles_and_owners():
    from tracker.dashboard.late import LateLine
    from tracker.progress import ActionState

    state = ActionState(id=1, owner_id=2, status="in_progress", rag="red",
                        current_due_on=dt.date(2021, 1, 25), original_due_on=dt.date(2021, 1, 25),
                        overdue=True, counted=True, latest_update=None)
    line = LateLine(1, "D1", "R1", LINK, LINK, "Service", dt.date(2021, 1, 25),
                    dt.date(2021, 1, 25), 6, None, "", "", state)
    figure = chart_module.late_by_days([line])
    assert not _markup(figure), _markup(figure)
    assert figure["data"][0]["y"] == [f"1. R1: {SHOWN}"]
    assert figure["data"][0]["customdata"] == [[SHOWN]]
