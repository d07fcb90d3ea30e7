"""Personal survey-link tokens, URL-safe; only their SHA-256 is stored.

A copy of the database therefore reveals no working link.

Two kinds of token exist. ``new_token`` draws 256 bits from ``secrets`` (one-off links, tests).
``link_token`` is what cycles use: an HMAC-SHA256 over the invitation's identity under a key
derived from ``SECRET_KEY`` (itself random in production), truncated to 192 bits. The server can
therefore print the same link again for the first e-mail, a reminder, the CSV for SMS tools and
the QR code, while the database still holds nothing but the hash: without the key the stored
rows cannot be turned into links. Rotating ``SECRET_KEY`` invalidates the open cycles' links.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

TOKEN_BYTES = 32
LINK_TOKEN_BYTES = 24  # 192 bits
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(token: str) -> bool:
    """Cheap shape check so that junk never reaches the database."""
    return bool(TOKEN_RE.match(token))


def _link_key(secret: str) -> bytes:
    return hashlib.sha256(b"surveyapp survey-link key v1:" + secret.encode("utf-8")).digest()


def link_token(secret: str, cycle_id: int, customer_id: int) -> str:
    """The token of one customer's link in one cycle (stable, unguessable without the key)."""
    message = f"invitation:{cycle_id}:{customer_id}".encode("ascii")
    digest = hmac.new(_link_key(secret), message, hashlib.sha256).digest()[:LINK_TOKEN_BYTES]
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")
