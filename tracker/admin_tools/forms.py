"""The audit log's filter: a GET form (it changes nothing, so it needs no CSRF token)."""
from __future__ import annotations

from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, Regexp

from tracker.forms import Form
from tracker.forms import GovDateField, GovDateInput, GovSelect, GovTextInput, text
from tracker.vocab import AUDIT_ACTIONS

# The words the log shows for each kind of event.
ACTION_LABELS = dict((
    ("create", "Created"), ("update", "Changed"), ("withdraw", "Withdrawn"),
    ("sign_in", "Signed in"), ("sign_in_failed", "Failed sign-in"), ("sign_out", "Signed out"),
    ("access_refused", "Access refused"), ("export", "Export"), ("import", "Import"),
    ("password_changed", "Password changed"), ("token_issued", "Link issued"),
    ("token_used", "Link used"),
))


def _filter_date(label: str) -> GovDateField:
    return GovDateField(label, validators=[Optional()], widget=_DateInput(),
                        description="For example, 27 3 2021", format="%d %m %Y")


class _DateInput(GovDateInput):
    """GOV.UK date input that copes with a filter sent without this date at all."""

    def __call__(self, field, **kwargs):  # type: ignore[no-untyped-def]
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = None
        return super().__call__(field, **kwargs)


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    user = text("Who", max_length=254,
                hint="An email address, or part of one. For commands, \"command line\".")
    action = SelectField("What happened", widget=GovSelect(), validators=[Optional()],
                         choices=[SelectChoice("", "Anything")] + [
                             SelectChoice(a, ACTION_LABELS.get(a, a)) for a in AUDIT_ACTIONS])
    object_type = SelectField("Kind of record", widget=GovSelect(), validators=[Optional()],
                              choices=[SelectChoice("", "Any")])
    object_id = StringField(
        "Record number", widget=GovTextInput(), filters=[lambda v: v.strip() if v else v],
        description="The number of one record of that kind, to see its whole history",
        validators=[Optional(),
                    Length(max=9, message="Record number must be 9 characters or fewer"),
                    Regexp(r"^[0-9]+$", message="Record number must be a whole number, like 12")])
    date_from = _filter_date("From")
    date_to = _filter_date("To (inclusive)")

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        ok = super().validate(extra_validators)
        if ok and self.date_from.data and self.date_to.data and \
                self.date_to.data < self.date_from.data:
            self.date_to.errors = ["The \"To\" date must be the same as or after the \"From\" date"]
            return False
        return ok
