"""A month's survey responses for the provider: customer reference ids, never contact data."""

from __future__ import annotations

from datetime import datetime

from .. import audit
from ..extensions import db
from . import (
    actor_label,
    bp,
    contract_or_404,
    is_client,
    iso,
    list_page,
    month_arg,
)
from .errors import ApiError
from .openapi import operation, page_of

FIXED = (
    "id",
    "customer_ref",
    "month",
    "submitted_at",
    "locale",
    "seconds_taken",
    "source",
)


@bp.get("/contracts/<int:contract_id>/responses")
@operation(
    "A month's responses (provider tokens only)",
    description=(
        "One item per response with its answers by question code, the same rows as the "
        "provider's responses export, in the order they were stored. Customers appear only "
        "by the client's reference id; "
        "e-mails, phone numbers and names written in free text are masked as ***."
    ),
    params=("contract_id", "month_required", "limit", "cursor"),
    responses={200: ("a page of responses", page_of("SurveyResponse"))},
    errors=("400", "401", "403", "404"),
    tag="responses",
)
def list_responses(contract_id: int):
    from ..exports.tables import responses_table

    contract = contract_or_404(contract_id)
    if is_client():
        raise ApiError(403, message="Responses are exported to the provider only.")
    month = month_arg(required=True)
    header, rows = responses_table(db.session, contract, month)
    codes = header[len(FIXED) :]
    rows = _masked(rows, len(FIXED))
    items = [
        {
            **dict(zip(FIXED, row[: len(FIXED)], strict=True)),
            "answers": dict(zip(codes, row[len(FIXED) :], strict=True)),
        }
        for row in rows
    ]
    for item in items:
        item["submitted_at"] = iso(datetime.fromisoformat(item["submitted_at"]))
    page = list_page(items, key=lambda item: f"{item['id']:012d}")
    audit.record(
        db.session,
        "export",
        actor_label=actor_label(),
        subject=contract,
        organization_id=contract.provider_id,
        details={
            "kind": "responses",
            "format": "api",
            "month": month,
            "rows": len(page.json["data"]),
        },
    )
    db.session.commit()
    return page


def _masked(rows: list[list], start: int) -> list[list]:
    """Answers with e-mails, phone numbers and names in free text masked (clause 四)."""
    import pandas as pd

    from analysis import mask_contacts

    cells = pd.Series([value for row in rows for value in row[start:]], dtype=object)
    present = cells.notna()
    cells[present] = mask_contacts(cells[present].astype(str))
    width = len(rows[0]) - start if rows else 0
    values = cells.tolist()
    return [[*row[:start], *values[i * width : (i + 1) * width]] for i, row in enumerate(rows)]
