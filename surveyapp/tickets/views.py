"""A contract's tickets for provider administrators: upload a tickets CSV, see the report."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from ..access import contract_or_404, requires
from ..csv_upload import ImportForm, run_upload
from ..extensions import db
from ..models import Role, Ticket
from .importing import import_tickets

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
