"""The audit-log page names each event's record in the reader's language: a contract by its
number (looked up once for the whole page), another record by its kind and id; detail keys
show as labels where one is known."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from surveyapp import audit
from surveyapp.labels import SUBJECT_LABELS
from surveyapp.models import AuditEvent, Base

from ..factories import make_contract, make_cycle, make_organization, make_user
from .test_audit_log_labels import _AuditPage


@pytest.fixture
def admin(session):
    return make_user(session, "provider_admin", make_organization(session, "provider"))


def _record(session, admin, action: str = "export", **kw) -> AuditEvent:
    return audit.record(session, action, actor=admin, organization_id=admin.organization_id, **kw)


def _page(sign_in, session, admin) -> _AuditPage:
    session.commit()
    return _AuditPage(sign_in(admin).get("/audit/?actor=" + admin.email).text)


@contextmanager
def _counted_queries(session) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_contract_shows_its_number_in_chinese_not_the_model_name(sign_in, session, admin):
    contract = make_contract(session, provider=admin.organization, number="HX-2025-001")
    _record(session, admin, subject=contract)
    records = _page(sign_in, session, admin).records
    assert "合同 HX-2025-001" in records
    assert not [r for r in records if "Contract" in r]


def test_an_english_reader_sees_contract_and_its_number(sign_in, session, admin):
    admin.locale = "en"
    contract = make_contract(session, provider=admin.organization, number="HX-2025-001")
    _record(session, admin, subject=contract)
    assert "Contract HX-2025-001" in _page(sign_in, session, admin).records


def test_other_records_show_a_translated_kind_and_their_id(sign_in, session, admin):
    cycle = make_cycle(session, make_contract(session, provider=admin.organization))
    _record(session, admin, "cycle.closed", subject=cycle)
    _record(session, admin, "report.ready_mailed", subject=admin)
    records = _page(sign_in, session, admin).records
    assert {f"调查月份 #{cycle.id}", f"用户 #{admin.id}"} <= set(records)
    assert not [r for r in records if "Cycle" in r or "User" in r]


def test_another_providers_contract_shows_only_kind_and_id(sign_in, session, admin):
    foreign = make_contract(session, number="SECRET-9")
    _record(session, admin, subject=foreign)
    records = _page(sign_in, session, admin).records
    assert f"合同 #{foreign.id}" in records
    assert not [r for r in records if "SECRET-9" in r]


def test_an_unknown_record_type_shows_its_stored_type_and_id(sign_in, session, admin):
    stored = _record(session, admin)
    stored.subject_type, stored.subject_id = "Invoice", 7
    assert "Invoice #7" in _page(sign_in, session, admin).records


def test_detail_keys_show_labels_and_unknown_keys_as_is(sign_in, session, admin):
    _record(session, admin, details={"month": "2026-10", "rows": 12, "sha256": "ab12"})
    assert "月份: 2026-10; 行数: 12; sha256: ab12" in _page(sign_in, session, admin).details


def test_every_subject_label_names_a_model():
    models = {mapper.class_.__name__ for mapper in Base.registry.mappers}
    assert set(SUBJECT_LABELS) - models == set()


def test_the_page_does_not_query_once_per_row(sign_in, session, admin):
    contracts = [
        make_contract(session, provider=admin.organization, number=f"HX-2025-00{n}")
        for n in (1, 2, 3)
    ]
    for contract in contracts:
        _record(session, admin, subject=contract)
    session.commit()
    client = sign_in(admin)
    with _counted_queries(session) as few:
        assert client.get("/audit/").status_code == 200
    for n in range(17):
        _record(session, admin, subject=contracts[n % 3])
    session.commit()
    with _counted_queries(session) as many:
        page = _AuditPage(client.get("/audit/").text)
    assert len([r for r in page.records if r.startswith("合同 HX-2025-00")]) == 20
    assert len(many) == len(few), many


def test_changes_and_lists_in_details_read_as_text(sign_in, session, admin):
    _record(
        session,
        admin,
        details={"status": {"from": "open", "to": "done"}, "months": ["2025-10", "2025-11"]},
    )
    details = _page(sign_in, session, admin).details
    assert "状态: open → done; 月份: 2025-10, 2025-11" in details


def test_a_case_update_lists_each_changed_field(sign_in, session, admin):
    """followup/cases.update_case records {"changes": {field: {"from", "to"}}}: each field
    reads as "field: from → to", not as a raw mapping."""
    _record(
        session,
        admin,
        action="case.update",
        details={"changes": {"status": {"from": "open", "to": "done"}, "note": {"from": "",
                                                                              "to": "called"}}},
    )  # fmt: skip
    details = _page(sign_in, session, admin).details
    assert "变化: 状态: open → done; 备注:  → called" in details
