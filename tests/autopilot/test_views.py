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
