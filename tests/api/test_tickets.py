"""Pushing tickets: one or a batch, idempotent by external id, bad items reported by index."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from surveyapp.models import Ticket

from .conftest import assert_error, past, rfc3339, ticket


def _count(session, **where) -> int:
    statement = select(func.count()).select_from(Ticket)
    for name, value in where.items():
        statement = statement.where(getattr(Ticket, name) == value)
    return session.scalar(statement)


def test_one_ticket_is_created_with_201(api, world, session):
    response = api("POST", "/tickets", world.provider_token, json=ticket())
    assert response.status_code == 201, response.text
    assert response.get_json()["status"] == "created"
    data = response.get_json()["data"]
    assert data["contract_number"] == "A-1" and data["contract_id"] == world.a.id
    assert data["external_id"] == "T-1" and data["kind"] == "inquiry"
    assert _count(session, contract_id=world.a.id) == 1


def test_resending_a_ticket_updates_it_and_never_duplicates(api, world, session):
    first = api("POST", "/tickets", world.provider_token, json=ticket()).get_json()["data"]
    resolved = (past() + timedelta(hours=5)).isoformat()
    again = api("POST", "/tickets", world.provider_token, json=ticket(resolved_at=resolved))
    assert again.status_code == 200
    assert again.get_json()["data"]["id"] == first["id"]
    assert _count(session) == 1
    stored = session.scalar(select(Ticket))
    assert stored.resolved_at.isoformat() == resolved


def test_the_same_external_id_in_two_contracts_is_two_tickets(api, world, session):
    api("POST", "/tickets", world.provider_token, json=ticket(contract="A-1"))
    api("POST", "/tickets", world.provider_token, json=ticket(contract="B-1"))
    assert _count(session, external_id="T-1") == 2


def test_a_bad_single_ticket_is_a_422_naming_each_field(api, world, session):
    body = ticket(kind="question", received_at="2026-11-02 09:30", first_reply_at="soon")
    error = assert_error(api("POST", "/tickets", world.provider_token, json=body), 422)
    fields = {e["field"] for e in error["errors"]}
    assert fields == {"kind", "received_at", "first_reply_at"}
    assert _count(session) == 0


def test_a_batch_stores_the_good_tickets_and_reports_the_bad_by_index(api, world, session):
    received = past()
    batch = [
        ticket(external_id="G-1"),
        ticket(external_id="B-1", first_reply_at=rfc3339(received - timedelta(hours=1))),
        ticket(external_id="G-2", kind="complaint"),
        ticket(external_id="B-2", contract="F-1"),
        {k: v for k, v in ticket(external_id="B-3").items() if k != "kind"},  # new: kind needed
        ticket(external_id="G-1"),
    ]
    response = api("POST", "/tickets", world.provider_token, json={"tickets": batch})
    assert response.status_code == 207, response.text
    body = response.get_json()
    assert body["summary"] == {
        "created": 2, "updated": 0, "unchanged": 0, "failed": 4, "stored": True,
    }  # fmt: skip
    statuses = [(r["index"], r["status"]) for r in body["results"]]
    assert statuses == [
        (0, "created"), (1, "error"), (2, "created"), (3, "error"), (4, "error"), (5, "error"),
    ]  # fmt: skip
    problems = {r["index"]: [e["field"] for e in r["errors"]] for r in body["results"]}
    assert problems[1] == ["first_reply_at"] and problems[3] == ["contract_number"]
    assert problems[4] == ["kind"] and problems[5] == ["external_id"]
    assert body["results"][3]["errors"][0]["index"] == 3
    assert sorted(session.scalars(select(Ticket.external_id))) == ["G-1", "G-2"]


@pytest.mark.parametrize(
    "bad", ["not an object", {"external_id": "X"}, {**ticket(), "kind": "question"},
            {**ticket(), "recieved_at": "x"}, {**ticket(), "received_at": "2026-11-02 09:30"}],
)  # fmt: skip
def test_a_batch_item_of_the_wrong_shape_stores_nothing(api, world, session, bad):
    batch = {"tickets": [ticket(external_id="G-1"), bad]}
    error = assert_error(api("POST", "/tickets", world.provider_token, json=batch), 422)
    assert {e["index"] for e in error["errors"]} == {1}
    assert _count(session) == 0


def test_a_fully_good_batch_answers_200_and_a_resend_changes_nothing(api, world, session):
    batch = {"tickets": [ticket(external_id=f"K-{n}") for n in range(3)]}
    first = api("POST", "/tickets", world.provider_token, json=batch)
    again = api("POST", "/tickets", world.provider_token, json=batch)
    assert first.status_code == again.status_code == 200
    assert first.get_json()["summary"]["created"] == 3
    assert again.get_json()["summary"] == {
        "created": 0, "updated": 0, "unchanged": 3, "failed": 0, "stored": True,
    }  # fmt: skip
    assert _count(session) == 3


def test_an_atomic_batch_with_a_bad_ticket_stores_nothing(api, world, session):
    late = rfc3339(past(days=11))
    batch = {"tickets": [ticket(external_id="G-1"), ticket(external_id="X", first_reply_at=late)]}
    error = assert_error(api("POST", "/tickets?atomic=true", world.provider_token, json=batch), 422)
    assert [(e["index"], e["field"]) for e in error["errors"]] == [(1, "first_reply_at")]
    assert _count(session) == 0


@pytest.mark.parametrize(
    "body",
    [{"tickets": []}, {"tickets": "x"}, {"tickets": [{}], "extra": 1}, [ticket()], "text", 5],
)
def test_a_malformed_batch_is_a_422(api, world, body):
    assert_error(api("POST", "/tickets", world.provider_token, json=body), 422)


def test_a_batch_has_at_most_500_tickets(api, world, session):
    body = {"tickets": [ticket(external_id=f"N-{n}") for n in range(501)]}
    assert_error(api("POST", "/tickets", world.provider_token, json=body), 422)
    assert _count(session) == 0


def test_a_client_token_cannot_push_tickets(api, world, session):
    assert_error(api("POST", "/tickets", world.client_token, json=ticket()), 403, "forbidden")
    assert _count(session) == 0


def test_another_providers_contract_number_is_refused(api, world, session):
    error = assert_error(api("POST", "/tickets", world.other_token, json=ticket()), 422)
    assert error["errors"][0]["field"] == "contract_number"
    assert _count(session) == 0


def test_unknown_fields_are_refused(api, world):
    error = assert_error(
        api("POST", "/tickets", world.provider_token, json=ticket(recieved_at="typo")), 422
    )
    assert error["errors"] == [
        {"field": "recieved_at", "problem": "Unknown field.", "location": "body", "index": None}
    ]


def test_a_contracts_tickets_are_listed_in_the_order_stored_and_paged(api, world):
    batch = [
        ticket(external_id=f"L-{n}", received_at=rfc3339(past(days=n)), first_reply_at=None)
        for n in (1, 3, 2)
    ]
    assert api("POST", "/tickets", world.provider_token, json={"tickets": batch}).status_code == 200
    body = api("GET", f"/contracts/{world.a.id}/tickets?limit=2", world.client_token).get_json()
    assert [t["external_id"] for t in body["data"]] == ["L-1", "L-3"]
    rest = api("GET", body["next"].removeprefix("/api/v1"), world.client_token).get_json()
    assert [t["external_id"] for t in rest["data"]] == ["L-2"] and rest["next"] is None
