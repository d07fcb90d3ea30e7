"""Admin pages: the organization's webhook endpoints (secret shown once) and deliveries."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import audit
from ..access import requires
from ..extensions import db
from ..models import OutboxEvent, Role, WebhookDelivery, WebhookEndpoint, utcnow
from ..models.webhooks import EVENT_TYPES
from .delivery import Refused, check_destination, replay
from .signing import new_secret

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")


def _endpoints():
    return select(WebhookEndpoint).where(
        WebhookEndpoint.organization_id == current_user.organization_id
    )


@bp.route("/", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def index():
    secret, error = None, None
    if request.method == "POST":
        url = request.form.get("url", "").strip()[:500]
        events = [e for e in request.form.getlist("events") if e in EVENT_TYPES]
        try:
            check_destination(url, current_app.config.get("WEBHOOK_ALLOW_LOOPBACK", False))
        except Refused:
            error = _("Enter an https:// address of a public server.")
        if not events:
            error = error or _("Choose at least one event.")
        if error is None:
            secret = new_secret()
            endpoint = WebhookEndpoint(
                organization_id=current_user.organization_id,
                url=url,
                events=" ".join(events),
                created_by_id=current_user.id,
            )
            endpoint.set_secret(secret)
            db.session.add(endpoint)
            db.session.flush()
            audit.record(
                db.session,
                "webhook.created",
                actor=current_user,
                subject=endpoint,
                organization_id=current_user.organization_id,
                details={"url": url},
            )
            db.session.commit()
    endpoints = db.session.scalars(_endpoints().order_by(WebhookEndpoint.id)).all()
    return render_template(
        "webhooks/index.html", endpoints=endpoints, secret=secret, error=error, events=EVENT_TYPES
    ), (400 if error else 200)


@bp.post("/<int:endpoint_id>/disable")
@requires(Role.PROVIDER_ADMIN)
def disable(endpoint_id: int):
    endpoint = db.session.scalar(_endpoints().where(WebhookEndpoint.id == endpoint_id))
    if endpoint is None:
        abort(404)
    endpoint.active = False
    audit.record(db.session, "webhook.disabled", actor=current_user, subject=endpoint,
                 organization_id=current_user.organization_id)  # fmt: skip
    db.session.commit()
    return redirect(url_for("webhooks.index"))


def _deliveries():
    return (
        select(WebhookDelivery)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookEndpoint.organization_id == current_user.organization_id)
    )


@bp.get("/deliveries")
@requires(Role.PROVIDER_ADMIN)
def deliveries():
    status = request.args.get("status", "")
    query = _deliveries().join(OutboxEvent, OutboxEvent.id == WebhookDelivery.event_id)
    if status:
        query = query.where(WebhookDelivery.status == status[:16])
    rows = db.session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(200)).all()
    return render_template("webhooks/deliveries.html", deliveries=rows, status=status)


@bp.post("/deliveries/<int:delivery_id>/replay")
@requires(Role.PROVIDER_ADMIN)
def replay_delivery(delivery_id: int):
    delivery = db.session.scalar(_deliveries().where(WebhookDelivery.id == delivery_id))
    if delivery is None:
        abort(404)
    replay(db.session, delivery, utcnow())
    audit.record(db.session, "webhook.replay", actor=current_user, subject=delivery,
                 organization_id=current_user.organization_id)  # fmt: skip
    db.session.commit()
    flash(_("The delivery will be sent again."), "info")
    return redirect(url_for("webhooks.deliveries"))
