"""Forms for adoption, guidance versions, predecessor links, GIAS uploads and list filters."""
from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import HiddenInput

from tracker.forms import Form as TrackerForm
from tracker.forms import (
    GovCheckboxInput, GovSelect, GovSubmitInput, OnceForm, Optional, VersionedForm, WarnedForm,
    date_field, http_url, long_text, text,
)
from tracker.vocab import ADOPTION_STATUS_LABELS, ADOPTION_STATUSES

STATUS_HINTS = {
    "own_policy": "The school or its trust keeps its own policy that covers the same ground. "
                  "Counts as adopted; give a link to the policy as evidence.",
    "embedded": "Adopted, and staff have been trained on it. Give the training date.",
    "declined": "Give the reason.",
}


def options(pairs: list[tuple[object, str]]) -> list[SelectChoice]:
    """Choices as WTForms 3.3 wants them (tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]  # type: ignore[arg-type]


class AdoptionFields(TrackerForm):
    status = RadioField(
        "Where has the school got to with this version?",
        choices=options([(s, ADOPTION_STATUS_LABELS[s]) for s in ADOPTION_STATUSES]),
        widget=GovRadioInput(), validators=[DataRequired(message="Choose where the school has got to")])
    adopted_on = date_field("Date adopted by the governing body or trust (if adopted)")
    policy_url = http_url("Link to the published policy",
                          hint="The school's or trust's web page for the policy, starting https://")
    trained_on = date_field("Date staff were trained (needed for embedded)")
    reason = long_text("Reason (needed if declined)", max_length=2000)
    note = long_text("Note (optional)", max_length=2000)


class AdoptionForm(AdoptionFields, VersionedForm, WarnedForm):
    """One school's adoption of the current version; version_id 0 means no record yet."""


class TrustAdoptionForm(AdoptionFields, WarnedForm):
    """A trust lead's record for every open school of the trust."""

    state = StringField(widget=HiddenInput(), validators=[
        Optional(), Length(max=64, message="Reload the page and try again")])
    submit = SubmitField("Save for every school", widget=GovSubmitInput())


class VersionForm(WarnedForm):
    title = text("Title", required="Enter the title of this version", max_length=300)
    approved_on = date_field("Date approved", required="Enter the date this version was approved")
    url = http_url("Link to the guidance", hint="Where schools can read this version")
    changes = long_text("What changed", max_length=5000,
                        hint="What is different from the previous version, so schools know what to review")
    approved_by_part_id = SelectField("Approved by", coerce=int, widget=GovSelect(),
                                      validators=[Optional()])
    submit = SubmitField("Add the version", widget=GovSubmitInput())


class GuidanceForm(OnceForm, WarnedForm):
    """A guidance document a decision part approved, with its first version."""
    title = text("Title of the guidance", required="Enter the title of the guidance",
                 max_length=300, hint="For example, Model safer recruitment policy for schools")
    version_title = text("Title of this version", required="Enter the title of this version",
                         max_length=300, hint="As the approved document names itself, for "
                         "example Model policy 2026 to 2027")
    approved_on = date_field("Date approved", required="Enter the date this version was approved",
                             hint="Usually the date of the decision")
    url = http_url("Link to the guidance", hint="Where schools can read this version")
    changes = long_text("About this version", max_length=5000,
                        hint="What schools should know when they review it")
    submit = SubmitField("Add the guidance", widget=GovSubmitInput())


class LinkForm(VersionedForm):
    predecessor_urn = text("URN of the school it replaced",
                           required="Enter the URN of the school this one replaced", max_length=12,
                           hint="The predecessor's unique reference number, for example 116833")
    submit = SubmitField("Link the schools", widget=GovSubmitInput())


class ImportForm(TrackerForm):
    establishments = FileField(
        "GIAS establishments file", widget=GovFileInput(),
        description="The CSV from Get Information About Schools: edubasealldata, or an "
                    "extract of chosen fields with at least URN, EstablishmentName, LA (code) "
                    "and EstablishmentStatus. Columns an extract leaves out are left as they are",
        validators=[FileRequired(message="Choose the GIAS establishments file"),
                    FileAllowed(["csv"], message="The establishments file must be a CSV file")])
    links = FileField(
        "GIAS links file (optional)", widget=GovFileInput(),
        description="links_edubasealldata: links schools that reopened under a new URN to the "
                    "school they replaced, and carries their adoption over",
        validators=[Optional(), FileAllowed(["csv"], message="The links file must be a CSV file")])
    la = text("Local authorities (optional)", max_length=500,
              hint='Codes or names, separated by commas, for example 884 or "Herefordshire". '
                   "Leave empty for every local authority in the file.")
    include_independent = BooleanField("Include independent schools in scope",
                                       widget=GovCheckboxInput())
    include_fe = BooleanField("Include further education in scope", widget=GovCheckboxInput())
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class SchoolFilterForm(TrackerForm):
    """Filters for the schools list, read from the query string (a GET form: no CSRF)."""

    class Meta:
        csrf = False

    q = text("School name or URN", max_length=300)
    phase = SelectField("Phase", widget=GovSelect(), validators=[Optional()], validate_choice=False)
    type_name = SelectField("Type", widget=GovSelect(), validators=[Optional()],
                            validate_choice=False)
    trust = text("Trust name or code", max_length=300)
    status = SelectField("Adoption status", widget=GovSelect(), validators=[Optional()],
                         choices=options([("", "Any")] + [(s, ADOPTION_STATUS_LABELS[s])
                                                          for s in ADOPTION_STATUSES]))
    show = SelectField("Schools", widget=GovSelect(), validators=[Optional()],
                       choices=options([("counted", "In scope and open"), ("all", "Every school")]))
    submit = SubmitField("Filter", widget=GovSubmitInput())


class AsAtForm(TrackerForm):
    class Meta:
        csrf = False

    as_at = date_field("Figures as at", hint="For example, 31 3 2022. Leave empty for today.")
    submit = SubmitField("Show", widget=GovSubmitInput())
