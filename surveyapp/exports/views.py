"""Downloads: metrics for everyone who may see the contract, responses for provider staff only."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_login import current_user

from .. import audit
from ..access import ANY_SIGNED_IN, PROVIDER_STAFF, contract_or_404, requires
from ..extensions import db

bp = Blueprint("exports", __name__, url_prefix="/exports")


def _download(contract, kind: str, header, rows, fmt: str, name: str) -> Response:
    from .writer import FORMATS, write_table

    audit.record(
        db.session,
        "export",
        actor=current_user,
        subject=contract,
        organization_id=contract.provider_id,
        details={"kind": kind, "format": fmt, "rows": len(rows)},
    )
    db.session.commit()
    body = write_table(header, rows, fmt, sheet=kind)
    return Response(
        body,
        content_type=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@bp.get("/contracts/<int:contract_id>/metrics.<fmt>")
@requires(*ANY_SIGNED_IN)
def metrics(contract_id: int, fmt: str):
    from .tables import metrics_table
    from .writer import FORMATS

    if fmt not in FORMATS:
        abort(404)
    contract = contract_or_404(contract_id, current_user)
    with db.engine.connect() as conn:
        header, rows = metrics_table(
            conn, db.session, contract, client_facing=not current_user.role_enum.is_provider
        )
    return _download(contract, "metrics", header, rows, fmt, f"{contract.number}-metrics")


@bp.get("/contracts/<int:contract_id>/responses.<fmt>")
@requires(*PROVIDER_STAFF)
def responses(contract_id: int, fmt: str):
    from .tables import responses_table
    from .writer import FORMATS

    if fmt not in FORMATS:
        abort(404)
    contract = contract_or_404(contract_id, current_user)
    month = request.args.get("month", "")
    if len(month) != 7:
        abort(400)
    header, rows = responses_table(db.session, contract, month)
    return _download(
        contract, "responses", header, rows, fmt, f"{contract.number}-{month}-responses"
    )
