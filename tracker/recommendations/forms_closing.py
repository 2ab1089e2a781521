"""Forms for outcome, closing and impact (tracker.recommendations.closing)."""
from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField, SelectField, SubmitField

from tracker.forms import (
    GovSelect, GovSubmitInput, OnceForm, Optional, VersionedForm, WarnedForm, date_field,
    long_text,
)
from tracker.forms import text as one_line
from tracker.progress import (
    CLOSE_RISK_ACCEPTED, CLOSE_SUPERSEDED, CLOSE_WITHDRAWN, JUDGEMENT_EVIDENCED,
    JUDGEMENT_NOT_EVIDENCED, JUDGEMENT_PARTLY,
)
from tracker.recommendations.forms import EVIDENCE_SLOTS, evidence_link, options

CLOSE_CHOICES = options((
    (CLOSE_SUPERSEDED, "Superseded by another recommendation"),
    (CLOSE_RISK_ACCEPTED, "Closed as not implemented: the risk is accepted"),
    (CLOSE_WITHDRAWN, "Withdrawn"),
))
JUDGEMENT_CHOICES = options((
    (JUDGEMENT_EVIDENCED, "Impact evidenced"),
    (JUDGEMENT_PARTLY, "Impact partly evidenced"),
    (JUDGEMENT_NOT_EVIDENCED, "Impact not evidenced"),
))


class OutcomeForm(VersionedForm, WarnedForm):
    intended_outcome = long_text(
        "Intended outcome", required="Say what should be different for children when this "
                                     "is done",
        hint="What should be different in practice, for children, when this is done")
    how_measured = long_text(
        "How it will be measured", required="Say how the outcome will be measured",
        hint="The evidence that will show it, for example a termly audit of ten cases")
    submit = SubmitField("Save the outcome", widget=GovSubmitInput())


class CloseForm(WarnedForm):
    kind = RadioField("How is it closed?", choices=CLOSE_CHOICES, widget=GovRadioInput(),
                      validators=[Optional()])
    superseded_by_id = SelectField("Superseded by (if superseded)", choices=[],
                                   widget=GovSelect(), validate_choice=False)
    risk_accepted_by = one_line("Who accepted the risk (if closed as not implemented)",
                                hint="For example, the Director of Children's Services")
    reason = long_text("Reason", required="Give the reason it is closed")
    meeting = one_line("Committee meeting that agreed it (if any)")
    minute = one_line("Minute reference (if any)", max_length=100)
    submit = SubmitField("Close the recommendation", widget=GovSubmitInput())

    def fill_choices(self, others: list[tuple[str, str]]) -> None:
        self.superseded_by_id.choices = options([("", "Choose a recommendation"), *others])


class ReasonForm(WarnedForm):
    """Re-open a recommendation, or undo its sign-off: a reason, nothing else."""
    reason = long_text("Reason", required="Give the reason")
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class ReviewDateForm(WarnedForm):
    review_on = date_field("New impact review date", required="Enter the new review date")
    reason = long_text("Reason for the change (optional)")
    submit = SubmitField("Change the review date", widget=GovSubmitInput())


class ImpactForm(OnceForm, WarnedForm):
    narrative = long_text("Evidence of impact", required="Describe the evidence of impact",
                          hint="What has changed in practice, and how you know")
    judgement = RadioField("Judgement", choices=JUDGEMENT_CHOICES, widget=GovRadioInput(),
                           validators=[Optional()])
    evidence_url_1 = evidence_link(1)
    evidence_description_1 = one_line("Description of evidence 1", max_length=500)
    evidence_url_2 = evidence_link(2)
    evidence_description_2 = one_line("Description of evidence 2", max_length=500)
    evidence_url_3 = evidence_link(3)
    evidence_description_3 = one_line("Description of evidence 3", max_length=500)
    submit = SubmitField("Record the impact review", widget=GovSubmitInput())

    def links(self) -> list[tuple[str, str]]:
        pairs = ((getattr(self, f"evidence_url_{n}").data or "",
                  getattr(self, f"evidence_description_{n}").data or "")
                 for n in range(1, EVIDENCE_SLOTS + 1))
        return [(url, desc) for url, desc in pairs if url or desc]

    def validate_links(self) -> bool:
        ok = True
        for n in range(1, EVIDENCE_SLOTS + 1):
            url = getattr(self, f"evidence_url_{n}")
            desc = getattr(self, f"evidence_description_{n}")
            if url.data and not desc.data:
                desc.errors = [*desc.errors, f"Describe evidence {n}"]
                ok = False
            if desc.data and not url.data:
                url.errors = [*url.errors, f"Enter the web address of evidence {n}"]
                ok = False
        return ok


class ConfirmImpactForm(VersionedForm):
    submit = SubmitField("Confirm this impact review", widget=GovSubmitInput())


def texts(form: Any, *names: str) -> list[str | None]:
    return [getattr(form, name).data for name in names]
