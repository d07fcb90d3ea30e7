"""Provider dashboards: the portfolio overview and one contract's month."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..access import PROVIDER_STAFF, contract_or_404, contracts_visible_to, requires
from ..breaches.exposure import portfolio_exposure
from ..extensions import db
from ..history.notes import month_notes
from ..i18n import current_locale
from ..models import ActionItem, Contract, Cycle, User, utcnow
from ..presenting.items import items_in_locale
from ..presenting.reading import UnknownMonth

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

SORT_KEYS = ("number", "csat", "nps", "response_rate", "sla", "open_items", "overdue_items")


@bp.get("/")
@requires(*PROVIDER_STAFF)
def overview():
    from .panels import portfolio  # pandas: loaded when asked

    contracts = db.session.scalars(
        contracts_visible_to(current_user).options(  # one query each, not one per contract
            selectinload(Contract.targets),
            joinedload(Contract.client),
            joinedload(Contract.provider),
        )
    ).all()
    ids = [c.id for c in contracts]
    months = (
        db.session.scalars(
            select(Cycle.month)
            .where(Cycle.contract_id.in_(ids), Cycle.status == "closed")
            .distinct()
            .order_by(Cycle.month.desc())
        ).all()
        if ids
        else []
    )
    month = request.args.get("month") or (months[0] if months else None)
    if month is not None and month not in months:
        abort(404)
    sort = request.args.get("sort", "number")
    sort = sort if sort in SORT_KEYS else "number"
    descending = request.args.get("order") == "desc"
    now = utcnow()
    with db.engine.connect() as conn:
        rows, heatmap = portfolio(
            conn, db.session, contracts, month, current_locale(), now.date(), now
        )
    present = [r for r in rows if r.value(sort) is not None]
    missing = [r for r in rows if r.value(sort) is None]
    rows = sorted(present, key=lambda r: r.value(sort), reverse=descending) + missing
    return render_template(
        "dashboard/overview.html",
        rows=rows,
        month=month,
        months=months,
        sort=sort,
        descending=descending,
        heatmap=heatmap,
        exposure=portfolio_exposure(db.session, contracts, month, now),  # breach ledger (#24)
    )


def _month_not_closed(contract: Contract, month: str, client_facing: bool):
    """The 404 of a month without figures; a month still open says where its month page is
    (staff only: clients have no month page)."""
    cycle = None
    if not client_facing:
        cycle = db.session.scalar(
            select(Cycle).where(Cycle.contract_id == contract.id, Cycle.month == month)
        )
    if cycle is None:
        return 404
    page = url_for("cycles.show", contract_id=contract.id, month=month)
    message = _(
        "%(month)s is still open: its figures appear here when it closes. Until then its "
        "month page %(page)s shows the invitations and answers so far.",
        month=month, page=page,
    )
    body = render_template(
        "errors/error.html", code=404, title=_("No figures yet"), message=message, link=page
    )
    return make_response(body, 404)


def month_panels(contract: Contract, *, client_facing: bool):
    """The contract's closed months, the one asked for (``?month=``, default the latest; 404
    when it has no closed cycle) and its panels (None before the first closed month)."""
    from ..presenting.month import month_panels as read_month  # pandas: loaded when asked

    try:
        with db.engine.connect() as conn:
            return read_month(
                db.session, conn, contract, request.args.get("month"), current_locale(),
                client_facing=client_facing, now=utcnow(),
            )  # fmt: skip
    except UnknownMonth:
        abort(_month_not_closed(contract, request.args.get("month"), client_facing))


@bp.get("/contracts/<int:contract_id>")
@requires(*PROVIDER_STAFF)
def contract(contract_id: int):
    from .panels import labels_for

    contract = contract_or_404(contract_id, current_user)
    months, month, panels = month_panels(contract, client_facing=False)
    items = db.session.scalars(
        select(ActionItem)
        .where(ActionItem.contract_id == contract.id)
        .order_by(ActionItem.month.desc(), ActionItem.priority, ActionItem.id)
        .limit(50)
    ).all()
    items = items_in_locale(items, current_locale())
    staff = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.organization_id == contract.provider_id)
        )
    }
    labels, _ = labels_for(current_locale())
    notes = month_notes(db.session, contract.id, [month]) if month else []
    return render_template(
        "dashboard/contract.html",
        contract=contract,
        months=months,
        month=month,
        month_note=notes[0] if notes else None,
        panels=panels,
        items=items,
        staff=staff,
        labels=labels,
        editable=True,
        today=utcnow().date(),
        contract_numbers=None,
    )
