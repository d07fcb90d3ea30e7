"""The audit log for provider administrators (``/audit/``): sign-ins and failed attempts,
exports, report builds and downloads, views of contact data, administrative changes.

An administrator sees the events that belong to their organization: every event about a contract
is recorded under the provider that owns the contract (a client user's export or download too),
so a client working with two providers shows each provider only its own contracts' events; and
failed sign-ins aimed at the provider's own accounts. Analysts and client users get 403.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import Select, func, or_, select

from ..access import requires
from ..extensions import db
from ..models import AuditEvent, Role, User
from ..security.inputs import number_arg
from .subjects import describe_subjects

bp = Blueprint("audit_log", __name__, url_prefix="/audit")
PAGE_SIZE = 50
PAGE_MAX = 100_000


def _scope() -> Select:
    """One rule: an event belongs to the provider that owns its contract
    (``AuditEvent.organization_id``), so a client's actions on another provider's contract
    never show here; plus failed sign-ins aimed at this provider's own accounts."""
    provider_id = current_user.organization_id
    staff_emails = select(User.email).where(User.organization_id == provider_id)
    return select(AuditEvent).where(
        or_(
            AuditEvent.organization_id == provider_id,
            (AuditEvent.action == "sign_in.failed") & AuditEvent.actor_label.in_(staff_emails),
        )
    )


def _day(name: str) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@bp.get("/")
@requires(Role.PROVIDER_ADMIN)
def index():
    scoped = _scope()
    actions = sorted(set(db.session.scalars(scoped.with_only_columns(AuditEvent.action))))
    query = scoped
    action = request.args.get("action", "").strip()
    if action:
        query = query.where(AuditEvent.action == action)
    actor = request.args.get("actor", "").strip()[:120]
    if actor:
        query = query.where(AuditEvent.actor_label.ilike(_like(actor), escape="\\"))
    since, until = _day("from"), _day("to")
    if since:
        query = query.where(AuditEvent.at >= _start_of(since))
    if until:
        query = query.where(AuditEvent.at < _start_of(until + timedelta(days=1)))
    page = number_arg("page", high=PAGE_MAX) or 1
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    events = db.session.scalars(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "audit_log/index.html",
        events=events,
        subjects=describe_subjects(db.session, events, current_user),
        actions=actions,
        filters={"action": action, "actor": actor, "from": since, "to": until},
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        total=total,
        zone=ZoneInfo(current_app.config["TIMEZONE"]),
        query_args={k: v for k, v in request.args.items() if k != "page"},
    )
