"""Settings from the environment (and an optional mapping passed to ``create_app``).

Every variable is documented in the README. Production (``SURVEYAPP_ENV=production``) refuses
to start with the development secret key, without a data-encryption key, or with rate-limit
counters kept in each process's memory. A refusal is a ``ConfigError``: a click error, so the
``flask`` commands print its one line and exit with status 1 (no traceback), and
``gunicorn.conf.py`` checks the same settings in the master before any worker starts.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"
# A fixed key so development and demo data survive restarts; never valid in production.
DEV_DATA_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(b"surveyapp development key").digest()
).decode()


# Rate-limit stores that every worker and machine share (the ``limits`` library's schemes).
SHARED_RATELIMIT_STORES = (
    "redis://",
    "rediss://",
    "redis+unix://",
    "redis+sentinel://",
    "redis+cluster://",
    "memcached://",
    "mongodb://",
    "mongodb+srv://",
)


class ConfigError(click.ClickException):
    """The configuration is unsafe or invalid; the message says which variable to fix.

    A click error: ``flask`` prints ``Error: <message>`` on stderr and exits with status 1."""


def refusal(environ: Mapping[str, str]) -> str | None:
    """The one-line reason this environment cannot start, or None (gunicorn's master)."""
    try:
        check_settings(settings_from_env(environ, "instance"))
    except ConfigError as exc:
        return exc.message
    return None


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def settings_from_env(environ: Mapping[str, str], instance_path: str) -> dict[str, Any]:
    """Translate environment variables into Flask config keys."""
    env = environ.get("SURVEYAPP_ENV", "development").strip().lower()
    default_db = "sqlite:///" + str(Path(instance_path) / "surveyapp.sqlite3")
    return {
        "ENV_NAME": env,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            environ.get("DATABASE_URL") or default_db
        ),
        "SECRET_KEY": environ.get("SECRET_KEY") or DEV_SECRET_KEY,
        "DATA_KEY": environ.get("DATA_KEY") or (None if env == "production" else DEV_DATA_KEY),
        "TIMEZONE": environ.get("TIMEZONE", "Asia/Shanghai"),
        "BASE_URL": environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SMTP_HOST": environ.get("SMTP_HOST", "127.0.0.1"),
        "SMTP_PORT": int(environ.get("SMTP_PORT", "25")),
        "SMTP_SECURITY": environ.get("SMTP_SECURITY", "none").lower(),  # none | starttls | ssl
        "SMTP_USER": environ.get("SMTP_USER") or None,
        "SMTP_PASSWORD": environ.get("SMTP_PASSWORD") or None,
        "SMTP_TIMEOUT": float(environ.get("SMTP_TIMEOUT", "10")),
        "MAIL_FROM": environ.get("MAIL_FROM", "survey@localhost"),
        # Webhooks to 127.0.0.1 (and plain http there): for tests only, never in production.
        "WEBHOOK_ALLOW_LOOPBACK": _bool(environ.get("WEBHOOK_ALLOW_LOOPBACK"), False),
        "SESSION_COOKIE_SECURE": _bool(environ.get("SESSION_COOKIE_SECURE"), env == "production"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": int(environ.get("MAX_CONTENT_LENGTH", str(8 * 1024 * 1024))),
        # Idle sign-in sessions end after this many seconds (12 h); "keep me signed in": 14 days.
        "PERMANENT_SESSION_LIFETIME": int(environ.get("PERMANENT_SESSION_LIFETIME", "43200")),
        "REMEMBER_COOKIE_DURATION": int(environ.get("REMEMBER_COOKIE_DURATION", "1209600")),
        "REMEMBER_COOKIE_SECURE": _bool(environ.get("SESSION_COOKIE_SECURE"), env == "production"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "RATELIMIT_ENABLED": _bool(environ.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI") or "memory://",
        "PROXY_FIX_X_FOR": int(environ.get("PROXY_FIX_X_FOR", "0")),
        "RETENTION_DAYS": int(environ.get("RETENTION_DAYS", "365")),
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": environ.get("TIMEZONE", "Asia/Shanghai"),
    }


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` spellings; use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _valid_data_keys(value: str) -> bool:
    """Each comma-separated part decodes (strictly) to 32 bytes: catches a pasted placeholder."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    try:
        keys = [
            base64.b64decode(p + "=" * (-len(p) % 4), altchars=b"-_", validate=True) for p in parts
        ]
    except ValueError:
        return False
    return bool(keys) and all(len(key) == 32 for key in keys)


def check_settings(config: Mapping[str, Any]) -> None:
    """Refuse configurations that would be unsafe or cannot work."""
    production = config.get("ENV_NAME") == "production"
    if production and config.get("SECRET_KEY") in (None, "", DEV_SECRET_KEY):
        raise ConfigError("SECRET_KEY must be set to a long random value in production")
    if production and len(str(config.get("SECRET_KEY"))) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters in production")
    if production and config.get("WEBHOOK_ALLOW_LOOPBACK"):
        raise ConfigError("WEBHOOK_ALLOW_LOOPBACK is for tests only; unset it in production")
    if production and config.get("DATA_KEY") in (None, "", DEV_DATA_KEY):
        raise ConfigError("DATA_KEY must be set in production (see README: Configuration)")
    if config.get("DATA_KEY") and not _valid_data_keys(str(config["DATA_KEY"])):
        raise ConfigError(
            "DATA_KEY must be url-safe base64 of 32 random bytes, comma-separated when several"
        )
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    shared = storage.startswith(SHARED_RATELIMIT_STORES)
    if production and config.get("RATELIMIT_ENABLED", True) and not shared:
        raise ConfigError(
            "RATELIMIT_STORAGE_URI must name a shared store in production "
            "(redis://host:6379/0): in memory:// every worker counts alone"
        )
    try:
        ZoneInfo(str(config.get("TIMEZONE")))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"TIMEZONE {config.get('TIMEZONE')!r} is not a known time zone") from exc
    if config.get("SMTP_SECURITY") not in {"none", "starttls", "ssl"}:
        raise ConfigError("SMTP_SECURITY must be one of none, starttls, ssl")
