"""A contract's improvement action items; a client's token sees the ones the portal shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..models import ActionItem, ActionStatus
from ..presenting.effects import effect_figures
from ..presenting.reading import CLIENT_VISIBLE_ITEMS
from . import bp, choice_arg, contract_or_404, is_client, iso, keyset_page, month_arg
from .openapi import operation, page_of


def action_item_json(item: ActionItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "contract_id": item.contract_id,
        "month": item.month,
        "rule": item.rule,
        "clause_ref": item.clause_ref,
        "dimension": item.dimension,
        "title": item.title,
        "evidence": item.evidence or {},
        "remedy": item.remedy,
        "priority": item.priority,
        "status": item.status,
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "closed_at": iso(item.closed_at),
        "effect": item.effect,
        # before / after, change with its 95 % interval, p-value and test, at full precision
        "effect_evidence": effect_figures(item, client=is_client()),
    }


@bp.get("/contracts/<int:contract_id>/action-items")
@operation(
    "A contract's action items",
    description=(
        "Newest first (by id). A client's token sees open, in-progress and done items (as in "
        "the portal)."
    ),
    params=("contract_id", "month", "item_status", "limit", "cursor"),
    responses={200: ("a page of action items", page_of("ActionItem"))},
    tag="action items",
)
def list_action_items(contract_id: int):
    contract = contract_or_404(contract_id)
    month = month_arg(required=False)
    status = choice_arg("status", [s.value for s in ActionStatus])
    statement = select(ActionItem).where(ActionItem.contract_id == contract.id)
    if is_client():
        statement = statement.where(ActionItem.status.in_(CLIENT_VISIBLE_ITEMS))
    if month:
        statement = statement.where(ActionItem.month == month)
    if status:
        statement = statement.where(ActionItem.status == status)
    return keyset_page(statement, ActionItem.id, action_item_json, descending=True)
