"""Provider admins make and revoke API tokens for their organization and its clients.

A new token is shown once, on the answer to the form that made it (never stored, never in the
session or a flash message); the page is sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..access import requires
from ..extensions import db
from ..models import ApiToken, Role
from .service import (
    NAME_MAX,
    create_token,
    organizations_managed_by,
    revoke_token,
    tokens_managed_by,
)

bp = Blueprint("api_tokens", __name__, url_prefix="/api-tokens")


class TokenForm(FlaskForm):
    organization = SelectField(_l("Organization"), coerce=int)
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(max=NAME_MAX)],
        description=_l("Which system uses it, e.g. “helpdesk”."),
    )


class RevokeForm(FlaskForm):
    pass


def _render(form: TokenForm, secret: str | None = None, created: ApiToken | None = None):
    tokens = db.session.scalars(tokens_managed_by(db.session, current_user.organization)).all()
    response = render_template(
        "api_tokens/index.html",
        form=form,
        revoke_form=RevokeForm(),
        tokens=tokens,
        secret=secret,
        created=created,
    )
    return response


@bp.route("/", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def index():
    organizations = organizations_managed_by(db.session, current_user.organization)
    form = TokenForm()
    form.organization.choices = [(o.id, o.name) for o in organizations]
    status, secret, created = 200, None, None
    if form.validate_on_submit():
        organization = next(o for o in organizations if o.id == form.organization.data)
        created, secret = create_token(db.session, organization, form.name.data, actor=current_user)
        form = TokenForm(formdata=None)
        form.organization.choices = [(o.id, o.name) for o in organizations]
    elif form.is_submitted():
        status = 400
    return _render(form, secret, created), status, {"Cache-Control": "no-store"}


@bp.post("/<int:token_id>/revoke")
@requires(Role.PROVIDER_ADMIN)
def revoke(token_id: int):
    if not RevokeForm().validate_on_submit():
        abort(400)
    managed = tokens_managed_by(db.session, current_user.organization)
    token = db.session.scalar(managed.where(ApiToken.id == token_id))
    if token is None:
        abort(404)
    if revoke_token(db.session, token, actor=current_user):
        flash(_("Token “%(name)s” revoked; it no longer works.", name=token.name), "info")
    return redirect(url_for("api_tokens.index"))
