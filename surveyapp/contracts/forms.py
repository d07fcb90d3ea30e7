from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

ZONES = [
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "UTC",
]


def _survey_id(value):
    return int(value) if value not in (None, "", "None") else None


class ContractSettingsForm(FlaskForm):
    """The contract's terms as the template has them; the same fields make and edit one."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    signed_on = DateField(_l("Signed on"), validators=[Optional()])
    start_date = DateField(_l("Start date"), validators=[DataRequired()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    monthly_fee = DecimalField(
        _l("Monthly fee (CNY)"), places=2, validators=[InputRequired(), NumberRange(min=0)]
    )
    payment_due_working_days = IntegerField(
        _l("Fee due within (working days of the month)"),
        default=5,
        validators=[InputRequired(), NumberRange(1, 28)],
    )
    provider_address = StringField(_l("Party A address"), validators=[Length(max=300)])
    provider_contact = StringField(_l("Party A contact person"), validators=[Length(max=100)])
    provider_phone = StringField(_l("Party A phone"), validators=[Length(max=40)])
    client_address = StringField(_l("Party B address"), validators=[Length(max=300)])
    client_contact = StringField(_l("Party B contact person"), validators=[Length(max=100)])
    client_phone = StringField(_l("Party B phone"), validators=[Length(max=40)])
    survey_id = SelectField(_l("Survey"), coerce=_survey_id, validate_choice=True)
    inquiry_hours = IntegerField(
        _l("Inquiries answered within (hours)"),
        default=24,
        validators=[InputRequired(), NumberRange(min=1, max=720)],
    )
    complaint_hours = IntegerField(
        _l("Complaints solved within (hours)"),
        default=48,
        validators=[InputRequired(), NumberRange(min=1, max=720)],
    )
    sla_attribution = SelectField(  # issue #23: who a response counts for in the SLA join
        _l("Responses attributed to"),
        choices=[
            ("last_agent", _l("the agent of the customer's latest ticket")),
            ("all_agents", _l("every agent of the customer's tickets, equally weighted")),
        ],
        default="last_agent",
    )
    timezone = SelectField(_l("Time zone"), choices=[(z, z) for z in ZONES])
    survey_open_day = IntegerField(
        _l("Survey opens on day"), default=1, validators=[InputRequired(), NumberRange(1, 28)]
    )
    survey_open_days = IntegerField(
        _l("Survey stays open (days)"),
        default=14,
        validators=[InputRequired(), NumberRange(1, 28)],
    )
    reminder_after_days = IntegerField(
        _l("Reminder after (days)"), default=5, validators=[InputRequired(), NumberRange(1, 27)]
    )
    max_reminders = IntegerField(
        _l("At most reminders"), default=2, validators=[InputRequired(), NumberRange(0, 5)]
    )
    target_nps = IntegerField(
        _l("NPS target"), default=30, validators=[InputRequired(), NumberRange(-100, 100)]
    )
    target_response_rate = IntegerField(
        _l("Response rate target (%)"),
        default=30,
        validators=[InputRequired(), NumberRange(0, 100)],
    )
    confirm_dates = BooleanField(_l("Yes, change the dates anyway"))


class NewContractForm(ContractSettingsForm):
    """A new contract: the client and the number first, then the same terms."""

    client_id = SelectField(_l("Client"), coerce=int, validate_choice=True)
    number = StringField(_l("Contract number"), validators=[DataRequired(), Length(max=50)])

    FIRST = ("client_id", "number")


class EndContractForm(FlaskForm):
    ended_on = DateField(_l("Ended on"), validators=[DataRequired()])
    agreement_ref = StringField(
        _l("Written agreement (reference)"), validators=[Optional(), Length(max=100)]
    )


class RenewContractForm(FlaskForm):
    number = StringField(_l("New contract number"), validators=[DataRequired(), Length(max=50)])
    signed_on = DateField(_l("Signed on"), validators=[Optional()])
    start_date = DateField(_l("Start date"), validators=[DataRequired()])
    end_date = DateField(_l("End date"), validators=[Optional()])


class ClientForm(FlaskForm):
    name = StringField(_l("Organization name"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Length(max=300)])
    contact_person = StringField(_l("Contact person"), validators=[Length(max=100)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])


class ClauseForm(FlaskForm):
    ref = StringField(_l("Clause reference"), validators=[DataRequired(), Length(max=20)])
    title_zh = StringField(_l("Title (Chinese)"), validators=[DataRequired(), Length(max=100)])
    title_en = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=100)])
    obligation_zh = TextAreaField(
        _l("Obligation (Chinese)"), validators=[DataRequired(), Length(max=2000)]
    )
    obligation_en = TextAreaField(
        _l("Obligation (English)"), validators=[DataRequired(), Length(max=2000)]
    )
