"""The JSON API, version 1 (``/api/v1``): one module per noun, one error shape, OpenAPI.

Every request but the OpenAPI document carries ``Authorization: Bearer <token>``; the token
belongs to one organization and everything it reads is scoped to that organization's
contracts: a provider's token sees the contracts it provides, a client's token only the
contracts where it is the client (another organization's contract is a 404). Cookies play no
part, so the blueprint is exempt from CSRF; sign-in sessions are ignored.

Around every answer: an ``X-Request-Id`` (also in error bodies and the server log) and the
``RateLimit-*`` headers of the budget the request counted against: its token's (valid
tokens), or its address's budget of refused tokens (no token, or a refused one). Refused
tokens are counted per address here, after the token is looked up, so a valid token is never
held back by other tokens' failures. Lists are paged with a cursor on a stable key; a query
parameter an operation does not document is refused with 400.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from limits import RateLimitItem, parse
from sqlalchemy import Select, select

from ..api_tokens.service import authenticate
from ..extensions import csrf, db
from ..models import ApiToken, Contract, Organization, OrgKind
from ..security.limits import KEY_PREFIX, _hashed, rate_limiter
from .errors import ApiError, FieldError, api_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_error_handler(ApiError, api_error)

MAX_BODY_BYTES = 1024 * 1024
LIMIT_DEFAULT = 50
LIMIT_MAX = 200
ID_MAX = 2**31 - 1
DIGITS = re.compile(r"^[0-9]{1,7}$")
MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
CURSOR = re.compile(r"^[A-Za-z0-9_-]{1,200}$")
NO_TOKEN = {"api.openapi_document"}
TOKEN_BUDGET = ("RATELIMIT_API_PER_TOKEN", "api-token")
REFUSAL_BUDGET = ("RATELIMIT_API_FAILURES_PER_ADDRESS", "api-refused")


@bp.before_app_request
def _request_id() -> None:
    if request.path.startswith("/api/"):
        g.request_id = uuid.uuid4().hex


def _presented() -> str:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return presented.strip() if scheme.lower() == "bearer" else ""


@cache
def _parsed(limit: str) -> RateLimitItem:
    return parse(limit)


def _budget() -> tuple[RateLimitItem, str, str]:
    """The limit this request counts against, and its counter's scope and key."""
    presented = _presented()
    by_address = not presented or g.get("refused_token", False)
    setting, scope = REFUSAL_BUDGET if by_address else TOKEN_BUDGET
    key = (request.remote_addr or "unknown") if by_address else _hashed(presented)
    return _parsed(current_app.config[setting]), scope, key


def _refuse(message: str | None = None) -> None:
    """401 for a missing or refused token, counted against the address; 429 past its budget."""
    g.refused_token = True
    if current_app.config["RATELIMIT_ENABLED"]:
        item, scope, key = _budget()
        if not rate_limiter().hit(item, KEY_PREFIX, scope, key):
            reset = rate_limiter().get_window_stats(item, KEY_PREFIX, scope, key).reset_time
            retry = str(max(1, math.ceil(reset - time.time())))
            raise ApiError(
                429,
                message="Too many refused tokens from this address; wait and try again.",
                headers={"Retry-After": retry},
            )
    raise ApiError(401, message=message)


@bp.after_app_request
def _headers(response: Response) -> Response:
    if not request.path.startswith("/api/"):
        return response
    response.headers["X-Request-Id"] = g.get("request_id", "-")
    item, scope, key = _budget()
    stats = rate_limiter().get_window_stats(item, KEY_PREFIX, scope, key)
    reset = max(0, math.ceil(stats.reset_time - time.time()))
    window = item.get_expiry()
    response.headers["RateLimit-Limit"] = str(item.amount)
    response.headers["RateLimit-Remaining"] = str(max(0, stats.remaining))
    response.headers["RateLimit-Reset"] = str(min(reset, window))
    response.headers["RateLimit-Policy"] = f"{item.amount};w={window}"
    return response


@bp.before_request
def _authenticate() -> None:
    g.locale = "en"  # the API speaks English: messages for logs and developers
    limit = current_app.config.get("API_MAX_BODY_BYTES", MAX_BODY_BYTES)
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413)
    if request.endpoint in NO_TOKEN or request.method == "OPTIONS":
        _check_query()
        return
    presented = _presented()
    if not presented:
        _refuse()
    token = authenticate(db.session, presented)
    if token is None:
        _refuse("The API token is unknown or revoked.")
    g.api_token = token
    _check_query()


