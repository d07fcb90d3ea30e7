"""Closing a cycle and archiving a report write their webhook events in the same transaction."""

from datetime import timedelta

from sqlalchemy import select

from surveyapp.cycles.lifecycle import close_cycle
from surveyapp.models import OutboxEvent, Report

from ..factories import make_contract, make_cycle
from .conftest import make_endpoint


def test_closing_a_cycle_enqueues_cycle_closed_once(app, session):
    contract = make_contract(session)
    cycle = make_cycle(session, contract)
    make_endpoint(session, contract.provider_id, "https://hooks.example.com/in")
    close_cycle(session, cycle, now=cycle.closes_at)
    close_cycle(session, cycle, now=cycle.closes_at + timedelta(hours=1))
    events = session.scalars(select(OutboxEvent)).all()
    assert [(e.type, e.payload["cycle_id"]) for e in events] == [("cycle.closed", cycle.id)]


def test_an_archived_report_enqueues_report_ready(app, session):
    contract = make_contract(session)
    cycle = make_cycle(session, contract, status="closed")
    make_endpoint(session, contract.provider_id, "https://hooks.example.com/in", "report.ready")
    report = Report(cycle_id=cycle.id, contract_id=contract.id, month=cycle.month, version=1,
                    sha256="0" * 64, size_bytes=1, inputs_version="x", content=b"%PDF")  # fmt: skip
    session.add(report)
    session.commit()
    [event] = session.scalars(select(OutboxEvent)).all()
    assert event.type == "report.ready" and event.payload["month"] == cycle.month


def test_a_rolled_back_close_leaves_no_event(app, session):
    contract = make_contract(session)
    cycle = make_cycle(session, contract)
    make_endpoint(session, contract.provider_id, "https://hooks.example.com/in")
    cycle.status = "closed"
    session.flush()
    session.rollback()
    assert session.scalars(select(OutboxEvent)).all() == []
