"""Crashes, scheduler gaps, dry runs and a second tick at the same time: each step still once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from surveyapp.autopilot import ledger
from surveyapp.autopilot.tick import CATCH_UP
from surveyapp.mail import Mailer
from surveyapp.models import AutopilotStep, Invitation, Report

from ..conftest import PG_URL
from .conftest import ledger_steps, make_party

A_OPENS = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def test_a_crash_in_the_middle_of_sending_invitations_resumes_without_mailing_anyone_twice(
    session, tick, smtp, monkeypatch
):
    party = make_party(session, "AP-C", customers=6, survey_open_day=1)
    real_send, sent = Mailer.send, []

    def crash_after_two(self, message):
        if len(sent) == 2:
            raise RuntimeError("worker killed")
        real_send(self, message)
        sent.append(message["To"])

    monkeypatch.setattr(Mailer, "send", crash_after_two)
    first = tick(A_OPENS)
    assert [(o.step, o.ok) for o in first.outcomes] == [("open", True), ("invite", False)]
    assert "worker killed" in first.failed[0].error
    row = session.scalar(select(AutopilotStep).where(AutopilotStep.step == "invite"))
    assert (row.status, row.attempts) == ("failed", 1) and "worker killed" in row.last_error

    monkeypatch.setattr(Mailer, "send", real_send)
    second = tick(A_OPENS + timedelta(minutes=5))
    assert [(o.step, o.ok) for o in second.outcomes] == [("invite", True)]
    assert Counter(m["To"] for m in smtp.messages) == Counter(party.customers)
    session.expire_all()
    assert (row.status, row.attempts, row.last_error) == ("done", 2, None)
    assert session.scalar(select(func.count()).where(Invitation.sent_at.is_(None))) == 0


def test_after_a_ten_day_gap_the_next_tick_does_the_overdue_steps_in_order(
    session, parties, tick, smtp, charts
):
    a, b = parties
    assert [o.step for o in tick(A_OPENS + timedelta(hours=1)).outcomes] == ["open", "invite"]

    # Down for ten days: A's window (reminders on the 4th and 7th, close on the 11th) passed,
    # B opened on the 5th and is still open.
    late = tick(A_OPENS + timedelta(days=10, hours=1))
    assert late.ok
    assert [(o.contract, o.step) for o in late.outcomes] == [
        (a.number, "close"), (a.number, "analyse"), (a.number, "report"), (a.number, "notify"),
        (b.number, "open"), (b.number, "invite"),
    ]  # fmt: skip
    assert {o.step for o in late.caught_up} == {"close", "analyse", "report", "notify", "open",
                                                "invite"}  # fmt: skip
    assert late.outcomes[0].late == timedelta(hours=1) >= CATCH_UP
    assert ledger_steps(session, a.contract_id, "2026-09")[:6] == [
        "open", "invite", "close", "analyse", "report", "notify",
    ]  # fmt: skip
    # B's reminder would fall after its close (two days after today's mailing): dropped.
    closing = tick(datetime(2026, 9, 12, 8, 0, tzinfo=UTC))
    assert [o.step for o in closing.outcomes] == ["close", "analyse", "report", "notify"]
    assert ledger_steps(session, b.contract_id, "2026-09")[:6] == [
        "open", "invite", "close", "analyse", "report", "notify",
    ]  # fmt: skip
    assert session.scalar(select(func.count()).select_from(Report)) == 2
    assert (
        sum(1 for m in smtp.messages if "Reminder" in m["Subject"] or "提醒" in m["Subject"]) == 0
    )


def test_a_dry_run_lists_the_due_steps_and_changes_nothing(session, parties, tick, smtp):
    lines = []
    summary = tick(A_OPENS, dry_run=True, progress=lines.append)
    assert [(n, d.month, d.step) for n, d in summary.planned] == [
        ("AP-A", "2026-09", "open"), ("AP-A", "2026-09", "invite"),
    ]  # fmt: skip
    assert lines == [
        "would run AP-A 2026-09 open (due now)",
        "would run AP-A 2026-09 invite (due now)",
    ]
    assert session.scalar(select(func.count()).select_from(AutopilotStep)) == 0
    assert smtp.messages == []


@pytest.mark.skipif(bool(PG_URL), reason="SQLite only: PostgreSQL ticks split the work instead")
def test_on_sqlite_a_second_tick_at_the_same_time_waits_and_does_nothing(
    session, parties, tick, smtp
):
    with ledger.tick_lock(session.get_bind()) as first:
        assert first
        second = tick(A_OPENS)
    assert second.waiting and second.ok and second.outcomes == []
    assert "another tick is running" in second.line()
    assert session.scalar(select(func.count()).select_from(AutopilotStep)) == 0


def test_the_command_exits_non_zero_and_keeps_the_error_when_the_mail_server_is_down(
    session, runner
):
    make_party(session, "AP-D", customers=2, survey_open_day=1)
    result = runner.invoke(args=["tick", "--now", "2026-09-01T01:00"])
    assert result.exit_code == 1
    assert "AP-D 2026-09 invite: FAILED" in result.output
    row = session.scalar(select(AutopilotStep).where(AutopilotStep.step == "invite"))
    assert row.status == "failed" and "cannot connect to SMTP server" in row.last_error
