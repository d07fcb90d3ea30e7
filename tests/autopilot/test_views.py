"""The provider's autopilot page: calendar, ledger with errors, and the admin's retry button."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from surveyapp.autopilot import views
from surveyapp.models import AuditEvent, AutopilotStep

from ..factories import make_user
from .conftest import make_party


def _failed_invite(session, runner):
    party = make_party(session, "AP-V", customers=2, survey_open_day=1)
    assert runner.invoke(args=["tick", "--now", "2026-09-01T01:00"]).exit_code == 1
    return party


def test_the_page_shows_the_calendar_and_the_ledger_error(session, runner, client, sign_in):
    party = _failed_invite(session, runner)
    analyst = make_user(session, "provider_analyst", _provider(session, party.contract_id))
    page = sign_in(analyst).get(f"/contracts/{party.contract_id}/autopilot/").text
    assert "Calendar of" in page or "日程" in page
    assert "cannot connect to SMTP server" in page
    assert "/autopilot/retry" not in page  # analysts read only


def test_an_admin_retry_runs_the_failed_step_again_and_is_audited(
    session, runner, client, sign_in, monkeypatch
):
    party = _failed_invite(session, runner)
    monkeypatch.setattr(views, "utcnow", lambda: datetime(2026, 9, 1, 1, 5, tzinfo=UTC))
    admin = make_user(session, "provider_admin", _provider(session, party.contract_id))
    sign_in(admin)
    assert "/autopilot/retry" in client.get(f"/contracts/{party.contract_id}/autopilot/").text
    response = client.post(f"/contracts/{party.contract_id}/autopilot/retry")
    assert response.status_code == 302
    session.expire_all()
    row = session.scalar(select(AutopilotStep).where(AutopilotStep.step == "invite"))
    assert row.attempts == 2 and row.status == "failed"  # the mail server is still down
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "autopilot.retry"))


def _provider(session, contract_id):
    from surveyapp.models import Contract

    return session.get(Contract, contract_id).provider


def test_a_month_closed_on_its_page_shows_done_outside_and_a_missed_step_overdue(
    session, client, sign_in, monkeypatch
):
    from surveyapp.cycles.lifecycle import close_cycle

    from ..factories import make_cycle

    party = make_party(session, "AP-OUT", customers=1, survey_open_day=1, survey_open_days=10)
    contract = _contract(session, party.contract_id)
    now = datetime(2026, 10, 20, 3, 0, tzinfo=UTC)
    cycle = make_cycle(session, contract, month="2026-09")
    close_cycle(session, cycle, now=now)
    make_cycle(session, contract, month="2026-10")  # opened by hand, invitations never mailed
    monkeypatch.setattr(views, "utcnow", lambda: now)
    page = sign_in(make_user(session, "provider_analyst", contract.provider)).get(
        f"/contracts/{contract.id}/autopilot/"
    )
    september, october = page.text.split("2026-09", 1)[1].split("2026-10", 1)
    assert september.count("badge-outside") == 3  # opened, closed, analysed by hand
    assert "badge-overdue" in october and october.count("badge-outside") == 1  # opened


def test_a_step_is_marked_outside_only_without_a_ledger_row_and_overdue_after_half_an_hour():
    from datetime import timedelta

    from surveyapp.autopilot.plan import MonthFacts, StepState, step_mark

    at = datetime(2026, 9, 11, 1, 0, tzinfo=UTC)
    closed = MonthFacts(opened=True, closed=True)
    assert step_mark("close", at, None, closed, at) == "outside"
    assert step_mark("close", at, StepState("done", at), closed, at) is None
    assert step_mark("report", at, None, closed, at + timedelta(minutes=29)) is None
    assert step_mark("report", at, None, closed, at + timedelta(minutes=30)) == "overdue"
    failed = StepState("failed", at)
    assert step_mark("report", at, failed, closed, at + timedelta(hours=1)) == "overdue"
    assert step_mark("invite", at, None, MonthFacts(), at + timedelta(days=1)) is None


def _contract(session, contract_id):
    from surveyapp.models import Contract

    return session.get(Contract, contract_id)
