"""Contracts: the list, one contract's page, and its administration (provider admins only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..access import ANY_SIGNED_IN, contract_or_404, contracts_visible_to, requires
from ..dimensions import DIMENSIONS
from ..extensions import db
from ..models import Customer, Cycle, Role
from .admin import (
    SETTINGS,
    ClauseText,
    ContractRuleError,
    parse_targets,
    save_clause,
    update_settings,
    update_targets,
)
from .forms import ClauseForm, ContractSettingsForm

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


def _edit_page(contract, form, target_errors=None, status=200):
    targets = {t.dimension: t for t in contract.targets}
    return render_template(
        "contracts/edit.html",
        contract=contract,
        form=form,
        targets=targets,
        dimensions=list(DIMENSIONS),
        target_errors=target_errors or {},
    ), status


@bp.route("/<int:contract_id>/edit", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def edit(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    form = ContractSettingsForm(obj=contract)
    if form.validate_on_submit():
        try:
            changed = update_settings(
                db.session, contract, {f: getattr(form, f).data for f in SETTINGS}, current_user
            )
        except ContractRuleError:
            db.session.rollback()
            form.end_date.errors = [_("The end date must not be before the start date.")]
            return _edit_page(contract, form, status=400)
        db.session.commit()
        flash(_("Saved.") if changed else _("Nothing changed."), "info")
        return redirect(url_for("contracts.edit", contract_id=contract.id))
    return _edit_page(contract, form, status=400 if form.is_submitted() else 200)


@bp.post("/<int:contract_id>/targets")
@requires(Role.PROVIDER_ADMIN)
def targets(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    changes, errors = parse_targets(request.form, list(DIMENSIONS))
    if errors:
        flash(
            _("Targets are a mean from 1 to 5 and a CSAT from 0 to 100. Nothing was saved."),
            "error",
        )
        return _edit_page(contract, ContractSettingsForm(obj=contract, formdata=None), errors, 400)
    changed = update_targets(db.session, contract, changes, current_user)
    db.session.commit()
    flash(_("Saved.") if changed else _("Nothing changed."), "info")
    return redirect(url_for("contracts.edit", contract_id=contract.id))


@bp.route("/<int:contract_id>/clause", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def clause(contract_id: int):
    """Add a clause, or edit the one named by ``?ref=``."""
    contract = contract_or_404(contract_id, current_user)
    existing = next((c for c in contract.clauses if c.ref == request.args.get("ref")), None)
    form = ClauseForm(obj=existing)
    if form.validate_on_submit():
        text = ClauseText(**{f: getattr(form, f).data for f in ClauseText.__dataclass_fields__})
        save_clause(db.session, contract, text, current_user)
        db.session.commit()
        flash(_("Saved."), "info")
        return redirect(url_for("contracts.edit", contract_id=contract.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "contracts/clause.html", contract=contract, form=form, existing=existing
    ), status
