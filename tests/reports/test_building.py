"""build_monthly_report without HTTP: versions, inputs version, audit, closed cycles only,
stored action items, suppression of small groups."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from analysis import monthly_analysis
from surveyapp.cycles.aggregates import store_month_aggregates
from surveyapp.models import ActionItem, AuditEvent, Report
from surveyapp.reports import content
from surveyapp.reports.building import CycleNotClosed, build_monthly_report

from ..factories import (
    make_contract,
    make_cycle,
    make_invitation,
    make_response,
    make_survey_version,
    make_ticket,
)
from .conftest import NOW, pdf_text

MONTH = "2026-10"


def small_month(session, answers: int = 3, status: str = "closed"):
    """A contract with one closed month of ``answers`` responses (fewer than 5 by default)."""
    contract = make_contract(session)
    version = make_survey_version(session, contract.provider)
    cycle = make_cycle(session, contract, version, month=MONTH, status=status)
    for _ in range(answers):
        invitation, _token = make_invitation(session, cycle)
        make_response(session, invitation, {"RESP": 2, "NPS": 3})
    store_month_aggregates(session, contract.id, MONTH)
    make_ticket(session, contract, external_id="TK-LATE-1", kind="inquiry",
                received_at=datetime(2026, 10, 5, 1, tzinfo=UTC),
                first_reply_at=datetime(2026, 10, 7, 1, tzinfo=UTC))  # fmt: skip
    session.commit()
    return contract, cycle


def _build(app, session, cycle, **kw):
    with app.app_context():
        return build_monthly_report(session, cycle, now=NOW, **kw)


def test_a_rebuild_adds_a_version_and_keeps_the_first(app, session, charts):
    _contract, cycle = small_month(session)
    first = _build(app, session, cycle)
    second = _build(app, session, cycle)
    assert (first.version, second.version) == (1, 2)
    stored = session.scalars(select(Report).where(Report.cycle_id == cycle.id)).all()
    assert [r.version for r in stored] == [1, 2]
    for report in stored:
        assert hashlib.sha256(report.content).hexdigest() == report.sha256
    assert first.inputs_version == second.inputs_version
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.build")).all()
    assert [e.details["version"] for e in events] == [1, 2]


def test_the_inputs_version_changes_when_a_late_ticket_arrives(app, session, charts):
    contract, cycle = small_month(session)
    before = _build(app, session, cycle)
    make_ticket(
        session, contract, external_id="TK-LATE-2", received_at=datetime(2026, 10, 9, tzinfo=UTC)
    )
    after = _build(app, session, cycle)
    assert before.inputs_version != after.inputs_version


def test_an_open_cycle_gets_no_report(app, session):
    _contract, cycle = small_month(session, status="open")
    with pytest.raises(CycleNotClosed):
        _build(app, session, cycle)
    assert session.scalar(select(Report.id)) is None


def test_groups_under_five_answers_are_suppressed_in_the_pdf(app, session, charts, tmp_path):
    _contract, cycle = small_month(session, answers=3)
    report = _build(app, session, cycle, locale="en")
    path = tmp_path / "small.pdf"
    path.write_bytes(report.content)
    text = pdf_text(path)
    assert "Fewer than 5 answers" in text
    assert "2.00" not in text  # the three answers' mean (all 2) is not shown
    assert "TK-LATE-1" in text  # the breach is listed by ticket id


def test_the_dimension_table_keeps_the_numbers_of_groups_of_five(app, session):
    contract, _cycle = small_month(session, answers=5)
    with app.app_context(), session.connection() as conn, force_locale("en"):
        analysis = monthly_analysis(conn, contract.id, MONTH, now=NOW)
        rows = content.dimension_rows(analysis, {})
    assert [(r.dimension, r.suppressed, r.mean) for r in rows] == [
        ("responsiveness", False, "2.00")
    ]


def test_stored_action_items_are_shown_new_open_and_closed_with_effect(
    app, session, charts, tmp_path
):
    contract, cycle = small_month(session)
    items = [
        ActionItem(contract_id=contract.id, month=MONTH, key="below_target:responsiveness",
                   rule="below_target", clause_ref="一(1)", title="New finding of October",
                   remedy="r", status="open"),
        ActionItem(contract_id=contract.id, month="2026-08", key="sla_breach:inquiry",
                   rule="sla_breach", clause_ref="五", title="Still open from August",
                   remedy="r", status="in_progress"),
        ActionItem(contract_id=contract.id, month="2026-09", key="below_target:courtesy",
                   rule="below_target", clause_ref="二", title="Closed in October", remedy="r",
                   status="done", closed_at=datetime(2026, 10, 20, tzinfo=UTC), effect="improved"),
        ActionItem(contract_id=contract.id, month="2026-07", key="below_target:overall",
                   rule="below_target", clause_ref="一(3)", title="Closed long ago", remedy="r",
                   status="done", closed_at=datetime(2026, 7, 20, tzinfo=UTC), effect="worse"),
    ]  # fmt: skip
    session.add_all(items)
    session.commit()
    report = _build(app, session, cycle, locale="en")
    path = tmp_path / "items.pdf"
    path.write_bytes(report.content)
    text = pdf_text(path)
    assert "New finding of October" in text and "Still open from August" in text
    assert "Closed in October" in text and "Improved" in text
    assert "Closed long ago" not in text
    assert "these are the analysis' proposals" not in text
