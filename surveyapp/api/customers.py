"""The client's customer list, synced by reference from the client's CRM before each month.

``PUT /contracts/{contract_id}/customers`` with ``{"customers": [...]}`` (1 to 500) creates or
updates each customer by its ``ref``, with the CSV import's checks and its writer
(``surveyapp/customers/importing.py``): all or nothing, so one bad customer stores none (422,
each problem with its item's index). Customers not in the batch are left as they are (send
the list in batches). Sending the same batch again changes nothing and answers each item
``unchanged``. The contract's provider and its client may sync; contact data is encrypted as
stored and never answered.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify

from ..csv_import import read_records
from ..customers.importing import COLUMNS, check_against_contract, store_customers
from ..extensions import db
from . import actor_label, bp, contract_or_404
from .errors import ApiError, FieldError
from .openapi import BATCH_MAX, SCHEMAS, operation, ref
from .shapes import shape_errors
from .tickets import json_body


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@bp.put("/contracts/<int:contract_id>/customers")
@operation(
    "Sync customers by reference",
    description=__doc__.split("\n\n", 1)[1],
    params=("contract_id",),
    body=ref("CustomerBatch"),
    responses={200: ("every customer stored, or already so", ref("CustomerBatchResult"))},
    errors=("400", "401", "404", "413", "415", "422"),
    tag="customers",
)
def put_customers(contract_id: int):
    contract = contract_or_404(contract_id)
    body = json_body()
    items = body.get("customers") if isinstance(body, dict) else None
    extra = sorted(set(body) - {"customers"}) if isinstance(body, dict) else []
    if extra or not isinstance(items, list) or not 1 <= len(items) <= BATCH_MAX:
        raise ApiError(
            422,
            message=f'Send {{"customers": [...]}} with 1 to {BATCH_MAX} customers, nothing else.',
            errors=[FieldError(str(name)[:50], "Unknown field.") for name in extra[:20]]
            or [FieldError("customers", f"A list of 1 to {BATCH_MAX} customers.")],
        )
    schema = SCHEMAS["CustomerInput"]
    errors = [e for i, item in enumerate(items) for e in shape_errors(schema, item, i)]
    if not errors:
        records = [{name: _cell(value) for name, value in item.items()} for item in items]
        report = read_records(records, COLUMNS)
        check_against_contract(db.session, contract, report)
        errors = [FieldError(p.column, p.problem, "body", p.line) for p in report.problems]
    if errors:
        raise ApiError(422, message="Nothing was stored: some customers are bad.", errors=errors)
    statuses = store_customers(
        db.session,
        contract,
        report.rows,
        actor_label=actor_label(),
        details={"source": "api"},
        audit_unchanged=False,
    )
    db.session.commit()
    return jsonify(
        results=[
            {"index": row.line, "ref": row.values["ref"], "status": status}
            for row, status in zip(report.rows, statuses, strict=True)
        ],
        summary={
            "created": statuses.count("created"),
            "updated": statuses.count("updated"),
            "unchanged": statuses.count("unchanged"),
            "failed": 0,
            "stored": True,
        },
    )
