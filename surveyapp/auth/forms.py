from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from ..models import Role
from .passwords import MAX_LENGTH

LOCALE_CHOICES = [("zh_CN", "中文"), ("en", "English")]


def role_choices():
    return [
        (Role.PROVIDER_ADMIN.value, _l("Provider administrator")),
        (Role.PROVIDER_ANALYST.value, _l("Provider analyst")),
        (Role.CLIENT_VIEWER.value, _l("Client viewer")),
    ]


class SignInForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])


class NewPasswordFields:
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description=_l("At least 10 characters; not one of the common passwords."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class SetPasswordForm(NewPasswordFields, FlaskForm):
    name = StringField(_l("Your name"), validators=[Optional(), Length(max=100)])


class SetupForm(NewPasswordFields, FlaskForm):
    code = StringField(
        _l("Set-up code"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("Printed by “flask init-db” on the server."),
    )
    organization = StringField(
        _l("Your organization (provider)"), validators=[DataRequired(), Length(max=200)]
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    contact_person = StringField(_l("Contact person"), validators=[Optional(), Length(max=100)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(_l("Your e-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES, default="zh_CN")


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Role"), choices=role_choices, validators=[DataRequired()])
    client = SelectField(
        _l("Client (for a client viewer)"),
        coerce=int,
        validators=[Optional()],
        validate_choice=False,
    )
    locale = SelectField(_l("Language of the e-mail"), choices=LOCALE_CHOICES, default="zh_CN")


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=lambda: role_choices()[:2],
        validators=[DataRequired()],
    )


class ActionForm(FlaskForm):
    """Deactivate, reactivate, resend: a POST with its CSRF token and nothing else."""
