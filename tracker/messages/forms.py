"""Forms of the messages pages: opening a round, a person's digest choice, the school
reminder interval, and asking for a password reset link."""
from __future__ import annotations

from tracker.forms import Form
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput
from wtforms import (
    EmailField, IntegerField, RadioField, SelectChoice, SelectMultipleField, SubmitField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange

from tracker.forms import GovSubmitInput, GovTextInput, date_field, text


class RoundForm(Form):
    committee = text("Committee", required="Enter the committee the updates are for",
                     hint="For example, Children and Young People Scrutiny Committee")
    meeting_on = date_field("Date of the meeting", required="Enter the date of the meeting")
    due_on = date_field("Updates due by", required="Enter the date updates are due by")
    reminder_days = IntegerField(
        "Remind owners every (days)", default=7, widget=GovTextInput(),
        description="Owners who have not returned an update are reminded at this interval",
        validators=[InputRequired(message="Enter how many days between reminders"),
                    NumberRange(min=1, max=90, message="Remind every 1 to 90 days")])
    decision_ids = SelectMultipleField(
        "Decisions", coerce=int, choices=[], widget=GovCheckboxesInput(),
        description="Every owner of an open action under these decisions is asked for an update",
        validators=[DataRequired(message="Choose at least one decision")])
    submit = SubmitField("Open the round and send the requests", widget=GovSubmitInput())


class DigestForm(Form):
    digest_frequency = RadioField(
        "How often do you want a summary of your actions and questions?",
        choices=[SelectChoice("weekly", "Weekly (on Mondays)"), SelectChoice("daily", "Daily")],
        widget=GovRadioInput(), validators=[DataRequired(message="Choose daily or weekly")])
    submit = SubmitField("Save", widget=GovSubmitInput())


class ScheduleForm(Form):
    school_reminder_days = IntegerField(
        "Remind school leads every (days)", widget=GovTextInput(),
        description="Schools in scope that have not adopted the current guidance version",
        validators=[InputRequired(message="Enter how many days between school reminders"),
                    NumberRange(min=7, max=365, message="Remind schools every 7 to 365 days")])
    submit = SubmitField("Save", widget=GovSubmitInput())


class ForgotPasswordForm(Form):
    email = EmailField("Email address", widget=GovTextInput(), validators=[
        DataRequired(message="Enter your email address"),
        Email(message="Enter an email address in the correct format, like name@example.gov.uk",
              check_deliverability=False),
        Length(max=254, message="Email address must be 254 characters or fewer")])
    submit = SubmitField("Send me a link", widget=GovSubmitInput())
