"""What is due for one contract's survey month at ``now``: a pure function of the schedule, the
cycle's state and the ledger (no database, no clock), so the rules are tested on their own.

A month goes through these steps, in this order (DESIGN.md section 4, clause 一(3)):

``open``      on the open day at 09:00 local time: the cycle and one invitation per customer;
``invite``    right after: e-mail the invitations;
``remind-k``  ``reminder_after_days`` after the previous mailing, at most ``max_reminders``
              rounds, only while the survey is open;
``close``     when the window ends: links expire, the month's answer counts are stored;
``analyse``   the month's analysis: effects of items done since the last cycle, new proposals;
``report``    the archived PDF;
``notify``    the client's users are told that the report is ready.

Catch-up follows from the same rules: every step whose time has come is due, in order, and a
reminder or a mailing that would fall after the close is dropped (the survey is over).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..cycles.calendar import cycle_window, shift_month

OPEN, INVITE, CLOSE, ANALYSE, REPORT, NOTIFY = (
    "open",
    "invite",
    "close",
    "analyse",
    "report",
    "notify",
)
AFTER_CLOSE = (ANALYSE, REPORT, NOTIFY)


def remind_step(round_: int) -> str:
    return f"remind-{round_}"


def step_order(max_reminders: int) -> list[str]:
    """Every step of a month, in the order they happen."""
    reminders = [remind_step(k) for k in range(1, max_reminders + 1)]
    return [OPEN, INVITE, *reminders, CLOSE, *AFTER_CLOSE]


@dataclass(frozen=True)
class Schedule:
    """The contract's survey schedule (clause 一(3)), as stored on the contract."""

    timezone: str
    open_day: int
    open_days: int
    reminder_after_days: int
    max_reminders: int

    @classmethod
    def of(cls, contract) -> Schedule:
        return cls(
            contract.timezone,
            contract.survey_open_day,
            contract.survey_open_days,
            contract.reminder_after_days,
            contract.max_reminders,
        )

    def window(self, month: str) -> tuple[datetime, datetime]:
        return cycle_window(month, self.timezone, self.open_day, self.open_days)

    def due_by(self, month: str) -> date:
        """The last local day before the next month's cycle opens: when proposals are due."""
        opens, _closes = self.window(shift_month(month, 1))
        return opens.astimezone(ZoneInfo(self.timezone)).date() - timedelta(days=1)


@dataclass(frozen=True)
class CycleState:
    status: str  # draft | open | closed
    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class StepState:
    status: str  # running | done | failed
    finished_at: datetime | None
    attempts: int = 0


@dataclass(frozen=True)
class DueStep:
    month: str
    step: str
    due_at: datetime

    def late_by(self, now: datetime) -> timedelta:
        return now - self.due_at


def month_steps(
    schedule: Schedule,
    month: str,
    cycle: CycleState | None,
    ledger: Mapping[str, StepState],
    now: datetime,
) -> list[DueStep]:
    """The steps of ``month`` due at ``now``, in order, as if each one succeeds at ``now``;
    each with the time the schedule wanted it (how late a catch-up is).

    A step is due when its time has come and every step it waits for is done. The caller runs
    the first, reads the ledger again and asks again; a dry run shows the whole list.
    """
    opens, closes = (cycle.opens_at, cycle.closes_at) if cycle else schedule.window(month)
    if now < opens:
        return []
    done = {name: state for name, state in ledger.items() if state.status == "done"}

    def finished(name: str) -> datetime:
        state = done.get(name)
        return state.finished_at if state and state.finished_at else now

    cycle_closed = cycle is not None and cycle.status == "closed"
    if cycle_closed and not ledger:
        return []  # closed by hand before the autopilot looked after it (history, imports)
    if cycle is None and now >= closes and OPEN not in done:
        return []  # the whole window passed without the month being opened
    due: list[DueStep] = []
    if now < closes and not cycle_closed:
        for name, at in _open_steps(schedule, opens, closes, done, finished):
            if at > now:
                break
            if name not in done:
                due.append(DueStep(month, name, at))
    if now >= closes or cycle_closed:
        at = min(closes, now)  # a month closed early by hand is followed up at once
        due += [DueStep(month, name, at) for name in (CLOSE, *AFTER_CLOSE) if name not in done]
    return due


def _open_steps(schedule, opens, closes, done, finished):
    """open, invite and the reminder rounds with the time each becomes due."""
    yield OPEN, opens
    yield INVITE, opens
    wait = timedelta(days=schedule.reminder_after_days)
    previous = INVITE
    for k in range(1, schedule.max_reminders + 1):
        if previous not in done:
            # Not mailed yet (or due in this same run): the round comes ``wait`` after it.
            return
        at = finished(previous) + wait
        if at >= closes:
            return
        yield remind_step(k), at
        previous = remind_step(k)


def calendar(
    schedule: Schedule,
    month: str,
    cycle: CycleState | None,
    ledger: Mapping[str, StepState],
) -> list[tuple[str, datetime, StepState | None]]:
    """Every step of ``month`` with when it happened (ledger) or is planned (schedule)."""
    opens, closes = (cycle.opens_at, cycle.closes_at) if cycle else schedule.window(month)
    wait = timedelta(days=schedule.reminder_after_days)
    rows = []
    previous = opens
    for name in step_order(schedule.max_reminders):
        state = ledger.get(name)
        if name in (OPEN, INVITE):
            planned = opens
        elif name.startswith("remind-"):
            planned = previous + wait
            if planned >= closes and state is None:
                continue
        else:
            planned = closes
        at = state.finished_at if state and state.finished_at else planned
        previous = at
        rows.append((name, at, state))
    return rows


@dataclass(frozen=True)
class MonthFacts:
    """What happened to a month whoever did it: the page, a command or the autopilot."""

    opened: bool = False
    sent: bool = False
    closed: bool = False
    reported: bool = False


OVERDUE, OUTSIDE = "overdue", "outside"
OVERDUE_AFTER = timedelta(minutes=30)  # the tick runs every five minutes


def step_mark(
    name: str, at: datetime, state: StepState | None, facts: MonthFacts, now: datetime
) -> str | None:
    """``"outside"`` for a step the autopilot has no record of but that was done (a month
    opened, mailed, closed and analysed, or reported by hand); ``"overdue"`` for one not done
    well after its time; else None.

    The one close step analyses too, so a month closed outside was analysed outside.
    """
    if state is not None and state.status == "done":
        return None
    if state is None:
        done = {
            OPEN: facts.opened, INVITE: facts.sent, CLOSE: facts.closed, ANALYSE: facts.closed,
            REPORT: facts.reported,
        }.get(name, False)  # fmt: skip
        if done:
            return OUTSIDE
        if name != OPEN and not facts.opened:
            return None  # waits for the month to open, which is what is overdue
    return OVERDUE if now - at >= OVERDUE_AFTER else None
