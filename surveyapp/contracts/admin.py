"""Contract administration rules: making, changing, ending and renewing a contract.

Provider admins change these; the SLA hours are the contract's clauses 一(1) and 一(2), the
schedule its clause 一(3), ending early clause 七 (in writing, by both parties), so every change
is recorded with who, when and what. Each step checks everything before it writes, so a refused
change stores nothing; the database's unique and check constraints back the checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .. import audit
from ..dimensions import DIMENSIONS
from ..models import (
    Clause,
    Contract,
    ContractStatus,
    ContractTerm,
    Cycle,
    DimensionTarget,
    Organization,
    OrgKind,
    Survey,
    User,
)
from ..survey_versions.surveys import surveys_available_to
from .template import DEFAULT_TARGET_CSAT, DEFAULT_TARGET_MEAN, STANDARD_CLAUSES

SETTINGS = (
    "title",
    "signed_on",
    "start_date",
    "end_date",
    "monthly_fee",
    "payment_due_working_days",
    "provider_address",
    "provider_contact",
    "provider_phone",
    "client_address",
    "client_contact",
    "client_phone",
    "survey_id",
    "inquiry_hours",
    "complaint_hours",
    "sla_attribution",
    "timezone",
    "survey_open_day",
    "survey_open_days",
    "reminder_after_days",
    "max_reminders",
    "target_nps",
    "target_response_rate",
)


class ContractRuleError(ValueError):
    """A change that would leave the contract inconsistent; ``field`` names what to fix."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check_values(values: Mapping[str, Any]) -> None:
    """The rules every contract keeps, in the words a person can act on."""
    start, end = values.get("start_date"), values.get("end_date")
    if start is None:
        raise ContractRuleError(_("A contract needs a start date."), "start_date")
    if end is not None and end < start:
        raise ContractRuleError(_("The end date must not be before the start date."), "end_date")
    fee = values.get("monthly_fee")
    if fee is not None and fee < 0:
        raise ContractRuleError(_("The monthly fee cannot be negative."), "monthly_fee")
    for name in ("inquiry_hours", "complaint_hours"):
        if name in values and not (values[name] or 0) > 0:
            raise ContractRuleError(_("SLA hours must be at least 1."), name)
    term = values.get("payment_due_working_days")
    if term is not None and not 1 <= term <= 28:
        raise ContractRuleError(
            _("The fee is due within 1 to 28 working days."), "payment_due_working_days"
        )


def _check_survey(
    session: Session, provider_id: int, survey_id: int | None, keep_id: int | None = None
) -> None:
    """The survey is one of the provider's, not retired (unless the contract already has it)."""
    if survey_id is None:
        return
    offered = surveys_available_to(provider_id, keep_id=keep_id).where(Survey.id == survey_id)
    if session.scalar(offered) is None:
        raise ContractRuleError(_("Choose one of your surveys."), "survey_id")


def _number_taken(session: Session, provider_id: int, number: str, contract_id=None) -> bool:
    """A number is unique per provider, among contracts and earlier terms of renewed ones."""
    current = select(Contract.id).where(
        Contract.provider_id == provider_id, Contract.number == number
    )
    if contract_id is not None:
        current = current.where(Contract.id != contract_id)
    earlier = (
        select(ContractTerm.id)
        .join(Contract)
        .where(Contract.provider_id == provider_id, ContractTerm.number == number)
    )
    return bool(session.scalar(select(exists(current))) or session.scalar(select(exists(earlier))))


