"""Security headers on every response.

The Content-Security-Policy allows scripts only from this site (``static/js``, the vendored
plotly.js); JSON data blocks (``<script type="application/json">``) are data and are not run.
``style-src`` keeps ``'unsafe-inline'`` because plotly.js writes ``<style>`` elements and style
attributes while it draws; styles cannot run code, so scripts stay locked down.

``Cache-Control: no-store`` is set here, in one place, on every answer to a signed-in user or to
an API-token request (pages, exports, JSON): they carry customer or contract data that no shared
or browser cache may keep (issue #28). Static files stay cacheable. Public pages that need it
(the survey form) set it themselves.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _authenticated() -> bool:
    return bool(request.authorization) or bool(current_user and current_user.is_authenticated)


def _no_store_when_authenticated(response: Response) -> Response:
    if request.endpoint != "static" and _authenticated():
        cache_control = response.headers.get("Cache-Control", "")
        if "no-store" not in cache_control:
            response.headers["Cache-Control"] = "no-store"
    return response


def _add_hsts(response: Response) -> Response:
    """Only where cookies are Secure (production behind HTTPS): tells browsers to stay on HTTPS."""
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
    app.after_request(_no_store_when_authenticated)
    if app.config.get("SESSION_COOKIE_SECURE"):
        app.after_request(_add_hsts)
