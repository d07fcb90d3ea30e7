"""Metrics per closed month and dimension: the metrics export's table, so figures match."""

from __future__ import annotations

from typing import Any

from .. import audit
from ..extensions import db
from . import (
    actor_label,
    bp,
    contract_or_404,
    is_client,
    list_page,
    month_arg,
)
from .openapi import SCHEMAS, operation, page_of

METRIC_FIELDS = tuple(SCHEMAS["Metric"]["properties"])


@bp.get("/contracts/<int:contract_id>/metrics")
@operation(
    "Scores per month and dimension",
    description=(
        "n, mean and CSAT (top-2-box) with 95 % intervals per closed month and dimension, "
        "plus NPS and response rate rows; the dashboard's and the export's figures. Ordered "
        "by month, then dimension."
    ),
    params=("contract_id", "month", "limit", "cursor"),
    responses={200: ("a page of metric rows", page_of("Metric"))},
    tag="metrics",
)
def list_metrics(contract_id: int):
    from ..exports.tables import metrics_table

    contract = contract_or_404(contract_id)
    month = month_arg(required=False)
    with db.engine.connect() as conn:
        header, rows = metrics_table(conn, db.session, contract, client_facing=is_client())
    items = [metric_json(dict(zip(header, row, strict=True))) for row in rows]
    if month:
        items = [item for item in items if item["month"] == month]
    page = list_page(items, key=lambda item: f"{item['month']}/{item['dimension']}")
    audit.record(
        db.session,
        "export",
        actor_label=actor_label(),
        subject=contract,
        organization_id=contract.provider_id,
        details={"kind": "metrics", "format": "api", "rows": len(page.json["data"])},
    )
    db.session.commit()
    return page


def metric_json(row: dict[str, Any]) -> dict[str, Any]:
    """One export row as the API's Metric: one field per meaning (the export's csat column
    holds the NPS on `nps` rows and the response rate on `response_rate` rows)."""
    kind = row["dimension"]
    item = {name: None for name in METRIC_FIELDS} | {
        "month": row["month"],
        "dimension": kind,
        "clause_ref": row["clause_ref"],
    }
    if kind == "response_rate":
        item |= {"invitations": row["n"], "response_rate": row["csat"]}
    elif kind == "nps":
        item |= {"n": row["n"], "nps": row["csat"]}
        item |= {"nps_low": row["csat_low"], "nps_high": row["csat_high"]}
    else:
        item |= {k: row[k] for k in ("n", "mean", "mean_low", "mean_high", "csat")}
        item |= {"csat_low": row["csat_low"], "csat_high": row["csat_high"]}
    return item
