"""Forms for recommendations, responses, actions, updates, challenges, sign-off and imports.

Every free-text form is a ``WarnedForm`` (terminology and personal-data warnings that warn
without blocking); every form editing a row is a ``VersionedForm`` (stale saves refused).
Choices of owners and decision parts are filled in by the view (``fill_choices``).
"""
from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from tracker.params import parse_int
from tracker.extensions import db
from tracker.forms import Form
from tracker.forms import (
    GovCheckboxInput, GovSelect, GovSubmitInput, Length, OnceForm, Optional, VersionedForm,
    WarnedForm, date_field, http_url, long_text,
)
from tracker.forms import text as one_line
from tracker.models import Decision, DecisionPart, User
from tracker.permissions import possible_owner_organisations, possible_owners
from tracker.vocab import (
    ACTION_STATUS_LABELS, RAG_LABELS, RAGS, RESPONSE_LABELS, SOURCE_LABELS, SOURCES,
)

EVIDENCE_SLOTS = 3


def options(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def owner_choices(blank: str = "Choose an owner") -> list[tuple[str, str]]:
    users = db.session.scalars(
        sa.select(User).where(possible_owners())
        .order_by(User.name))
    return options([("", blank)] + [(str(u.id), f"{u.name} ({u.email})") for u in users])


ORGANISATION_OWNER = "organisation-"
OWNER_HINT = ("A person, or an organisation (a partner agency or council service): work an "
              "organisation owns is shown as its named lead's, and its partner officers "
              "update it")


def owner_and_organisation_choices(blank: str = "Choose an owner") -> list[SelectChoice]:
    """People who may own work, then organisations (valued ``organisation-<id>``)."""
    from tracker.models import Organisation

    found = db.session.scalars(sa.select(Organisation).where(possible_owner_organisations())
                               .order_by(sa.func.lower(Organisation.name)))
    return owner_choices(blank) + options(
        (f"{ORGANISATION_OWNER}{o.id}", f"Organisation: {o.owner_name}") for o in found)


def split_owner(value: Any) -> tuple[int | None, int | None]:
    """An owner choice as (person's id, organisation's id): one of them, or neither."""
    text = "" if value is None else str(value)
    if text.startswith(ORGANISATION_OWNER):
        return None, parse_int(text[len(ORGANISATION_OWNER):], low=1)
    return selected_id(text), None


def owner_value(thing: Any) -> str:
    """The owner choice of an action or a recommendation, for its edit form."""
    if thing.owner_organisation_id is not None:
        return f"{ORGANISATION_OWNER}{thing.owner_organisation_id}"
    return str(thing.owner_id or "")


def part_choices(blank: str = "Not yet taken up by the executive") -> list[tuple[str, str]]:
    rows = db.session.execute(
        sa.select(DecisionPart, Decision).join(Decision)
        .where(DecisionPart.withdrawn_at.is_(None), Decision.withdrawn_at.is_(None))
        .order_by(Decision.decided_on.desc(), Decision.id, DecisionPart.position))
    return options([("", blank)] + [
        (str(p.id), f"{d.reference or d.title} part ({p.label}): {d.title}") for p, d in rows])


def selected_id(value: Any) -> int | None:
    return parse_int(None if value is None else str(value), low=1)


class RecommendationForm(VersionedForm, WarnedForm):
    source = SelectField("Source", choices=options((s, SOURCE_LABELS[s]) for s in SOURCES),
                         widget=GovSelect())
    part_id = SelectField("Decision part", choices=[], widget=GovSelect(), validate_choice=True,
                          description="The part of the decision that agreed or took up this "
                                      "recommendation. Only a scrutiny recommendation may wait "
                                      "for the executive's response.")
    reference = one_line("Reference", required="Enter the reference the paper gives it",
                     max_length=40, hint="As the paper numbers it, for example 3.2 or SC4")
    text = long_text("Recommendation", required="Enter the recommendation's text")
    owner_id = SelectField("Accountable owner", choices=[], widget=GovSelect(),
                           description=OWNER_HINT)
    lead_service = one_line("Lead service (optional)")
    committee = one_line("Scrutiny committee (scrutiny only)")
    meeting_on = date_field("Date of the committee meeting (scrutiny only)")
    minute_reference = one_line("Minute reference (scrutiny only)", max_length=100)
    report_published_on = date_field(
        "Date the committee's report was published (scrutiny only)",
        hint="The executive's response is due two months later (section 9FE of the Local "
             "Government Act 2000). For example, 27 3 2021")

    def fill_choices(self) -> None:
        self.part_id.choices = part_choices()
        self.owner_id.choices = owner_and_organisation_choices("No owner yet")


class WithdrawForm(VersionedForm, WarnedForm):
    reason = one_line("Reason for withdrawing", required="Give the reason for withdrawing it",
                  max_length=500)
    submit = SubmitField("Withdraw", widget=GovSubmitInput())


class TakeUpForm(VersionedForm):
    part_id = SelectField("Decision part", choices=[], widget=GovSelect(),
                          description="The part of the decision that approved the executive's "
                                      "response to this recommendation")
    submit = SubmitField("Take up under this part", widget=GovSubmitInput())

    def fill_choices(self) -> None:
        self.part_id.choices = part_choices("Choose a decision part")


class ResponseForm(WarnedForm):
    response = RadioField("Executive response",
                          choices=options(RESPONSE_LABELS.items()),
                          widget=GovRadioInput(), validators=[Optional()])
    response_text = long_text("Response")
    reason = long_text("Reason (required unless accepted)",
                       hint="Why the executive did not accept the recommendation in full")
    cabinet_member = one_line("Cabinet member")
    lead_officer = one_line("Lead officer")
    timetable = one_line("Timetable", max_length=500)
    submit = SubmitField("Record the response", widget=GovSubmitInput())


class ActionForm(OnceForm, VersionedForm, WarnedForm):
    title = one_line("Action", required="Enter what the action is", max_length=500)
    description = long_text("Description (optional)")
    owner_id = SelectField("Owner", choices=[], widget=GovSelect(), description=OWNER_HINT)
    due_on = date_field("Due date", hint="For example, 31 3 2021")

    def fill_choices(self) -> None:
        self.owner_id.choices = owner_and_organisation_choices()


EVIDENCE_HINT = ("A link to where the document is kept (SharePoint, the council's document "
                 "system), for example https://council.sharepoint.com/sites/safeguarding/"
                 "protocol.docx. Not a file on your computer or a shared drive.")
FILE_PATH = re.compile(r"^(?:[a-z]:[\\/]|\\\\|file:|/|~)", re.IGNORECASE)


def _not_a_file_path(form: Any, field: Any) -> None:
    if field.data and FILE_PATH.match(field.data.strip()):
        raise StopValidation(
            "Evidence is a link to where the document is kept (SharePoint, the council's "
            "document system), not a file on your computer or a shared drive: open the "
            "document there, copy its web address, starting https://, and paste it here")


def evidence_link(n: int) -> Any:
    link = http_url(f"Evidence link {n}", hint=EVIDENCE_HINT if n == 1 else None)
    link.kwargs["validators"].insert(0, _not_a_file_path)
    return link


STATUS_CHOICES = options(ACTION_STATUS_LABELS.items())
RAG_CHOICES = options((r, RAG_LABELS[r]) for r in RAGS)


class UpdateForm(OnceForm, WarnedForm):
    status = RadioField("Status after this update", choices=STATUS_CHOICES,
                        widget=GovRadioInput(), validators=[Optional()])
    rag = RadioField("RAG rating", choices=RAG_CHOICES, widget=GovRadioInput(),
                     validators=[Optional()],
                     description="Needed while the action is in progress or paused. Red: "
                                 "will miss its due date or outcome; amber: at risk; green: "
                                 "on track.")
    narrative = long_text("What has happened", required="Say what has happened since the "
                                                        "last update")
    reason = long_text("Reason (needed if paused or cancelled, or rated red or amber)")
    revised_due_on = date_field("Revised due date (optional)",
                                hint="Only if the due date has changed. The original stays "
                                     "visible. For example, 30 6 2021")
    revised_due_reason = long_text("Reason for the revised due date")
    evidence_url_1 = evidence_link(1)
    evidence_description_1 = one_line("Description of evidence 1", max_length=500)
    evidence_url_2 = evidence_link(2)
    evidence_description_2 = one_line("Description of evidence 2", max_length=500)
    evidence_url_3 = evidence_link(3)
    evidence_description_3 = one_line("Description of evidence 3", max_length=500)
    submit = SubmitField("Record the update", widget=GovSubmitInput())

    def evidence(self) -> list[tuple[str, str]]:
        pairs = []
        for n in range(1, EVIDENCE_SLOTS + 1):
            url = getattr(self, f"evidence_url_{n}").data or ""
            desc = getattr(self, f"evidence_description_{n}").data or ""
            if url or desc:
                pairs.append((n, url, desc))
        return [(u, d) for _, u, d in pairs]

    def validate_evidence_pairs(self) -> bool:
        ok = True
        for n in range(1, EVIDENCE_SLOTS + 1):
            url = getattr(self, f"evidence_url_{n}")
            desc = getattr(self, f"evidence_description_{n}")
            if url.data and not desc.data:
                desc.errors = list(desc.errors) + [f"Describe evidence {n}"]
                ok = False
            if desc.data and not url.data:
                url.errors = list(url.errors) + [f"Enter the web address of evidence {n}"]
                ok = False
        return ok


class ChallengeForm(OnceForm, WarnedForm):
    question = long_text("Your question", required="Enter your question", max_length=5000)
    submit = SubmitField("Ask the question", widget=GovSubmitInput())


class AnswerForm(VersionedForm, WarnedForm):
    answer = long_text("Answer", required="Enter the answer", max_length=10000)
    submit = SubmitField("Answer", widget=GovSubmitInput())


class SignOffForm(VersionedForm, WarnedForm):
    sign_off_meeting = one_line("Committee meeting that agreed closure (if any)",
                            hint="For example, Children and young people scrutiny committee, "
                                 "21 June 2021")
    sign_off_minute = one_line("Minute reference (if any)", max_length=100)
    review_on = date_field("Impact review date (optional)",
                           hint="When the owner records the evidence of impact. Leave it blank "
                                "for six months from today. For example, 31 3 2022")
    submit = SubmitField("Sign off as complete", widget=GovSubmitInput())


class FilterForm(Form):
    """The list's filters: read from the query string, no CSRF (nothing changes)."""

    class Meta:
        csrf = False

    decision = SelectField("Decision", choices=[], widget=GovSelect(), validate_choice=False)
    source = SelectField("Source", choices=options([("", "Any source")] +
                                                   [(s, SOURCE_LABELS[s]) for s in SOURCES]),
                         widget=GovSelect(), validate_choice=False)
    owner = SelectField("Owner", choices=[], widget=GovSelect(), validate_choice=False)
    agency = SelectField("Agency", choices=[], widget=GovSelect(), validate_choice=False)
    status = SelectField("Status", choices=[], widget=GovSelect(), validate_choice=False)
    overdue = BooleanField("Only with an overdue action", widget=GovCheckboxInput())
    words = one_line("Words in the recommendation", max_length=200,
                     hint="Shows recommendations whose text or number has every word. "
                          "For example, MASH recording")
    sort = SelectField("Sort by", choices=[], widget=GovSelect(), validate_choice=False)


class ImportForm(Form):
    csv_file = FileField("Recommendations CSV file", widget=GovFileInput(),
                         description="A file in the layout of the download (see the column "
                                     "list below). Nothing is changed until you confirm.")
    submit = SubmitField("Check the file", widget=GovSubmitInput())


MAX_CSV_BYTES = 15 * 1024 * 1024


class ConfirmImportForm(Form):
    """Carries the checked file (base64) back with the digest of the plan that was shown."""
    csv_text = HiddenField(validators=[Length(max=MAX_CSV_BYTES * 4 // 3 + 4, message=(
        f"The checked file must be {MAX_CSV_BYTES * 4 // 3 + 4:,} characters or fewer "
        "(a CSV file of 15 MB or less)"))])
    plan_digest = HiddenField(validators=[Length(
        max=64, message="The plan's digest must be 64 characters or fewer")])
    submit = SubmitField("Apply these changes", widget=GovSubmitInput())
