"""Filters for the dashboard and the committee report: read from the query string (GET:
nothing changes, so no CSRF token)."""
from __future__ import annotations

from collections.abc import Sequence

from wtforms import SelectChoice, SelectField, SubmitField

from tracker.decisions.forms import decision_words
from tracker.forms import Form
from tracker.forms import GovSelect, GovSubmitInput, date_field
from tracker.models import Decision, Theme
from tracker.params import parse_int

ALL = "all"


def decision_choices(decisions: Sequence[Decision]) -> list[SelectChoice]:
    return [SelectChoice(ALL, "All decisions")] + [
        SelectChoice(str(d.id), decision_words(d))
        for d in decisions]


def theme_choices(themes: Sequence[Theme]) -> list[SelectChoice]:
    return [SelectChoice("", "Every theme")] + [SelectChoice(str(t.id), t.name) for t in themes]


class DashboardForm(Form):
    class Meta:
        csrf = False

    decision = SelectField("Decision", choices=[], widget=GovSelect(), validate_choice=False)
    theme = SelectField("Theme", choices=[], widget=GovSelect(), validate_choice=False)
    agency = SelectField("Agency", choices=[], widget=GovSelect(), validate_choice=False,
                         description="Only the decisions this agency has work under")
    submit = SubmitField("Show", widget=GovSubmitInput())


class ReportForm(Form):
    class Meta:
        csrf = False

    decision = SelectField("Decision", choices=[], widget=GovSelect(), validate_choice=False)
    theme = SelectField("Theme", choices=[], widget=GovSelect(), validate_choice=False)
    as_at = date_field("Report as at", required="Enter the date the report is as at",
                       hint="As recorded by the end of this day. For example, 31 3 2021",
                       reads_address=True)
    submit = SubmitField("Show the report", widget=GovSubmitInput())


def chosen_id(value: str | None) -> int | None:
    """The decision id chosen, or None for all decisions (or nothing sensible)."""
    return parse_int(value, low=1)
