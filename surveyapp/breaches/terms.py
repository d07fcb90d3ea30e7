"""The breach terms of a contract: for each kind, how it is counted and what it costs.

Amounts live in the presets below and in the contract's own rows, never in the rules: the
provider administrator starts from a preset and edits each figure.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import plain, record
from ..models import BreachKind, BreachTerm, Contract, User

CLAUSES = {
    BreachKind.INQUIRY_LATE: "一(1)",
    BreachKind.COMPLAINT_LATE: "一(2)",
    BreachKind.SURVEY_MISSED: "一(3)",
    BreachKind.CONFIDENTIALITY: "四",
    BreachKind.SERVICE_NOT_DELIVERED: "二",
    BreachKind.LATE_PAYMENT: "三",
}
"""The clause each kind of breach breaks."""

FIELDS = (
    "tolerance_count",
    "tolerance_percent",
    "amount",
    "fee_percent",
    "daily_percent",
    "cap_amount",
    "cap_fee_percent",
)

D = Decimal
PRESETS: dict[str, dict[str, Any]] = {
    "standard": {
        "label": _l("Common practice"),
        "terms": {
            BreachKind.INQUIRY_LATE: {"tolerance_count": 2, "amount": D("200.00"),
                                      "cap_fee_percent": D("10")},
            BreachKind.COMPLAINT_LATE: {"tolerance_count": 2, "amount": D("500.00"),
                                        "cap_fee_percent": D("10")},
            BreachKind.SURVEY_MISSED: {"fee_percent": D("5")},
            BreachKind.CONFIDENTIALITY: {"amount": D("20000.00")},
            BreachKind.SERVICE_NOT_DELIVERED: {"fee_percent": D("5"), "cap_fee_percent": D("30")},
            BreachKind.LATE_PAYMENT: {"daily_percent": D("0.05")},
        },
    },
    "strict": {
        "label": _l("Strict: no tolerance"),
        "terms": {
            BreachKind.INQUIRY_LATE: {"tolerance_count": 0, "amount": D("300.00"),
                                      "cap_fee_percent": D("20")},
            BreachKind.COMPLAINT_LATE: {"tolerance_count": 0, "amount": D("800.00"),
                                        "cap_fee_percent": D("20")},
            BreachKind.SURVEY_MISSED: {"fee_percent": D("10")},
            BreachKind.CONFIDENTIALITY: {"amount": D("50000.00")},
            BreachKind.SERVICE_NOT_DELIVERED: {"fee_percent": D("10"), "cap_fee_percent": D("50")},
            BreachKind.LATE_PAYMENT: {"daily_percent": D("0.1")},
        },
    },
    "share": {
        "label": _l("Tolerance as a share of tickets"),
        "terms": {
            BreachKind.INQUIRY_LATE: {"tolerance_percent": D("2"), "fee_percent": D("0.5"),
                                      "cap_fee_percent": D("10")},
            BreachKind.COMPLAINT_LATE: {"tolerance_percent": D("2"), "fee_percent": D("1"),
                                        "cap_fee_percent": D("10")},
            BreachKind.SURVEY_MISSED: {"fee_percent": D("5")},
            BreachKind.CONFIDENTIALITY: {"amount": D("20000.00")},
            BreachKind.SERVICE_NOT_DELIVERED: {"fee_percent": D("5"), "cap_fee_percent": D("30")},
            BreachKind.LATE_PAYMENT: {"daily_percent": D("0.05")},
        },
    },
}  # fmt: skip


class TermsError(ValueError):
    """A term the contract cannot have; ``field`` names it for the form."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def terms_of(session: Session, contract_id: int) -> dict[BreachKind, BreachTerm]:
    rows = session.scalars(select(BreachTerm).where(BreachTerm.contract_id == contract_id))
    return {BreachKind(row.kind): row for row in rows}


def _value(field: str, raw: Any) -> int | Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = int(raw) if field == "tolerance_count" else Decimal(str(raw).strip())
    except (ValueError, InvalidOperation):
        raise TermsError(str(_l("Not a number.")), field) from None
    if isinstance(value, Decimal) and not value.is_finite():
        raise TermsError(str(_l("Not a number.")), field)
    if value < 0:
        raise TermsError(str(_l("Give zero or more.")), field)
    if field.endswith("percent") and value > 100:
        raise TermsError(str(_l("A percentage from 0 to 100.")), field)
    if value > (100000 if field == "tolerance_count" else Decimal("9999999999.99")):
        raise TermsError(str(_l("Too large.")), field)
    return value


def save_terms(
    session: Session,
    contract: Contract,
    values: dict[BreachKind, dict[str, Any]],
    actor: User,
    preset: str | None = None,
) -> None:
    """Set the contract's terms from ``values`` (per kind, per field; empty means none) and
    audit the change; raise :class:`TermsError` on a value the database would refuse."""
    parsed = {}
    for kind in BreachKind:
        fields = {}
        for field in FIELDS:
            try:
                fields[field] = _value(field, values.get(kind, {}).get(field))
            except TermsError as error:
                raise TermsError(str(error), f"{kind}.{field}") from None
        if fields["tolerance_count"] is not None and fields["tolerance_percent"] is not None:
            raise TermsError(str(_l("Give the tolerance as a count or a share, not both.")),
                             f"{kind}.tolerance_percent")  # fmt: skip
        if fields["amount"] is not None and fields["fee_percent"] is not None:
            raise TermsError(str(_l("Give the cost as an amount or a share of the fee, not both.")),
                             f"{kind}.fee_percent")  # fmt: skip
        parsed[kind] = fields
    existing = terms_of(session, contract.id)
    changes = {}
    for kind, fields in parsed.items():
        row = existing.get(kind) or BreachTerm(contract_id=contract.id, kind=kind)
        session.add(row)
        for field, value in fields.items():
            before = getattr(row, field)
            if before != value:
                changes[f"{kind}.{field}"] = {"from": plain(before), "to": plain(value)}
                setattr(row, field, value)
        row.preset = preset
    record(session, "breach_terms.update", actor=actor, subject=contract,
           organization_id=contract.provider_id,
           details={"preset": preset, "changes": changes})  # fmt: skip
    session.commit()


def apply_preset(session: Session, contract: Contract, name: str, actor: User) -> None:
    if name not in PRESETS:
        raise TermsError(str(_l("No such preset.")), "preset")
    save_terms(session, contract, PRESETS[name]["terms"], actor, preset=name)
