"""Personal survey-link tokens: 256 random bits, URL-safe; only their SHA-256 is stored.

A copy of the database therefore reveals no working link.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
