"""Rate limits, counted with the ``limits`` library's fixed-window strategy in its storage:
memory by default (per process: development and tests), Redis when ``RATELIMIT_STORAGE_URI``
says ``redis://``. Production refuses memory (surveyapp/config.py): with four gunicorn workers
each would count alone and every limit would be four times looser (issue #19). Redis rather
than a table in the application's database because ``limits`` counts there atomically (one
round trip, keys expire by themselves) and a survey page view stays a read for PostgreSQL.

Which requests count, and against which key:

- the public survey (``/s/<token>`` and its pages): every request per token and per address;
  requests for an unknown token (404) per address, much lower, so guessing links stops quickly;
- sign-in: failed attempts per account and address, per address, and per account with a higher
  ceiling (a successful sign-in costs nothing). A browser that signed in to an account before
  carries a signed "known device" cookie; its attempts at that account count only against
  themselves, so failures from strangers never lock the owner out on a device they used.
  Elsewhere the owner gets in through "forgot password", whose link signs them in;
- "forgot password" and the first-run set-up page: every POST per address (no mail flood to
  one inbox, no code guessing);
- the JSON API: every request per token, and refused tokens (401) per address (counted in
  ``surveyapp/api``, which alone knows whether a token is valid).

A refused request gets a 429 page (JSON for ``/api``) with ``Retry-After``. Keys are hashes,
so the store never holds a link token, an API token or an e-mail address.

``limits`` is driven directly from one before- and one after-request hook, not through the
Flask-Limiter extension, whose own three hooks ran on every request and did nothing for these
rules (issue #3, ``bench/submit``).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
import time
from dataclasses import dataclass
from functools import cache

from flask import Flask, Response, current_app, g, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from limits import RateLimitItem, parse
from limits.errors import ConfigurationError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.middleware.proxy_fix import ProxyFix

DEFAULT_LIMITS = {
    "RATELIMIT_SURVEY_PER_TOKEN": "60 per minute",
    "RATELIMIT_SURVEY_PER_ADDRESS": "300 per minute",
    "RATELIMIT_SURVEY_MISSES_PER_ADDRESS": "20 per 10 minutes",
    "RATELIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS": "10 per 15 minutes",
    "RATELIMIT_SIGN_IN_PER_ACCOUNT": "50 per 15 minutes",
    "RATELIMIT_SIGN_IN_PER_ADDRESS": "30 per 15 minutes",
    "RATELIMIT_ACCOUNT_FORMS_PER_ADDRESS": "10 per hour",
    "RATELIMIT_API_PER_TOKEN": "3000 per minute",
    "RATELIMIT_API_FAILURES_PER_ADDRESS": "60 per minute",
}
NOT_FOUND, REFUSED, FAILED_SIGN_IN = frozenset({404}), frozenset({401}), frozenset({400, 401})
KEY_PREFIX = "surveyapp"  # the first part of every key in a shared store (Redis)
ACCOUNT_FORMS = {"auth.forgot_password", "auth.setup"}  # mails sent, set-up codes tried
KNOWN_DEVICE_COOKIE = "known_device"
KNOWN_DEVICE_DAYS = 365
SURVEY_ENDPOINTS = {"survey.show", "survey.submit", "survey.thanks", "survey.opt_out_page"}


@dataclass(frozen=True)
class Rule:
    """``setting`` names the limit; ``scope`` and ``key`` what it counts; ``on`` which answers
    count (None: every request, counted before the view; else those statuses, after it)."""

    setting: str
    scope: str
    key: str
    on: frozenset[int] | None = None


def _hashed(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def _address() -> str:
    return request.remote_addr or "unknown"


def _rules() -> list[Rule]:
    endpoint = request.endpoint or ""
    if endpoint in SURVEY_ENDPOINTS:
        token = _hashed((request.view_args or {}).get("token", ""))
        return [
            Rule("RATELIMIT_SURVEY_MISSES_PER_ADDRESS", "survey-miss", _address(), NOT_FOUND),
            Rule("RATELIMIT_SURVEY_PER_TOKEN", "survey-token", token),
            Rule("RATELIMIT_SURVEY_PER_ADDRESS", "survey-address", _address()),
        ]
    if endpoint == "auth.sign_in" and request.method == "POST":
        account = _hashed((request.form.get("email") or "").strip().lower())
        device = _known_device(account)
        if device is not None:
            key = _hashed(account + device)
            return [
                Rule(
                    "RATELIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS",
                    "sign-in-device",
                    key,
                    FAILED_SIGN_IN,
                )
            ]
        return [
            Rule(
                "RATELIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS",
                "sign-in-account-address",
                _hashed(account + _address()),
                FAILED_SIGN_IN,
            ),
            Rule("RATELIMIT_SIGN_IN_PER_ADDRESS", "sign-in-address", _address(), FAILED_SIGN_IN),
            Rule("RATELIMIT_SIGN_IN_PER_ACCOUNT", "sign-in-account", account, FAILED_SIGN_IN),
        ]
    if endpoint in ACCOUNT_FORMS and request.method == "POST":
        return [Rule("RATELIMIT_ACCOUNT_FORMS_PER_ADDRESS", "account-form", _address())]
    if request.path.startswith("/api/"):
        # refused tokens per address are counted by surveyapp/api itself, once it knows the
        # token is refused: a valid token is never held back by other tokens' failures
        presented = request.headers.get("Authorization", "").partition(" ")[2].strip()
        return (
            [Rule("RATELIMIT_API_PER_TOKEN", "api-token", _hashed(presented))] if presented else []
        )
    return []


def _device_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="surveyapp.known-device")


def _known_device(account: str) -> str | None:
    """The nonce of a valid known-device cookie for ``account`` (a hashed e-mail), or None."""
    value = request.cookies.get(KNOWN_DEVICE_COOKIE)
    if not value:
        return None
    try:
        hashed, nonce = _device_signer().loads(value)
    except (BadSignature, ValueError, TypeError):
        return None
    return nonce if hashed == account and isinstance(nonce, str) else None


def remember_device(response: Response, email: str) -> None:
    """After a successful sign-in: mark this browser as one the account's owner uses."""
    account = _hashed(email.strip().lower())
    value = _device_signer().dumps([account, secrets.token_urlsafe(16)])
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        value,
        max_age=KNOWN_DEVICE_DAYS * 86400,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )


