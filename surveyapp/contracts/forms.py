from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..labels import STATUS_LABELS
from ..models import ContractStatus

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


class ContractSettingsForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    status = SelectField(
        _l("Status"), choices=[(s.value, STATUS_LABELS[s.value]) for s in ContractStatus]
    )
    start_date = DateField(_l("Start date"), validators=[DataRequired()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    monthly_fee = DecimalField(
        _l("Monthly fee (CNY)"), places=2, validators=[InputRequired(), NumberRange(min=0)]
    )
    inquiry_hours = IntegerField(
        _l("Inquiries answered within (hours)"),
        validators=[InputRequired(), NumberRange(min=1, max=720)],
    )
    complaint_hours = IntegerField(
        _l("Complaints solved within (hours)"),
        validators=[InputRequired(), NumberRange(min=1, max=720)],
    )
    timezone = SelectField(_l("Time zone"), choices=[(z, z) for z in ZONES])
    survey_open_day = IntegerField(
        _l("Survey opens on day"), validators=[InputRequired(), NumberRange(1, 28)]
    )
    survey_open_days = IntegerField(
        _l("Survey stays open (days)"), validators=[InputRequired(), NumberRange(1, 28)]
    )
    reminder_after_days = IntegerField(
        _l("Reminder after (days)"), validators=[InputRequired(), NumberRange(1, 27)]
    )
    max_reminders = IntegerField(
        _l("At most reminders"), validators=[InputRequired(), NumberRange(0, 5)]
    )
    target_nps = IntegerField(
        _l("NPS target"), validators=[InputRequired(), NumberRange(-100, 100)]
    )
    target_response_rate = IntegerField(
        _l("Response rate target (%)"), validators=[InputRequired(), NumberRange(0, 100)]
    )


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
