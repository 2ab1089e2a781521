from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from tracker.forms import GovPasswordInput, GovSubmitInput, GovTextInput


class SignInForm(FlaskForm):
    email = EmailField("Email address", widget=GovTextInput(), validators=[
        DataRequired(message="Enter your email address"), Length(max=254)])
    password = PasswordField("Password", widget=GovPasswordInput(), validators=[
        DataRequired(message="Enter your password"), Length(max=200)])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", widget=GovPasswordInput(), validators=[
        DataRequired(message="Enter your current password"), Length(max=200)])
    new_password = PasswordField("New password", widget=GovPasswordInput(),
                                 description="At least 12 characters. A few unrelated words work well.",
                                 validators=[DataRequired(message="Enter a new password")])
    confirm_password = PasswordField("Confirm new password", widget=GovPasswordInput(),
                                     validators=[DataRequired(message="Confirm your new password")])
    submit = SubmitField("Change password", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    new_password = PasswordField("Password", widget=GovPasswordInput(),
                                 description="At least 12 characters. A few unrelated words work well.",
                                 validators=[DataRequired(message="Enter a password")])
    confirm_password = PasswordField("Confirm password", widget=GovPasswordInput(),
                                     validators=[DataRequired(message="Confirm your password")])
    submit = SubmitField("Set password", widget=GovSubmitInput())