@cache
def _parsed(limit: str) -> RateLimitItem:
    return parse(limit)


def _item(rule: Rule) -> RateLimitItem:
    return _parsed(current_app.config[rule.setting])


def rate_limiter(app: Flask | None = None) -> FixedWindowRateLimiter:
    return (app or current_app).extensions["surveyapp_rate_limiter"]


def _check() -> Response | None:
    if not current_app.config["RATELIMIT_ENABLED"]:
        return None
    strategy = rate_limiter()
    rules = _rules()
    g.rate_limit_rules = rules
    for rule in rules:
        item = _item(rule)
        allowed = (
            strategy.test(item, KEY_PREFIX, rule.scope, rule.key)
            if rule.on is not None
            else strategy.hit(item, KEY_PREFIX, rule.scope, rule.key)
        )
        if not allowed:
            reset = strategy.get_window_stats(item, KEY_PREFIX, rule.scope, rule.key).reset_time
            return too_many(rule, max(1, math.ceil(reset - time.time())))
    return None


def _count_failures(response: Response) -> Response:
    for rule in g.pop("rate_limit_rules", ()):
        if rule.on is not None and response.status_code in rule.on:
            rate_limiter().hit(_item(rule), KEY_PREFIX, rule.scope, rule.key)
    return response


def too_many(rule: Rule, retry_after: int) -> Response:
    from ..errors import render_error

    minutes = max(1, math.ceil(retry_after / 60))
    if rule.scope.startswith("sign-in"):
        message = _(
            "Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again.",
            minutes=minutes,
        )
    else:
        message = _(
            "Too many requests. Please wait %(minutes)d minutes and try again.", minutes=minutes
        )
    response = current_app.make_response(render_error(429, message))
    response.headers["Retry-After"] = str(retry_after)
    return response


