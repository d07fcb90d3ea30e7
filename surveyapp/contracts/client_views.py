"""Clients (乙方) of the signed-in provider: list for staff; make, change, deactivate for admins."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..access import PROVIDER_STAFF, client_or_404, clients_of_provider, requires
from ..extensions import db
from ..models import Contract, Role
from .admin import ContractRuleError
from .clients import CLIENT_FIELDS, save_client, set_client_active
from .forms import ClientForm

bp = Blueprint("clients", __name__, url_prefix="/clients")


@bp.get("/")
@requires(*PROVIDER_STAFF)
def index():
    clients = db.session.scalars(clients_of_provider(current_user.organization_id)).all()
    counts = dict(
        db.session.execute(
            select(Contract.client_id, func.count())
            .where(Contract.provider_id == current_user.organization_id)
            .group_by(Contract.client_id)
        ).all()
    )
    return render_template("clients/index.html", clients=clients, counts=counts)


def _save(form, client=None):
    values = {f: getattr(form, f).data for f in CLIENT_FIELDS}
    try:
        saved = save_client(db.session, current_user.organization_id, values, current_user, client)
    except ContractRuleError as error:
        db.session.rollback()
        getattr(form, error.field or "name").errors = [str(error)]
        return None
    db.session.commit()
    flash(_("Saved."), "info")
    return saved


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def new():
    form = ClientForm()
    if form.validate_on_submit() and _save(form) is not None:
        return redirect(url_for("clients.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("clients/edit.html", form=form, client=None), status


@bp.route("/<int:client_id>/edit", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def edit(client_id: int):
    client = client_or_404(client_id, current_user, to_change=True)
    form = ClientForm(obj=client)
    if form.validate_on_submit():
        if _save(form, client) is not None:
            return redirect(url_for("clients.index"))
        client = client_or_404(client_id, current_user, to_change=True)
    status = 400 if form.is_submitted() else 200
    return render_template("clients/edit.html", form=form, client=client), status


@bp.post("/<int:client_id>/active")
@requires(Role.PROVIDER_ADMIN)
def set_active(client_id: int):
    client = client_or_404(client_id, current_user, to_change=True)
    active = request.form.get("active") == "1"
    if set_client_active(db.session, current_user.organization_id, client, active, current_user):
        db.session.commit()
        flash(
            _("%(name)s is active again.", name=client.name)
            if active
            else _("%(name)s is deactivated: no new contracts.", name=client.name),
            "info",
        )
    return redirect(url_for("clients.index"))
