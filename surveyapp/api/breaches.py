"""The month's breach statement of a contract (clauses 三 and 五), for both parties' tokens:
the same figures as the statement page and its PDF. Money is given as decimal strings in yuan
with two decimals (rounded half up), never as floats; tickets by id only."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from ..breaches.statement import Statement, month_statement
from ..extensions import db
from ..models import utcnow
from . import bp, contract_or_404, iso, month_arg
from .openapi import MONTH_SCHEMA, PARAMETERS, SCHEMAS, TAGS, _query, data_of, operation

MONEY = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "examples": ["1200.00"]}
NULL_MONEY = {"type": ["string", "null"], "pattern": r"^-?[0-9]+\.[0-9]{2}$"}
KINDS = ["inquiry_late", "complaint_late", "survey_missed", "confidentiality",
         "service_not_delivered", "late_payment"]  # fmt: skip
STATUSES = ["open", "acknowledged", "disputed", "waived", "settled"]
PAYMENT_STATES = ["paid_on_time", "paid_late", "unpaid", "not_due", "no_fee", "unknown_calendar"]
NULL_DATE = {"type": ["string", "null"], "format": "date"}

SCHEMAS["BreachLine"] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["kind", "clause_ref", "owed_by", "count", "within_tolerance", "gross", "cap",
                 "cap_applied", "payable", "corrections"],
    "properties": {
        "kind": {"type": "string", "enum": KINDS},
        "clause_ref": {"type": "string"},
        "owed_by": {"type": "string", "enum": ["provider", "client"]},
        "count": {"type": "integer", "minimum": 0},
        "within_tolerance": {"type": "integer", "minimum": 0},
        "gross": MONEY,
        "cap": NULL_MONEY,
        "cap_applied": {"type": "boolean"},
        "payable": MONEY,
        "corrections": MONEY,
    },
}  # fmt: skip
SCHEMAS["BreachEntry"] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "kind", "clause_ref", "source", "status", "amount", "within_tolerance",
                 "evidence", "corrects_id", "created_at"],
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "kind": {"type": "string", "enum": KINDS},
        "clause_ref": {"type": "string"},
        "source": {"type": "string", "enum": ["derived", "recorded", "correction"]},
        "status": {"type": "string", "enum": STATUSES},
        "amount": MONEY,
        "within_tolerance": {"type": "boolean"},
        "evidence": {"type": "object", "description": "ticket id and hours, the missing "
                     "survey's reason, the payment's dates, or the recorded incident"},
        "corrects_id": {"type": ["integer", "null"]},
        "created_at": {"type": "string", "format": "date-time"},
    },
}  # fmt: skip
SCHEMAS["BreachStatement"] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["contract_id", "month", "settled_at", "provider_total", "client_total",
                 "ytd_provider", "ytd_client", "payment", "lines", "entries"],
    "properties": {
        "contract_id": {"type": "integer", "minimum": 1},
        "month": MONTH_SCHEMA,
        "settled_at": {"type": ["string", "null"], "format": "date-time"},
        "provider_total": MONEY,
        "client_total": MONEY,
        "ytd_provider": MONEY,
        "ytd_client": MONEY,
        "payment": {
            "type": "object",
            "additionalProperties": False,
            "required": ["fee", "due_on", "paid", "state"],
            "properties": {"fee": MONEY, "due_on": NULL_DATE, "paid": MONEY,
                           "state": {"type": "string", "enum": PAYMENT_STATES}},
        },
        "lines": {"type": "array", "items": {"$ref": "#/components/schemas/BreachLine"}},
        "entries": {"type": "array", "items": {"$ref": "#/components/schemas/BreachEntry"}},
    },
}  # fmt: skip
PARAMETERS["statement_month"] = _query(
    "month", MONTH_SCHEMA, "the statement's month, e.g. 2026-10", True
)
TAGS.insert(-1, {"name": "breaches", "description": "the contract's monthly breach statement"})


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def statement_json(s: Statement) -> dict[str, Any]:
    return {
        "contract_id": s.contract.id,
        "month": s.month,
        "settled_at": iso(s.settled.settled_at) if s.settled else None,
        "provider_total": _money(s.provider_total),
        "client_total": _money(s.client_total),
        "ytd_provider": _money(s.ytd_provider),
        "ytd_client": _money(s.ytd_client),
        "payment": {
            "fee": _money(s.payment.fee),
            "due_on": s.payment.due_on.isoformat() if s.payment.due_on else None,
            "paid": _money(s.payment.paid),
            "state": s.payment.state,
        },
        "lines": [
            {"kind": x.kind, "clause_ref": x.clause_ref, "owed_by": x.party, "count": x.count,
             "within_tolerance": x.within_tolerance, "gross": _money(x.gross),
             "cap": _money(x.cap), "cap_applied": x.cap_applied, "payable": _money(x.payable),
             "corrections": _money(x.corrections)}
            for x in s.lines
        ],
        "entries": [
            {"id": e.id, "kind": e.kind, "clause_ref": e.clause_ref, "source": e.source,
             "status": e.status, "amount": _money(e.amount),
             "within_tolerance": bool(e.within_tolerance), "evidence": e.evidence or {},
             "corrects_id": e.corrects_id, "created_at": iso(e.created_at)}
            for e in s.entries
        ],
    }  # fmt: skip


@bp.get("/contracts/<int:contract_id>/breaches")
@operation(
    "The month's breach statement",
    description=(
        "The contract's breaches in one month, as on the statement page: by clause with the "
        "amounts under the contract's terms and the monthly cap applied, each entry with its "
        "evidence and status (open, acknowledged, disputed, waived, settled), the monthly "
        "fee's payment status and the year to date. Readable by the provider's and the "
        "client's tokens. Amounts are decimal strings in yuan, rounded half up to the fen."
    ),
    params=("contract_id", "statement_month"),
    responses={200: ("the statement", data_of("BreachStatement"))},
    tag="breaches",
)
def list_breaches(contract_id: int):
    contract = contract_or_404(contract_id)
    month = month_arg(required=True)
    return jsonify(data=statement_json(month_statement(db.session, contract, month, utcnow())))
