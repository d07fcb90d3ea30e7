"""Contracts the signed-in user may see: the list and one contract's page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from ..access import ANY_SIGNED_IN, contract_or_404, contracts_visible_to, requires
from ..extensions import db
from ..models import Customer, Cycle

bp = Blueprint("contracts", __name__, url_prefix="/contracts")


@bp.get("/")
@requires(*ANY_SIGNED_IN)
def index():
    contracts = db.session.scalars(contracts_visible_to(current_user)).all()
    return render_template("contracts/index.html", contracts=contracts)


@bp.get("/<int:contract_id>")
@requires(*ANY_SIGNED_IN)
def show(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    cycles = db.session.scalars(
        select(Cycle).where(Cycle.contract_id == contract.id).order_by(Cycle.month.desc())
    ).all()
    customer_count = db.session.scalar(
        select(func.count()).select_from(Customer).where(Customer.contract_id == contract.id)
    )
    return render_template(
        "contracts/show.html", contract=contract, cycles=cycles, customer_count=customer_count
    )
