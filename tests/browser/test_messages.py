"""Reaching people, in a real browser with real email (aiosmtpd on 127.0.0.1): an
administrator opens an update round; the owner follows the emailed link, records the update,
and the round page shows it returned. Then the reminders run later: a digest, an escalation
and a school reminder arrive, and their links open the right pages for their readers."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in_as
from tests.messages.servers import SmtpServer
from tracker import clock
from tracker.messages import outbox, reminders

pytestmark = pytest.mark.browser


def _link(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    assert match, f"no link like {pattern} in:\n{text}"
    return match.group(0)


def _deliver(app) -> None:
    with app.app_context():
        report = outbox.deliver()
        assert report.failed == 0 and report.retried == 0, str(report)


def _mail_to(smtp, address: str, kind_words: str):
    found = [m for m in smtp.received if address in m.recipients and kind_words in m.subject]
    assert found, f"no email to {address} about {kind_words!r}: {[m.subject for m in smtp.received]}"
    return found[-1]


def test_round_digest_escalation_and_school_reminder_end_to_end(browser, live_server):
    app = live_server.app
    saved = dict(app.config)

    def new_page():
        context = browser.new_context()
        pg = context.new_page()
        pg.set_default_timeout(10_000)
        return context, pg

    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_USE_TLS=False,
                          MAIL_FROM="tracker@example.gov.uk", MAIL_TIMEOUT=5.0,
                          NOTIFY_API_KEY=None, BASE_URL=live_server.url)
        try:
            # An administrator opens a round over the demo decision.
            context, page = new_page()
            sign_in_as(page, live_server, "admin@example.gov.uk")
            page.get_by_role("link", name="Update rounds").click()
            assert_no_axe_violations(page)
            page.get_by_role("link", name="Open a round").click()
            assert_no_axe_violations(page)
            today = clock.today()
            page.get_by_label("Committee").fill("Children and Young People Scrutiny Committee")
            for field, day in (("meeting_on", today + dt.timedelta(days=21)),
                               ("due_on", today + dt.timedelta(days=14))):
                page.locator(f"#{field}-day").fill(str(day.day))
                page.locator(f"#{field}-month").fill(str(day.month))
                page.locator(f"#{field}-year").fill(str(day.year))
            page.locator("input[name=decision_ids]").first.check()
            page.get_by_role("button", name="Open the round and send the requests").click()
            expect(page.locator(".govuk-notification-banner")).to_contain_text("Round opened")
            round_url = page.url
            assert_no_axe_violations(page)

            # The owner gets one email, follows its link to an update form and records it.
            _deliver(app)
            mail = _mail_to(smtp, "officer@example.gov.uk", "Updates due by")
            update_link = _link(mail.part("plain"), re.escape(live_server.url)
                                + r"/actions/\d+/updates/new")
            action_id = re.search(r"/actions/(\d+)/", update_link).group(1)
            owner_context, owner = new_page()
            sign_in_as(owner, live_server, "officer@example.gov.uk")
            owner.goto(update_link)
            expect(owner.locator("h1")).to_have_text("Record a progress update")
            owner.get_by_role("radio", name="In progress").check()
            owner.get_by_role("radio", name="Green").check()
            owner.get_by_label("What has happened").fill("Working group met.")
            owner.get_by_role("button", name="Record the update").click()
            expect(owner.locator(".govuk-notification-banner")).to_contain_text(
                "Progress update recorded")

            # The round page shows it returned.
            page.goto(round_url)
            expect(page.locator(f"#item-{action_id} .round-state")).to_contain_text("Returned")
            page.get_by_role("link", name="Messages").click()
            expect(page.locator("#message-counts")).to_contain_text("Sent:")
            assert_no_axe_violations(page)

            # Months later the reminders run: a digest, an escalation, a school reminder.
            later = clock.now() + dt.timedelta(days=400)
            with clock.travel_to(later), app.app_context():
                counts = reminders.queue_due(clock.now())
                from tracker.extensions import db
                db.session.commit()
                assert counts["digest"] and counts["escalation_action"] and counts["school_reminder"]
                outbox.deliver()
            digest = _mail_to(smtp, "officer@example.gov.uk", "summary")
            owner.goto(_link(digest.part("plain"), re.escape(live_server.url) + r"/my-actions"))
            expect(owner.locator("h1")).to_contain_text("actions")
            escalated = [m for m in smtp.received if "overdue by more than" in m.subject]
            assert escalated
            lead_mail = _mail_to(smtp, "schoollead@example.gov.uk", "yet to adopt")
            school_link = _link(lead_mail.part("plain"), re.escape(live_server.url)
                                + r"/schools/\d+")
            lead_context, lead = new_page()
            sign_in_as(lead, live_server, "schoollead@example.gov.uk")
            school_name = re.search(r"- (.+) \(URN \d+\): " + re.escape(school_link),
                                    lead_mail.part("plain")).group(1)
            lead.goto(school_link)
            expect(lead.locator("h1")).to_contain_text(school_name)
            for ctx in (context, owner_context, lead_context):
                ctx.close()
        finally:
            app.config.clear()
            app.config.update(saved)
