"""Forms: a theme (name and description), the themes of a recommendation, and a link
between two recommendations."""
from __future__ import annotations

from typing import Any, Sequence

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput
from wtforms import HiddenField, RadioField, SelectMultipleField, SubmitField
from wtforms.fields.choices import SelectChoice

from tracker.forms import (
    DataRequired, Form, GovSubmitInput, Length, VersionedForm, WarnedForm, long_text, text,
)
from tracker.vocab import LINK_KINDS, LINK_LABELS


class ThemeForm(VersionedForm, WarnedForm):
    name = text("Name", required="Enter the theme's name", max_length=120,
                hint="For example, information sharing")
    description = long_text("Description (optional)", max_length=2000,
                            hint="What learning the theme gathers, in a sentence or two")

    def values(self) -> dict[str, Any]:
        return {"name": self.name.data or "", "description": self.description.data or None}


class RecommendationThemesForm(Form):
    themes = SelectMultipleField("Themes", coerce=int, choices=[], widget=GovCheckboxesInput(),
                                 description="Choose every theme this recommendation's learning "
                                             "belongs to (or none)")
    submit = SubmitField("Save the themes", widget=GovSubmitInput())

    def __init__(self, *args: Any, themes: Sequence[Any] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.themes.choices = [SelectChoice(t.id, t.name) for t in themes]


class LinkForm(Form):
    kind = RadioField("How are they linked?", widget=GovRadioInput(),
                      choices=[SelectChoice(k, f"{LINK_LABELS[k]} the other recommendation"
                                            if k == "repeats" else
                                            "Related to the other recommendation")
                               for k in LINK_KINDS],
                      validators=[DataRequired(message="Choose whether it repeats or is related")])
    earlier = HiddenField(validators=[Length(max=20, message="Choose the other recommendation again")])
    submit = SubmitField("Link them", widget=GovSubmitInput())
