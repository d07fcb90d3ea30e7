"""Rate limits (Flask-Limiter's storage and strategies; memory by default, Redis when
``RATELIMIT_STORAGE_URI`` says ``redis://``).

Which requests count, and against which key:

- the public survey (``/s/<token>`` and its pages): every request per token and per address;
  requests for an unknown token (404) per address, much lower, so guessing links stops quickly;
- sign-in: failed attempts per account and per address (a successful sign-in costs nothing);
- the JSON API: every request per token, and refused tokens (401) per address.

A refused request gets a 429 page (JSON for ``/api``) with ``Retry-After``. Keys are hashes,
so the store never holds a link token, an API token or an e-mail address.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from flask_babel import gettext as _
from flask_limiter import Limiter
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from werkzeug.middleware.proxy_fix import ProxyFix

DEFAULT_LIMITS = {
    "RATELIMIT_SURVEY_PER_TOKEN": "60 per minute",
    "RATELIMIT_SURVEY_PER_ADDRESS": "300 per minute",
    "RATELIMIT_SURVEY_MISSES_PER_ADDRESS": "20 per 10 minutes",
    "RATELIMIT_SIGN_IN_PER_ACCOUNT": "10 per 15 minutes",
    "RATELIMIT_SIGN_IN_PER_ADDRESS": "30 per 15 minutes",
    "RATELIMIT_API_PER_TOKEN": "3000 per minute",
    "RATELIMIT_API_FAILURES_PER_ADDRESS": "60 per minute",
}
NOT_FOUND, REFUSED, FAILED_SIGN_IN = frozenset({404}), frozenset({401}), frozenset({400, 401})
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
        return [
            Rule("RATELIMIT_SIGN_IN_PER_ACCOUNT", "sign-in-account", account, FAILED_SIGN_IN),
            Rule("RATELIMIT_SIGN_IN_PER_ADDRESS", "sign-in-address", _address(), FAILED_SIGN_IN),
        ]
    if request.path.startswith("/api/"):
        rules = [Rule("RATELIMIT_API_FAILURES_PER_ADDRESS", "api-refused", _address(), REFUSED)]
        presented = request.headers.get("Authorization", "").partition(" ")[2].strip()
        if presented:
            rules.append(Rule("RATELIMIT_API_PER_TOKEN", "api-token", _hashed(presented)))
        return rules
    return []


def _item(rule: Rule) -> RateLimitItem:
    return parse(current_app.config[rule.setting])


def _limiter() -> Limiter:
    return current_app.extensions["surveyapp_limiter"]


def _check() -> Response | None:
    if not current_app.config["RATELIMIT_ENABLED"]:
        return None
    strategy = _limiter().limiter
    rules = _rules()
    g.rate_limit_rules = rules
    for rule in rules:
        item = _item(rule)
        allowed = (
            strategy.test(item, rule.scope, rule.key)
            if rule.on is not None
            else strategy.hit(item, rule.scope, rule.key)
        )
        if not allowed:
            reset = strategy.get_window_stats(item, rule.scope, rule.key).reset_time
            return too_many(rule, max(1, math.ceil(reset - time.time())))
    return None


def _count_failures(response: Response) -> Response:
    for rule in g.pop("rate_limit_rules", ()):
        if rule.on is not None and response.status_code in rule.on:
            _limiter().limiter.hit(_item(rule), rule.scope, rule.key)
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


class ThreadSafeMemoryStorage(MemoryStorage):
    """limits' in-memory storage with its expiry timer replaced under a lock.

    In limits 5.8 two threads of one gthread worker can both find the timer finished, and
    both start the one that was assigned last: ``RuntimeError: threads can only be started
    once`` in a before-request hook, a 500 for about one survey request in 1,700 under load
    (alisaifee/limits#352). Used for ``memory://`` (as ``threadsafe-memory://``).
    """

    STORAGE_SCHEME = ["threadsafe-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        self._timer_lock = threading.Lock()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state.pop("_timer_lock", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self._timer_lock = threading.Lock()
        super().__setstate__(state)

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 (the base's private name)
        with self._timer_lock:
            if not self.timer.is_alive():
                self.timer = threading.Timer(0.01, self._MemoryStorage__expire_events)
                self.timer.start()


def init_app(app: Flask) -> None:
    for name, value in DEFAULT_LIMITS.items():
        app.config.setdefault(name, value)
    app.config.setdefault("RATELIMIT_ENABLED", True)
    if app.config.get("PROXY_FIX_X_FOR"):
        hops = int(app.config["PROXY_FIX_X_FOR"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    storage_uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if storage_uri.startswith("memory://"):
        storage_uri = storage_uri.replace("memory://", "threadsafe-memory://", 1)
    limiter = Limiter(
        key_func=_address,
        app=app,
        storage_uri=storage_uri,
        strategy="fixed-window",
        key_prefix="surveyapp",
    )
    app.extensions["surveyapp_limiter"] = limiter
    app.before_request(_check)
    app.after_request(_count_failures)
