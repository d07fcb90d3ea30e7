"""Action items: storing the analysis' proposals, staff edits, and the effect verdicts.

Clause 一(3) asks the provider to improve from each month's results; these functions keep the
record of what was proposed, who owns it, and whether it worked by the next cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.results import ActionItemProposal, EffectVerdict

from .. import audit
from ..models import ActionItem, ActionStatus, User

if TYPE_CHECKING:
    from analysis import MonthlyAnalysis

EDITABLE = ("title", "remedy", "owner_id", "due_date", "status", "priority")
CLOSED = (ActionStatus.DONE, ActionStatus.DISMISSED)


def save_proposals(
    session: Session,
    contract_id: int,
    cycle_id: int | None,
    proposals: Iterable[ActionItemProposal],
) -> list[ActionItem]:
    """Store a month's proposals; one already stored (same key) stays as staff edited it."""
    proposals = list(proposals)
    months = {p.month for p in proposals}
    existing = {
        (item.month, item.key)
        for item in session.scalars(
            select(ActionItem).where(
                ActionItem.contract_id == contract_id, ActionItem.month.in_(months)
            )
        )
    }
    added = []
    for proposal in proposals:
        if (proposal.month, proposal.key) in existing:
            continue
        item = ActionItem(
            contract_id=contract_id,
            cycle_id=cycle_id,
            month=proposal.month,
            key=proposal.key,
            rule=proposal.rule,
            clause_ref=proposal.clause_ref,
            dimension=proposal.dimension,
            title=proposal.title[:300],
            evidence=dict(proposal.evidence),
            remedy=proposal.remedy,
            priority=proposal.priority,
            due_date=proposal.due_date,
            status=ActionStatus.PROPOSED,
        )
        session.add(item)
        added.append(item)
    return added


class InvalidChange(ValueError):
    """A change that the board refuses (unknown field, status or owner)."""


def update_item(
    session: Session, item: ActionItem, changes: Mapping[str, Any], actor: User, now: datetime
) -> dict:
    """Apply staff edits to an item and audit each changed field with who and when."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidChange(f"cannot change {sorted(unknown)}")
    if "status" in changes and changes["status"] not in set(ActionStatus):
        raise InvalidChange("unknown status")
    owner_id = changes.get("owner_id")
    if owner_id is not None:
        owner = session.get(User, owner_id)
        if (
            owner is None
            or not owner.role_enum.is_provider
            or owner.organization_id != actor.organization_id
        ):
            raise InvalidChange("the owner must be a member of the provider's staff")
    diff = audit.apply_changes(item, changes)
    if "status" in diff:
        item.closed_at = now if item.status in CLOSED else None
    if diff:
        audit.record(
            session,
            "action_item.update",
            actor=actor,
            subject=item,
            organization_id=actor.organization_id,
            details={"contract_id": item.contract_id, **diff},
        )
    return diff


@dataclass(frozen=True)
class EffectRecord:
    item_id: int
    effect: str


def record_effects(
    session: Session, contract_id: int, after: MonthlyAnalysis
) -> list[EffectRecord]:
    """Give every item closed as done before ``after.month`` and not yet judged its effect verdict.

    Called when the next cycle closes: the item's evidence (the figures that raised it) is
    compared with the same metric in the new month's analysis.
    """
    from analysis import item_effect  # pandas and SciPy: loaded when a month is analysed

    items = session.scalars(
        select(ActionItem).where(
            ActionItem.contract_id == contract_id,
            ActionItem.status == ActionStatus.DONE,
            ActionItem.effect.is_(None),
            ActionItem.month < after.month,
        )
    ).all()
    records = []
    for item in items:
        verdict: EffectVerdict = item_effect(item.key, item.evidence, after)
        item.effect = verdict.effect
        item.effect_evidence = _json_ready(verdict.evidence)
        records.append(EffectRecord(item.id, verdict.effect))
    return records


def _json_ready(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return _json_ready(value.item())
    return value
