"""Three simulated months of hourly ticks for two contracts with different schedules, against a
real SMTP server, with customers answering at different points of the month."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from surveyapp.models import AutopilotStep, Cycle, Invitation, Report

from ..factories import make_response
from .conftest import ledger_steps

START = datetime(2026, 9, 1, 0, 0, tzinfo=UTC)
END = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # before A's December opening (01:00 UTC)
MONTHS = ("2026-09", "2026-10", "2026-11")


def _answer_as_scripted(session, now):
    """Customer 1 answers once invited, customer 2 after a first reminder, customer 3 never."""
    pending = session.scalars(
        select(Invitation)
        .join(Cycle, Cycle.id == Invitation.cycle_id)
        .where(
            Cycle.status == "open",
            Invitation.sent_at.is_not(None),
            Invitation.responded_at.is_(None),
        )
    ).all()
    for invitation in pending:
        which = invitation.customer.ref.rsplit("-", 1)[1]
        if which == "1" or (which == "2" and invitation.reminders_sent >= 1):
            make_response(session, invitation, {"RESP": 4, "NPS": 9})
            invitation.responded_at = now
            session.commit()


def test_three_months_of_hourly_ticks_run_each_step_once_in_order(
    session, parties, tick, smtp, charts
):
    a, b = parties
    now = START
    while now < END:
        summary = tick(now)
        assert summary.ok, [o.line() for o in summary.failed]
        _answer_as_scripted(session, now)
        now += timedelta(hours=1)

    users = {p.number: session.scalar(select(AutopilotStep.step).where(
        AutopilotStep.contract_id == p.contract_id, AutopilotStep.step.like("notify:%")))
        for p in parties}  # fmt: skip
    expected = {
        a.number: ["open", "invite", "remind-1", "remind-2", "close", "analyse", "report",
                   "notify", users[a.number]],
        b.number: ["open", "invite", "remind-1", "close", "analyse", "report", "notify",
                   users[b.number]],
    }  # fmt: skip
    for party in parties:
        for month in MONTHS:
            assert ledger_steps(session, party.contract_id, month) == expected[party.number]
        rows = session.scalars(
            select(AutopilotStep).where(AutopilotStep.contract_id == party.contract_id)
        ).all()
        assert {(r.status, r.attempts, r.last_error) for r in rows} == {("done", 1, None)}
        assert ledger_steps(session, party.contract_id, "2026-12") == []

    # Invitations once per customer and month; reminders only to non-responders, at most M.
    mails = Counter((m["To"], _month(m["Subject"])) for m in smtp.messages)
    for party, reminders in ((a, 2), (b, 1)):
        first, second, silent = party.customers
        for month in MONTHS:
            assert mails[(first, month)] == 1
            assert mails[(second, month)] == 2
            assert mails[(silent, month)] == 1 + reminders

    # Three archived PDFs per contract, one per month.
    for party in parties:
        reports = session.scalars(
            select(Report).where(Report.contract_id == party.contract_id).order_by(Report.month)
        ).all()
        assert [(r.month, r.locale, r.version) for r in reports] == [
            (m, "zh_CN", 1) for m in MONTHS
        ]
        assert all(r.content.startswith(b"%PDF") for r in reports)

    # Report-ready e-mails go to the client's users only: one a month, a portal link, no data.
    for party in parties:
        notices = [m for m in smtp.messages if m["To"] in party.client_users]
        assert sorted(_month(m["Subject"]) for m in notices) == list(MONTHS)
        for message in notices:
            body = message.get_content()
            assert f"https://survey.test/portal/contracts/{party.contract_id}" in body
            assert not any(email in body for email in party.customers)
        assert not [m for m in smtp.messages if m["To"] in party.provider_users]


def _month(subject: str) -> str:
    for month in (*MONTHS, "2026-12"):
        if month in subject:
            return month
    raise AssertionError(f"no month in {subject!r}")
