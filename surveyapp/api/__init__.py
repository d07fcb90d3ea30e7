"""The JSON API, version 1 (``/api/v1``): one module per noun, one error shape, OpenAPI.

Every request but the OpenAPI document carries ``Authorization: Bearer <token>``; the token
belongs to one organization and everything it reads is scoped to that organization's
contracts: a provider's token sees the contracts it provides, a client's token only the
contracts where it is the client (another organization's contract is a 404). Cookies play no
part, so the blueprint is exempt from CSRF; sign-in sessions are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from flask import Blueprint, current_app, g, request
from sqlalchemy import Select, func, select

from ..api_tokens.service import authenticate
from ..extensions import csrf, db
from ..models import ApiToken, Contract, Organization, OrgKind
from .errors import ApiError, api_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiError, api_error)

MAX_BODY_BYTES = 1024 * 1024
PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 200
PAGE_MAX = 1_000_000
ID_MAX = 2**31 - 1
DIGITS = re.compile(r"^[0-9]{1,7}$")
MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
NO_TOKEN = {"api.openapi_document"}


@bp.before_request
def _authenticate() -> None:
    g.locale = "en"  # the API speaks English: messages for logs and developers
    limit = current_app.config.get("API_MAX_BODY_BYTES", MAX_BODY_BYTES)
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413)
    if request.endpoint in NO_TOKEN or request.method == "OPTIONS":
        return
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise ApiError(401)
    token = authenticate(db.session, presented.strip())
    if token is None:
        raise ApiError(401, message="The API token is unknown or revoked.")
    g.api_token = token


def current_token() -> ApiToken:
    return g.api_token


def current_organization() -> Organization:
    return g.api_token.organization


def actor_label() -> str:
    token = current_token()
    return f"api-token:{token.id} {token.name}"[:100]


def is_client() -> bool:
    return current_organization().kind == OrgKind.CLIENT


def visible_contracts() -> Select[tuple[Contract]]:
    """The token's contracts: provided by its organization, or with it as the client."""
    org = current_organization()
    side = Contract.client_id if org.kind == OrgKind.CLIENT else Contract.provider_id
    return select(Contract).where(side == org.id).order_by(Contract.number, Contract.id)


def contract_or_404(contract_id: int) -> Contract:
    if contract_id > ID_MAX:
        raise ApiError(404)
    contract = db.session.scalar(visible_contracts().where(Contract.id == contract_id))
    if contract is None:
        raise ApiError(404)
    return contract


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not DIGITS.match(raw) or not low <= int(raw) <= high:
        raise ApiError(
            400,
            "invalid_parameter",
            f"{name} must be a whole number from {low} to {high}.",
            {"parameter": name},
        )
    return int(raw)


def page_args() -> tuple[int, int]:
    return (
        _int_arg("page", 1, 1, PAGE_MAX),
        _int_arg("per_page", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX),
    )


def month_arg(*, required: bool) -> str | None:
    raw = request.args.get("month")
    if raw is None and not required:
        return None
    if raw is None or not MONTH.match(raw):
        raise ApiError(
            400, "invalid_parameter", "month must look like 2026-11.", {"parameter": "month"}
        )
    return raw


def choice_arg(name: str, choices: Sequence[str]) -> str | None:
    raw = request.args.get(name)
    if raw is not None and raw not in choices:
        raise ApiError(
            400,
            "invalid_parameter",
            f"{name} must be one of: {', '.join(choices)}.",
            {"parameter": name},
        )
    return raw


def paginate(statement: Select, serialize: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """``{"data": [...], "meta": {"page", "per_page", "total"}}`` for a select statement."""
    page, per_page = page_args()
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return {
        "data": [serialize(row) for row in rows],
        "meta": {"page": page, "per_page": per_page, "total": total},
    }


def paginate_list(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    page, per_page = page_args()
    start = (page - 1) * per_page
    return {
        "data": list(items[start : start + per_page]),
        "meta": {"page": page, "per_page": per_page, "total": len(items)},
    }


def iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


from . import (  # noqa: E402  (the noun modules add their routes to bp)
    action_items,
    contracts,
    metrics,
    openapi,
    responses,
    tickets,
)

__all__ = [
    "action_items",
    "bp",
    "contracts",
    "metrics",
    "openapi",
    "responses",
    "tickets",
]
