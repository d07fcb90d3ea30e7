"""``cycle.closed`` and ``report.ready`` webhook events, written in the same transaction.

Closing a cycle (``cycles.lifecycle.close_cycle``) and archiving a report
(``reports.building.build_monthly_report``) are ORM changes; a session listener sees them in the
flush and adds the outbox rows before the commit, so neither area has to know about webhooks.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..models import Contract, Cycle, CycleStatus, Report
from .outbox import enqueue

_PENDING = "webhook_events_pending"


def _after_flush(session: Session, _context) -> None:
    found = session.info.setdefault(_PENDING, [])
    for obj in session.dirty:
        if isinstance(obj, Cycle) and obj.status == CycleStatus.CLOSED:
            history = inspect(obj).attrs.status.history
            if history.has_changes() and CycleStatus.CLOSED not in (history.deleted or ()):
                found.append(("cycle.closed", obj.contract_id,
                              {"cycle_id": obj.id, "contract_id": obj.contract_id,
                               "month": obj.month}))  # fmt: skip
    for obj in session.new:
        if isinstance(obj, Report):
            found.append(("report.ready", obj.contract_id,
                          {"report_id": obj.id, "contract_id": obj.contract_id, "month": obj.month,
                           "locale": obj.locale, "sha256": obj.sha256}))  # fmt: skip


def _after_flush_postexec(session: Session, _context) -> None:
    found = session.info.pop(_PENDING, [])
    for event_type, contract_id, payload in found:
        provider_id = session.get(Contract, contract_id).provider_id
        enqueue(session, provider_id, event_type, payload)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


LISTENERS = (
    ("after_flush", _after_flush),
    ("after_flush_postexec", _after_flush_postexec),
    ("after_rollback", _after_rollback),
)


def init_app(app: Flask) -> None:
    """Listen on every ORM session (once per process, whatever the number of apps)."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