class SweepingMemoryStorage(MemoryStorage):
    """limits' in-memory storage with expired counters swept inline instead of by a thread.

    limits 5.8 starts a 10 ms ``threading.Timer`` on a counter's update whenever the last one
    has finished: under load, a new thread for nearly every request. Two threads of one gthread
    worker could also both start the same timer (``RuntimeError: threads can only be started
    once``, a 500 for about one survey request in 1,700; alisaifee/limits#352). Counters are
    already expired when read (``get``); this sweep only bounds memory, so it runs at most every
    ``SWEEP_EVERY`` seconds in the request that finds it due, one thread at a time, and no
    thread is ever started. Used for ``memory://`` (as ``sweeping-memory://``).
    """

    STORAGE_SCHEME = ["sweeping-memory"]
    SWEEP_EVERY = 10.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()  # the one the base class starts; it only sweeps an empty store
        self._sweep_lock = threading.Lock()
        self._next_sweep = time.monotonic() + self.SWEEP_EVERY

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_sweep_lock", None)
        return state

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self.timer.cancel()
        self._sweep_lock = threading.Lock()

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 (the base's private name)
        now = time.monotonic()
        if now < self._next_sweep or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + self.SWEEP_EVERY
            self.sweep()
        finally:
            self._sweep_lock.release()

    def sweep(self) -> None:
        """Drop the expired counters. Written here, not the base's ``__expire_events``: that one
        reads ``expirations[key]`` unlocked while ``get`` in another thread may remove the key
        (harmless in the base's timer thread, a KeyError inside a request here). Only the
        fixed-window counters are swept; the moving-window events are not used."""
        now = time.time()
        for key, expiry in list(self.expirations.items()):
            if expiry > now:
                continue
            with self.locks[key]:
                if self.expirations.get(key, math.inf) <= now:
                    self.storage.pop(key, None)
                    self.expirations.pop(key, None)
                    self.locks.pop(key, None)


def make_storage(uri: str):
    """The ``limits`` storage for ``uri``; a ConfigError (one line) when it cannot be used."""
    from ..config import ConfigError

    try:
        return storage_from_string(uri)
    except ConfigurationError as exc:
        raise ConfigError(f"RATELIMIT_STORAGE_URI {uri.split('://')[0]}://: {exc}") from exc


def storage_refusal(uri: str) -> str | None:
    """Why the rate-limit store at ``uri`` cannot be used now (gunicorn's master), or None."""
    from ..config import ConfigError

    try:
        storage = make_storage(uri)
    except ConfigError as exc:
        return exc.message
    if not storage.check():
        return f"RATELIMIT_STORAGE_URI: cannot reach the rate-limit store {_safe(uri)}"
    return None


def _safe(uri: str) -> str:
    """The URI without a password."""
    scheme, _, rest = uri.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


def init_app(app: Flask) -> None:
    for name, value in DEFAULT_LIMITS.items():
        app.config.setdefault(name, value)
    app.config.setdefault("RATELIMIT_ENABLED", True)
    if app.config.get("PROXY_FIX_X_FOR"):
        hops = int(app.config["PROXY_FIX_X_FOR"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    storage_uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if storage_uri.startswith("memory://"):
        storage_uri = storage_uri.replace("memory://", "sweeping-memory://", 1)
    storage = make_storage(storage_uri)
    app.extensions["surveyapp_rate_limiter"] = FixedWindowRateLimiter(storage)
    app.before_request(_check)
    app.after_request(_count_failures)
