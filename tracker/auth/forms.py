from __future__ import annotations

from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from tracker.forms import Form
from tracker.forms import GovPasswordInput, GovSubmitInput, GovTextInput

_PASSWORD_LENGTH = Length(max=200, message="Password must be 200 characters or fewer")


class SignInForm(Form):
    email = EmailField("Email address", widget=GovTextInput(), validators=[
        DataRequired(message="Enter your email address"),
        Length(max=254, message="Email address must be 254 characters or fewer")])
    password = PasswordField("Password", widget=GovPasswordInput(), validators=[
        DataRequired(message="Enter your password"),
        Length(max=200, message="Password must be 200 characters or fewer")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(Form):
    current_password = PasswordField("Current password", widget=GovPasswordInput(), validators=[
        DataRequired(message="Enter your current password"),
        Length(max=200, message="Password must be 200 characters or fewer")])
    new_password = PasswordField("New password", widget=GovPasswordInput(),
                                 description="At least 12 characters. A few unrelated words work well.",
                                 validators=[DataRequired(message="Enter a new password"),
                                             _PASSWORD_LENGTH])
    confirm_password = PasswordField("Confirm new password", widget=GovPasswordInput(),
                                     validators=[DataRequired(message="Confirm your new password"),
                                                 _PASSWORD_LENGTH])
    submit = SubmitField("Change password", widget=GovSubmitInput())


class SetPasswordForm(Form):
    new_password = PasswordField("Password", widget=GovPasswordInput(),
                                 description="At least 12 characters. A few unrelated words work well.",
                                 validators=[DataRequired(message="Enter a password"),
                                             _PASSWORD_LENGTH])
    confirm_password = PasswordField("Confirm password", widget=GovPasswordInput(),
                                     validators=[DataRequired(message="Confirm your password"),
                                                 _PASSWORD_LENGTH])
    submit = SubmitField("Set password", widget=GovSubmitInput())


class TwoFactorForm(Form):
    code = StringField("Code", widget=GovTextInput(),
                       description="The 6-digit code your authenticator app shows now, or one of "
                                   "your recovery codes",
                       validators=[DataRequired(message="Enter the code from your authenticator app"),
                                   Length(max=40, message="Code must be 40 characters or fewer")])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class SetUpTwoFactorForm(Form):
    code = StringField("Code from your app", widget=GovTextInput(),
                       description="The 6-digit code the app shows for this service",
                       validators=[DataRequired(message="Enter the 6-digit code from your app"),
                                   Length(max=20, message="Code must be 20 characters or fewer")])
    submit = SubmitField("Turn on two-factor sign-in", widget=GovSubmitInput())


class TurnOffTwoFactorForm(Form):
    code = StringField("Code from your app", widget=GovTextInput(),
                       description="To show it is you, enter the 6-digit code your app shows now",
                       validators=[DataRequired(message="Enter the 6-digit code from your app"),
                                   Length(max=20, message="Code must be 20 characters or fewer")])
    submit = SubmitField("Turn off two-factor sign-in", widget=GovSubmitInput())