def create_contract(
    session: Session,
    provider: Organization,
    client: Organization,
    values: Mapping[str, Any],
    actor: User,
) -> Contract:
    """A draft contract for ``client`` from the template: its clauses and a target per dimension.

    ``values`` holds ``number`` and any of SETTINGS; party fields left empty are copied from
    the two organizations.
    """
    if client.kind != OrgKind.CLIENT or client.id == provider.id:
        raise ContractRuleError(_("Choose one of your clients."), "client_id")
    if not client.active:
        raise ContractRuleError(_("This client is deactivated."), "client_id")
    number = (values.get("number") or "").strip()
    if not number:
        raise ContractRuleError(_("A contract needs a number."), "number")
    if _number_taken(session, provider.id, number):
        raise ContractRuleError(
            _("Contract number %(number)s is already in use.", number=number), "number"
        )
    unknown = set(values) - set(SETTINGS) - {"number"}
    if unknown:
        raise ContractRuleError(f"cannot set {sorted(unknown)}")
    _check_values(values)
    _check_survey(session, provider.id, values.get("survey_id"))
    contract = Contract(
        provider=provider, client=client, number=number, status=ContractStatus.DRAFT
    )
    for name, value in values.items():
        if name != "number" and value is not None:
            setattr(contract, name, value)
    for party, org in (("provider", provider), ("client", client)):
        for field, source in (
            ("address", "address"),
            ("contact", "contact_person"),
            ("phone", "phone"),
        ):
            if not getattr(contract, f"{party}_{field}"):
                setattr(contract, f"{party}_{field}", getattr(org, source))
    contract.clauses = [
        Clause(ref=ref, position=i, title_zh=tz, title_en=te, obligation_zh=oz, obligation_en=oe)
        for i, (ref, tz, te, oz, oe) in enumerate(STANDARD_CLAUSES)
    ]
    contract.targets = [
        DimensionTarget(
            dimension=dimension,
            clause_ref=ref,
            target_mean=DEFAULT_TARGET_MEAN,
            target_csat=DEFAULT_TARGET_CSAT,
        )
        for dimension, (ref, _label) in DIMENSIONS.items()
    ]
    session.add(contract)
    session.flush()
    audit.record(
        session,
        "contract.create",
        actor=actor,
        subject=contract,
        organization_id=provider.id,
        details={"number": number, "client": client.name},
    )
    return contract


def months_outside(
    session: Session, contract: Contract, start: date, end: date | None
) -> list[str]:
    """Months of this contract (surveyed or imported) that new dates would leave outside it."""
    months = session.scalars(
        select(Cycle.month).where(Cycle.contract_id == contract.id).order_by(Cycle.month)
    ).all()
    earlier = [t.start_date for t in contract.terms]
    first = min([start, *earlier]).strftime("%Y-%m")
    last = end.strftime("%Y-%m") if end else None
    return [m for m in months if m < first or (last is not None and m > last)]


def update_settings(
    session: Session, contract: Contract, values: Mapping[str, Any], actor: User
) -> dict:
    """Apply new settings; audit the fields that changed."""
    unknown = set(values) - set(SETTINGS)
    if unknown:
        raise ContractRuleError(f"cannot change {sorted(unknown)}")
    merged = {
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        **values,
    }
    _check_values(merged)
    if "survey_id" in values:
        _check_survey(session, contract.provider_id, values["survey_id"], contract.survey_id)
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


def activate_contract(session: Session, contract: Contract, actor: User) -> None:
    """Draft → active: the contract's months can open from now on."""
    if contract.status != ContractStatus.DRAFT:
        raise ContractRuleError(_("Only a draft contract can be activated."))
    contract.status = ContractStatus.ACTIVE
    audit.record(
        session,
        "contract.activate",
        actor=actor,
        subject=contract,
        organization_id=contract.provider_id,
    )


def end_contract(
    session: Session,
    contract: Contract,
    ended_on: date,
    agreement_ref: str,
    actor: User,
    today: date,
) -> None:
    """Active or draft → ended, from ``ended_on`` (today or earlier: the status changes now).
    Ending before the end date needs the written agreement (clause 七)."""
    if contract.status == ContractStatus.ENDED:
        raise ContractRuleError(_("This contract has already ended."))
    if ended_on < contract.start_date:
        raise ContractRuleError(_("A contract cannot end before it starts."), "ended_on")
    if ended_on > today:
        raise ContractRuleError(
            _("Record the end on or after the day it takes effect (%(date)s).", date=ended_on),
            "ended_on",
        )
    agreement_ref = (agreement_ref or "").strip()
    early = contract.end_date is None or ended_on < contract.end_date
    if early and not agreement_ref:
        raise ContractRuleError(
            _("Ending before the end date needs the reference of the written agreement."),
            "agreement_ref",
        )
    contract.status = ContractStatus.ENDED
    contract.ended_on = ended_on
    contract.termination_ref = agreement_ref or None
    audit.record(
        session,
        "contract.end",
        actor=actor,
        subject=contract,
        organization_id=contract.provider_id,
        details={"ended_on": ended_on.isoformat(), "agreement": agreement_ref, "early": early},
    )


