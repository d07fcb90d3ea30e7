"""The webhook worker: sends due deliveries from the outbox, with retries and backoff.

Server-side request forgery is refused before any connection: the host is resolved once, every
address must be public (no private, loopback, link-local, multicast, reserved or unspecified
address; ``WEBHOOK_ALLOW_LOOPBACK`` lets 127.0.0.1 and ::1 through, for tests only), and the
connection goes to that resolved address (no second lookup, so DNS rebinding cannot switch it).
Redirects are never followed: a 3xx answer is a failed attempt.

A delivery is claimed with a lease (``locked_until``) and committed before the request is
sent, so a worker that dies mid-way leaves the row to be picked up again once the lease ends.
A failed attempt is retried after ``base_delay * 2 ** (attempts - 1)`` until ``max_attempts``.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..models import DeliveryStatus, WebhookDelivery
from .outbox import envelope
from .signing import EVENT_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, signature_header

LOOPBACK = (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))
MAX_BACKOFF = timedelta(hours=6)


class Refused(Exception):
    """The URL or an address it resolves to is not allowed (nothing was connected)."""


@dataclass(frozen=True)
class DeliverySettings:
    allow_loopback: bool = False
    timeout: float = 10.0
    max_attempts: int = 8
    base_delay: timedelta = timedelta(seconds=30)
    lease: timedelta = timedelta(minutes=2)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DeliverySettings:
        return cls(
            allow_loopback=bool(config.get("WEBHOOK_ALLOW_LOOPBACK", False)),
            timeout=float(config.get("WEBHOOK_TIMEOUT", 10)),
            max_attempts=int(config.get("WEBHOOK_MAX_ATTEMPTS", 8)),
        )


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: IPv4-mapped ``::ffff:0:0/96``, 6to4
    ``2002::/16``, NAT64 ``64:ff9b::/96`` and Teredo ``2001::/32`` (server and client)."""
    found = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip in NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.teredo is not None:
        found.extend(ip.teredo)
    return found


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def address_allowed(address: str, allow_loopback: bool) -> bool:
    """A public address; an IPv6 address that embeds an IPv4 one is judged by that too, so
    ``2002:7f00:1::`` (6to4 of 127.0.0.1) or ``64:ff9b::a00:1`` (NAT64 of 10.0.0.1) is refused."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if allow_loopback and ip in LOOPBACK:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and not all(map(_public, embedded_ipv4(ip))):
        return False
    return _public(ip)


def check_destination(url: str, allow_loopback: bool) -> None:
    """The check made when an endpoint is saved: the URL's form, and every address its host
    has (an address literal, or the name's addresses when it resolves now) must be public.
    A name that does not resolve yet is accepted; delivery resolves and checks it again."""
    try:
        resolve(url, allow_loopback)
    except OSError:
        return


def check_url(url: str, allow_loopback: bool) -> tuple[str, str, int, str]:
    """``(scheme, host, port, path)`` of an acceptable endpoint URL, else ``Refused``.

    HTTPS only; plain HTTP only when loopback is allowed (the tests' receiver).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or (scheme == "http" and not allow_loopback):
        raise Refused("the URL must start with https://")
    if parts.username or parts.password or not parts.hostname:
        raise Refused("the URL needs a host name and no user name or password")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise Refused("the URL has an invalid port") from exc
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port, path


def resolve(url: str, allow_loopback: bool) -> Target:
    """Resolve the host once and check every address it has; the first one is used.

    A failed lookup raises ``socket.gaierror`` (an ``OSError``: retried later).
    """
    scheme, host, port, path = check_url(url, allow_loopback)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError as exc:
        raise Refused(f"cannot resolve {host}") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise Refused(f"cannot resolve {host}")
    for address in addresses:
        if not address_allowed(address, allow_loopback):
            raise Refused(f"{host} resolves to a non-public address ({address})")
    if scheme == "http" and not all(
        ipaddress.ip_address(a.split("%", 1)[0]) in LOOPBACK for a in addresses
    ):
        raise Refused("plain http is allowed for the loopback test receiver only")
    return Target(scheme, host, port, path, addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: Mapping[str, str], timeout: float) -> int:
    """POST to the pinned address; the status code (redirects are not followed)."""
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=dict(headers))
        answer = connection.getresponse()
        answer.read(65536)
        return answer.status
    finally:
        connection.close()


def backoff(attempts: int, settings: DeliverySettings) -> timedelta:
    return min(settings.base_delay * (2 ** max(0, attempts - 1)), MAX_BACKOFF)


@dataclass
class DeliverySummary:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.retrying + self.failed


def claim(session: Session, now: datetime, settings: DeliverySettings, limit: int) -> list[int]:
    """Lease up to ``limit`` due deliveries to this worker; commits."""
    ids = list(
        session.scalars(
            select(WebhookDelivery.id)
            .where(
                WebhookDelivery.status == DeliveryStatus.PENDING,
                WebhookDelivery.next_attempt_at <= now,
                or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until <= now),
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(ids))
            .values(locked_until=now + settings.lease)
        )
    session.commit()
    return ids


def attempt(
    session: Session, delivery: WebhookDelivery, settings: DeliverySettings, now: datetime
) -> str:
    """Send one delivery and record the outcome; commits. ``delivered|retrying|failed``."""
    event = delivery.event
    body = json.dumps(envelope(event), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "surveyapp-webhooks/1",
        EVENT_HEADER: event.type,
        EVENT_ID_HEADER: event.event_id,
        SIGNATURE_HEADER: signature_header(delivery.endpoint.reveal_secret(), timestamp, body),
    }
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.locked_until = None
    status_code, error = None, None
    try:
        target = resolve(delivery.endpoint.url, settings.allow_loopback)
        status_code = post(target, body, headers, settings.timeout)
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}" + (
                " (redirect not followed)" if 300 <= status_code < 400 else ""
            )
    except Refused as exc:
        error = f"refused: {exc}"
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
    delivery.last_status_code = status_code
    delivery.last_error = error
    if error is None:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
        outcome = "delivered"
    elif error.startswith("refused") or delivery.attempts >= settings.max_attempts:
        delivery.status = DeliveryStatus.FAILED
        outcome = "failed"
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts, settings)
        outcome = "retrying"
    session.commit()
    return outcome


def deliver_due(
    session: Session, settings: DeliverySettings, now: datetime, limit: int = 100, progress=None
) -> DeliverySummary:
    """One pass of the worker: claim what is due, send each, record each outcome."""
    summary = DeliverySummary()
    for delivery_id in claim(session, now, settings, limit):
        delivery = session.get(WebhookDelivery, delivery_id)
        outcome = attempt(session, delivery, settings, now)
        setattr(summary, outcome, getattr(summary, outcome) + 1)
        if progress is not None:
            progress(delivery, outcome)
    return summary


def replay(session: Session, delivery: WebhookDelivery, now: datetime) -> None:
    """Send a delivery again (same event id, so an idempotent receiver ignores a duplicate)."""
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.locked_until = None
