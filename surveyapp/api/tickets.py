"""Tickets pushed by a helpdesk (one, or a batch), and a contract's tickets read back.

``POST /tickets`` takes one ticket object or ``{"tickets": [...]}`` (at most 500):

- one ticket: 201 when created; 200 when it was known, with `status` `updated` or
  `unchanged` (nothing differed, nothing written); 422 when it is bad;
- a batch: 200 when every item was stored, 207 when some broke a rule (the good ones are
  stored, each bad one is reported by its index); with ``?atomic=true`` any bad item stores
  nothing and the answer is 422 with each problem's item index in ``errors``. An item that
  does not match the TicketInput schema refuses the whole batch (422, nothing stored).

Sending a known ticket (same contract_number and external_id) again changes only the fields
sent: a field left out keeps its value, an explicit null clears it. Every change is audited
with the old and new values. Only a provider's token may push; a client's token gets 403.
A `customer_ref` the contract's customer list does not have is stored and named in
`warnings`; a client's token reads tickets with `agent` and `team` null (provider staff).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from sqlalchemy import select

from ..extensions import db
from ..models import Agent, Team, Ticket
from ..tickets.ingest import RowResult, UpsertResult, upsert_tickets
from . import (
    actor_label,
    bp,
    contract_or_404,
    current_organization,
    is_client,
    iso,
    keyset_page,
    month_arg,
    time_arg,
)
from .errors import ApiError, FieldError
from .openapi import BATCH_MAX, SCHEMAS, data_of, operation, page_of, ref
from .shapes import shape_errors

# the API's field name -> the ingest step's (the CSV import names the contract by its page)
RENAMED = {"contract_number": "contract"}
OUTWARD = {v: k for k, v in RENAMED.items()}


def ticket_json(ticket: Ticket, contract_number: str) -> dict[str, Any]:
    """The ticket as the API shows it; a client's token sees neither agent nor team (the
    client sees teams only as figures of 5 responses or more: sla-satisfaction)."""
    return {
        "id": ticket.id,
        "contract_id": ticket.contract_id,
        "contract_number": contract_number,
        "external_id": ticket.external_id,
        "kind": ticket.kind,
        "channel": ticket.channel,
        "received_at": iso(ticket.received_at),
        "first_reply_at": iso(ticket.first_reply_at),
        "resolved_at": iso(ticket.resolved_at),
        "customer_ref": ticket.customer_ref,
        "agent": None if is_client() else _name(Agent, ticket.agent_id),
        "team": None if is_client() else _name(Team, ticket.team_id),
        "updated_at": iso(ticket.updated_at),
    }


def _name(model: type[Agent] | type[Team], row_id: int | None) -> str | None:
    return None if row_id is None else db.session.get(model, row_id).name


def _field_errors(row: RowResult, index: int | None) -> list[FieldError]:
    return [
        FieldError(OUTWARD.get(p.field, p.field) if p.field else None, p.problem, "body", index)
        for p in row.problems
    ]


def result_json(row: RowResult) -> dict[str, Any]:
    return {
        "index": row.index,
        "status": row.status,
        "external_id": row.external_id,
        "contract_number": row.contract,
        "ticket_id": row.ticket_id,
        "errors": [e.json() for e in _field_errors(row, row.index)],
        "warnings": [e.json() for e in _warnings(row, row.index)],
    }


def _warnings(row: RowResult, index: int | None) -> list[FieldError]:
    """Kept with a remark: a customer number that is not in the customer list."""
    return [FieldError(w.field, w.problem, "body", index) for w in row.warnings]


def _summary(result: UpsertResult) -> dict[str, Any]:
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "failed": result.failed,
        "stored": result.stored,
    }


def _atomic() -> bool:
    raw = request.args.get("atomic", "false")
    if raw not in ("true", "false"):
        raise ApiError(
            400,
            "invalid_parameter",
            "atomic must be true or false.",
            [FieldError("atomic", "true or false.", "query")],
        )
    return raw == "true"


def json_body() -> Any:
    if not request.is_json:
        raise ApiError(415)
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "invalid_json", "The body is not valid JSON.")
    return body


def _inward(item: dict[str, Any]) -> dict[str, Any]:
    return {RENAMED.get(k, k): v for k, v in item.items()}


@bp.post("/tickets")
@operation(
    "Push one ticket or a batch",
    description=__doc__.split("\n\n", 1)[1],
    params=("atomic",),
    body={"oneOf": [ref("TicketInput"), ref("TicketBatch")]},
    responses={
        200: (
            "one known ticket updated or unchanged, or a batch fully stored",
            {"oneOf": [ref("TicketPushed"), ref("TicketBatchResult")]},
        ),
        201: ("one ticket created", ref("TicketPushed")),
        207: ("a batch with some bad items: the good ones stored", ref("TicketBatchResult")),
    },
    errors=("400", "401", "403", "413", "415", "422"),
    tag="tickets",
)
def push_tickets():
    if is_client():
        raise ApiError(403, message="Only the provider's helpdesk may push tickets.")
    atomic = _atomic()
    body = json_body()
    batch = isinstance(body, dict) and "tickets" in body
    if batch:
        extra = sorted(set(body) - {"tickets"})
        items = body["tickets"]
        if extra or not isinstance(items, list) or not 1 <= len(items) <= BATCH_MAX:
            raise ApiError(
                422,
                message=f'Send {{"tickets": [...]}} with 1 to {BATCH_MAX} tickets, nothing else.',
                errors=[FieldError(name[:50], "Unknown field.") for name in extra[:20]]
                or [FieldError("tickets", f"A list of 1 to {BATCH_MAX} tickets.")],
            )
    elif isinstance(body, dict):
        items = [body]
    else:
        raise ApiError(422, message='Send one ticket object or {"tickets": [...]}.')

    item_schema = SCHEMAS["TicketInput"]
    shape = [
        error
        for i, item in enumerate(items)
        for error in shape_errors(item_schema, item, i if batch else None)
    ]
    if shape:
        raise ApiError(
            422, message="Some tickets do not match TicketInput; nothing was stored.", errors=shape
        )
    result = upsert_tickets(
        db.session,
        current_organization(),
        [_inward(item) for item in items],
        all_or_nothing=atomic or not batch,
        actor_label=actor_label(),
    )
    if not batch:
        row = result.rows[0]
        if row.status == "error":
            raise ApiError(422, errors=_field_errors(row, None))
        ticket = db.session.get(Ticket, row.ticket_id)
        data = ticket_json(ticket, items[0]["contract_number"].strip())
        warnings = [w.json() for w in _warnings(row, None)]
        return jsonify(status=row.status, data=data, warnings=warnings), (
            201 if row.status == "created" else 200
        )
    if result.failed and atomic:
        raise ApiError(
            422,
            message="Nothing was stored: some tickets are bad.",
            errors=[e for row in result.rows for e in _field_errors(row, row.index)],
        )
    body = {"results": [result_json(r) for r in result.rows], "summary": _summary(result)}
    return jsonify(body), 207 if result.failed else 200


@bp.get("/contracts/<int:contract_id>/tickets")
@operation(
    "A contract's tickets",
    description=(
        "In the order they were first stored (by id), so a page never repeats or skips a "
        "ticket pushed meanwhile, backdated or not. With `updated_since`, only tickets "
        "changed at or after that time: keep the largest `updated_at` you have seen and "
        "pass it next time to fetch what changed since."
    ),
    params=("contract_id", "updated_since", "limit", "cursor"),
    responses={200: ("a page of tickets", page_of("Ticket"))},
    tag="tickets",
)
def list_tickets(contract_id: int):
    contract = contract_or_404(contract_id)
    statement = select(Ticket).where(Ticket.contract_id == contract.id)
    since = time_arg("updated_since")
    if since is not None:
        statement = statement.where(Ticket.updated_at >= since)
    return keyset_page(statement, Ticket.id, lambda t: ticket_json(t, contract.number))


@bp.get("/contracts/<int:contract_id>/tickets/<int:ticket_id>")
@operation(
    "One ticket",
    description="One of the contract's tickets by its id.",
    params=("contract_id", "ticket_id"),
    responses={200: ("the ticket", data_of("Ticket"))},
    tag="tickets",
)
def get_ticket(contract_id: int, ticket_id: int):
    contract = contract_or_404(contract_id)
    ticket = db.session.scalar(
        select(Ticket).where(Ticket.contract_id == contract.id, Ticket.id == min(ticket_id, 2**31))
    )
    if ticket is None:
        raise ApiError(404)
    return jsonify(data=ticket_json(ticket, contract.number))


@bp.get("/contracts/<int:contract_id>/sla-satisfaction")
@operation(
    "What missed deadlines cost in satisfaction",
    description=(
        "The month's responses joined to the same customer's tickets received in the survey "
        "month and the month before: CSAT, mean and NPS of customers whose tickets all met "
        "the deadline, of those with a breached ticket and of those without tickets; the "
        "met-minus-breach CSAT difference with Newcombe's 95 % interval and a p-value (null "
        "under 30 responses in either group); teams (and, for the provider's tokens, agents) "
        "ranked by CSAT; coverage. A client's token gets no agents and no group under 5."
    ),
    params=("contract_id", "month_required"),
    responses={200: ("the month's figures", data_of("SlaSatisfaction"))},
    tag="sla",
)
def sla_satisfaction_figures(contract_id: int):
    from ..presenting.sla_satisfaction import api_figures  # pandas: loaded when asked

    contract = contract_or_404(contract_id)
    month = month_arg(required=True)
    return jsonify(data=api_figures(contract, month, client=is_client()))
