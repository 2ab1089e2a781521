"""The organisation form: its kind, its name and its named lead."""
from __future__ import annotations

from typing import Any, Sequence

from wtforms import SelectField

from tracker.decisions.forms import options
from tracker.forms import DataRequired, GovSelect, VersionedForm, text
from tracker.vocab import ORGANISATION_KIND_LABELS, ORGANISATION_KINDS


class OrganisationForm(VersionedForm):
    name = text("Name", required="Enter the organisation's name",
                hint="For example, Northshire Police, or Children's Social Care")
    kind = SelectField("Kind of organisation",
                       choices=options([("", "Choose a kind")] + [
                           (k, ORGANISATION_KIND_LABELS[k]) for k in ORGANISATION_KINDS]),
                       widget=GovSelect(), validators=[DataRequired(message="Choose a kind")])
    lead_id = SelectField("Named lead (optional)", choices=options([("", "No lead yet")]),
                          default="", widget=GovSelect(),
                          description="Work the organisation owns is shown as this person's. "
                                      "They must work for this organisation, or for none yet.")

    def __init__(self, *args: Any, people: Sequence[Any] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lead_id.choices = options([("", "No lead yet")] + [
            (str(u.id), f"{u.name} ({u.email})") for u in people])
