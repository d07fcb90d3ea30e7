"""Column types (aware UTC datetimes) and the key ring for contact-data encryption.

Contact data of the client's customers is confidential (contract clause 四): it is stored only
as AES-GCM ciphertext. The key ring is configured once per process by ``create_app`` (or the
CLI) from ``DATA_KEY``; the first key encrypts, every key may decrypt, which is what makes key
rotation possible.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import UTC

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC; always returns aware UTC datetimes.

    SQLite has no time zone support, so values are normalised to UTC before they are stored
    and marked as UTC when they are read back.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime (UTC)")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class DataKeyError(RuntimeError):
    """No usable data-encryption key, or a ciphertext that no configured key opens."""


class KeyRing:
    """The data-encryption keys of this process: ``keys[0]`` encrypts, all decrypt."""

    def __init__(self) -> None:
        self._keys: list[bytes] = []

    def configure(self, keys: list[bytes]) -> None:
        for key in keys:
            if len(key) != 32:
                raise DataKeyError("a data key must be 32 bytes (base64 of 32 random bytes)")
        self._keys = list(keys)

    @property
    def configured(self) -> bool:
        return bool(self._keys)

    def _require(self) -> list[bytes]:
        if not self._keys:
            raise DataKeyError("no data-encryption key configured (DATA_KEY)")
        return self._keys

    def encrypt(self, plaintext: str) -> str:
        key = self._require()[0]
        nonce = os.urandom(12)
        sealed = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), b"surveyapp.v1")
        return "v1:" + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str) -> str:
        if not token.startswith("v1:"):
            raise DataKeyError("unknown ciphertext format")
        raw = base64.urlsafe_b64decode(token[3:].encode("ascii"))
        nonce, sealed = raw[:12], raw[12:]
        for key in self._require():
            try:
                return AESGCM(key).decrypt(nonce, sealed, b"surveyapp.v1").decode("utf-8")
            except InvalidTag:
                continue
        raise DataKeyError("no configured data key opens this value")

    def lookup_hash(self, value: str) -> str:
        """A keyed hash for finding duplicates without decrypting (same input, same hash)."""
        key = hashlib.sha256(b"lookup:" + self._require()[0]).digest()
        normalised = value.strip().lower()
        return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


keyring = KeyRing()


def parse_data_keys(value: str) -> list[bytes]:
    """``DATA_KEY`` holds one or more comma-separated url-safe base64 keys, newest first."""
    keys = []
    for part in value.split(","):
        part = part.strip()
        if part:
            try:
                keys.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
            except ValueError as exc:
                raise DataKeyError("DATA_KEY is not valid base64") from exc
    return keys
