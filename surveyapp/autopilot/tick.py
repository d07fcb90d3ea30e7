"""``run_tick``: for every active contract, do whatever of the monthly cycle is due at ``now``.

Run it every five minutes from cron (or a systemd timer, a Kubernetes CronJob, any job runner),
twice at the same moment, or after days of downtime: each step happens once, in order.

1. Find what may be due with three queries over all active contracts (cycles and ledger rows of
   the recent months, plus anything unfinished), and :func:`.plan.month_steps` in memory: an
   idle tick over a thousand contracts stays well under a second.
2. For each contract with work: claim it (:class:`.ledger.ContractClaims`), read its months
   again under the claim, and run the due steps one by one, re-planning after each, until
   nothing is due or a step fails (the error goes to the ledger; the next tick tries again).
"""

from __future__ import annotations

import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..cycles.calendar import month_of, shift_month
from ..cycles.links import Links
from ..mail import Mailer, SmtpSettings
from ..models import AutopilotStep, Contract, ContractStatus, Cycle, CycleStatus, StepStatus
from . import ledger
from .plan import CycleState, DueStep, Schedule, StepState, month_steps
from .steps import StepContext, StepFailed, step_function

# A step that runs this much after it was due was caught up after scheduler downtime.
CATCH_UP = timedelta(minutes=30)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Outcome:
    contract: str
    month: str
    step: str
    late: timedelta
    note: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def line(self) -> str:
        late = f" (caught up, {_duration(self.late)} late)" if self.late >= CATCH_UP else ""
        if self.error:
            return f"{self.contract} {self.month} {self.step}: FAILED{late}: {self.error}"
        return f"{self.contract} {self.month} {self.step}: {self.note or 'done'}{late}"


@dataclass
class TickSummary:
    now: datetime
    dry_run: bool = False
    contracts: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    planned: list[tuple[str, DueStep]] = field(default_factory=list)
    busy: list[str] = field(default_factory=list)  # claimed by another tick at the same time
    waiting: bool = False  # SQLite: another tick holds the lock

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def caught_up(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok and o.late >= CATCH_UP]

    @property
    def ok(self) -> bool:
        return not self.failed

    def line(self) -> str:
        at = self.now.strftime("%Y-%m-%dT%H:%MZ")
        if self.waiting:
            return f"tick {at}: another tick is running; nothing done, try again later."
        if self.dry_run:
            due = len(self.planned)
            return f"tick {at} (dry run): {due} steps due over {self.contracts} contracts."
        done = len(self.outcomes) - len(self.failed)
        text = (
            f"tick {at}: {self.contracts} contracts, {done} steps done, "
            f"{len(self.failed)} failed, {len(self.caught_up)} caught up"
        )
        if self.busy:
            text += f", {len(self.busy)} contracts taken by another tick"
        return text + "."


