"""Contracts and their survey months (cycles), as the token's organization sees them."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from sqlalchemy import select

from ..models import Contract, Cycle
from . import bp, contract_or_404, iso, keyset_page, visible_contracts
from .openapi import data_of, operation, page_of


def contract_json(contract: Contract) -> dict[str, Any]:
    return {
        "id": contract.id,
        "number": contract.number,
        "title": contract.title,
        "provider": contract.provider.name,
        "client": contract.client.name,
        "status": contract.status,
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat() if contract.end_date else None,
        "timezone": contract.timezone,
        "inquiry_hours": contract.inquiry_hours,
        "complaint_hours": contract.complaint_hours,
        "monthly_fee": str(contract.monthly_fee),
        "currency": contract.currency,
    }


def cycle_json(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.id,
        "contract_id": cycle.contract_id,
        "month": cycle.month,
        "status": cycle.status,
        "opens_at": iso(cycle.opens_at),
        "closes_at": iso(cycle.closes_at),
        "opened_at": iso(cycle.opened_at),
        "closed_at": iso(cycle.closed_at),
    }


@bp.get("/contracts")
@operation(
    "The token's contracts",
    description="The contracts the token's organization provides, or is the client of; by id.",
    params=("limit", "cursor"),
    responses={200: ("a page of contracts", page_of("Contract"))},
    errors=("400", "401"),
    tag="contracts",
)
def list_contracts():
    return keyset_page(visible_contracts(), Contract.id, contract_json)


@bp.get("/contracts/<int:contract_id>")
@operation(
    "One contract",
    description="One of the token's contracts, with its SLA hours and parties.",
    params=("contract_id",),
    responses={200: ("the contract", data_of("Contract"))},
    tag="contracts",
)
def get_contract(contract_id: int):
    return jsonify(data=contract_json(contract_or_404(contract_id)))


@bp.get("/contracts/<int:contract_id>/cycles")
@operation(
    "A contract's survey months",
    description="Newest month first (a contract has one survey month per month).",
    params=("contract_id", "limit", "cursor"),
    responses={200: ("a page of survey months", page_of("Cycle"))},
    tag="contracts",
)
def list_cycles(contract_id: int):
    contract = contract_or_404(contract_id)
    statement = select(Cycle).where(Cycle.contract_id == contract.id)
    return keyset_page(statement, Cycle.month, cycle_json, descending=True, kind=str)
