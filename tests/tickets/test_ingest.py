"""upsert_tickets, the one step the API and the CSV import both use: rules and idempotence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from surveyapp.models import AuditEvent, Contract, Organization, Ticket
from surveyapp.tickets.ingest import parse_timestamp, upsert_tickets

from ..factories import make_contract, make_organization

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.fixture
def provider(session):
    provider = make_organization(session, "provider")
    make_contract(session, provider=provider, number="C-1", inquiry_hours=24)
    return provider


def row(**kw) -> dict:
    return {
        "contract": "C-1",
        "external_id": "T-1",
        "kind": "inquiry",
        "received_at": "2026-11-02T09:30:00+08:00",
    } | kw


def _problems(result) -> list[tuple[int, str | None]]:
    return [(r.index, p.field) for r in result.rows for p in r.problems]


def test_a_new_ticket_is_created_and_stored_in_utc(session, provider):
    result = upsert_tickets(session, provider, [row()], now=NOW)
    assert (result.created, result.updated, result.stored) == (1, 0, True)
    stored = session.scalar(select(Ticket))
    assert stored.received_at == datetime(2026, 11, 2, 1, 30, tzinfo=UTC)


def test_the_same_ticket_again_updates_the_stored_row(session, provider):
    upsert_tickets(session, provider, [row()], now=NOW)
    result = upsert_tickets(
        session, provider, [row(resolved_at="2026-11-02T12:00:00+08:00", kind="complaint")], now=NOW
    )
    assert (result.created, result.updated) == (0, 1)
    assert session.scalar(select(func.count()).select_from(Ticket)) == 1
    stored = session.scalar(select(Ticket))
    assert stored.kind == "complaint" and stored.resolved_at.hour == 4


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "question"}, "kind"),
        ({"kind": None}, "kind"),
        ({"received_at": "2026-11-02T09:30:00"}, "received_at"),
        ({"received_at": "yesterday"}, "received_at"),
        ({"received_at": 1730000000}, "received_at"),
        ({"received_at": "1999-12-31T23:00:00Z"}, "received_at"),
        ({"received_at": "2026-11-26T12:00:00Z"}, "received_at"),
        ({"received_at": "0001-01-01T00:00:00+01:00"}, "received_at"),
        ({"first_reply_at": "2026-11-02T09:00:00+08:00"}, "first_reply_at"),
        ({"resolved_at": "2026-11-02T01:29:00Z"}, "resolved_at"),
        ({"external_id": ""}, "external_id"),
        ({"external_id": "x" * 101}, "external_id"),
        ({"external_id": "a\x00b"}, "external_id"),
        ({"external_id": 7}, "external_id"),
        ({"channel": "c" * 33}, "channel"),
        ({"contract": "NOPE"}, "contract"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_each_rule_names_the_field_it_breaks(session, provider, values, field):
    result = upsert_tickets(session, provider, [row(**values)], now=NOW)
    assert _problems(result) == [(0, field)]
    assert session.scalar(select(func.count()).select_from(Ticket)) == 0


def test_chinese_kinds_and_a_z_offset_are_accepted(session, provider):
    result = upsert_tickets(
        session, provider, [row(kind="投诉", received_at="2026-11-02T01:30:00Z")], now=NOW
    )
    assert result.created == 1 and session.scalar(select(Ticket.kind)) == "complaint"


def test_a_ticket_of_another_providers_contract_is_refused(session, provider):
    other = make_organization(session, "provider")
    make_contract(session, provider=other, number="O-1")
    result = upsert_tickets(session, provider, [row(contract="O-1")], now=NOW)
    assert _problems(result) == [(0, "contract")]


def test_a_client_organization_records_no_tickets(session, provider):
    contract = session.scalar(select(Contract).where(Contract.number == "C-1"))
    client = session.get(Organization, contract.client_id)
    assert _problems(upsert_tickets(session, client, [row()], now=NOW)) == [(0, "contract")]


def test_good_rows_are_stored_unless_all_or_nothing(session, provider):
    rows = [row(external_id="A"), row(external_id="B", kind="x")]
    kept = upsert_tickets(session, provider, rows, all_or_nothing=True, now=NOW)
    assert kept.stored is False and [r.status for r in kept.rows] == ["valid", "error"]
    assert session.scalar(select(func.count()).select_from(Ticket)) == 0
    partial = upsert_tickets(session, provider, rows, now=NOW)
    assert partial.stored is True and [r.status for r in partial.rows] == ["created", "error"]


def test_the_same_ticket_twice_in_one_call_is_reported(session, provider):
    result = upsert_tickets(session, provider, [row(), row(kind="complaint")], now=NOW)
    assert _problems(result) == [(1, "external_id")]
    assert result.rows[0].status == "created"


def test_a_dry_run_stores_nothing(session, provider):
    result = upsert_tickets(session, provider, [row()], dry_run=True, now=NOW)
    assert result.stored is False and result.failed == 0
    assert session.scalar(select(func.count()).select_from(Ticket)) == 0


def test_each_stored_call_is_audited_with_its_counts(session, provider):
    upsert_tickets(session, provider, [row(), row(external_id="X", kind="x")], now=NOW)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "tickets.upserted"))
    assert event.details == {
        "source": "api", "contracts": ["C-1"], "created": 1, "updated": 0, "unchanged": 0,
        "failed": 1,
    }  # fmt: skip


def test_parse_timestamp_keeps_the_instant():
    moment = parse_timestamp("2026-11-02T09:30:00.5+08:00")
    assert moment == datetime(2026, 11, 2, 1, 30, 0, 500000, tzinfo=UTC)
    assert moment.tzinfo is UTC
    assert parse_timestamp(moment + timedelta(0)) == moment
