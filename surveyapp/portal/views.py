"""The client's portal: its own contracts only, aggregated figures, read-only action items, reports.

Nothing here carries customer identity, and every breakdown of fewer than 5 answers is blanked.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import contract_or_404, contracts_visible_to, requires
from ..extensions import db
from ..i18n import current_locale
from ..models import ActionItem, Role, utcnow
from ..presenting.items import items_in_locale
from ..presenting.reading import CLIENT_VISIBLE_ITEMS, UnknownMonth, issued_label, month_label

bp = Blueprint("portal", __name__, url_prefix="/portal")


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
    from ..presenting.month import month_panels  # pandas: loaded when asked
    from ..reports.building import latest_reports

    contract = contract_or_404(contract_id, current_user)
    try:
        with db.engine.connect() as conn:
            months, month, panels = month_panels(
                db.session, conn, contract, request.args.get("month"), current_locale(),
                client_facing=True, now=utcnow(),
            )  # fmt: skip
    except UnknownMonth:
        abort(404)
    items = db.session.scalars(
        select(ActionItem)
        .where(ActionItem.contract_id == contract.id, ActionItem.status.in_(CLIENT_VISIBLE_ITEMS))
        .order_by(ActionItem.month.desc(), ActionItem.id)
        .limit(100)
    ).all()
    items = items_in_locale(items, current_locale())
    reports = latest_reports(db.session, contract.id)
    return render_template(
        "portal/contract.html",
        contract=contract,
        months=months,
        month=month,
        panels=panels,
        items=items,
        reports=reports,
        issued={r.id: issued_label(r.created_at, contract.timezone, current_locale())
                for r in reports},
        report_months={r.id: month_label(r.month, current_locale()) for r in reports},
    )  # fmt: skip
