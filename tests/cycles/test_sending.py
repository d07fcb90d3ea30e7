"""Sending invitations and reminders through a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from surveyapp.cycles.lifecycle import CycleError, close_cycle, open_cycle
from surveyapp.cycles.links import Links
from surveyapp.cycles.sending import send_invitations, send_reminders
from surveyapp.extensions import db
from surveyapp.mail import Mailer, SmtpSettings
from surveyapp.models import Contract, Customer, Invitation

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


@pytest.fixture
def run(mail_app, contract):
    """Open December, then call a sending step inside the app; returns (step result, cycle)."""
    with mail_app.app_context():
        links = Links.from_config(mail_app.config)
        cycle = open_cycle(
            db.session, db.session.get(Contract, contract.id), "2026-12", now=NOW, links=links
        ).cycle
        cycle_id = cycle.id

    def call(step, now=NOW, settings=None, **kw):
        with mail_app.app_context():
            from surveyapp.models import Cycle

            cycle = db.session.get(Cycle, cycle_id)
            with Mailer(settings or SmtpSettings.from_config(mail_app.config)) as mailer:
                return step(db.session, cycle, mailer=mailer, links=links, now=now, **kw)

    call.links = links
    return call


def _email_of(session, ref):
    return session.scalars(select(Customer).where(Customer.ref == ref)).one().reveal_contact().email


def test_invitations_go_out_in_each_customers_language_with_link_and_opt_out(run, smtp, session):
    summary = run(send_invitations)
    assert (summary.sent, summary.failed, summary.skipped) == (2, 0, 1)  # A003 has no e-mail
    zh = smtp.to(_email_of(session, "A001"))[0]
    en = smtp.to(_email_of(session, "A002"))[0]
    assert "服务" in zh["Subject"] and "How was our service" in en["Subject"]
    invitation = session.scalars(
        select(Invitation).join(Customer).where(Customer.ref == "A001")
    ).one()
    link = run.links.survey_url(invitation)
    body = zh.get_body(("plain",)).get_content()
    assert link in body and link + "/opt-out" in body and "尊敬的" in body
    assert zh["List-Unsubscribe"].strip() == f"<{link}/opt-out>"
    assert link in zh.get_body(("html",)).get_content()
    assert link.startswith("https://survey.test/s/")


def test_sending_again_sends_nothing_twice(run, smtp, session):
    run(send_invitations)
    again = run(send_invitations)
    assert (again.sent, again.failed, again.skipped) == (0, 0, 3)
    assert len(smtp.messages) == 2


def test_a_refused_recipient_fails_and_a_retry_sends_only_to_it(run, smtp, session):
    bad = _email_of(session, "A002")
    smtp.refuse.add(bad)
    first = run(send_invitations)
    assert (first.sent, first.failed) == (1, 1)
    failed = session.scalars(select(Invitation).join(Customer).where(Customer.ref == "A002")).one()
    assert failed.sent_at is None and failed.send_attempts == 1 and "refused" in failed.last_error
    smtp.refuse.clear()
    retry = run(send_invitations)
    assert (retry.sent, retry.failed, retry.skipped) == (1, 0, 2)
    assert len(smtp.to(bad)) == 1 and len(smtp.to(_email_of(session, "A001"))) == 1
    session.refresh(failed)
    assert failed.sent_at == NOW and failed.last_error is None and failed.send_attempts == 2


def test_an_unreachable_server_fails_the_run_and_a_later_run_sends_everything(
    run, smtp, session, mail_app
):
    down = SmtpSettings(host="127.0.0.1", port=1, timeout=2)
    summary = run(send_invitations, settings=down)
    assert summary.sent == 0 and summary.failed == 2
    assert smtp.messages == []
    assert run(send_invitations).sent == 2


def test_a_batch_limit_leaves_the_rest_for_the_next_run(run, smtp):
    first = run(send_invitations, limit=1)
    assert (first.sent, first.remaining) == (1, 1)
    assert run(send_invitations).sent == 1
    assert len(smtp.messages) == 2


def test_progress_is_reported_per_invitation(run):
    seen = []
    run(
        send_invitations,
        progress=lambda done, total, summary: seen.append((done, total, summary.sent)),
    )
    assert seen == [(1, 2, 1), (2, 2, 2)]


def test_reminders_wait_for_the_contracts_days_and_stop_at_its_maximum(run, smtp, session):
    run(send_invitations)
    assert run(send_reminders, now=NOW + timedelta(days=2)).sent == 0  # reminder_after_days = 3
    first = run(send_reminders, now=NOW + timedelta(days=3))
    assert first.sent == 2
    assert "提醒" in smtp.to(_email_of(session, "A001"))[-1]["Subject"]
    assert run(send_reminders, now=NOW + timedelta(days=4)).sent == 0  # 3 days since the last one
    assert run(send_reminders, now=NOW + timedelta(days=6)).sent == 2
    exhausted = run(send_reminders, now=NOW + timedelta(days=9, hours=1))  # max_reminders = 2
    assert (exhausted.sent, exhausted.skipped) == (0, 2)
    assert len(smtp.messages) == 6


def test_reminders_skip_those_who_answered_or_opted_out(run, smtp, session):
    run(send_invitations)
    answered = session.scalars(
        select(Invitation).join(Customer).where(Customer.ref == "A001")
    ).one()
    answered.responded_at = NOW + timedelta(hours=1)
    opted = session.scalars(select(Customer).where(Customer.ref == "A002")).one()
    opted.opted_out_at = NOW + timedelta(hours=2)
    session.commit()
    summary = run(send_reminders, now=NOW + timedelta(days=3))
    assert summary.sent == 0 and len(smtp.messages) == 2


def test_a_failed_reminder_is_given_back_for_the_next_run(run, smtp, session):
    run(send_invitations)
    smtp.refuse.add(_email_of(session, "A001"))
    assert run(send_reminders, now=NOW + timedelta(days=3)).failed == 1
    smtp.refuse.clear()
    assert run(send_reminders, now=NOW + timedelta(days=3, hours=1)).sent == 1


def test_nothing_is_sent_for_a_closed_cycle(run, smtp, mail_app):
    with mail_app.app_context():
        from surveyapp.models import Cycle

        close_cycle(
            db.session, db.session.scalars(select(Cycle)).one(), now=NOW + timedelta(days=1)
        )
    with pytest.raises(CycleError):
        run(send_invitations)
    assert smtp.messages == []


def _invitation_of(session, ref):
    return session.scalars(select(Invitation).join(Customer).where(Customer.ref == ref)).one()


@pytest.fixture
def two_more_customers(session, contract):
    """A004 and A005 with e-mail, so a run can meet more connection failures than it allows."""
    from ..factories import make_customer

    make_customer(session, contract, ref="A004")
    make_customer(session, contract, ref="A005")
    session.commit()


def test_an_opted_out_customer_is_skipped_and_never_claimed(run, smtp, session):
    opted = session.scalars(select(Customer).where(Customer.ref == "A002")).one()
    opted.opted_out_at = NOW - timedelta(hours=1)
    session.commit()
    summary = run(send_invitations)
    assert (summary.sent, summary.failed, summary.skipped) == (1, 0, 2)
    invitation = _invitation_of(session, "A002")
    assert invitation.sent_at is None and invitation.send_attempts == 0
    assert smtp.to(_email_of(session, "A002")) == []


def test_after_three_connection_failures_the_rest_of_the_invitations_wait(
    two_more_customers, run, session
):
    down = SmtpSettings(host="127.0.0.1", port=1, timeout=2)
    summary = run(send_invitations, settings=down)
    assert (summary.sent, summary.failed, summary.remaining) == (0, 3, 1)
    attempts = [_invitation_of(session, ref).send_attempts for ref in ("A001", "A002", "A004")]
    assert attempts == [1, 1, 1] and _invitation_of(session, "A005").send_attempts == 0


def test_reminders_leave_out_who_answered_and_count_the_opted_out_as_skipped(run, smtp, session):
    run(send_invitations)
    _invitation_of(session, "A001").responded_at = NOW + timedelta(hours=1)
    opted = session.scalars(select(Customer).where(Customer.ref == "A002")).one()
    opted.opted_out_at = NOW + timedelta(hours=2)
    session.commit()
    summary = run(send_reminders, now=NOW + timedelta(days=3))
    assert (summary.sent, summary.failed, summary.skipped, summary.remaining) == (0, 0, 1, 0)
    assert _invitation_of(session, "A002").reminders_sent == 0


def test_a_failed_reminder_keeps_no_count_and_a_retry_reminds_only_it(run, smtp, session):
    run(send_invitations)
    bad, good = _email_of(session, "A002"), _email_of(session, "A001")
    smtp.refuse.add(bad)
    first = run(send_reminders, now=NOW + timedelta(days=3))
    assert (first.sent, first.failed, first.skipped) == (1, 1, 0)
    failed = _invitation_of(session, "A002")
    assert failed.reminders_sent == 0 and failed.last_reminded_at is None
    assert "refused" in failed.last_error
    reminded = _invitation_of(session, "A001")
    assert reminded.reminders_sent == 1 and reminded.last_reminded_at == NOW + timedelta(days=3)
    smtp.refuse.clear()
    retry = run(send_reminders, now=NOW + timedelta(days=3, hours=1))
    assert (retry.sent, retry.failed, retry.skipped) == (1, 0, 1)
    assert len(smtp.to(bad)) == 1 + 1 and len(smtp.to(good)) == 1 + 1


def test_reminder_progress_is_reported_per_due_reminder(run):
    run(send_invitations)
    seen = []
    run(
        send_reminders,
        now=NOW + timedelta(days=3),
        progress=lambda done, total, summary: seen.append((done, total, summary.sent)),
    )
    assert seen == [(1, 2, 1), (2, 2, 2)]


def test_a_reminder_batch_limit_leaves_the_rest_for_the_next_run(run, smtp, session):
    run(send_invitations)
    first = run(send_reminders, now=NOW + timedelta(days=3), limit=1)
    assert (first.sent, first.remaining) == (1, 1)
    second = run(send_reminders, now=NOW + timedelta(days=3))
    assert (second.sent, second.skipped, second.remaining) == (1, 1, 0)
    assert len(smtp.messages) == 2 + 2


def test_after_three_connection_failures_the_rest_of_the_reminders_wait(
    two_more_customers, run, session
):
    run(send_invitations)
    down = SmtpSettings(host="127.0.0.1", port=1, timeout=2)
    summary = run(send_reminders, now=NOW + timedelta(days=3), settings=down)
    assert (summary.sent, summary.failed, summary.remaining) == (0, 3, 1)
    refs = ("A001", "A002", "A004", "A005")
    assert [_invitation_of(session, ref).reminders_sent for ref in refs] == [0, 0, 0, 0]
    assert all(_invitation_of(session, ref).last_reminded_at is None for ref in refs)
