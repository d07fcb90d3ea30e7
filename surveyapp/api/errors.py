"""The API's one error shape: RFC 9457 problem details, ``application/problem+json``.

``{"type", "title", "status", "detail", "request_id", "errors"}``: ``type`` is a URN naming the
kind of problem (``urn:surveyapp:problem:not_found`` ...; the last part is a stable machine
word), ``title`` its fixed English summary, ``status`` the HTTP status, ``detail`` a sentence
about this occurrence, ``request_id`` the id also sent as the ``X-Request-Id`` header and
written in the server log (quote it to support), ``errors`` the field-level problems
(``[{"field", "problem", "location", "index"}]``, empty when the problem is not about fields).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, json, request
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE = "urn:surveyapp:problem:"
MEDIA_TYPE = "application/problem+json"
DEFAULTS = {
    400: ("bad_request", "The request is not valid."),
    401: ("unauthorized", "Send a valid API token: Authorization: Bearer <token>."),
    403: ("forbidden", "This token may not do this."),
    404: ("not_found", "There is nothing at this address for this token."),
    405: ("method_not_allowed", "This address does not accept that method."),
    406: ("not_acceptable", "This API answers in application/json only."),
    413: ("too_large", "The request body is larger than this API accepts."),
    415: ("unsupported_media_type", "Send the body as application/json."),
    422: ("validation_failed", "The data sent breaks the rules; see errors."),
    429: ("too_many_requests", "Too many requests; wait a moment and try again."),
    500: ("server_error", "Something went wrong on our side; it has been logged."),
    503: ("unavailable", "The service is busy or being maintained; try again in a minute."),
}
# every problem type the API answers with, by its machine word: its title
TITLES = {
    "bad_request": "Bad request",
    "invalid_parameter": "Invalid query parameter",
    "unknown_parameter": "Unknown query parameter",
    "invalid_json": "Body is not JSON",
    "unauthorized": "Unauthorized",
    "forbidden": "Forbidden",
    "not_found": "Not found",
    "method_not_allowed": "Method not allowed",
    "not_acceptable": "Not acceptable",
    "too_large": "Request too large",
    "unsupported_media_type": "Unsupported media type",
    "validation_failed": "Validation failed",
    "too_many_requests": "Too many requests",
    "server_error": "Server error",
    "unavailable": "Service unavailable",
}
PASSED_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")
LOCATIONS = ("body", "query")


@dataclass(frozen=True)
class FieldError:
    """One field-level problem: ``field`` (a body field or query parameter name, None for the
    item as a whole), ``problem`` (what to fix), ``location`` (``body`` or ``query``) and
    ``index`` (the batch item, None outside batches)."""

    field: str | None
    problem: str
    location: str = "body"
    index: int | None = None

    def json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "problem": self.problem,
            "location": self.location,
            "index": self.index,
        }


class ApiError(Exception):
    """Raised by API code to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str | None = None,
        message: str | None = None,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or code or str(status))
        default_code, default_message = DEFAULTS.get(status, DEFAULTS[500])
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.errors = list(errors)
        self.headers = headers or {}


def request_id() -> str:
    """This request's id (made in surveyapp/api/__init__.py; '-' outside a request)."""
    return g.get("request_id", "-")


def problem(
    status: int,
    code: str | None = None,
    message: str | None = None,
    errors: Sequence[FieldError] = (),
    headers: dict[str, str] | None = None,
):
    error = ApiError(status, code, message, errors)
    body = {
        "type": PROBLEM_TYPE + error.code,
        "title": TITLES.get(error.code, TITLES[DEFAULTS.get(status, DEFAULTS[500])[0]]),
        "status": status,
        "detail": error.message,
        "request_id": request_id(),
        "errors": [e.json() for e in error.errors],
    }
    response = current_app.response_class(
        json.dumps(body) + "\n", status=status, mimetype=MEDIA_TYPE
    )
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    response.headers.update(headers or {})
    current_app.logger.info(
        "api problem %s %s %s %s request_id=%s",
        status,
        error.code,
        request.method,
        request.path,
        request_id(),
    )
    return response


def error_response(status: int, *, headers: dict[str, str] | None = None):
    """The problem document for a status (used by the app's error pages for ``/api``)."""
    return problem(status, headers=headers)


def http_error_response(exc: HTTPException):
    """Any HTTP error on an ``/api/`` path (routing 404 and 405, 413, CSRF, 500 ...)."""
    status = exc.code or 500
    if status not in DEFAULTS:
        status = 500 if status >= 500 else 400
    headers = {k: v for k, v in exc.get_headers() if k in PASSED_HEADERS}
    return problem(status, headers=headers)


def api_error(exc: ApiError):
    return problem(exc.status, exc.code, exc.message, exc.errors, exc.headers)
