"""Error pages (HTML) and the JSON error shape for ``/api`` paths."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    403: (_l("Not allowed"), _l("Your role does not allow this action.")),
    404: (_l("Page not found"), _l("There is nothing at this address.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    410: (_l("Gone"), _l("This page is no longer available.")),
    413: (_l("Too large"), _l("What you sent is larger than this site accepts.")),
    429: (_l("Too many requests"), _l("Please wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("The error has been logged. Please try again later.")),
    503: (
        _l("Temporarily unavailable"),
        _l("The service is busy or being maintained. Please try again in a minute."),
    ),
}


def render_error(code: int, message: str | None = None):
    title, default_message = MESSAGES.get(code, MESSAGES[500])
    text = str(message or default_message)
    if request.path.startswith("/api/"):
        from .api.errors import error_response

        return error_response(code)
    return render_template("errors/error.html", code=code, title=title, message=text), code


def _http_error(exc: HTTPException):
    if request.path.startswith("/api/"):
        from .api.errors import http_error_response

        return http_error_response(exc)
    code = exc.code or 500
    if code not in MESSAGES:
        return exc
    return render_error(code)


def _csrf_error(exc: CSRFError):
    return render_error(
        400,
        _l(
            "The form has expired or was not sent from this site. "
            "Please reload the page and try again."
        ),
    )


def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _unexpected)
