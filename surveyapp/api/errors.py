"""The API's one error shape: ``{"error": {"code", "message", "details"}}`` with the status.

``code`` is a stable machine word (``not_found``, ``validation_failed`` ...), ``message`` a
sentence in English for the person reading logs, ``details`` an object (empty, or what was
wrong: per-field problems, per-item results of a batch).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from werkzeug.exceptions import HTTPException

DEFAULTS = {
    400: ("bad_request", "The request is not valid."),
    401: ("unauthorized", "Send a valid API token: Authorization: Bearer <token>."),
    403: ("forbidden", "This token may not do this."),
    404: ("not_found", "There is nothing at this address for this token."),
    405: ("method_not_allowed", "This address does not accept that method."),
    406: ("not_acceptable", "This API answers in application/json only."),
    413: ("too_large", "The request body is larger than this API accepts."),
    415: ("unsupported_media_type", "Send the body as application/json."),
    422: ("validation_failed", "The data sent breaks the rules; see details."),
    429: ("too_many_requests", "Too many requests; wait a moment and try again."),
    500: ("server_error", "Something went wrong on our side; it has been logged."),
    503: ("unavailable", "The service is busy or being maintained; try again in a minute."),
}
PASSED_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


class ApiError(Exception):
    """Raised by API code to answer with the error shape."""

    def __init__(
        self,
        status: int,
        code: str | None = None,
        message: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message or code or str(status))
        default_code, default_message = DEFAULTS.get(status, DEFAULTS[500])
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.details = details or {}


def error_response(
    status: int,
    code: str | None = None,
    message: str | None = None,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
):
    error = ApiError(status, code, message, details)
    response = jsonify(
        error={"code": error.code, "message": error.message, "details": error.details}
    )
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    response.headers.update(headers or {})
    return response


def http_error_response(exc: HTTPException):
    """Any HTTP error on an ``/api/`` path (routing 404 and 405, 413, CSRF, 500 ...)."""
    status = exc.code or 500
    if status not in DEFAULTS:
        status = 500 if status >= 500 else 400
    headers = {k: v for k, v in exc.get_headers() if k in PASSED_HEADERS}
    return error_response(status, headers=headers)


def api_error(exc: ApiError):
    return error_response(exc.status, exc.code, exc.message, exc.details)
