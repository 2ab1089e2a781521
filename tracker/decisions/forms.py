"""Forms for decisions, their parts and documents, call-in events and reading a notice.

Free-text forms are ``WarnedForm``s: terminology and personal-data warnings are shown once,
without blocking; forms editing a row are ``VersionedForm``s (stale saves refused).
"""
from __future__ import annotations

from typing import Any, Sequence

from flask_wtf.file import MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput
from wtforms import RadioField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from tracker.params import parse_int
from tracker.forms import Form
from tracker.forms import (
    DataRequired, GovSelect, GovSubmitInput, GovTextArea, GovTextInput, VersionedForm,
    WarnedForm, date_field, http_url, long_text, text,
)
from tracker.vocab import (
    CALL_IN_OUTCOME_LABELS, CALL_IN_OUTCOMES, DOCUMENT_KINDS, EXEMPTION_LABELS, EXEMPTIONS,
    PART_KIND_LABELS, PART_KINDS,
)

TRI_STATE = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
DOCUMENT_KIND_LABELS = {"report": "Report", "appendix": "Appendix", "minutes": "Minutes",
                        "notice": "Decision notice", "other": "Other document"}
NOTICE_HINT = ("Paste the whole notice as published: the written statement of a decision "
               "(copied from its PDF) or the committee system's “Decision details” or "
               "“Issue - decisions” page, copied from your browser.")


