"""Reading and writing the autopilot's ledger, and the locks that keep two ticks apart.

PostgreSQL: a tick claims one contract at a time with ``SELECT ... FOR NO KEY UPDATE SKIP
LOCKED`` on the contract's row, on a connection of its own that stays in its transaction while
the contract's steps run (and commit) on the work session. A second tick skips that contract
and takes the next one, so two ticks split the work; a tick that dies loses its connection and
with it the lock, and the next tick finds the step the dead one left ``running`` and runs it
again. ``NO KEY UPDATE`` (not ``UPDATE``) because inserting a cycle or a report takes a key
share lock on the contract, which a plain ``FOR UPDATE`` would block.

SQLite has no row locks: one tick at a time holds an exclusive lock file beside the database,
and a second one says so and exits.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, Engine, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import AutopilotStep, Contract, Cycle, CycleStatus, Invitation, Report, StepStatus
from .plan import MonthFacts, StepState

MAX_ERROR = 2000


def month_ledger(session: Session, contract_id: int, month: str) -> dict[str, StepState]:
    rows = session.execute(
        select(
            AutopilotStep.step,
            AutopilotStep.status,
            AutopilotStep.finished_at,
            AutopilotStep.attempts,
        ).where(AutopilotStep.contract_id == contract_id, AutopilotStep.month == month)
    ).all()
    return {step: StepState(status, finished, tries) for step, status, finished, tries in rows}


def month_facts(session: Session, cycle: Cycle | None) -> MonthFacts:
    """Whether the month was opened, mailed, closed and reported, by anyone."""
    if cycle is None:
        return MonthFacts()
    sent, reported = session.execute(
        select(
            exists().where(Invitation.cycle_id == cycle.id, Invitation.sent_at.is_not(None)),
            exists().where(Report.cycle_id == cycle.id),
        )
    ).one()
    return MonthFacts(
        opened=True, sent=bool(sent), closed=cycle.status == CycleStatus.CLOSED,
        reported=bool(reported),
    )  # fmt: skip


def start(
    session: Session, contract_id: int, month: str, step: str, now: datetime
) -> AutopilotStep:
    """Mark a step running (one more attempt) and commit, so a crash leaves a visible trace."""
    row = _get(session, contract_id, month, step)
    if row is None:
        row = AutopilotStep(contract_id=contract_id, month=month, step=step, attempts=0)
        session.add(row)
        try:
            session.flush()
        except IntegrityError:  # written a moment ago by a tick that held the lock before us
            session.rollback()
            row = _get(session, contract_id, month, step)
    row.status, row.started_at, row.finished_at = StepStatus.RUNNING, now, None
    row.attempts += 1
    session.commit()
    return row


def finish(row: AutopilotStep, now: datetime, note: str | None = None) -> None:
    """Mark ``row`` done in its session; it commits with the step's own last change."""
    row.status, row.finished_at, row.last_error = StepStatus.DONE, now, None
    row.note = note[:300] if note else None


def fail(session: Session, row_id: int, now: datetime, error: str) -> None:
    """After a rollback: keep the error on the step (the next tick tries again) and commit."""
    row = session.get(AutopilotStep, row_id)
    row.status, row.finished_at, row.last_error = StepStatus.FAILED, now, error[:MAX_ERROR]
    session.commit()


def _get(session: Session, contract_id: int, month: str, step: str) -> AutopilotStep | None:
    return session.scalar(
        select(AutopilotStep).where(
            AutopilotStep.contract_id == contract_id,
            AutopilotStep.month == month,
            AutopilotStep.step == step,
        )
    )


class ContractClaims:
    """Claims contracts for one tick: row locks on PostgreSQL, nothing to do on SQLite (where
    :func:`tick_lock` lets only one tick run)."""

    def __init__(self, engine: Engine) -> None:
        self._row_locks = engine.dialect.name == "postgresql"
        self._conn: Connection | None = engine.connect() if self._row_locks else None

    @contextmanager
    def claim(self, contract_id: int) -> Iterator[bool]:
        """``True`` while this tick holds the contract; ``False`` if another tick has it."""
        if self._conn is None:
            yield True
            return
        try:
            held = self._conn.execute(
                select(Contract.id)
                .where(Contract.id == contract_id)
                .with_for_update(skip_locked=True, key_share=True)
            ).first()
            yield held is not None
        finally:
            self._conn.rollback()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


def _lock_path(engine: Engine) -> str:
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return f"{database}.tick-lock"
    return os.path.join(tempfile.gettempdir(), "surveyapp-tick.lock")


@contextmanager
def tick_lock(engine: Engine) -> Iterator[bool]:
    """On SQLite, ``True`` if this process may tick now (an exclusive, non-blocking file lock);
    ``False`` when another tick holds it. Always ``True`` on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        yield True
        return
    with open(_lock_path(engine), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
