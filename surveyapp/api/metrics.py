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
        "plus NPS (with its standard error and interval), response rate and SLA compliance "
        "per ticket kind; the dashboard's, the PDF's and the export's figures at their "
        "documented precision (see Metric), and why a blank figure is blank. Ordered by "
        "month, then dimension."
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
    holds the NPS on `nps` rows, the response rate on `response_rate` rows and the compliance
    on `sla_*` rows), at the export's documented precision."""
    kind = row["dimension"]
    item = {name: None for name in METRIC_FIELDS} | {
        "month": row["month"],
        "dimension": kind,
        "clause_ref": row["clause_ref"],
        "blank_reason": row["blank_reason"],
    }
    if kind == "response_rate":
        item |= {"invitations": row["n"], "response_rate": row["csat"]}
    elif kind == "nps":
        item |= {"n": row["n"], "nps": row["csat"], "nps_se": row["se"]}
        item |= {"nps_low": row["csat_low"], "nps_high": row["csat_high"]}
    elif kind.startswith("sla_"):
        item |= {"tickets": row["n"], "sla_compliance": row["csat"]}
        item |= {"sla_compliance_low": row["csat_low"], "sla_compliance_high": row["csat_high"]}
    else:
        item |= {k: row[k] for k in ("n", "mean", "mean_low", "mean_high", "csat")}
        item |= {"csat_low": row["csat_low"], "csat_high": row["csat_high"]}
    return item