def options(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def decision_words(decision: Any) -> str:
    """How a choice of decisions names one (a Decision, or a row with its reference and
    title): "I50035813: Review of …", or its title alone when it has no reference."""
    return f"{decision.reference + ': ' if decision.reference else ''}{decision.title}"


def _tri_in(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "unknown")  # type: ignore[arg-type]


def _tri_out(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def tri_state(label: str) -> RadioField:
    return RadioField(label, choices=options(TRI_STATE), default="unknown", widget=GovRadioInput(),
                      validators=[DataRequired(message=f"Choose whether: {label.lower()}")])


class DecisionForm(VersionedForm, WarnedForm):
    reference = text("Issue reference (optional)", max_length=40,
                     hint="As the committee system numbers it, for example I50035813")
    title = text("Title", required="Enter the title of the decision", max_length=500)
    decision_maker = text("Decision maker", required="Enter who took the decision",
                          hint="For example, Cabinet, or Cabinet member children and families")
    key_decision = tri_state("Key decision")
    decided_on = date_field("Date of decision", required="Enter the date of decision")
    published_on = date_field("Date published (optional)")
    exemption = SelectField("Report exemption class",
                            choices=options((e, EXEMPTION_LABELS[e]) for e in EXEMPTIONS),
                            default="open", widget=GovSelect(),
                            description="Exempt decisions are hidden from school leads")
    purpose = long_text("Purpose (optional)")
    decision_text = long_text("Decision (optional)",
                              hint="The decision as published. Add its lettered parts after "
                                   "saving.")
    reasons = long_text("Reasons for the decision (optional)")
    options_considered = long_text("Options considered (optional)")
    interests_declared = long_text("Declarations of interest (optional)")
    subject_to_call_in = tri_state("Subject to call-in")
    call_in_expires_on = date_field("Call-in expiry date (optional)",
                                    hint="The last day the decision can be called in, for "
                                         "example 4 12 2020")
    effective_from = date_field("Effective from (optional)",
                                hint="Only if the notice gives the date it comes into force")
    signed_by = text("Signed by (optional)", max_length=300)
    signed_on = date_field("Date signed (optional)")

    FREE_TEXT = ("title", "purpose", "decision_text", "reasons", "options_considered",
                 "interests_declared")

    def load(self, decision: Any) -> None:
        """Fill a fresh (unsubmitted) form from ``decision``."""
        self.process(obj=decision)
        self.key_decision.data = _tri_in(decision.key_decision)
        self.subject_to_call_in.data = _tri_in(decision.subject_to_call_in)

    def values(self) -> dict[str, Any]:
        out = {name: getattr(self, name).data for name in (
            "reference", "title", "decision_maker", "decided_on", "published_on", "exemption",
            "purpose", "decision_text", "reasons", "options_considered", "interests_declared",
            "call_in_expires_on", "effective_from", "signed_by", "signed_on")}
        for name in ("reference", "purpose", "decision_text", "reasons", "options_considered",
                     "interests_declared", "signed_by"):
            out[name] = out[name] or None
        out["key_decision"] = _tri_out(self.key_decision.data)
        out["subject_to_call_in"] = _tri_out(self.subject_to_call_in.data)
        return out

    def texts(self) -> list[str | None]:
        return [getattr(self, name).data for name in self.FREE_TEXT]

    def _after_decision(self, field: Any, what: str) -> None:
        if field.data and self.decided_on.data and field.data < self.decided_on.data:
            raise ValidationError(f"{what} must be on or after the date of decision")

    def validate_published_on(self, field: Any) -> None:
        self._after_decision(field, "The date published")

    def validate_call_in_expires_on(self, field: Any) -> None:
        self._after_decision(field, "The call-in expiry date")

    def validate_effective_from(self, field: Any) -> None:
        self._after_decision(field, "The date it comes into force")


class PartForm(VersionedForm, WarnedForm):
    label = StringField("Part label", widget=GovTextInput(), filters=[_lower],
                        description="The letter or number without brackets, for example a",
                        validators=[DataRequired(message="Enter the part's label, for example a"),
                                    Length(max=10, message="Part label must be 10 characters "
                                                           "or fewer"),
                                    Regexp(r"^[a-z0-9]{1,10}$", message=(
                                        "The part label must be 1 to 10 letters or numbers, "
                                        "for example a, iv or 3"))])
    kind = SelectField("What the part does",
                       choices=options((k, PART_KIND_LABELS[k]) for k in PART_KINDS),
                       default="note", widget=GovSelect())
    text = long_text("Text of the part", required="Enter the text of the part")
    owner_id = SelectField("Officer who owns the work it sets in motion (optional)",
                           choices=options([("", "No one yet")]), default="", widget=GovSelect(),
                           validators=[Optional()])

    def __init__(self, *args: Any, owners: Sequence[Any] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = options([("", "No one yet")] + [
            (str(u.id), f"{u.name} ({u.role_label})") for u in owners])

    def load(self, part: Any) -> None:
        self.process(obj=part)
        self.owner_id.data = str(part.owner_id) if part.owner_id else ""

    def values(self) -> dict[str, Any]:
        owner = self.owner_id.data
        return {"label": self.label.data, "kind": self.kind.data, "text": self.text.data,
                "owner_id": parse_int(owner, low=1)}


class DocumentForm(VersionedForm, WarnedForm):
    kind = SelectField("Kind of document",
                       choices=options((k, DOCUMENT_KIND_LABELS[k]) for k in DOCUMENT_KINDS),
                       default="appendix", widget=GovSelect())
    label = text("Label (optional)", max_length=50, hint="For example, Appendix 1")
    title = text("Title", required="Enter the title of the document", max_length=500)
    url = http_url("Web address (optional)",
                   hint="Where the published document is, starting with https://")
    part_id = SelectField("Part it belongs to", choices=options([("", "The whole decision")]),
                          default="",
                          widget=GovSelect(), validators=[Optional()])

    def __init__(self, *args: Any, parts: Sequence[Any] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.part_id.choices = options([("", "The whole decision")] + [
            (str(p.id), f"Part ({p.label})") for p in parts])

    def load(self, document: Any) -> None:
        self.process(obj=document)
        self.part_id.data = str(document.part_id) if document.part_id else ""

    def values(self) -> dict[str, Any]:
        part = self.part_id.data
        return {"kind": self.kind.data, "label": self.label.data or None,
                "title": self.title.data, "url": self.url.data or None,
                "part_id": parse_int(part, low=1)}


class WithdrawForm(VersionedForm, WarnedForm):
    reason = long_text("Why is it being withdrawn?", required="Enter why it is being withdrawn",
                       max_length=500, hint="It stays in the history with this reason.")


class CallInForm(VersionedForm):
    record = RadioField("What has been recorded about call-in", widget=GovRadioInput(),
                        choices=options([("none", "Nothing: the dates in the notice decide"),
                                         ("called_in", "It was called in"),
                                         ("urgent", "Not subject to call-in: special urgency")]),
                        default="none",
                        validators=[DataRequired(message="Choose what has been recorded")])
    called_in_on = date_field("Date it was called in", hint="Only if it was called in")
    outcome = SelectField("The committee's outcome",
                          choices=options([("", "Not yet known")] + [
                              (o, CALL_IN_OUTCOME_LABELS[o]) for o in CALL_IN_OUTCOMES]),
                          default="", widget=GovSelect(), validators=[Optional()])
    outcome_on = date_field("Date of the committee's outcome",
                            hint="When the outcome lets it go ahead, work may start from this "
                                 "date")

    def load(self, decision: Any) -> None:
        self.record.data = decision.call_in_record or "none"
        self.called_in_on.data = decision.called_in_on
        self.outcome.data = decision.call_in_outcome or ""
        self.outcome_on.data = decision.call_in_outcome_on
        self.version_id.data = decision.version_id


class ImportForm(Form):
    """Step one: the notice, pasted, or uploaded as one or more files."""

    notice_text = TextAreaField("Paste the text of the notice", widget=GovTextArea(),
                                description=NOTICE_HINT, validators=[Optional()])
    notice_file = MultipleFileField(
        "Or upload notice files", widget=GovFileInput(),
        description="One or more files: text (.txt), a saved web page (.html), a PDF with text "
                    "in it, or a Word document (.docx); up to 20 files, each up to 10 MB, "
                    "40 MB together")
    submit = SubmitField("Read the notice", widget=GovSubmitInput())
