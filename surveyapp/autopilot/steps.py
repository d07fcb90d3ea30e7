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

from analysis import monthly_analysis

from ..action_items.board import record_effects, save_proposals
from ..cycles.lifecycle import close_cycle, find_cycle, open_cycle
from ..cycles.links import Links
from ..cycles.sending import SendSummary, send_invitations, send_reminders
from ..mail import Mailer
from ..models import AutopilotStep, Contract, Cycle, Invitation, Report
from ..reports.building import LOCALES, build_monthly_report
from ..reports.pdf import chart_server
from . import ledger
from .notify import client_users, notify_report_ready
from .plan import ANALYSE, CLOSE, INVITE, NOTIFY, OPEN, REPORT, Schedule

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
    closed = close_cycle(ctx.session, _cycle(ctx), now=ctx.now, actor=None)
    return "closed" if closed else "was already closed"


def analyse(ctx: StepContext) -> str:
    """The month's analysis: first the verdicts on items done since the last cycle, then the
    new proposals (due the day before the next cycle opens); both commit with the ledger row."""
    contract, session = ctx.contract, ctx.session
    result = monthly_analysis(
        session.connection(), contract.id, ctx.month, now=ctx.now,
        due_by=Schedule.of(contract).due_by(ctx.month),
    )  # fmt: skip
    effects = record_effects(session, contract.id, result)
    added = save_proposals(session, contract.id, _cycle(ctx).id, result.action_items)
    return f"{len(added)} action items proposed, {len(effects)} effects recorded"


def report_locales(session: Session, contract: Contract) -> list[str]:
    """Chinese always, English too when one of the client's users reads English."""
    wanted = {"zh_CN"} | {u.locale for u in client_users(session, contract)}
    return [locale for locale in LOCALES if locale in wanted]


def report(ctx: StepContext) -> str:
    cycle, built = _cycle(ctx), []
    for locale in report_locales(ctx.session, ctx.contract):
        exists = ctx.session.scalar(
            select(Report.id).where(Report.cycle_id == cycle.id, Report.locale == locale).limit(1)
        )
        if exists:
            continue
        chart_server().start()
        archived = build_monthly_report(
            ctx.session, cycle, locale=locale, actor_label=ACTOR, now=ctx.now
        )
        built.append(f"{locale} v{archived.version}")
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
