from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..labels import PRIORITY_LABELS, STATUS_LABELS
from ..models import ActionStatus, Priority


class ActionItemForm(FlaskForm):
    title = StringField(_l("Finding"), validators=[DataRequired(), Length(max=300)])
    remedy = TextAreaField(_l("Recommended action"), validators=[DataRequired(), Length(max=5000)])
    owner_id = SelectField(_l("Owner"), coerce=int, validate_choice=True)
    due_date = DateField(_l("Due date"), validators=[Optional()])
    status = SelectField(
        _l("Status"), choices=[(s.value, STATUS_LABELS[s.value]) for s in ActionStatus]
    )
    priority = SelectField(
        _l("Priority"), choices=[(p.value, PRIORITY_LABELS[p.value]) for p in Priority]
    )
