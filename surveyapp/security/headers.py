"""Security headers on every response.

The Content-Security-Policy allows scripts only from this site (``static/js``, the vendored
plotly.js); JSON data blocks (``<script type="application/json">``) are data and are not run.
``style-src`` keeps ``'unsafe-inline'`` because plotly.js writes ``<style>`` elements and style
attributes while it draws; styles cannot run code, so scripts stay locked down.
"""

from __future__ import annotations

from flask import Flask, Response

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


def _add_hsts(response: Response) -> Response:
    """Only where cookies are Secure (production behind HTTPS): tells browsers to stay on HTTPS."""
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
    if app.config.get("SESSION_COOKIE_SECURE"):
        app.after_request(_add_hsts)
