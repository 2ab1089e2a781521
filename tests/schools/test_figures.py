"""Adoption figures as at past dates (written as literals), the facts adapter, and the
chasing list with its CSV export."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa

from tests.conftest import sign_in
from tracker.clock import LONDON
from tracker.extensions import db
from tracker.models import Adoption, AuditEvent, School
from tracker.schools import facts, queries

D = dt.date


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON).astimezone(dt.timezone.utc)


def history(make, school, version, *events):  # type: ignore[no-untyped-def]
    """An adoption whose dated events are exactly ``events``: (day, status, fields)."""
    last = events[-1]
    adoption = Adoption(school_id=school.id, guidance_version_id=version.id, status=last[1],
                        **(last[2] if len(last) > 2 else {}))
    db.session.add(adoption)
    db.session.flush()
    for day, status, *fields in events:
        make.adoption_event(adoption, recorded_at=at(day), status=status, via="officer",
                            **(fields[0] if fields else {}))
    return adoption


@pytest.fixture()
def story(make, guidance):  # type: ignore[no-untyped-def]
    """Six schools across 2021: one closes, one opens, one is out of scope."""
    _, version, _ = guidance
    recorded = at(D(2020, 12, 1))
    a = make.school(name="Aylestone", phase="Primary", created_at=recorded)
    b = make.school(name="Bredwardine", phase="Primary", created_at=recorded)
    c = make.school(name="Castle Green", phase="Secondary", created_at=recorded,
                    status="closed", closed_recorded_at=at(D(2021, 9, 1), 7))
    d = make.school(name="Dinmore Academy", phase="Secondary", created_at=at(D(2021, 9, 1), 6),
                    open_date=D(2021, 9, 1))
    e = make.school(name="Eardisland House", phase="Primary", created_at=recorded, in_scope=False,
                    type_name="Other independent school")
    f = make.school(name="Fownhope", phase="Primary", created_at=recorded,
                    status="open_proposed_to_close")
    history(make, a, version, (D(2021, 1, 10), "under_review"),
            (D(2021, 3, 1), "adopted", {"adopted_on": D(2021, 2, 25)}))
    history(make, b, version, (D(2021, 6, 15), "adopted", {"adopted_on": D(2021, 6, 14)}),
            (D(2022, 1, 5), "declined", {"reason": "Governors withdrew it"}))
    history(make, c, version, (D(2021, 2, 1), "adopted", {"adopted_on": D(2021, 1, 29)}))
    history(make, d, version, (D(2021, 10, 1), "own_policy", {"policy_url": "https://example.org/p"}))
    history(make, e, version, (D(2021, 1, 1), "adopted", {"adopted_on": D(2020, 12, 20)}))
    history(make, f, version, (D(2021, 12, 1), "embedded",
                               {"adopted_on": D(2021, 11, 1), "trained_on": D(2021, 11, 20)}))
    return version


@pytest.mark.parametrize(("as_at", "adopted", "counted"), [
    (D(2020, 12, 31), 0, 4),   # a, b, c, f counted; nothing adopted yet
    (D(2021, 2, 28), 1, 4),    # c adopted
    (D(2021, 3, 1), 2, 4),     # a adopted that day: recorded by the end of it
    (D(2021, 8, 31), 3, 4),    # b adopted
    (D(2021, 9, 1), 2, 4),     # c recorded closed (leaves), d opens (not yet adopted)
    (D(2021, 12, 31), 4, 4),   # d own policy, f embedded (proposed to close counts as open)
    (D(2022, 1, 31), 3, 4),    # b declined after adopting
])
def test_adoption_figure_as_at_past_dates(story, as_at, adopted, counted):
    figure = facts.adoption_figure(story, as_at)
    assert (figure.adopted, figure.in_scope_open) == (adopted, counted)


def test_figure_by_status_and_phase_on_the_guidance_page(client, make, story, guidance):
    guidance_row, _, _ = guidance
    sign_in(client, make.user(role="member"))
    page = client.get(f"/schools/guidance/{guidance_row.id}?as_at=31&as_at=1&as_at=2022"
                      ).get_data(as_text=True)
    assert "Adoption as at 31 January 2022: version 1" in page
    assert "<strong>75%</strong> of schools in scope and open have adopted version 1: 3 of 4." in page
    phases = page.split("Adoption by phase")[1]
    assert phases.index("Primary") < phases.index("Secondary")
    future = client.get(f"/schools/guidance/{guidance_row.id}?as_at=1&as_at=1&as_at=2999"
                        ).get_data(as_text=True)
    assert "Figures as at must be today or in the past" in future


def test_guidance_page_shows_a_school_s_phase_as_it_was_on_the_date(client, make, story, guidance):
    """A later GIAS import that changes a phase does not change an earlier figure."""
    from tracker import audit

    guidance_row, _, _ = guidance
    aylestone = db.session.scalar(sa.select(School).where(School.name == "Aylestone"))
    audit.updated(aylestone, {"phase": "Middle deemed primary"}, "Updated from GIAS")
    sign_in(client, make.user(role="member"))
    past = client.get(f"/schools/guidance/{guidance_row.id}?as_at=31&as_at=3&as_at=2021"
                      ).get_data(as_text=True).split("Adoption by phase")[1]
    assert "Middle deemed primary" not in past
    now = client.get(f"/schools/guidance/{guidance_row.id}").get_data(as_text=True)
    assert "Middle deemed primary" in now.split("Adoption by phase")[1]


def test_school_facts_takes_two_queries_whatever_the_number_of_schools(make, guidance):
    _, version, _ = guidance
    for n in range(30):
        school = make.school()
        if n % 2:
            make.adoption(school, version, status="adopted", adopted_on=D(2021, 5, 1))
    statements: list[str] = []
    engine = db.session.get_bind()
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        school_facts = facts.school_facts(version)
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 2
    assert len(school_facts) == 30
    assert sum(len(f.adoption_events) for f in school_facts) == 15


def test_version_as_at_is_the_version_recorded_by_then(make, guidance):
    guidance_row, version, _ = guidance
    second = make.guidance_version(guidance_row, approved_on=D(2023, 9, 1),
                                   created_at=at(D(2023, 9, 2)))
    assert facts.version_as_at(guidance_row, D(2023, 9, 1)) == version
    assert facts.version_as_at(guidance_row, D(2023, 9, 2)) == second
    assert facts.version_as_at(guidance_row, D(2020, 1, 1)) is None


# --- chasing list ----------------------------------------------------------------------------

@pytest.fixture()
def chase(make, guidance):  # type: ignore[no-untyped-def]
    _, version, _ = guidance
    trust = {"trust_code": "TR01234", "trust_name": "Wye Valley Learning Trust"}
    waiting = make.school(name="=HYPERLINK(\"http://evil.example\")")
    reviewing = make.school(name="Bredwardine Primary School", **trust)
    adopted = make.school(name="Castle Green Primary School")
    make.school(name="Closed Primary School", status="closed", closed_recorded_at=at(D(2021, 9, 1)))
    make.school(name="Independent House School", in_scope=False)
    make.school(name="Not Yet Open School", open_date=D(2999, 9, 1), status="proposed_to_open")
    make.adoption(reviewing, version, status="under_review")
    make.adoption(adopted, version, status="adopted", adopted_on=D(2021, 5, 1))
    make.user(role="school_lead", name="Sam Lead", email="sam.lead@example.gov.uk",
              schools=[waiting])
    make.user(role="school_lead", name="Tara Trust", email="tara.trust@example.gov.uk",
              trust_code="TR01234")
    return version


def test_chasing_list_is_the_figure_s_schools_not_adopted_with_their_leads(client, make, chase):
    rows = queries.chasing_list(chase)
    assert [r.school.name for r in rows] == ["=HYPERLINK(\"http://evil.example\")",
                                             "Bredwardine Primary School"]
    figure = facts.adoption_figure(chase)
    assert len(rows) == figure.in_scope_open - figure.adopted
    sign_in(client, make.user(role="officer"))
    page = client.get("/schools/chasing").get_data(as_text=True)
    assert "2 schools to chase" in page
    assert "sam.lead@example.gov.uk" in page and "tara.trust@example.gov.uk" in page
    assert "Castle Green" not in page and "Closed Primary" not in page
    assert "Independent House" not in page and "Not Yet Open" not in page


def test_chasing_list_export_neutralises_formulas_and_is_audited(client, make, chase):
    officer = make.user(role="officer")
    sign_in(client, officer)
    response = client.get("/schools/chasing.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["URN", "School"]
    assert rows[1][1] == "'=HYPERLINK(\"http://evil.example\")"
    assert rows[1][7:] == ["Sam Lead", "sam.lead@example.gov.uk"]
    assert rows[2][6:] == ["Under review", "Tara Trust", "tara.trust@example.gov.uk"]
    export = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export"))
    assert export.actor_id == officer.id and "2 schools" in export.summary


@pytest.mark.parametrize("role", ["member", "school_lead"])
def test_chasing_list_is_for_administrators_and_officers(client, make, chase, role):
    sign_in(client, make.user(role=role, trust_code="TR01234" if role == "school_lead" else None))
    assert client.get("/schools/chasing").status_code == 404
    assert client.get("/schools/chasing.csv").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "export")) == 0


def test_chasing_list_pages(client, make, guidance):
    for n in range(30):
        make.school(name=f"School {n:02d}")
    sign_in(client, make.user(role="admin"))
    second = client.get("/schools/chasing?page=2").get_data(as_text=True)
    assert "30 schools to chase (showing 26 to 30)" in second
    assert "School 25" in second and "School 24" not in second
