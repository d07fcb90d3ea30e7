"""Metrics per closed month and dimension: the metrics export's table, so figures match."""

from __future__ import annotations

from flask import jsonify

from .. import audit
from ..exports.tables import metrics_table
from ..extensions import db
from . import (
    actor_label,
    bp,
    contract_or_404,
    is_client,
    month_arg,
    paginate_list,
)
from .openapi import operation, page_of


@bp.get("/contracts/<int:contract_id>/metrics")
@operation(
    "Scores per month and dimension",
    description=(
        "n, mean and CSAT (top-2-box) with 95 % intervals per closed month and dimension, "
        "plus NPS and response rate rows; the dashboard's and the export's figures."
    ),
    params=("contract_id", "month", "page", "per_page"),
    responses={200: ("a page of metric rows", page_of("Metric"))},
    tag="metrics",
)
def list_metrics(contract_id: int):
    contract = contract_or_404(contract_id)
    month = month_arg(required=False)
    with db.engine.connect() as conn:
        header, rows = metrics_table(conn, db.session, contract, client_facing=is_client())
    items = [dict(zip(header, row, strict=True)) for row in rows]
    if month:
        items = [item for item in items if item["month"] == month]
    body = paginate_list(items)
    audit.record(
        db.session,
        "export",
        actor_label=actor_label(),
        subject=contract,
        organization_id=contract.provider_id,
        details={"kind": "metrics", "format": "api", "rows": len(body["data"])},
    )
    db.session.commit()
    return jsonify(body)
