"""The action-item board: filter, read and edit the improvement items of the contracts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import PROVIDER_STAFF, contracts_visible_to, requires
from ..extensions import db
from ..models import ActionItem, ActionStatus, Contract, User, utcnow
from ..presenting.effects import effect_view
from ..security.inputs import parse_number
from .board import InvalidChange, update_item
from .forms import ActionItemForm

bp = Blueprint("action_items", __name__, url_prefix="/action-items")
bp.add_app_template_global(effect_view, "effect_view")


def _visible_items():
    visible = contracts_visible_to(current_user).with_only_columns(Contract.id)
    return select(ActionItem).where(ActionItem.contract_id.in_(visible))


def _staff() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.organization_id == current_user.organization_id,
                User.active,
                User.role.in_([r.value for r in PROVIDER_STAFF]),
            )
            .order_by(User.name)
        )
    )


@bp.get("/")
@requires(*PROVIDER_STAFF)
def board():
    query = _visible_items()
    filters = {
        name: request.args.get(name, "").strip()
        for name in ("contract", "status", "owner", "clause")
    }
    contract_id = parse_number(filters["contract"], name="contract")
    if contract_id is not None:
        query = query.where(ActionItem.contract_id == contract_id)
    if filters["status"] == "active":
        query = query.where(
            ActionItem.status.in_(
                [ActionStatus.PROPOSED, ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
            )
        )
    elif filters["status"] in set(ActionStatus):
        query = query.where(ActionItem.status == filters["status"])
    if filters["owner"] == "none":
        query = query.where(ActionItem.owner_id.is_(None))
    elif (owner_id := parse_number(filters["owner"], name="owner")) is not None:
        query = query.where(ActionItem.owner_id == owner_id)
    if filters["clause"]:
        query = query.where(ActionItem.clause_ref == filters["clause"][:20])
    items = db.session.scalars(
        query.order_by(ActionItem.month.desc(), ActionItem.id).limit(500)
    ).all()
    contracts = db.session.scalars(contracts_visible_to(current_user)).all()
    clauses = sorted(
        db.session.scalars(_visible_items().with_only_columns(ActionItem.clause_ref).distinct())
    )
    return render_template(
        "action_items/board.html",
        items=items,
        filters=filters,
        contracts=contracts,
        staff={u.id: u for u in _staff()},
        clauses=clauses,
        contract_numbers={c.id: c.number for c in contracts},
        today=utcnow().date(),
    )


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@requires(*PROVIDER_STAFF)
def edit(item_id: int):
    item = db.session.scalar(_visible_items().where(ActionItem.id == item_id))
    if item is None:
        abort(404)
    form = ActionItemForm(obj=item)
    staff = _staff()
    form.owner_id.choices = [(0, _("Nobody yet"))] + [(u.id, u.name) for u in staff]
    if request.method == "GET":
        form.owner_id.data = item.owner_id or 0
    if form.validate_on_submit():
        changes = {
            name: getattr(form, name).data
            for name in ("title", "remedy", "due_date", "status", "priority")
        }
        changes["owner_id"] = form.owner_id.data or None
        try:
            changed = update_item(db.session, item, changes, current_user, utcnow())
        except InvalidChange as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return render_template("action_items/edit.html", form=form, item=item), 400
        db.session.commit()
        flash(_("Saved.") if changed else _("Nothing changed."), "info")
        return redirect(url_for("action_items.board", contract=item.contract_id))
    status = 400 if form.is_submitted() else 200
    return render_template("action_items/edit.html", form=form, item=item), status
