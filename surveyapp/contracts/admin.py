"""Contract administration rules: settings, targets and clauses, each change audited.

Provider admins change these; the SLA hours are the contract's clauses 一(1) and 一(2), the
schedule its clause 一(3), so every change is recorded with who, when and what.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from .. import audit
from ..models import Clause, Contract, DimensionTarget, User

SETTINGS = (
    "title",
    "status",
    "start_date",
    "end_date",
    "monthly_fee",
    "inquiry_hours",
    "complaint_hours",
    "timezone",
    "survey_open_day",
    "survey_open_days",
    "reminder_after_days",
    "max_reminders",
    "target_nps",
    "target_response_rate",
)


class ContractRuleError(ValueError):
    """A change that would leave the contract inconsistent."""


def update_settings(
    session: Session, contract: Contract, values: Mapping[str, Any], actor: User
) -> dict:
    """Apply new settings; audit the fields that changed."""
    unknown = set(values) - set(SETTINGS)
    if unknown:
        raise ContractRuleError(f"cannot change {sorted(unknown)}")
    end, start = (
        values.get("end_date", contract.end_date),
        values.get("start_date", contract.start_date),
    )
    if end is not None and start is not None and end < start:
        raise ContractRuleError("end_date before start_date")
    diff = audit.apply_changes(contract, values)
    if diff:
        audit.record(
            session,
            "contract.update",
            actor=actor,
            subject=contract,
            organization_id=contract.provider_id,
            details=diff,
        )
    return diff


@dataclass(frozen=True)
class TargetChange:
    dimension: str
    target_mean: Decimal
    target_csat: Decimal


def update_targets(
    session: Session, contract: Contract, changes: Sequence[TargetChange], actor: User
) -> dict:
    """Set the target of each given dimension (a new dimension gets a new target row)."""
    current = {t.dimension: t for t in contract.targets}
    diff = {}
    for change in changes:
        if not (1 <= change.target_mean <= 5 and 0 <= change.target_csat <= 100):
            raise ContractRuleError(f"target of {change.dimension} out of range")
        target = current.get(change.dimension)
        if target is None:
            target = DimensionTarget(dimension=change.dimension)
            contract.targets.append(target)
        before = (target.target_mean, target.target_csat)
        if before != (change.target_mean, change.target_csat):
            diff[change.dimension] = {
                "from": [audit.plain(v) for v in before],
                "to": [str(change.target_mean), str(change.target_csat)],
            }
            target.target_mean, target.target_csat = change.target_mean, change.target_csat
    if diff:
        audit.record(
            session,
            "contract.targets",
            actor=actor,
            subject=contract,
            organization_id=contract.provider_id,
            details=diff,
        )
    return diff


@dataclass(frozen=True)
class ClauseText:
    ref: str
    title_zh: str
    title_en: str
    obligation_zh: str
    obligation_en: str


def save_clause(session: Session, contract: Contract, text: ClauseText, actor: User) -> Clause:
    """Add a clause or change the one with the same reference."""
    ref = text.ref.strip()
    if not ref:
        raise ContractRuleError("a clause needs a reference such as 一(1)")
    clause = next((c for c in contract.clauses if c.ref == ref), None)
    action = "contract.clause_update"
    if clause is None:
        action = "contract.clause_add"
        clause = Clause(ref=ref, position=len(contract.clauses))
        contract.clauses.append(clause)
    before = {
        f: getattr(clause, f, None)
        for f in ("title_zh", "title_en", "obligation_zh", "obligation_en")
    }
    for name in before:
        setattr(clause, name, getattr(text, name).strip())
    audit.record(
        session,
        action,
        actor=actor,
        subject=contract,
        organization_id=contract.provider_id,
        details={"ref": ref, "before": before},
    )
    return clause


def parse_targets(
    form: Mapping[str, str], dimensions: Sequence[str]
) -> tuple[list[TargetChange], dict]:
    """Read ``mean-<dimension>`` and ``csat-<dimension>`` fields; errors per field name."""
    changes, errors = [], {}
    for dimension in dimensions:
        try:
            mean = Decimal(form.get(f"mean-{dimension}", "").strip())
            csat = Decimal(form.get(f"csat-{dimension}", "").strip())
        except ArithmeticError:
            errors[dimension] = "number"
            continue
        if not (mean.is_finite() and csat.is_finite()) or not (1 <= mean <= 5 and 0 <= csat <= 100):
            errors[dimension] = "range"
            continue
        changes.append(
            TargetChange(dimension, mean.quantize(Decimal("0.01")), csat.quantize(Decimal("0.01")))
        )
    return changes, errors