def _duration(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    if hours >= 24:
        return f"{hours // 24} d {hours % 24} h"
    return f"{hours} h {delta.seconds // 60 % 60} min"


@dataclass(frozen=True)
class _Contract:
    id: int
    number: str
    schedule: Schedule


def _contracts(session: Session, only: Iterable[int] | None) -> list[_Contract]:
    query = (
        select(
            Contract.id, Contract.number, Contract.timezone, Contract.survey_open_day,
            Contract.survey_open_days, Contract.reminder_after_days, Contract.max_reminders,
        )
        .where(Contract.status == ContractStatus.ACTIVE)
        .order_by(Contract.id)
    )  # fmt: skip
    if only is not None:
        query = query.where(Contract.id.in_(list(only)))
    return [_Contract(row[0], row[1], Schedule(*row[2:])) for row in session.execute(query)]


def _months_due(
    schedule: Schedule,
    now: datetime,
    cycles: dict[str, CycleState],
    steps: dict[str, dict[str, StepState]],
) -> list[DueStep]:
    """Every step due for one contract: this month, last month, open cycles, unfinished months."""
    current = month_of(now, schedule.timezone)
    months = {current, shift_month(current, -1)}
    months |= {m for m, c in cycles.items() if c.status == CycleStatus.OPEN}
    months |= {m for m, s in steps.items() if any(v.status != StepStatus.DONE for v in s.values())}
    due = []
    for month in sorted(months):
        due += month_steps(schedule, month, cycles.get(month), steps.get(month, {}), now)
    return due


def _recent(now: datetime) -> str:
    """A month bound safely before any contract's last month, whatever its time zone."""
    return shift_month(month_of(now, "UTC"), -2)


def _load(session: Session, contract_ids: list[int] | None, now: datetime):
    """Cycles and ledger rows of the recent months and anything unfinished, by contract."""
    bound = _recent(now)
    cycles: dict[int, dict[str, CycleState]] = defaultdict(dict)
    query = select(
        Cycle.contract_id, Cycle.month, Cycle.status, Cycle.opens_at, Cycle.closes_at
    ).where(or_(Cycle.month >= bound, Cycle.status == CycleStatus.OPEN))
    if contract_ids is not None:
        query = query.where(Cycle.contract_id.in_(contract_ids))
    for contract_id, month, status, opens, closes in session.execute(query):
        cycles[contract_id][month] = CycleState(status, opens, closes)
    steps: dict[int, dict[str, dict[str, StepState]]] = defaultdict(lambda: defaultdict(dict))
    query = select(
        AutopilotStep.contract_id, AutopilotStep.month, AutopilotStep.step, AutopilotStep.status,
        AutopilotStep.finished_at, AutopilotStep.attempts,
    ).where(or_(AutopilotStep.month >= bound, AutopilotStep.status != StepStatus.DONE))  # fmt: skip
    if contract_ids is not None:
        query = query.where(AutopilotStep.contract_id.in_(contract_ids))
    for contract_id, month, step, status, finished, attempts in session.execute(query):
        steps[contract_id][month][step] = StepState(status, finished, attempts)
    return cycles, steps


def _due_for(session: Session, contract: _Contract, now: datetime) -> list[DueStep]:
    """One contract's due steps, read fresh (under its claim); older unfinished months too."""
    cycles, steps = _load(session, [contract.id], now)
    months = steps[contract.id]
    for month in {m for m in months if m < _recent(now)}:
        months[month] = ledger.month_ledger(session, contract.id, month)
    return _months_due(contract.schedule, now, cycles[contract.id], months)


def run_tick(
    session_factory: Callable[[], Session],
    now: datetime,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    contract_ids: Iterable[int] | None = None,
) -> TickSummary:
    """Do every due step of every active contract (or of ``contract_ids``) as of ``now``.

    Needs an application context (mail templates, translations, settings).
    """
    say = progress or (lambda _line: None)
    summary = TickSummary(now=now, dry_run=dry_run)
    only = list(contract_ids) if contract_ids is not None else None
    with session_factory() as session:
        engine = session.get_bind()
        with ledger.tick_lock(engine) as allowed:
            if not allowed:
                summary.waiting = True
                return summary
            contracts = _contracts(session, only)
            summary.contracts = len(contracts)
            cycles, steps = _load(session, only, now)
            work = []
            for contract in contracts:
                due = _months_due(contract.schedule, now, cycles[contract.id], steps[contract.id])
                if due:
                    work.append(contract)
                    summary.planned += [(contract.number, d) for d in due]
            session.rollback()
            if dry_run:
                for number, step in summary.planned:
                    late = step.late_by(now)
                    when = f"{_duration(late)} overdue" if late >= CATCH_UP else "due now"
                    say(f"would run {number} {step.month} {step.step} ({when})")
                return summary
            if work:
                _run(session, engine, work, now, summary, say)
    return summary


def _run(session, engine, work, now, summary, say) -> None:
    config = current_app.config
    links = Links.from_config(config)
    claims = ledger.ContractClaims(engine)
    try:
        with Mailer(SmtpSettings.from_config(config)) as mailer:
            for position, contract in enumerate(work, start=1):
                with claims.claim(contract.id) as held:
                    if not held:
                        summary.busy.append(contract.number)
                        say(f"[{position}/{len(work)}] {contract.number}: taken by another tick")
                        continue
                    say(f"[{position}/{len(work)}] {contract.number}")
                    _run_contract(session, contract, now, summary, say, mailer, links, config)
    finally:
        claims.close()


def _run_contract(session, contract, now, summary, say, mailer, links, config) -> None:
    stopped: set[str] = set()  # months with a failed step: the rest waits for the next tick
    ran: set[tuple[str, str]] = set()
    while True:
        due = [d for d in _due_for(session, contract, now) if d.month not in stopped]
        session.rollback()
        if not due:
            return
        step = due[0]
        if (step.month, step.step) in ran:  # done but planned again: never loop on it
            stopped.add(step.month)
            continue
        ran.add((step.month, step.step))
        outcome = _run_step(session, contract, step, now, mailer, links, config, say)
        summary.outcomes.append(outcome)
        say("  " + outcome.line())
        if not outcome.ok:
            stopped.add(step.month)


def _run_step(session, contract, step: DueStep, now, mailer, links, config, say) -> Outcome:
    row = ledger.start(session, contract.id, step.month, step.step, now)
    record = session.get(Contract, contract.id)
    ctx = StepContext(
        session=session, contract=record, month=step.month, now=now, row=row, mailer=mailer,
        links=links, base_url=config["BASE_URL"], progress=say,
    )  # fmt: skip
    late = step.late_by(now)
    try:
        note = step_function(step.step)(ctx)
        ledger.finish(row, now, note)
        session.commit()
    except StepFailed as error:
        session.rollback()
        ledger.fail(session, row.id, now, str(error))
        return Outcome(contract.number, step.month, step.step, late, error=str(error))
    except Exception as error:  # any failure of one step must not stop the other contracts
        session.rollback()
        detail = "".join(traceback.format_exception_only(error)).strip()
        ledger.fail(session, row.id, now, detail + "\n" + traceback.format_exc(limit=-3))
        return Outcome(contract.number, step.month, step.step, late, error=detail)
    return Outcome(contract.number, step.month, step.step, late, note=note)