def _check_query() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    allowed = getattr(view, "query_names", frozenset())
    for name in request.args:
        if name not in allowed:
            raise ApiError(
                400,
                "unknown_parameter",
                f"This operation takes no query parameter {name[:50]!r}.",
                [FieldError(name[:50], "Unknown query parameter.", "query")],
            )
        if len(request.args.getlist(name)) > 1:
            _bad_parameter(name, "Give this parameter once.")


def _bad_parameter(name: str, problem: str) -> None:
    raise ApiError(
        400, "invalid_parameter", f"{name}: {problem}", [FieldError(name, problem, "query")]
    )


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
    return select(Contract).where(side == org.id)


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
        _bad_parameter(name, f"A whole number from {low} to {high}.")
    return int(raw)


def month_arg(*, required: bool) -> str | None:
    raw = request.args.get("month")
    if raw is None and not required:
        return None
    if raw is None or not MONTH.match(raw):
        _bad_parameter("month", "A month such as 2026-11.")
    return raw


def choice_arg(name: str, choices: Sequence[str]) -> str | None:
    raw = request.args.get(name)
    if raw is not None and raw not in choices:
        _bad_parameter(name, f"One of: {', '.join(choices)}.")
    return raw


def time_arg(name: str) -> datetime | None:
    """An RFC 3339 time with an offset (``2026-11-02T01:30:00Z``), as aware UTC."""
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not 2000 <= moment.year <= 9998:
        _bad_parameter(name, "An RFC 3339 time with an offset, e.g. 2026-11-02T01:30:00Z.")
    return moment.astimezone(UTC)  # type: ignore[union-attr]


def encode_cursor(key: int | str) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def cursor_arg(kind: type) -> Any:
    """The key after which the page starts (from ``cursor``), of type ``kind``; None at first."""
    raw = request.args.get("cursor")
    if raw is None:
        return None
    try:
        if not CURSOR.match(raw):
            raise ValueError
        key = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        key = None
    if type(key) is not kind or (kind is int and not 0 <= key <= ID_MAX):
        _bad_parameter("cursor", "Not a cursor from this list's next link; start without one.")
    return key


def _page(data: list[dict[str, Any]], next_key: int | str | None) -> Response:
    """``{"data": [...], "next": url or null}`` with the same URL in a ``Link`` header."""
    next_url = None
    if next_key is not None:
        args = {k: v for k, v in request.args.items() if k != "cursor"}
        next_url = url_for(
            request.endpoint or "",
            **(request.view_args or {}),
            **args,
            cursor=encode_cursor(next_key),
        )
    response = jsonify(data=data, next=next_url)
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response


def keyset_page(
    statement: Select,
    column: Any,
    serialize: Callable[[Any], dict[str, Any]],
    *,
    descending: bool = False,
    kind: type = int,
) -> Response:
    """One page of ``statement`` ordered by ``column``, a key unique within it (e.g. the id):
    rows inserted or updated between two page reads never make another row repeat or skip."""
    limit = _int_arg("limit", LIMIT_DEFAULT, 1, LIMIT_MAX)
    after = cursor_arg(kind)
    if after is not None:
        statement = statement.where(column < after if descending else column > after)
    statement = statement.order_by(None).order_by(column.desc() if descending else column)
    rows = db.session.scalars(statement.limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_key = getattr(rows[-1], column.key) if more else None
    return _page([serialize(row) for row in rows], next_key)


def list_page(items: Sequence[dict[str, Any]], key: Callable[[dict[str, Any]], str]) -> Response:
    """Like ``keyset_page`` for rows computed in memory, ordered by the unique text ``key``."""
    limit = _int_arg("limit", LIMIT_DEFAULT, 1, LIMIT_MAX)
    after = cursor_arg(str)
    ordered = sorted(items, key=key)
    if after is not None:
        ordered = [item for item in ordered if key(item) > after]
    more = len(ordered) > limit
    ordered = ordered[:limit]
    return _page(ordered, key(ordered[-1]) if more else None)


def iso(moment: datetime | None) -> str | None:
    """The API's one time form: RFC 3339 in UTC, whole seconds, ``Z`` (2026-11-02T01:30:00Z)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


from . import (  # noqa: E402  (the noun modules add their routes to bp)
    action_items,
    breaches,
    contracts,
    customers,
    metrics,
    openapi,
    responses,
    sla,
    tickets,
)

__all__ = [
    "action_items",
    "breaches",
    "bp",
    "contracts",
    "customers",
    "metrics",
    "openapi",
    "responses",
    "sla",
    "tickets",
]
