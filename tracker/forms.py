"""Shared form pieces: GOV.UK widgets, length limits with clear messages, text checks."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextArea
from wtforms import DateField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional, Regexp
from wtforms.widgets import HiddenInput

from tracker import characters
from tracker.select_widget import GovCheckboxInput, GovDateInput, GovSelect, GovTextInput

__all__ = [
    "DataRequired", "GovCheckboxInput", "GovDateInput", "GovPasswordInput", "GovSelect",
    "GovSubmitInput",
    "GovTextArea", "GovTextInput", "InputRequired", "Length", "Optional", "URL", "Regexp",
    "Form", "ButtonForm", "OnceForm", "VersionedForm", "text", "long_text", "http_url", "date_field",
]

SHORT = 200
LONG = 10_000
# Dates people type: within these years (a year 1 or 9999 cannot become a London day's
# bounds, or a week, without overflowing; no decision of the council's is outside them).
FIRST_YEAR, LAST_YEAR = 1900, 2999
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _name(label: str) -> str:
    """A label as an error message names it: without a trailing "(optional)" or other note
    in brackets ("Job title (optional)" -> "Job title")."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", label)


def text(label: str, *, required: str | None = None, max_length: int = SHORT,
         hint: str | None = None, **kwargs: Any) -> StringField:
    """A one-line text field with a length limit and, if ``required``, its message."""
    validators: list[Any] = [DataRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=max_length,
                             message=f"{_name(label)} must be {max_length} characters or fewer"))
    return StringField(label, validators=validators, widget=GovTextInput(),
                       description=hint or "", filters=[_strip], **kwargs)


def long_text(label: str, *, required: str | None = None, max_length: int = LONG,
              hint: str | None = None, **kwargs: Any) -> TextAreaField:
    validators: list[Any] = [DataRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=max_length,
                             message=f"{_name(label)} must be {max_length:,} characters or fewer"))
    return TextAreaField(label, validators=validators, widget=GovTextArea(),
                         description=hint or "", filters=[_strip], **kwargs)


def http_url(label: str, *, required: str | None = None, hint: str | None = None) -> StringField:
    """A web address: http or https only, so no script or file link can be stored."""
    validators: list[Any] = [DataRequired(message=required)] if required else [Optional()]
    validators += [
        Length(max=2000, message=f"{_name(label)} must be 2,000 characters or fewer"),
        Regexp(r"^https?://[^\s/$.?#][^\s]*$", message=(
            f"Enter {_name(label).lower()} starting with http:// or https://")),
    ]
    return StringField(label, validators=validators, widget=GovTextInput(),
                       description=hint or "", filters=[_strip])


class GovDateField(DateField):
    """A GOV.UK day, month, year date whose error says what to do. ``reads_address``: a
    date a web address carries (a report's ``as_at``) may come as one value, 2021-06-30."""

    def __init__(self, *args: Any, reads_address: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reads_address = reads_address

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            # Not sent at all (a hand-made request): as if its three boxes were left empty,
            # so the page can be shown again with the error rather than failing.
            self.raw_data = ["", "", ""]
            self.data = None
            return
        if not any(v.strip() for v in valuelist):
            self.raw_data = (list(valuelist) + ["", "", ""])[:3]  # the widget draws three
            self.data = None
            return
        if self.reads_address and len(valuelist) == 1 and ISO_DATE.fullmatch(valuelist[0].strip()):
            # One value, 2021-06-30: the form an address reads (a report's as_at). The
            # widget still draws its three boxes.
            text = valuelist[0].strip()
            self.raw_data = [text[8:10].lstrip("0"), text[5:7].lstrip("0"), text[:4]]
            try:
                self.data = dt.date.fromisoformat(text)
            except ValueError:
                self.data = None
                raise ValueError(
                    f"{_name(self.label.text)} must be a real date, for example 27 3 2021")
            if not (FIRST_YEAR <= self.data.year <= LAST_YEAR):
                self.data = None
                raise ValueError(f"{_name(self.label.text)} must be a date between {FIRST_YEAR} "
                                 f"and {LAST_YEAR}, for example 27 3 2021")
            return
        if valuelist and len(valuelist) != 3:
            # Not the three boxes the page sends: keep three so the widget can show it again.
            self.raw_data = (list(valuelist) + ["", "", ""])[:3]
            self.data = None
            raise ValueError(f"{_name(self.label.text)} must be a real date, for example 27 3 2021")
        try:
            super().process_formdata([" ".join(v.strip() for v in valuelist)])
        except ValueError:
            self.data = None
            raise ValueError(f"{_name(self.label.text)} must be a real date, for example 27 3 2021")
        if self.data is not None and not (FIRST_YEAR <= self.data.year <= LAST_YEAR):
            self.data = None
            raise ValueError(f"{_name(self.label.text)} must be a date between {FIRST_YEAR} and "
                             f"{LAST_YEAR}, for example 27 3 2021")


def date_field(label: str, *, required: str | None = None, hint: str | None = None,
               reads_address: bool = False) -> GovDateField:
    validators: list[Any] = [InputRequired(message=required)] if required else [Optional()]
    return GovDateField(label, validators=validators, widget=GovDateInput(),
                        description=hint or "For example, 27 3 2021", format="%d %m %Y",
                        reads_address=reads_address)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class Form(FlaskForm):
    """Every form's base: besides its own validators, no field may hold a character the
    tracker does not store (``tracker.characters``): a control character anywhere, a line
    break in a one-line field. The message sits next to the field, like any other error."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        return refuse_control_characters(self) and valid


def refuse_control_characters(form: FlaskForm) -> bool:
    """Add a message to each field whose submitted text has a character not stored."""
    ok = True
    for field in form:
        multi_line = isinstance(field, TextAreaField)
        for raw in field.raw_data or ():
            if not isinstance(raw, str):
                continue  # a file: its import checks its text
            found = characters.problem(raw, multi_line=multi_line)
            if found:
                label = field.label.text if field.label and field.label.text else "This page"
                field.errors = [*field.errors, f"{label} {found}"]
                ok = False
                break
    return ok


class ButtonForm(Form):
    """An empty form: carries CSRF for button-only POSTs."""


class VersionedForm(Form):
    """A form editing a row: carries the version it was loaded with (stale saves are refused)."""

    version_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField("Save", widget=GovSubmitInput())


class WarnedForm(Form):
    """A free-text form that warns, without blocking, about terminology and personal data.

    The first submission whose text draws warnings is shown again with the warnings; the
    same text submitted again is saved. Views call ``warnings_to_review(form, *texts)``.
    """

    warnings_seen = StringField(widget=HiddenInput(), validators=[
        Optional(), Length(max=64, message="Reload the page and try again")])


class OnceForm(FlaskForm):
    """A create form: carries a one-time token so a second copy creates nothing (tracker.once)."""

    once = StringField(widget=HiddenInput(), default=lambda: _new_token(), validators=[
        Optional(), Length(max=64, message="Reload the page and try again")])


def _new_token() -> str:
    from tracker.once import new_token

    return new_token()


def warnings_to_review(form: WarnedForm, *texts: str | None) -> list[str]:
    """Warnings the user has not yet seen for exactly this text; empty means save."""
    import hashlib

    from tracker.textcheck import text_warnings

    warnings = text_warnings(*texts)
    if not warnings:
        return []
    digest = hashlib.sha256("\x1f".join(t or "" for t in texts).encode()).hexdigest()[:32]
    if form.warnings_seen.data == digest:
        return []
    form.warnings_seen.data = digest
    return warnings
