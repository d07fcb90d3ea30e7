"""The ledger's pages: the provider administrator's steps, the client's review of its own
contracts only, and the lock after settlement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from surveyapp.models import AuditEvent, BreachEntry, BreachKind

from ..factories import make_contract, make_organization, make_ticket, make_user

MONTH = "2026-10"


@pytest.fixture
def world(session):
    provider = make_organization(session, "provider")
    contract = make_contract(session, provider=provider, monthly_fee="10000.00")
    other = make_contract(session, provider=provider, monthly_fee="10000.00")
    received = datetime(2026, 10, 5, 2, tzinfo=UTC)
    make_ticket(session, contract, external_id="LATE-1", received_at=received,
                first_reply_at=received + timedelta(hours=30))  # fmt: skip
    make_ticket(session, other, external_id="OTHER-1", received_at=received,
                first_reply_at=received + timedelta(hours=30))  # fmt: skip
    return {
        "contract": contract,
        "other": other,
        "admin": make_user(session, "provider_admin", provider),
        "analyst": make_user(session, "provider_analyst", provider),
        "client": make_user(session, "client_viewer", contract.client),
    }


def _url(contract, tail=""):
    return f"/contracts/{contract.id}/breaches/{MONTH}{tail}"


def _derive(client, sign_in, world):
    sign_in(world["admin"])
    client.post(f"/contracts/{world['contract'].id}/breaches/terms", data={"preset": "strict"})
    client.post(_url(world["contract"], "/derive"))
    client.post(_url(world["other"], "/derive"))
    client.post("/sign-out")


def test_admin_applies_a_preset_and_derives_the_month(client, sign_in, session, world):
    _derive(client, sign_in, world)
    entries = session.query(BreachEntry).filter_by(contract_id=world["contract"].id).all()
    late = next(e for e in entries if e.key == "ticket:LATE-1")
    assert late.kind == BreachKind.INQUIRY_LATE and str(late.amount) == "300.00"
    sign_in(world["analyst"])
    page = client.get(_url(world["contract"])).text
    assert "LATE-1" in page and "OTHER-1" not in page
    assert "¥300.00" in page


def test_client_acknowledges_and_disputes_only_its_own_contracts_entries(
    client, sign_in, session, world
):
    _derive(client, sign_in, world)
    own = session.query(BreachEntry).filter_by(contract_id=world["contract"].id).first()
    foreign = session.query(BreachEntry).filter_by(contract_id=world["other"].id).first()
    sign_in(world["client"])
    assert client.get(_url(world["other"])).status_code == 404
    assert client.get(f"/contracts/{world['other'].id}/breaches/").status_code == 404
    refused = client.post(
        _url(world["other"], f"/entries/{foreign.id}/respond"),
        data={"action": "acknowledge"},
    )
    assert refused.status_code == 404
    # the other contract's entry through this contract's URL is no way round
    assert (
        client.post(
            _url(world["contract"], f"/entries/{foreign.id}/respond"),
            data={"action": "acknowledge"},
        ).status_code
        == 404
    )
    session.refresh(foreign)
    assert foreign.status == "open"
    client.post(_url(world["contract"], f"/entries/{own.id}/respond"),
                data={"action": "dispute", "body": "Reply sent by phone in time."})  # fmt: skip
    session.refresh(own)
    assert own.status == "disputed"
    assert client.post(_url(world["contract"], "/settle")).status_code == 403


def test_a_settled_month_refuses_every_change_but_a_correction(client, sign_in, session, world):
    _derive(client, sign_in, world)
    contract = world["contract"]
    sign_in(world["client"])
    for entry in session.query(BreachEntry).filter_by(contract_id=contract.id):
        client.post(_url(contract, f"/entries/{entry.id}/respond"), data={"action": "acknowledge"})
    client.post("/sign-out")
    sign_in(world["admin"])
    client.post(_url(contract, "/settle"))
    entry = session.query(BreachEntry).filter_by(key="ticket:LATE-1").one()
    session.refresh(entry)
    assert entry.status == "settled"
    notes = len(entry.notes)
    for action in ("waive", "answer"):
        client.post(
            _url(contract, f"/entries/{entry.id}/respond"),
            data={"action": action, "body": "After all"},
        )
    session.expire_all()
    assert entry.status == "settled" and len(entry.notes) == notes
    client.post(_url(contract, f"/entries/{entry.id}/correct"),
                data={"amount": "-300.00", "reason": "Agreed in talks."})  # fmt: skip
    correction = session.query(BreachEntry).filter_by(corrects_id=entry.id).one()
    assert correction.source == "correction" and str(correction.amount) == "-300.00"
    page = client.get(_url(contract)).text
    assert "data-settled" in page and f"#{correction.id}" in page
    actions = {a for (a,) in session.query(AuditEvent.action)}
    assert {"breach_month.settled", "breach_entry.corrected", "breach_entry.acknowledge",
            "breach_terms.update", "breach_register.derived"} <= actions  # fmt: skip


def test_statement_pdf_is_a_pdf_and_its_download_is_audited(client, sign_in, session, world):
    _derive(client, sign_in, world)
    sign_in(world["client"])
    response = client.get(_url(world["contract"], "/statement.pdf"))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert session.query(AuditEvent).filter_by(action="breach_statement.download").count() == 1


def test_portfolio_shows_breach_exposure_against_the_fee(client, sign_in, world):
    _derive(client, sign_in, world)
    sign_in(world["analyst"])
    page = client.get("/dashboard/").text
    # strict preset: a late inquiry 300.00 + the missing survey 10 % of 10 000.00
    assert "data-exposure" in page and "¥1,300.00" in page and "13.0%" in page


def test_the_portal_leads_the_client_to_its_register(client, sign_in, world):
    sign_in(world["client"])
    page = client.get(f"/portal/contracts/{world['contract'].id}").text
    assert f"/contracts/{world['contract'].id}/breaches/" in page


def test_the_derive_command_is_safe_to_run_twice(runner, session, world):
    first = runner.invoke(args=["breaches", "derive", "--month", MONTH])
    assert first.exit_code == 0, first.output
    assert f"{world['contract'].number} {MONTH}: 3 new" in first.output
    again = runner.invoke(args=["breaches", "derive", "--month", MONTH])
    assert f"{world['contract'].number} {MONTH}: 0 new, 0 updated" in again.output


def test_a_year_without_calendar_data_is_a_clear_message_not_an_error_page(client, sign_in, world):
    sign_in(world["admin"])
    page = client.post(
        f"/contracts/{world['contract'].id}/breaches/2031-01/derive", follow_redirects=True
    ).text
    assert "chinese-calendar" in page and "2031" in page


def test_terms_refuse_a_tolerance_given_both_ways(client, sign_in, session, world):
    sign_in(world["admin"])
    page = client.post(
        f"/contracts/{world['contract'].id}/breaches/terms",
        data={"inquiry_late.tolerance_count": "2", "inquiry_late.tolerance_percent": "5"},
    )
    assert page.status_code == 200 and 'aria-invalid="true"' in page.text
    from surveyapp.models import BreachTerm

    assert session.query(BreachTerm).count() == 0


def test_a_recorded_breach_needs_who_when_and_what(client, sign_in, session, world):
    sign_in(world["admin"])
    url = _url(world["contract"], "/entries")
    client.post(url, data={"kind": "confidentiality", "responsible": "", "description": "x"})
    assert session.query(BreachEntry).count() == 0
    client.post(url, data={"kind": "service_not_delivered", "responsible": "Team A",
                           "occurred_on": "2026-10-12", "description": "No weekend line.",
                           "evidence": "Roster R-12"})  # fmt: skip
    entry = session.query(BreachEntry).one()
    assert entry.clause_ref == "二" and entry.responsible == "Team A"


def test_an_analyst_reads_the_register_but_takes_no_step(client, sign_in, session, world):
    _derive(client, sign_in, world)
    entry = session.query(BreachEntry).filter_by(contract_id=world["contract"].id).first()
    sign_in(world["analyst"])
    assert client.get(_url(world["contract"])).status_code == 200
    response = client.post(
        _url(world["contract"], f"/entries/{entry.id}/respond"),
        data={"action": "waive", "body": "x"},
    )
    assert response.status_code == 403
    assert client.post(_url(world["contract"], "/settle")).status_code == 403
