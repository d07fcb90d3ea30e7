"""SLA compliance computed from the stored tickets, per month and ticket kind (clauses 一(1)
and 一(2)): what the dashboard and the monthly report show, so a pushing helpdesk can check
the effect of what it sent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import analysis
from analysis.results import SlaMonth

from ..extensions import db
from ..models import utcnow
from ..presenting.reading import rounded
from ..tickets.ingest import EARLIEST
from . import bp, contract_or_404, list_page, month_arg
from .openapi import operation, page_of


def _number(value: float) -> float | None:
    """Compliance in % and hours at one decimal, as every page prints them
    (presenting.reading.PRECISION["sla"])."""
    return rounded(value, "sla")


def sla_json(row: SlaMonth) -> dict[str, Any]:
    from analysis.sla import SLA_CLAUSES

    return {
        "month": row.month,
        "kind": row.kind,
        "clause_ref": SLA_CLAUSES[row.kind],
        "hours_allowed": int(row.hours_allowed),
        "n": int(row.n),
        "met": int(row.met),
        "breaches": int(row.breaches),
        "pending": int(row.pending),
        "compliance": _number(row.compliance.value),
        "compliance_low": _number(row.compliance.low),
        "compliance_high": _number(row.compliance.high),
        "median_hours": _number(row.median_hours),
        "p90_hours": _number(row.p90_hours),
    }


@bp.get("/contracts/<int:contract_id>/sla")
@operation(
    "SLA compliance per month and ticket kind",
    description=(
        "From the contract's stored tickets, as on the dashboard: for each month with "
        "tickets (received, in the contract's time zone) and each kind, the tickets decided, "
        "met, breached and pending, and the compliance in % with its 95 % interval. Ordered "
        "by month, then kind."
    ),
    params=("contract_id", "month", "limit", "cursor"),
    responses={200: ("a page of SLA figures", page_of("SlaFigure"))},
    tag="sla",
)
def list_sla(contract_id: int):
    contract = contract_or_404(contract_id)
    month = month_arg(required=False)
    now = utcnow()
    with db.engine.connect() as conn:
        frame = analysis.read_tickets(conn, contract.id, EARLIEST, now + timedelta(days=1))
    report = analysis.sla_compliance(
        frame,
        now,
        months=[month] if month else None,
        inquiry_hours=contract.inquiry_hours,
        complaint_hours=contract.complaint_hours,
        timezone=contract.timezone,
    )
    items = [sla_json(row) for row in report.months]
    return list_page(items, key=lambda item: f"{item['month']}/{item['kind']}")
