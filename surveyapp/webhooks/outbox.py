"""``enqueue``: an event and its deliveries, written in the caller's transaction (no commit).

Only endpoints of the organization that subscribed to the event type get a delivery; with no
such endpoint nothing is written. Payloads carry ids and scores only, never contact data.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import DeliveryStatus, OutboxEvent, WebhookDelivery, WebhookEndpoint, utcnow
from ..models.webhooks import EVENT_TYPES

FORBIDDEN_KEYS = frozenset({"email", "mobile", "phone", "name", "contact"})


def _check_payload(payload: Any) -> None:
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key in FORBIDDEN_KEYS:
                raise ValueError(f"webhook payloads carry no contact data ({key!r})")
            _check_payload(value)
    elif isinstance(payload, list):
        for value in payload:
            _check_payload(value)


def enqueue(
    session: Session,
    organization_id: int,
    event_type: str,
    payload: dict[str, Any],
    *,
    now: datetime | None = None,
) -> OutboxEvent | None:
    """Add the event and one pending delivery per subscribed endpoint to ``session``."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event {event_type!r}")
    _check_payload(payload)
    endpoints = [
        e
        for e in session.scalars(
            select(WebhookEndpoint).where(
                WebhookEndpoint.organization_id == organization_id,
                WebhookEndpoint.active.is_(True),
            )
        )
        if event_type in e.event_list
    ]
    if not endpoints:
        return None
    now = now or utcnow()
    event = OutboxEvent(
        event_id=str(uuid.uuid4()),
        organization_id=organization_id,
        type=event_type,
        payload=payload,
        created_at=now,
    )
    session.add(event)
    for endpoint in endpoints:
        session.add(
            WebhookDelivery(
                event=event,
                endpoint_id=endpoint.id,
                status=DeliveryStatus.PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )
    return event


def envelope(event: OutboxEvent) -> dict[str, Any]:
    """The JSON body of a delivery."""
    return {
        "id": event.event_id,
        "type": event.type,
        "created_at": event.created_at.isoformat(),
        "data": event.payload,
    }
