"""The schools list (filters, paging, a lead's own schools), a school lead's home data, the
hand-made predecessor link, and the demo data."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.conftest import sign_in
from tracker import clock
from tracker.extensions import db
from tracker.models import Adoption, AdoptionEvent, Guidance, School
from tracker.schools import demo, facts, queries


@pytest.fixture()
def schools(make, guidance):  # type: ignore[no-untyped-def]
    _, version, _ = guidance
    trust = {"trust_code": "TR01234", "trust_name": "Wye Valley Learning Trust"}
    made = {
        "primary": make.school(name="Aylestone Primary School", phase="Primary"),
        "secondary": make.school(name="Bishop High School", phase="Secondary",
                                 type_name="Academy converter", **trust),
        "academy": make.school(name="Credenhill Primary Academy", phase="Primary",
                               type_name="Academy converter", **trust),
        "closed": make.school(name="Dilwyn Closed School", status="closed",
                              closed_recorded_at=dt.datetime(2021, 9, 1, tzinfo=dt.timezone.utc)),
        "independent": make.school(name="Eastnor House School", in_scope=False,
                                   type_name="Other independent school"),
    }
    make.adoption(made["secondary"], version, status="adopted", adopted_on=dt.date(2021, 5, 1))
    make.adoption(made["academy"], version, status="under_review")
    return made


def test_list_filters_by_phase_type_trust_and_status(client, make, schools):
    sign_in(client, make.user(role="member"))
    page = client.get("/schools").get_data(as_text=True)
    assert "Schools 1 to 3 of 3" in page  # in scope and open by default
    by_phase = client.get("/schools?phase=Secondary").get_data(as_text=True)
    assert "Bishop High School" in by_phase and "Aylestone" not in by_phase
    by_type = client.get("/schools?type_name=Academy+converter").get_data(as_text=True)
    assert "Schools 1 to 2 of 2" in by_type
    by_trust = client.get("/schools?trust=wye+valley").get_data(as_text=True)
    assert "Schools 1 to 2 of 2" in by_trust
    not_started = client.get("/schools?status=not_started").get_data(as_text=True)
    assert "Aylestone Primary School" in not_started and "Schools 1 to 1 of 1" in not_started
    everyone = client.get("/schools?show=all").get_data(as_text=True)
    assert "Schools 1 to 5 of 5" in everyone and "Out of scope" in everyone
    by_urn = client.get(f"/schools?show=all&q={schools['closed'].urn}").get_data(as_text=True)
    assert "Dilwyn Closed School" in by_urn and "Schools 1 to 1 of 1" in by_urn


def test_the_filter_choices_are_the_phases_and_types_among_the_schools_one_can_list(
        make, schools):
    """Each phase and type once, in order, none missing; a school lead's from their own
    schools only (read a value at a time from the indexes: queries._values)."""
    make.school(name="Fownhope Nursery", phase="Nursery", type_name="Academy sponsor led")
    make.school(name="Garway Unknown", phase=None, type_name=None)
    member = make.user(role="member")
    db.session.flush()
    every = list(db.session.scalars(sa.select(School)))
    assert queries.filter_choices(member) == {
        "phases": sorted({s.phase for s in every if s.phase is not None}),
        "types": sorted({s.type_name for s in every if s.type_name is not None})}
    assert queries.filter_choices(member)["phases"] == ["Nursery", "Primary", "Secondary"]
    lead = make.user(role="school_lead", schools=[schools["secondary"], schools["closed"]])
    db.session.flush()
    assert queries.filter_choices(lead) == {
        "phases": ["Primary", "Secondary"], "types": ["Academy converter", "Community school"]}
    nobody = make.user(role="school_lead")
    db.session.flush()
    assert queries.filter_choices(nobody) == {"phases": [], "types": []}


def test_the_unfiltered_count_is_the_schools_counted_today(make, schools, guidance):
    """The list's count unfiltered (from today's kept adoption counts: queries._total) is
    the number of schools the rule counts today, whichever way a school is left out."""
    _, version, _ = guidance
    today = clock.today()
    make.school(name="Opening Tomorrow", open_date=today + dt.timedelta(days=1))
    make.school(name="Opened Today", open_date=today)
    make.school(name="Closed Tomorrow", status="closed", closed_recorded_at=dt.datetime.combine(
        today + dt.timedelta(days=2), dt.time(), tzinfo=dt.timezone.utc))
    make.adoption(make.school(name="Adopting Nursery", phase=None), version, status="adopted",
                  adopted_on=dt.date(2021, 5, 1))
    db.session.flush()
    member, lead = make.user(role="member"), make.user(role="school_lead",
                                                       schools=[schools["primary"]])
    db.session.flush()
    counted = db.session.scalar(sa.select(sa.func.count()).select_from(School).where(
        *facts.counted_clause(today)))
    assert queries.list_schools(member, version, queries.SchoolFilters()).total == counted == 6
    assert queries.list_schools(member, version, queries.SchoolFilters(page=9)).total == 6
    assert queries.list_schools(lead, version, queries.SchoolFilters()).total == 1
    assert queries.list_schools(member, version,
                                queries.SchoolFilters(show="all")).total == 9


def test_list_pages_through_many_schools(client, make, guidance):
    for n in range(30):
        make.school(name=f"School {n:02d}")
    sign_in(client, make.user(role="officer"))
    first = client.get("/schools").get_data(as_text=True)
    assert "Schools 1 to 25 of 30" in first and "School 24" in first and "School 25" not in first
    second = client.get("/schools?page=2").get_data(as_text=True)
    assert "Schools 26 to 30 of 30" in second and "School 25" in second


def test_school_lead_lists_only_their_own_schools(client, make, schools):
    lead = make.user(role="school_lead", schools=[schools["primary"]], trust_code="TR01234")
    sign_in(client, lead)
    page = client.get("/schools").get_data(as_text=True)
    assert "Your schools" in page and "Schools 1 to 3 of 3" in page
    assert "Dilwyn" not in page and "Eastnor" not in page


def test_school_lead_home_data(make, schools):
    lead = make.user(role="school_lead", schools=[schools["primary"], schools["closed"]],
                     trust_code="TR01234")
    mine = queries.schools_for_lead(lead)
    assert [r.school.name for r in mine] == ["Aylestone Primary School", "Bishop High School",
                                             "Credenhill Primary Academy", "Dilwyn Closed School"]
    assert [r.status for r in mine] == ["not_started", "adopted", "under_review", "not_started"]
    outstanding = queries.outstanding_for_lead(lead)
    assert [r.school.name for r in outstanding] == ["Aylestone Primary School",
                                                    "Credenhill Primary Academy"]
    assert queries.schools_for_lead(make.user(role="officer")) == []


def test_administrator_links_a_school_to_its_predecessor_by_hand(client, make, guidance):
    _, version, _ = guidance
    old = make.school(name="Madley Primary School", status="closed")
    new = make.school(name="Madley Primary Academy", type_name="Academy converter")
    make.adoption(old, version, status="embedded", adopted_on=dt.date(2021, 3, 1),
                  trained_on=dt.date(2021, 4, 1))
    sign_in(client, make.user(role="admin"))
    unknown = client.post_form(f"/schools/{new.id}/predecessor",
                               {"predecessor_urn": "999999", "version_id": new.version_id})
    assert "No school in the tracker has URN 999999" in unknown.get_data(as_text=True)
    done = client.post_form(f"/schools/{new.id}/predecessor",
                            {"predecessor_urn": str(old.urn), "version_id": new.version_id},
                            follow_redirects=True)
    assert "Its adoption of the current version was carried over." in done.get_data(as_text=True)
    db.session.refresh(new)
    assert new.predecessor_id == old.id
    carried = db.session.scalar(sa.select(Adoption).where(Adoption.school_id == new.id))
    assert (carried.status, carried.trained_on) == ("embedded", dt.date(2021, 4, 1))
    assert [e.via for e in carried.events] == ["carried_over"]
    loop = client.post_form(f"/schools/{old.id}/predecessor",
                            {"predecessor_urn": str(new.urn), "version_id": old.version_id})
    assert "linking them would make a loop" in loop.get_data(as_text=True)


def test_only_administrators_link_schools(client, make):
    school = make.school()
    sign_in(client, make.user(role="officer"))
    assert client.get(f"/schools/{school.id}/predecessor").status_code == 404


def test_demo_loads_the_guidance_and_example_schools_once(make):
    from tracker.demo import load_decision, load_users

    users = load_users()
    db.session.flush()
    decision = load_decision(users)
    db.session.flush()
    demo.load(decision, users)
    demo.load(decision, users)  # idempotent
    (guidance,) = db.session.scalars(sa.select(Guidance)).all()
    assert guidance.title == "Peer on peer model guidance" and guidance.part.label == "c"
    (version,) = guidance.versions
    assert version.approved_on == dt.date(2020, 11, 26)
    assert db.session.scalar(sa.select(sa.func.count(School.id)).where(
        School.is_example.is_(True))) == 24
    assert [facts.adoption_figure(version, day).adopted for day in (
        dt.date(2020, 12, 31), dt.date(2021, 6, 30), dt.date(2021, 12, 31),
        dt.date(2022, 12, 31))] == [0, 7, 10, 15]
    assert facts.adoption_figure(version, dt.date(2022, 12, 31)).in_scope_open == 21
    lead = users["schoollead@example.gov.uk"]
    assert sorted(s.urn for s in lead.schools) == [884001, 884002]
    assert users["trustlead@example.gov.uk"].trust_code == demo.TRUST[0]
    academy = db.session.scalar(sa.select(School).where(School.urn == 884013))
    assert academy.predecessor.urn == 884012
    assert db.session.scalar(sa.select(AdoptionEvent.via).join(Adoption).where(
        Adoption.school_id == academy.id)) == "carried_over"
