"""Provider admins manage the users of their organization and of its clients.

Analysts and client viewers never see these pages (403). A user outside the admin's provider
and its clients is a 404 (the lookup is scoped: :func:`users.users_managed_by`).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import clients_of_provider, requires
from ..errors import render_error
from ..extensions import db
from ..mail import MailError
from ..models import Role, User, utcnow
from .forms import ActionForm, InviteForm, RoleForm
from .mails import send_invitation
from .users import (
    AccountError,
    change_role,
    deactivate_user,
    invite_user,
    reactivate_user,
    resend_invitation,
    users_managed_by,
)

bp = Blueprint("users", __name__, url_prefix="/users")


def _managed_user_or_404(user_id: int) -> User:
    user = db.session.scalar(
        users_managed_by(current_user.organization_id).where(User.id == user_id)
    )
    if user is None:
        abort(404)
    return user


def _mail_invitation(user: User, secret: str) -> None:
    try:
        send_invitation(user, secret, current_user)
    except MailError:
        flash(
            _(
                "The invitation for %(email)s is saved, but the e-mail could not be sent. "
                "Check the mail server and use “Resend invitation”.",
                email=user.email,
            ),
            "error",
        )
    else:
        flash(_("Invitation sent to %(email)s.", email=user.email), "info")


@bp.get("/")
@requires(Role.PROVIDER_ADMIN)
def index():
    users = db.session.scalars(users_managed_by(current_user.organization_id)).all()
    return render_template("users/index.html", users=users, action_form=ActionForm())


@bp.route("/invite", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def invite():
    clients = db.session.scalars(clients_of_provider(current_user.organization_id)).all()
    form = InviteForm()
    form.client.choices = [(0, "—")] + [(c.id, c.name) for c in clients]
    status, error = 200, None
    if form.validate_on_submit():
        try:
            user, secret = invite_user(
                db.session,
                current_user,
                email=form.email.data,
                name=form.name.data or "",
                role=Role(form.role.data),
                client_id=form.client.data or None,
                locale=form.locale.data,
                now=utcnow(),
            )
        except AccountError as exc:
            error = str(exc)
        else:
            _mail_invitation(user, secret)
            return redirect(url_for("users.index"))
    if form.is_submitted():
        status = 400
    return render_template("users/invite.html", form=form, error=error), status


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def edit(user_id: int):
    user = _managed_user_or_404(user_id)
    form = RoleForm(data={"role": user.role})
    status, error = 200, None
    if form.validate_on_submit():
        try:
            if change_role(db.session, current_user, user, Role(form.role.data)):
                flash(_("The role of %(email)s is changed.", email=user.email), "info")
            return redirect(url_for("users.index"))
        except AccountError as exc:
            error = str(exc)
    if form.is_submitted():
        status = 400
    return render_template(
        "users/edit.html", user=user, form=form, action_form=ActionForm(), error=error
    ), status


def _action(user_id: int, step, done_message: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    user = _managed_user_or_404(user_id)
    try:
        if step(user):
            flash(done_message % {"email": user.email}, "info")
    except AccountError as exc:
        return render_error(400, str(exc))
    return redirect(url_for("users.index"))


@bp.post("/<int:user_id>/deactivate")
@requires(Role.PROVIDER_ADMIN)
def deactivate(user_id: int):
    return _action(
        user_id,
        lambda user: deactivate_user(db.session, current_user, user, utcnow()),
        _("%(email)s is deactivated: signed out everywhere, API tokens revoked."),
    )


@bp.post("/<int:user_id>/reactivate")
@requires(Role.PROVIDER_ADMIN)
def reactivate(user_id: int):
    return _action(
        user_id,
        lambda user: reactivate_user(db.session, current_user, user),
        _("%(email)s is active again."),
    )


@bp.post("/<int:user_id>/resend")
@requires(Role.PROVIDER_ADMIN)
def resend(user_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    user = _managed_user_or_404(user_id)
    try:
        secret = resend_invitation(db.session, current_user, user, utcnow())
    except AccountError as exc:
        return render_error(400, str(exc))
    _mail_invitation(user, secret)
    return redirect(url_for("users.index"))
