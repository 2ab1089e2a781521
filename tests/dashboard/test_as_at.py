"""A report as at a past date reads the same after later changes of every kind: progress
updates, sign-offs, responses, adoptions, a new guidance version, imports (GIAS schools and a
recommendations CSV), edits of texts, owners, names, the decision and its parts,
withdrawals, and new recommendations and decisions. Its CSV is byte for byte the same."""
from __future__ import annotations

import csv
import datetime as dt
import io

from flask import g

from tests.conftest import sign_in
from tests.dashboard.conftest import AS_AT, build
from tests.dashboard.test_report import report_url
from tests.schools.conftest import HEREFORD_UTF8
from tracker import audit
from tracker.clock import today
from tracker.decisions import services as decisions
from tracker.extensions import db
from tracker.recommendations import closing, csv_io
from tracker.recommendations import services as recs
from tracker.schools import services as schools
from tracker.schools.importing import ImportOptions, run_import
from tracker.users import services as users


def _main(html: str) -> str:
    """The report itself: from the first decision to the end of the page's main content."""
    start = html.index('<section class="tracker-report-decision')
    return html[start:html.index("</main>")]


def _downloads(client, built):
    one = client.get(report_url(built, "/reports/committee.csv")).data
    every = client.get(report_url(built, "/reports/committee.csv", decision="all")).data
    page = _main(client.get(report_url(built)).get_data(as_text=True))
    return one, every, page


def change_everything(built, make) -> None:
    admin, priya = built.users["admin"], built.users["priya"]
    day = today()
    g.cli_actor = admin  # services audit as a named user, as a command would
    try:
        # progress updates, a sign-off, a new response, a withdrawal
        recs.record_update(admin, built.actions["A2"], recs.UpdateDetails(
            status="complete", narrative="Course written."), day)
        recs.record_update(admin, built.actions["A4"], recs.UpdateDetails(
            status="in_progress", rag="amber", narrative="Sampling started.",
            reason="Schools closed for two weeks.",
            revised_due_on=day + dt.timedelta(days=60), revised_due_reason="Schools closed."), day)
        closing.record_outcome(admin, built.recs["R1"], "Every lead trained.",
                               "Training records.", built.recs["R1"].version_id)
        recs.sign_off(admin, built.recs["R1"], "Scrutiny committee", "Minute 12", day,
                      built.recs["R1"].version_id)
        # closing another way, re-opening and undoing a sign-off, after the date
        closing.undo_sign_off(admin, built.recs["R2"], "Signed off in error.", day)
        closing.close(admin, built.recs["R3"], "risk_accepted", reason="No budget this year.",
                      meeting="Cabinet", minute="9", superseded_by_id=None,
                      risk_accepted_by="Director of Children's Services", today=day)
        closing.reopen(admin, built.recs["R3"], "Budget found after all.", day)
        assert built.recs["R3"].responses and admin.id  # loaded after the commits above
        recs.record_response(admin, built.recs["R3"], recs.ResponseDetails(
            response="partially_accepted", reason="Only for secondary schools."))
        recs.withdraw_recommendation(admin, built.recs["R5"], "Entered twice",
                                     built.recs["R5"].version_id)
        recs.withdraw_action(admin, built.actions["A3"], "Not needed",
                             built.actions["A3"].version_id)
        # edits of texts, references and owners; a person renamed
        r1 = built.recs["R1"]
        recs.edit_recommendation(admin, r1, recs.RecommendationDetails(
            source="review", reference="R1 (revised)", text="=Train everyone, twice.",
            part_id=built.parts["a"].id, owner_id=priya.id), r1.version_id)
        recs.edit_action(admin, built.actions["A1"], recs.ActionDetails(
            title="Book the refresher training", owner_id=priya.id),
            built.actions["A1"].version_id)
        users.edit_user(priya, users.UserDetails(name="Priya Smith", email=priya.email,
                                                 role="officer"), priya.version_id)
        decisions.edit_decision(built.decision, {"title": "Review of cases (amended)",
                                                 "decision_maker": "Leader of the Council"},
                                built.decision.version_id)
        decisions.edit_part(built.parts["a"], {"label": "a", "text": "Amended part (a).",
                                               "kind": "agree_recommendations"},
                            built.parts["a"].version_id)
        # a new recommendation with an action and an update; a new decision
        new = recs.create_recommendation(admin, recs.RecommendationDetails(
            source="review", reference="R9", text="A later recommendation.",
            part_id=built.parts["a"].id, owner_id=priya.id))
        action = recs.add_action(admin, new, recs.ActionDetails(
            title="Later work", owner_id=priya.id, due_on=day - dt.timedelta(days=1)), day)
        recs.record_update(admin, action, recs.UpdateDetails(status="in_progress", rag="green"),
                           day)  # overdue (shown red) all the same
        decisions.create_decision({"title": "A later decision", "reference": "I50000002",
                                   "decision_maker": "Cabinet", "decided_on": AS_AT,
                                   "exemption": "open"})
        # adoptions and a new guidance version
        schools.record_adoption(built.schools["S4"], built.version,
                                schools.AdoptionDetails(status="adopted", adopted_on=day),
                                admin, 0)
        schools.record_adoption(built.schools["S1"], built.version,
                                schools.AdoptionDetails(status="declined", reason="Own policy"),
                                admin, None)
        schools.add_version(built.guidance, schools.VersionDetails(
            title="Version 2", approved_on=day))
        # imports: GIAS (renames, a phase changed, a school closed, new schools) and a
        # recommendations CSV editing a text
        summary = run_import(HEREFORD_UTF8, ImportOptions(la=("884",)))
        assert summary.applied and summary.added > 0 and summary.closed == 1
        rows = list(csv.DictReader(io.StringIO(csv_io.export_csv().lstrip("\ufeff"))))
        for row in rows:
            if row["reference"] == "S1":
                row["text"] = "Review the record keeping of every school."
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        plan = csv_io.check(out.getvalue(), day)
        assert not plan.problems, plan.problems
        csv_io.apply(plan, admin, day, "edited.csv")
        audit.record("update", summary="Test: every kind of change made")
        db.session.commit()
    finally:
        g.cli_actor = None


