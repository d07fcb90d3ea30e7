"""Tickets pushed by a helpdesk (one, or a batch), and a contract's tickets read back.

``POST /tickets`` takes one ticket object or ``{"tickets": [...]}`` (at most 500):

- one ticket: 201 when created, 200 when it updated the stored one, 422 when it is bad;
- a batch: 200 when every item was stored, 207 when some were bad (the good ones are stored,
  each bad one is reported by its index); with ``?atomic=true`` any bad item stores nothing
  and the answer is 422 with the per-item results in ``details``.

Sending a ticket again (same contract and ``external_id``) updates it, never duplicates it.
Only a provider's token may push; a client's token gets 403.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from sqlalchemy import select

from ..extensions import db
from ..models import Contract, Ticket
from ..tickets.ingest import RowResult, UpsertResult, upsert_tickets
from . import actor_label, bp, contract_or_404, current_organization, is_client, iso, paginate
from .errors import ApiError
from .openapi import operation, page_of, ref

BATCH_MAX = 500


def ticket_json(ticket: Ticket, contract_number: str) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "contract": contract_number,
        "external_id": ticket.external_id,
        "kind": ticket.kind,
        "channel": ticket.channel,
        "received_at": iso(ticket.received_at),
        "first_reply_at": iso(ticket.first_reply_at),
        "resolved_at": iso(ticket.resolved_at),
        "updated_at": iso(ticket.updated_at),
    }


def result_json(row: RowResult) -> dict[str, Any]:
    return {
        "index": row.index,
        "status": row.status,
        "external_id": row.external_id,
        "contract": row.contract,
        "ticket_id": row.ticket_id,
        "errors": [{"field": p.field, "problem": p.problem} for p in row.problems],
    }


def _summary(result: UpsertResult) -> dict[str, Any]:
    return {
        "created": result.created,
        "updated": result.updated,
        "failed": result.failed,
        "stored": result.stored,
    }


def _atomic() -> bool:
    raw = request.args.get("atomic", "false")
    if raw not in ("true", "false"):
        raise ApiError(400, "invalid_parameter", "atomic must be true or false.")
    return raw == "true"


def _body() -> Any:
    if not request.is_json:
        raise ApiError(415)
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "invalid_json", "The body is not valid JSON.")
    return body


@bp.post("/tickets")
@operation(
    "Push one ticket or a batch (idempotent by contract and external_id)",
    description=__doc__.split("\n\n", 1)[1],
    params=("atomic",),
    body={"oneOf": [ref("TicketInput"), ref("TicketBatch")]},
    responses={
        200: (
            "one ticket updated (data), or a batch fully stored (results)",
            {
                "oneOf": [
                    {"type": "object", "required": ["data"], "properties": {"data": ref("Ticket")}},
                    ref("TicketBatchResult"),
                ]
            },
        ),
        201: ("one ticket created", {"type": "object", "properties": {"data": ref("Ticket")}}),
        207: ("a batch with some bad items: good ones stored", ref("TicketBatchResult")),
    },
    errors=("400", "401", "403", "413", "415", "422"),
    tag="tickets",
)
def push_tickets():
    if is_client():
        raise ApiError(403, message="Only the provider's helpdesk may push tickets.")
    atomic = _atomic()
    body = _body()
    batch = isinstance(body, dict) and "tickets" in body
    if batch:
        extra = sorted(set(body) - {"tickets"})
        items = body["tickets"]
        if extra or not isinstance(items, list) or not 1 <= len(items) <= BATCH_MAX:
            raise ApiError(
                422,
                message=f'Send {{"tickets": [...]}} with 1 to {BATCH_MAX} tickets, nothing else.',
                details={"unknown_fields": extra[:20]},
            )
    elif isinstance(body, dict):
        items = [body]
    else:
        raise ApiError(422, message='Send one ticket object or {"tickets": [...]}.')

    result = upsert_tickets(
        db.session,
        current_organization(),
        items,
        all_or_nothing=atomic or not batch,
        actor_label=actor_label(),
    )
    if not batch:
        row = result.rows[0]
        if row.status == "error":
            raise ApiError(422, details={"errors": result_json(row)["errors"]})
        ticket = db.session.get(Ticket, row.ticket_id)
        number = db.session.get(Contract, ticket.contract_id).number
        return jsonify(data=ticket_json(ticket, number)), 201 if row.status == "created" else 200
    body = {"results": [result_json(r) for r in result.rows], "summary": _summary(result)}
    if result.failed and atomic:
        raise ApiError(422, message="Nothing was stored: some tickets are bad.", details=body)
    return jsonify(body), 207 if result.failed else 200


@bp.get("/contracts/<int:contract_id>/tickets")
@operation(
    "A contract's tickets, oldest first",
    params=("contract_id", "page", "per_page"),
    responses={200: ("a page of tickets", page_of("Ticket"))},
    tag="tickets",
)
def list_tickets(contract_id: int):
    contract = contract_or_404(contract_id)
    statement = (
        select(Ticket)
        .where(Ticket.contract_id == contract.id)
        .order_by(Ticket.received_at, Ticket.id)
    )
    return jsonify(paginate(statement, lambda t: ticket_json(t, contract.number)))
