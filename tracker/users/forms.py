from __future__ import annotations

from wtforms import BooleanField, EmailField, SelectChoice, SelectField
from wtforms.validators import DataRequired, Email, Length

from tracker.forms import GovCheckboxInput, GovSelect, GovTextInput, VersionedForm, text
from tracker.vocab import ROLE_LABELS, ROLES


class UserForm(VersionedForm):
    def fill_choices(self) -> None:
        """The organisations to choose from (kept on the organisations page)."""
        import sqlalchemy as sa

        from tracker.extensions import db
        from tracker.models import Organisation

        found = db.session.scalars(sa.select(Organisation).order_by(
            sa.func.lower(Organisation.name)))
        self.organisation_id.choices = [SelectChoice("", "None")] + [
            SelectChoice(str(o.id), f"{o.name} ({o.kind_label})") for o in found]

    name = text("Full name", required="Enter the person's full name")
    email = EmailField("Email address", widget=GovTextInput(), validators=[
        DataRequired(message="Enter an email address"),
        Email(message="Enter an email address in the correct format, like name@example.gov.uk",
              check_deliverability=False),
        Length(max=254, message="Email address must be 254 characters or fewer")])
    job_title = text("Job title (optional)")
    # No role is chosen for the administrator: a slip must not make someone an administrator.
    role = SelectField("Role", choices=[SelectChoice("", "Choose a role")]
                       + [SelectChoice(r, ROLE_LABELS[r]) for r in ROLES],
                       widget=GovSelect(), validators=[DataRequired(message="Choose a role")])
    confirm_admin = BooleanField("Yes, this person should be an administrator",
                                 widget=GovCheckboxInput())
    organisation_id = SelectField("Organisation (partner officers must have one)",
                                  choices=[SelectChoice("", "None")], default="",
                                  widget=GovSelect(), validate_choice=False,
                                  description="The council service or partner agency this "
                                              "person works for. A partner officer sees and "
                                              "updates only their organisation's actions.")
    school_urns = text("School URNs (school leads only)", max_length=2000,
                       hint="The unique reference numbers of the schools this lead answers for, "
                            "separated by commas, for example 116833, 149063")
    trust_code = text("Trust code (trust leads only)", max_length=20,
                      hint="A trust lead records once for every school of the trust, for example TR02341")
