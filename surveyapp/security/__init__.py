"""Request-level protections, installed by ``create_app``: security headers, session expiry and
sign-out invalidation, rate limits, and the log filter that keeps contact data out of logs.

Contract clause 四 makes the client's customer data confidential; SECURITY.md at the top of the
repository describes the threat model these pieces answer.
"""

from __future__ import annotations

from flask import Flask

from . import headers, inputs, limits, logfilter, outages, sessions


def init_app(app: Flask) -> None:
    logfilter.init_app(app)
    headers.init_app(app)
    sessions.init_app(app)
    limits.init_app(app)
    inputs.init_app(app)
    outages.init_app(app)
