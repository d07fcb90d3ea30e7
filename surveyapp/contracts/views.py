"""Contracts: the list, one contract's page, and its administration (provider admins only)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..access import (
    ANY_SIGNED_IN,
    clients_of_provider,
    contract_or_404,
    contracts_visible_to,
    requires,
)
from ..dimensions import DIMENSIONS
from ..extensions import db
from ..models import Customer, Cycle, Organization, Role, utcnow
from ..survey_versions.surveys import surveys_available_to
from .admin import (
    SETTINGS,
    ClauseText,
    ContractRuleError,
    activate_contract,
    create_contract,
    end_contract,
    months_outside,
    parse_targets,
    remove_clause,
    renew_contract,
    save_clause,
    update_settings,
    update_targets,
)
from .forms import (
    ClauseForm,
    ContractSettingsForm,
    EndContractForm,
    NewContractForm,
    RenewContractForm,
)

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


def _survey_choices(form, current_survey_id=None) -> None:
    surveys = db.session.scalars(
        surveys_available_to(current_user.organization_id, keep_id=current_survey_id)
    ).all()
    form.survey_id.choices = [("", _("— none yet —"))] + [(s.id, s.name) for s in surveys]


def _show_rule_error(form, error: ContractRuleError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        flash(str(error), "error")


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def new():
    form = NewContractForm()
    clients = db.session.scalars(
        clients_of_provider(current_user.organization_id).where(Organization.active.is_(True))
    ).all()
    form.client_id.choices = [(c.id, c.name) for c in clients]
    _survey_choices(form)
    if not clients:
        flash(_("Add a client first: a contract is made with one of your clients."), "info")
        return redirect(url_for("clients.new"))
    if form.validate_on_submit():
        client = next(c for c in clients if c.id == form.client_id.data)
        values = {f: getattr(form, f).data for f in SETTINGS} | {"number": form.number.data}
        try:
            contract = create_contract(
                db.session, current_user.organization, client, values, current_user
            )
        except ContractRuleError as error:
            db.session.rollback()
            _show_rule_error(form, error)
        else:
            db.session.commit()
            flash(_("Contract %(number)s is saved as a draft.", number=contract.number), "info")
            return redirect(url_for("contracts.edit", contract_id=contract.id))
    status = 400 if form.is_submitted() else 200
    return render_template("contracts/new.html", form=form), status


def _edit_page(contract, form, target_errors=None, status=200, outside=()):
    targets = {t.dimension: t for t in contract.targets}
    return render_template(
        "contracts/edit.html",
        contract=contract,
        form=form,
        targets=targets,
        dimensions=list(DIMENSIONS),
        target_errors=target_errors or {},
        outside=outside,
    ), status


@bp.route("/<int:contract_id>/edit", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def edit(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    form = ContractSettingsForm(obj=contract)
    _survey_choices(form, contract.survey_id)
    if form.validate_on_submit():
        values = {f: getattr(form, f).data for f in SETTINGS}
        dates = (values["start_date"], values["end_date"])
        moved = dates != (contract.start_date, contract.end_date)
        outside = months_outside(db.session, contract, *dates) if moved else []
        if outside and not form.confirm_dates.data:
            form.start_date.errors = [
                _(
                    "These dates leave months with results outside the contract: "
                    "%(months)s. Tick the box below to change them anyway.",
                    months=", ".join(outside),
                )
            ]
            return _edit_page(contract, form, status=409, outside=outside)
        try:
            changed = update_settings(db.session, contract, values, current_user)
        except ContractRuleError as error:
            db.session.rollback()
            contract = contract_or_404(contract_id, current_user)
            _show_rule_error(form, error)
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
        form = ContractSettingsForm(obj=contract, formdata=None)
        _survey_choices(form, contract.survey_id)
        return _edit_page(contract, form, errors, 400)
    changed = update_targets(db.session, contract, changes, current_user)
    db.session.commit()
    flash(_("Saved.") if changed else _("Nothing changed."), "info")
    return redirect(url_for("contracts.edit", contract_id=contract.id))


@bp.route("/<int:contract_id>/clause", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def clause(contract_id: int):
    """Add a clause, or edit the one named by ``?ref=``."""
    contract = contract_or_404(contract_id, current_user)
    ref = request.args.get("ref")
    existing = next((c for c in contract.clauses if c.ref == ref), None)
    if ref is not None and existing is None:
        abort(404)
    form = ClauseForm(obj=existing)
    if form.validate_on_submit():
        text = ClauseText(**{f: getattr(form, f).data for f in ClauseText.__dataclass_fields__})
        try:
            save_clause(db.session, contract, text, current_user, existing)
        except ContractRuleError as error:
            db.session.rollback()
            contract = contract_or_404(contract_id, current_user)
            form.ref.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("Saved."), "info")
            return redirect(url_for("contracts.edit", contract_id=contract.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "contracts/clause.html", contract=contract, form=form, existing=existing
    ), status


@bp.post("/<int:contract_id>/clause/remove")
@requires(Role.PROVIDER_ADMIN)
def remove_clause_(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    ref = request.form.get("ref")
    if not ref:
        abort(400, _("Say which clause to remove."))
    existing = next((c for c in contract.clauses if c.ref == ref), None)
    if existing is None:
        abort(404)
    remove_clause(db.session, contract, existing, current_user)
    db.session.commit()
    flash(_("Clause %(ref)s removed.", ref=existing.ref), "info")
    return redirect(url_for("contracts.edit", contract_id=contract.id))


@bp.post("/<int:contract_id>/activate")
@requires(Role.PROVIDER_ADMIN)
def activate(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    try:
        activate_contract(db.session, contract, current_user)
    except ContractRuleError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("contracts.edit", contract_id=contract.id)), 303
    db.session.commit()
    flash(_("The contract is active: its survey months can open."), "info")
    return redirect(url_for("contracts.show", contract_id=contract.id))


def _contract_step(contract_id: int, form, template: str, step, done):
    """A valid ``form`` runs ``step(contract)``: committed, then the contract's page with
    ``done(contract)``; a refused step stores nothing and shows its message on the form."""
    contract = contract_or_404(contract_id, current_user)
    if form.validate_on_submit():
        try:
            step(contract)
        except ContractRuleError as error:
            db.session.rollback()
            contract = contract_or_404(contract_id, current_user)
            _show_rule_error(form, error)
        else:
            db.session.commit()
            flash(done(contract), "info")
            return redirect(url_for("contracts.show", contract_id=contract.id))
    status = 400 if form.is_submitted() else 200
    return render_template(template, contract=contract, form=form), status


@bp.route("/<int:contract_id>/end", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def end(contract_id: int):
    form = EndContractForm()

    def step(contract):
        today = utcnow().astimezone(ZoneInfo(contract.timezone)).date()
        end_contract(
            db.session, contract, form.ended_on.data, form.agreement_ref.data, current_user,
            today=today,
        )  # fmt: skip

    return _contract_step(
        contract_id, form, "contracts/end.html", step, lambda _c: _("The contract has ended.")
    )


@bp.route("/<int:contract_id>/renew", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def renew(contract_id: int):
    form = RenewContractForm()

    def step(contract):
        renew_contract(
            db.session, contract, form.number.data, form.start_date.data, form.end_date.data,
            form.signed_on.data, current_user,
        )  # fmt: skip

    return _contract_step(
        contract_id,
        form,
        "contracts/renew.html",
        step,
        lambda contract: _("Renewed as %(number)s.", number=contract.number),
    )
