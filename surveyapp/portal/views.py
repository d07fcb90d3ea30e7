"""The client's portal: its own contracts only, aggregated figures, read-only action items, reports.

Nothing here carries customer identity, and every breakdown of fewer than 5 answers is blanked.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import contract_or_404, contracts_visible_to, requires
from ..extensions import db
from ..models import ActionItem, ActionStatus, Role

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
    from ..dashboard.views import month_panels
    from ..reports.building import latest_reports

    contract = contract_or_404(contract_id, current_user)
    months, month, panels = month_panels(contract, client_facing=True)
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
