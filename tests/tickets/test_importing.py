"""Tickets from CSV: a report by line and column; nothing stored from a bad file unless asked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from surveyapp.models import Ticket
from surveyapp.tickets.importing import import_tickets

from ..factories import make_contract

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
HEADER = "external_id,kind,received_at,first_reply_at,resolved_at,channel\n"
GOOD = (
    "T-1,inquiry,2026-11-02T09:30:00+08:00,2026-11-02T10:00:00+08:00,,phone\n"
    "T-2,complaint,2026-11-03T09:30:00+08:00,,2026-11-04T09:30:00+08:00,online\n"
)
BAD = (
    "T-3,question,2026-11-02T09:30:00+08:00,,,phone\n"
    "T-4,inquiry,2026-11-02 09:30,,,phone\n"
    "T-5,inquiry,2026-11-02T09:30:00+08:00,2026-11-01T09:30:00+08:00,,phone\n"
    "T-1,inquiry,2026-11-02T09:30:00+08:00,,,phone\n"
)


@pytest.fixture
def contract(session):
    return make_contract(session, number="C-9")


def _run(session, contract, text: str, encoding: str = "utf-8", **kw):
    return import_tickets(session, contract, text.encode(encoding), now=NOW, **kw)


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Ticket))


def test_a_good_file_is_imported(session, contract):
    result = _run(session, contract, HEADER + GOOD)
    assert result.imported and (result.created, result.updated) == (2, 0)
    assert _count(session) == 2


def test_importing_the_same_file_twice_updates_and_never_duplicates(session, contract):
    _run(session, contract, HEADER + GOOD)
    again = _run(session, contract, HEADER + GOOD)
    assert (again.created, again.updated) == (0, 2)
    assert _count(session) == 2


def test_a_file_with_bad_rows_imports_nothing_and_reports_line_column_problem(session, contract):
    result = _run(session, contract, HEADER + GOOD + BAD)
    assert not result.imported and _count(session) == 0
    found = sorted((p.line, p.column) for p in result.report.problems)
    assert found == [
        (4, "kind"), (5, "received_at"), (6, "first_reply_at"), (7, "external_id"),
    ]  # fmt: skip
    assert all(p.problem for p in result.report.problems)


def test_skipping_bad_rows_imports_the_good_ones(session, contract):
    result = _run(session, contract, HEADER + GOOD + BAD, skip_bad_rows=True)
    assert result.imported and (result.created, result.skipped) == (2, 4)
    assert sorted(session.scalars(select(Ticket.external_id))) == ["T-1", "T-2"]


def test_chinese_headers_and_a_gb18030_file_work(session, contract):
    text = "工单号,类型,受理时间,首次回复时间\nT-1,咨询,2026-11-02T09:30:00+08:00,\n"
    result = _run(session, contract, text, encoding="gb18030")
    assert result.imported and result.created == 1
    assert session.scalar(select(Ticket.kind)) == "inquiry"


def test_a_missing_required_column_is_a_file_problem(session, contract):
    result = _run(session, contract, "external_id,kind\nT-1,inquiry\n")
    assert not result.imported and result.report.file_problem
    assert [(p.line, p.column) for p in result.report.problems] == [(1, "received_at")]
