"""A contract's customers for provider administrators: the list and the CSV import page.

Only administrators see this page: it is one of the two places where contact data is decrypted
(the other is sending e-mail), and each viewing is audited.
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from .. import audit
from ..access import contract_or_404, requires
from ..csv_upload import ImportForm, run_upload
from ..extensions import db
from ..models import Customer, Role
from ..security.inputs import number_arg
from .importing import COLUMNS, import_customers

bp = Blueprint("customers", __name__, url_prefix="/contracts/<int:contract_id>/customers")
PAGE_SIZE = 100
PAGE_MAX = 100_000


@bp.get("/")
@requires(Role.PROVIDER_ADMIN)
def index(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    page = number_arg("page", high=PAGE_MAX) or 1
    total = db.session.scalar(
        select(func.count()).select_from(Customer).where(Customer.contract_id == contract.id)
    )
    customers = db.session.scalars(
        select(Customer)
        .where(Customer.contract_id == contract.id)
        .order_by(Customer.ref)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    rows = [(c, c.reveal_contact()) for c in customers]
    audit.record(
        db.session,
        "customers.viewed",
        actor=current_user,
        subject=contract,
        organization_id=contract.provider_id,
        details={"page": page, "rows": len(rows)},
    )
    db.session.commit()
    return render_template(
        "customers/index.html",
        contract=contract,
        rows=rows,
        page=page,
        total=total,
        pages=max(1, -(-total // PAGE_SIZE)),
    )


@bp.route("/import", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def import_page(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    form = ImportForm()
    result, status = run_upload(
        form, partial(import_customers, db.session, contract, actor=current_user)
    )
    return render_template(
        "customers/import.html", contract=contract, form=form, result=result, columns=COLUMNS
    ), status
