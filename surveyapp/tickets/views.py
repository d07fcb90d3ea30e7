"""A contract's tickets for provider administrators: upload a tickets CSV, see the report."""

from __future__ import annotations

from flask import Blueprint, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import func, select
from wtforms import BooleanField

from ..access import contract_or_404, requires
from ..extensions import db
from ..models import Role, Ticket
from .importing import import_tickets

bp = Blueprint("tickets", __name__, url_prefix="/contracts/<int:contract_id>/tickets")


class ImportForm(FlaskForm):
    file = FileField(validators=[FileRequired()])
    skip_bad_rows = BooleanField()


@bp.route("/import", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def import_page(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    form = ImportForm()
    result, status = None, 200
    if form.validate_on_submit():
        result = import_tickets(
            db.session,
            contract,
            form.file.data.read(),
            skip_bad_rows=form.skip_bad_rows.data,
            actor=current_user,
        )
        if result.imported:
            flash(
                _(
                    "Imported: %(created)s new, %(updated)s updated, %(skipped)s rows skipped.",
                    created=result.created,
                    updated=result.updated,
                    skipped=result.skipped,
                ),
                "info",
            )
        else:
            status = 400
    elif form.is_submitted():
        status = 400
    count = db.session.scalar(
        select(func.count()).select_from(Ticket).where(Ticket.contract_id == contract.id)
    )
    return render_template(
        "tickets/import.html", contract=contract, form=form, result=result, ticket_count=count
    ), status
