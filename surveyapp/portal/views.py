"""The client's portal: its own contracts only, aggregated figures, read-only action items, reports.

Nothing here carries customer identity, and every breakdown of fewer than 5 answers is blanked.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import contract_or_404, contracts_visible_to, requires
from ..dashboard.panels import contract_month_panels, contract_months
from ..extensions import db
from ..i18n import current_locale
from ..models import ActionItem, ActionStatus, Role, utcnow
from ..reports.building import latest_reports

bp = Blueprint("portal", __name__, url_prefix="/portal")

CLIENT_VISIBLE_ITEMS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)


@bp.get("/")
@requires(Role.CLIENT_VIEWER)
def index():
    contracts = db.session.scalars(contracts_visible_to(current_user)).all()
    if len(contracts) == 1:
        return redirect(url_for("portal.contract", contract_id=contracts[0].id))
    return render_template("portal/index.html", contracts=contracts)


@bp.get("/contracts/<int:contract_id>")
@requires(Role.CLIENT_VIEWER)
def contract(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    months = contract_months(db.session, contract.id)
    month = request.args.get("month") or (months[0] if months else None)
    if month is not None and month not in months:
        abort(404)
    panels = None
    if month:
        with db.engine.connect() as conn:
            panels = contract_month_panels(
                conn, contract, month, current_locale(), client_facing=True, now=utcnow()
            )
    items = db.session.scalars(
        select(ActionItem)
        .where(ActionItem.contract_id == contract.id, ActionItem.status.in_(CLIENT_VISIBLE_ITEMS))
        .order_by(ActionItem.month.desc(), ActionItem.id)
        .limit(100)
    ).all()
    reports = latest_reports(db.session, contract.id)
    return render_template(
        "portal/contract.html",
        contract=contract,
        months=months,
        month=month,
        panels=panels,
        items=items,
        reports=reports,
    )