def renew_contract(
    session: Session,
    contract: Contract,
    number: str,
    start: date,
    end: date | None,
    signed_on: date | None,
    actor: User,
) -> ContractTerm:
    """Give the contract a new number and dates; the earlier term is kept with its months.

    The contract keeps its id, so its months, customers, action items and trends continue
    across both terms; the new term starts after the old one.
    """
    number = (number or "").strip()
    if not number:
        raise ContractRuleError(_("A contract needs a number."), "number")
    if number == contract.number or _number_taken(session, contract.provider_id, number):
        raise ContractRuleError(
            _("Contract number %(number)s is already in use.", number=number), "number"
        )
    previous_end = contract.ended_on or contract.end_date
    if previous_end is not None and start <= previous_end:
        raise ContractRuleError(
            _("The renewal starts after the current term ends (%(date)s).", date=previous_end),
            "start_date",
        )
    if start <= contract.start_date:
        raise ContractRuleError(
            _("The renewal starts after the current term starts."), "start_date"
        )
    _check_values({"start_date": start, "end_date": end})
    term = ContractTerm(
        number=contract.number,
        signed_on=contract.signed_on,
        start_date=contract.start_date,
        end_date=previous_end or start - timedelta(days=1),  # an open-ended term ends here
    )
    contract.terms.append(term)
    old = contract.number
    contract.number, contract.signed_on = number, signed_on
    contract.start_date, contract.end_date = start, end
    contract.ended_on = contract.termination_ref = None
    if contract.status == ContractStatus.ENDED:
        contract.status = ContractStatus.ACTIVE
    session.flush()
    audit.record(
        session,
        "contract.renew",
        actor=actor,
        subject=contract,
        organization_id=contract.provider_id,
        details={
            "from": old,
            "to": number,
            "start": start.isoformat(),
            "end": end.isoformat() if end else None,
        },
    )
    return term


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


CLAUSE_FIELDS = ("title_zh", "title_en", "obligation_zh", "obligation_en")


def save_clause(
    session: Session,
    contract: Contract,
    text: ClauseText,
    actor: User,
    clause: Clause | None = None,
) -> Clause:
    """Add a clause, or change ``clause`` (its reference too); refs are unique per contract."""
    ref = text.ref.strip()
    if not ref:
        raise ContractRuleError(_("A clause needs a reference such as 一(1)."), "ref")
    if any(c.ref == ref and c is not clause for c in contract.clauses):
        raise ContractRuleError(
            _("Clause %(ref)s already exists in this contract.", ref=ref), "ref"
        )
    action = "contract.clause_update"
    before = {f: getattr(clause, f, None) for f in ("ref", *CLAUSE_FIELDS)}
    if clause is None:
        action = "contract.clause_add"
        position = max((c.position for c in contract.clauses), default=-1) + 1
        clause = Clause(ref=ref, position=position)
        contract.clauses.append(clause)
    clause.ref = ref
    for name in CLAUSE_FIELDS:
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


def remove_clause(session: Session, contract: Contract, clause: Clause, actor: User) -> None:
    """Remove a clause; questions and targets that cite it keep the reference as text."""
    contract.clauses.remove(clause)
    audit.record(
        session,
        "contract.clause_remove",
        actor=actor,
        subject=contract,
        organization_id=contract.provider_id,
        details={"ref": clause.ref, **{f: getattr(clause, f) for f in CLAUSE_FIELDS}},
    )


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
