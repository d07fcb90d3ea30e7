"""The cycle commands, as cron would run them: twice in a row changes nothing the second time."""

from __future__ import annotations

import csv
from datetime import date

from sqlalchemy import delete, func, select

from surveyapp.models import Cycle, Invitation

NOW = "2026-12-02T03:00:00"


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_open_send_remind_export_and_close_from_the_command_line(
    mail_app, session, contract, smtp, tmp_path
):
    number = contract.number
    first = _run(mail_app, "open-cycle", "--contract", number, "--month", "2026-12", "--now", NOW)
    assert first.exit_code == 0 and "3 invitations created" in first.output
    again = _run(mail_app, "open-cycle", "--contract", number, "--month", "2026-12", "--now", NOW)
    assert "0 invitations created, 3 already there" in again.output
    assert session.scalar(select(func.count()).select_from(Invitation)) == 3

    sent = _run(
        mail_app, "send-invitations", "--contract", number, "--month", "2026-12", "--now", NOW
    )
    assert (
        sent.exit_code == 0
        and "1/2" in sent.output
        and "Summary: sent 2, failed 0, skipped 1." in sent.output
    )
    resent = _run(mail_app, "send-invitations", "--now", NOW)
    assert "Summary: sent 0, failed 0, skipped 3." in resent.output and len(smtp.messages) == 2

    assert "Summary: sent 2" in _run(mail_app, "remind", "--now", "2026-12-05T04:00:00").output

    out = tmp_path / "links.csv"
    exported = _run(
        mail_app, "export-links", "--contract", number, "--month", "2026-12", "--output", str(out)
    )
    assert exported.exit_code == 0 and "Wrote 3 links" in exported.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["customer_ref"] for r in rows] == ["A001", "A002", "A003"]

    assert (
        "Summary: 0 closed." in _run(mail_app, "close-cycle", "--now", "2026-12-10T00:00:00").output
    )
    closed = _run(mail_app, "close-cycle", "--now", "2026-12-15T01:00:00")
    assert "closed." in closed.output and "Summary: 1 closed." in closed.output
    assert (
        "Summary: 0 closed." in _run(mail_app, "close-cycle", "--now", "2026-12-16T00:00:00").output
    )
    session.expire_all()
    assert session.scalars(select(Cycle)).one().status == "closed"


def test_open_cycle_without_a_contract_opens_only_the_contracts_that_are_due(
    mail_app, session, contract
):
    early = _run(
        mail_app, "open-cycle", "--now", "2026-11-30T12:00:00"
    )  # before 1 Dec 09:00 Shanghai
    assert early.exit_code == 0 and session.scalar(select(func.count()).select_from(Cycle)) == 0
    due = _run(mail_app, "open-cycle", "--now", NOW)
    assert "2026-12: open; 3 invitations created" in due.output


def test_sending_fails_with_exit_code_1_when_the_server_is_down(database_url, session, contract):
    from ..conftest import make_app

    app = make_app(database_url, SMTP_PORT=1, SMTP_TIMEOUT=2)
    _run(app, "open-cycle", "--contract", contract.number, "--month", "2026-12", "--now", NOW)
    result = _run(app, "send-invitations", "--now", NOW)
    assert result.exit_code == 1 and "failed 2" in result.output


def test_a_closed_month_cannot_be_reopened(mail_app, contract):
    _run(mail_app, "open-cycle", "--contract", contract.number, "--month", "2026-12", "--now", NOW)
    _run(mail_app, "close-cycle", "--contract", contract.number, "--month", "2026-12", "--now", NOW)
    result = _run(
        mail_app, "open-cycle", "--contract", contract.number, "--month", "2026-12", "--now", NOW
    )
    assert result.exit_code == 1 and "is closed" in result.output


def test_rebuild_aggregates_restores_what_closing_stored(app, session):
    from surveyapp.demo import build_demo
    from surveyapp.extensions import db
    from surveyapp.models import AnswerCount, AnswerPairCount, MonthSummary

    with app.app_context():
        build_demo(db.session, seed=3, today=date(2026, 11, 25))

    def stored():
        session.expire_all()
        return {
            model.__tablename__: sorted(
                tuple(getattr(row, c.key) for c in model.__table__.columns if c.key != "built_at")
                for row in session.scalars(select(model))
            )
            for model in (AnswerCount, AnswerPairCount, MonthSummary)
        }

    before = stored()
    assert all(before.values())
    for model in (AnswerCount, AnswerPairCount, MonthSummary):
        session.execute(delete(model))
    session.commit()

    one = _run(app, "rebuild-aggregates", "--contract", "HX-2025-001", "--month", "2026-10")
    assert one.exit_code == 0 and "HX-2025-001 2026-10: rebuilt (1/1)." in one.output
    every = _run(app, "rebuild-aggregates")
    assert every.exit_code == 0 and "Summary: 36 months rebuilt." in every.output
    assert stored() == before
    none = _run(app, "rebuild-aggregates", "--month", "2030-01")
    assert none.exit_code != 0 and "no closed survey month matches" in none.output
