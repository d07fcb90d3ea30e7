"""GET /api/v1/contracts/{id}/breaches?month= for the provider's and the client's tokens."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from surveyapp.api_tokens.service import create_token
from surveyapp.breaches.register import derive_month, record_payment
from surveyapp.breaches.terms import apply_preset

from ..factories import make_contract, make_organization, make_ticket, make_user


def _world(session):
    provider = make_organization(session, "provider")
    contract = make_contract(session, provider=provider, monthly_fee="10000.00")
    other = make_contract(session, provider=provider)
    admin = make_user(session, "provider_admin", provider)
    apply_preset(session, contract, "standard", admin)
    received = datetime(2026, 10, 5, 2, tzinfo=UTC)
    make_ticket(session, contract, external_id="LATE-9", received_at=received,
                first_reply_at=received + timedelta(hours=30))  # fmt: skip
    record_payment(session, contract, "2026-10", date(2026, 10, 14), "10000.00", admin)
    derive_month(session, contract, "2026-10", datetime(2026, 11, 5, tzinfo=UTC), admin)
    return contract, other, provider


def _get(client, secret, url):
    return client.get(url, headers={"Authorization": f"Bearer {secret}"})


def test_both_parties_tokens_read_the_statement_and_no_one_elses(client, session):
    contract, other, provider = _world(session)
    provider_secret = create_token(session, provider, "provider")[1]
    client_secret = create_token(session, contract.client, "client")[1]
    other_client_secret = create_token(session, other.client, "other")[1]
    url = f"/api/v1/contracts/{contract.id}/breaches?month=2026-10"
    for secret in (provider_secret, client_secret):
        body = _get(client, secret, url).get_json()["data"]
        assert body["month"] == "2026-10"
        assert body["payment"] == {"fee": "10000.00", "due_on": "2026-10-13",
                                   "paid": "10000.00", "state": "paid_late"}  # fmt: skip
        # standard preset: 0.05 % a day of 10 000.00 for 1 day; the late inquiry tolerated
        assert body["client_total"] == "5.00"
        entry = next(e for e in body["entries"] if e["kind"] == "inquiry_late")
        assert entry["evidence"]["ticket"] == "LATE-9" and entry["within_tolerance"] is True
        assert "received_at" not in entry["evidence"]
    assert _get(client, other_client_secret, url).status_code == 404
    assert _get(client, provider_secret, url.split("?")[0]).status_code == 400
    for month in ("0000-01", "9999-12"):  # years no calendar knows: due date unknown, no 500
        odd = _get(client, provider_secret, url.replace("2026-10", month))
        assert odd.get_json()["data"]["payment"]["state"] == "unknown_calendar"


def test_the_statement_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/contracts/{contract_id}/breaches"]["get"]
    assert operation["operationId"] == "list_breaches"
    assert "BreachStatement" in document["components"]["schemas"]