def test_a_report_as_at_a_past_date_reads_the_same_after_every_kind_of_change(
        client, built, make):
    sign_in(client, built.users["member"])
    before = _downloads(client, built)
    change_everything(built, make)
    db.session.expire_all()
    now = client.get(f"/dashboard?decision={built.decision.id}").get_data(as_text=True)
    # today's figures did change: R9's action, due yesterday, is on today's late list
    assert "Priya Smith" in now and "Later work" in now
    after = _downloads(client, built)
    assert after[0] == before[0]          # the decision's CSV, byte for byte
    assert after[1] == before[1]          # every decision's CSV, byte for byte
    assert after[2] == before[2]          # the printed report
    assert b"Train every designated safeguarding lead." in after[0]
    assert b"Priya Patel" in after[0] and b"Priya Smith" not in after[0]


def test_a_report_as_at_a_past_date_keeps_recommendations_moved_between_decisions_since(
        client, built, make, db_session):
    """A recommendation moved to another decision's part after the date stays under its
    part as at the date and is not yet under the other's; as at today each is where it is
    now (the report reads the recommendations under a part then from the audit trail)."""
    other = build(make, db_session, title="Another review", reference="I50000002",
                  urns=(990101, 990102, 990104, 990105, 199901))
    sign_in(client, built.users["member"])
    pair = (built, other)
    before = [client.get(report_url(b, "/reports/committee.csv")).data for b in pair]
    admin = built.users["admin"]
    g.cli_actor = admin
    try:
        for rec, part in ((built.recs["R1"], other.parts["a"]),
                          (other.recs["R2"], built.parts["a"])):
            recs.edit_recommendation(admin, rec, recs.RecommendationDetails(
                source="review", reference=rec.reference, text=f"Moved: {rec.text}",
                part_id=part.id, owner_id=rec.owner_id), rec.version_id)
        db.session.commit()
    finally:
        g.cli_actor = None
    db.session.expire_all()
    assert [client.get(report_url(b, "/reports/committee.csv")).data for b in pair] == before
    now = [client.get(report_url(b, "/reports/committee.csv", as_at=today())).data
           for b in pair]
    assert b"Moved: Publish the referral pathway." in now[0] and b"Moved: Train" not in now[0]
    assert b"Moved: Train every designated safeguarding lead." in now[1]
    assert b"Moved: Publish" not in now[1]
