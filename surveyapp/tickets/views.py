"""A contract's tickets for provider administrators: upload a tickets CSV, see the report."""

from __future__ import annotations

import re
from functools import partial

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user
from sqlalchemy import func, select

from .. import audit
from ..access import PROVIDER_STAFF, contract_or_404, requires
from ..csv_upload import ImportForm, run_upload
from ..exports.writer import FORMATS, write_table
from ..extensions import db
from ..models import Cycle, Role, Ticket
from .importing import import_tickets

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")

bp = Blueprint("tickets", __name__, url_prefix="/contracts/<int:contract_id>/tickets")


@bp.route("/import", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def import_page(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    form = ImportForm()
    result, status = run_upload(
        form, partial(import_tickets, db.session, contract, actor=current_user)
    )
    count = db.session.scalar(
        select(func.count()).select_from(Ticket).where(Ticket.contract_id == contract.id)
    )
    return render_template(
        "tickets/import.html", contract=contract, form=form, result=result, ticket_count=count
    ), status


@bp.get("/sla-satisfaction.csv")
@requires(*PROVIDER_STAFF)
def sla_export(contract_id: int):
    """One row per response of ``?month=`` (default: the latest survey month) with its linked
    tickets and attributed agents; the customer by number only (provider staff: it names
    agents). Audited like every export."""
    from ..presenting.sla_satisfaction import export_table  # pandas: loaded when asked

    contract = contract_or_404(contract_id, current_user)
    month = request.args.get("month") or db.session.scalar(
        select(func.max(Cycle.month)).where(Cycle.contract_id == contract.id)
    )
    if not month or not MONTH.fullmatch(month):
        abort(404)
    header, rows = export_table(contract, month)
    audit.record(
        db.session,
        "export",
        actor=current_user,
        subject=contract,
        organization_id=contract.provider_id,
        details={"kind": "sla_satisfaction", "format": "csv", "month": month, "rows": len(rows)},
    )
    db.session.commit()
    body = write_table(header, rows, "csv")
    filename = f"sla-satisfaction-{contract.number}-{month}.csv"
    return Response(
        body,
        content_type=FORMATS["csv"],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
