"""The steps of a month, each a plain function over the existing cycle, analysis, report and mail
functions; ``tick`` calls them in the order :mod:`.plan` gives.

Every step is safe to run again after a crash: ``open_cycle`` only adds missing invitations,
``send_invitations`` / ``send_reminders`` claim each invitation before mailing it,
``close_cycle`` does nothing to a closed cycle, proposals are stored once per key and effects
once per item, a report that exists is not built again, and each report notice has its own
ledger row. A step returns a short note for the ledger or raises :class:`StepFailed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..cycles import closing
from ..cycles.lifecycle import find_cycle, open_cycle
from ..cycles.links import Links
from ..cycles.sending import SendSummary, send_invitations, send_reminders
from ..mail import Mailer
from ..models import AutopilotStep, Contract, Cycle, Invitation
from . import ledger
from .notify import notify_report_ready
from .plan import ANALYSE, CLOSE, INVITE, NOTIFY, OPEN, REPORT

ACTOR = "autopilot"


class StepFailed(Exception):
    """The step did part of its work; the rest is for the next tick (the message says what)."""


@dataclass
class StepContext:
    session: Session
    contract: Contract
    month: str
    now: datetime
    row: AutopilotStep
    mailer: Mailer
    links: Links
    base_url: str
    progress: Callable[[str], None]


def _cycle(ctx: StepContext) -> Cycle:
    cycle = find_cycle(ctx.session, ctx.contract, ctx.month)
    if cycle is None:
        raise StepFailed(f"no survey month {ctx.month}")
    return cycle


def open_month(ctx: StepContext) -> str:
    result = open_cycle(ctx.session, ctx.contract, ctx.month, now=ctx.now, links=ctx.links)
    return f"{result.created} invitations created, {result.existing} already there"


def _sent(ctx: StepContext, what: str, summary: SendSummary) -> str:
    note = f"{what}: sent {summary.sent}, failed {summary.failed}, skipped {summary.skipped}"
    if summary.failed or summary.remaining:
        example = ctx.session.scalar(
            select(Invitation.last_error)
            .where(Invitation.cycle_id == _cycle(ctx).id, Invitation.last_error.is_not(None))
            .limit(1)
        )
        raise StepFailed(
            f"{note}, not attempted {summary.remaining}; the next tick retries. "
            f"First error: {example}"
        )
    return note


def _send_progress(ctx: StepContext, what: str):
    def progress(done: int, of: int, summary: SendSummary) -> None:
        if done == of or done % 100 == 0:
            ctx.progress(f"    {what} {done}/{of} (sent {summary.sent}, failed {summary.failed})")

    return progress


def invite(ctx: StepContext) -> str:
    summary = send_invitations(
        ctx.session, _cycle(ctx), mailer=ctx.mailer, links=ctx.links, now=ctx.now,
        progress=_send_progress(ctx, "invitations"),
    )  # fmt: skip
    return _sent(ctx, "invitations", summary)


def remind(ctx: StepContext) -> str:
    summary = send_reminders(
        ctx.session, _cycle(ctx), mailer=ctx.mailer, links=ctx.links, now=ctx.now,
        progress=_send_progress(ctx, "reminders"),
    )  # fmt: skip
    return _sent(ctx, "reminders", summary)


def close(ctx: StepContext) -> str:
    """Links expire and the month's answer counts are stored; the ledger row commits with it."""
    ledger.finish(ctx.row, ctx.now, "closed")
    closed = closing.close(ctx.session, _cycle(ctx), now=ctx.now)
    return "closed" if closed else "was already closed"


def analyse(ctx: StepContext) -> str:
    """Effects of items done since the last cycle, then the month's proposals
    (:func:`..cycles.closing.analyse`); both commit with the ledger row."""
    done = closing.analyse(ctx.session, _cycle(ctx), now=ctx.now)
    return f"{done.proposals} action items proposed, {done.effects} effects recorded"


def report(ctx: StepContext) -> str:
    built = closing.report(ctx.session, _cycle(ctx), now=ctx.now, actor_label=ACTOR)
    return "built " + ", ".join(built) if built else "already archived"


def notify(ctx: StepContext) -> str:
    summary = notify_report_ready(
        ctx.session, ctx.contract, ctx.month, mailer=ctx.mailer, base_url=ctx.base_url,
        now=ctx.now,
    )  # fmt: skip
    note = f"report-ready e-mails: sent {summary.sent}, already sent {summary.already}"
    if summary.failed:
        raise StepFailed(f"{note}, failed {len(summary.failed)}: {summary.failed[0]}")
    return note


def step_function(name: str) -> Callable[[StepContext], str]:
    if name.startswith("remind-"):
        return remind
    return {
        OPEN: open_month, INVITE: invite, CLOSE: close, ANALYSE: analyse, REPORT: report,
        NOTIFY: notify,
    }[name]  # fmt: skip
