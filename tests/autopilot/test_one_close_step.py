"""One step after a month closes: the month page, ``close-cycle`` and the autopilot close three
identical contracts' months and store the same proposals, effects and reports."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from surveyapp.cycles import closing
from surveyapp.models import ActionItem, Contract, Cycle, Report

from ..conftest import require_tool
from ..factories import (
    make_customer,
    make_cycle,
    make_invitation,
    make_organization,
    make_response,
    make_survey_version,
    make_user,
)

BEFORE, MONTH = "2026-09", "2026-10"
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # both windows ended; November's never opened
SCHEDULE = dict(survey_open_day=1, survey_open_days=10, timezone="Asia/Shanghai")
ITEM_COLUMNS = (
    "month", "key", "rule", "clause_ref", "dimension", "title", "evidence", "remedy", "priority",
    "due_date", "status", "effect", "effect_evidence",
)  # fmt: skip
REPORT_COLUMNS = ("month", "locale", "version")


def _answers(session, cycle, customers, scores):
    for customer, score in zip(customers, scores, strict=True):
        invitation, _token = make_invitation(session, cycle, customer)
        make_response(session, invitation, {"RESP": score, "NPS": score * 2})
        invitation.responded_at = cycle.opens_at
    session.commit()


def _contract(session, number: str) -> tuple[Contract, Cycle]:
    """September low (an item is proposed, then done), October recovered and still open."""
    from ..factories import make_contract

    provider = make_organization(session, "provider")
    contract = make_contract(session, provider=provider, number=number, **SCHEDULE)
    version = make_survey_version(session, provider)
    contract.survey_id = version.survey_id
    make_user(session, "client_viewer", contract.client, locale="en")
    make_user(session, "provider_admin", provider, email=f"admin-{number.lower()}@co.example")
    customers = [make_customer(session, contract, ref=f"{number}-{i}") for i in range(8)]
    before = make_cycle(session, contract, version, month=BEFORE)
    _answers(session, before, customers, [2, 2, 3, 2, 1, 2, 3, 2])
    closing.close(session, before, now=NOW)
    closing.analyse(session, before, now=NOW)
    items = session.scalars(select(ActionItem).where(ActionItem.contract_id == contract.id)).all()
    assert items, "September's low scores propose an item"
    for item in items:
        item.status, item.closed_at = "done", NOW
    month = make_cycle(session, contract, version, month=MONTH)
    _answers(session, month, customers, [5, 4, 5, 5, 4, 5, 4, 5])
    return contract, month


def _text(report: Report, contract: Contract) -> str:
    """The PDF's text, with what names this contract's rows (number, title, parties, the ids
    in the inputs digest) made generic."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=report.content, capture_output=True, check=True
    ).stdout.decode("utf-8")
    # The digest of the analysis inputs names rows by id.
    parties = (contract.client.name, contract.provider.name)
    for own in (report.inputs_version[:16], contract.number, contract.title, *parties):
        text = text.replace(own, "<contract>")
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def _stored(session, contract_id: int) -> tuple[list[tuple], list[tuple]]:
    """Stored items and reports of a contract, without ids, times and the contract's names."""
    session.expire_all()
    contract = session.get(Contract, contract_id)
    items = session.scalars(
        select(ActionItem)
        .where(ActionItem.contract_id == contract_id)
        .order_by(ActionItem.month, ActionItem.key)
    ).all()
    reports = session.scalars(
        select(Report).where(Report.contract_id == contract_id).order_by(Report.locale)
    ).all()
    return (
        [tuple(getattr(i, c) for c in ITEM_COLUMNS) for i in items],
        [(*(getattr(r, c) for c in REPORT_COLUMNS), _text(r, contract)) for r in reports],
    )


@pytest.mark.usefixtures("charts")
def test_the_page_the_command_and_the_autopilot_store_the_same_after_closing(
    session, mail_app, tick, monkeypatch
):
    require_tool("pdftotext", "the reports are compared by their text")
    by_page, by_cli, by_autopilot = (
        _contract(session, number) for number in ("CL-PAGE", "CL-CLI", "CL-AUTO")
    )

    monkeypatch.setattr("surveyapp.cycles.views.utcnow", lambda: NOW)
    client = mail_app.test_client()
    client.post(
        "/sign-in", data={"email": "admin-cl-page@co.example", "password": "correct horse battery"}
    )
    page = client.post(f"/contracts/{by_page[0].id}/cycles/{MONTH}/close", follow_redirects=True)
    assert page.status_code == 200 and "已归档 2 份 PDF 报告" in page.text

    runner = mail_app.test_cli_runner()
    result = runner.invoke(
        args=["close-cycle", "--contract", "CL-CLI", "--month", MONTH, "--now", NOW.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert "reports built: zh_CN v1, en v1" in result.output

    summary = tick(NOW, contract_ids=[by_autopilot[0].id])
    assert summary.ok and [o.step for o in summary.outcomes][:4] == [
        "close", "analyse", "report", "notify",
    ]  # fmt: skip

    stored = [_stored(session, contract.id) for contract, _cycle in (by_page, by_cli, by_autopilot)]
    items, reports = stored[0]
    effect = ITEM_COLUMNS.index("effect")
    assert items and all(i[effect] is not None for i in items if i[0] == BEFORE)
    assert any(i[0] == MONTH for i in items) or all(i[0] == BEFORE for i in items)
    assert [r[1] for r in reports] == ["en", "zh_CN"]
    assert stored[1] == stored[0] and stored[2] == stored[0]
    for _party, cycle in (by_page, by_cli, by_autopilot):
        session.refresh(cycle)
        assert cycle.status == "closed"


def test_closing_again_adds_nothing(session, mail_app, charts):
    contract, cycle = _contract(session, "CL-TWICE")
    with mail_app.app_context():
        first = closing.close_month(session, cycle, now=NOW)
        again = closing.close_month(session, cycle, now=NOW)
    assert first.closed and first.effects and first.reports == ["zh_CN v1", "en v1"]
    assert (again.closed, again.proposals, again.effects, again.reports) == (False, 0, 0, [])


def test_without_chromium_the_month_closes_and_is_analysed_and_says_reports_wait(
    session, mail_app, monkeypatch
):
    from surveyapp.reports.pdf import ChartServer

    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    monkeypatch.setattr("surveyapp.reports.pdf.chart_server", lambda: ChartServer())
    contract, cycle = _contract(session, "CL-NOCHROME")
    with mail_app.app_context():
        outcome = closing.close_month(session, cycle, now=NOW)
    assert outcome.closed and outcome.effects == 1 and outcome.reports == []
    assert "BROWSER_PATH" in outcome.reports_missing
    session.expire_all()
    assert session.get(Cycle, cycle.id).status == "closed"
    assert session.scalar(select(Report.id).where(Report.contract_id == contract.id)) is None
