"""PUT /contracts/{id}/customers: the client's CRM syncs its customer list by reference, with
the CSV import's checks and writer; all or nothing, idempotent, tenant-scoped."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveyapp.models import AuditEvent, Customer

from .conftest import assert_error

PEOPLE = [
    {"ref": "C-001", "name": "王伟", "email": "wang@example.com", "mobile": "+86 138 0000 0001"},
    {"ref": "C-002", "email": "li@example.com", "language": "en", "active": False},
]


def _put(api, world, customers, token=None, contract=None):
    contract_id = (contract or world.a).id
    return api(
        "PUT",
        f"/contracts/{contract_id}/customers",
        token or world.client_token,
        json={"customers": customers},
    )


def _count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Customer))


def test_a_client_syncs_its_customers_encrypted_and_a_second_identical_put_changes_nothing(
    api, world, session
):
    first = _put(api, world, PEOPLE)
    assert first.status_code == 200, first.text
    assert first.get_json()["summary"] == {
        "created": 2, "updated": 0, "unchanged": 0, "failed": 0, "stored": True,
    }  # fmt: skip
    stored = session.scalar(select(Customer).where(Customer.ref == "C-001"))
    assert stored.email_enc and "wang@example.com" not in stored.email_enc
    assert stored.reveal_contact().email == "wang@example.com"
    other = session.scalar(select(Customer).where(Customer.ref == "C-002"))
    assert (other.language, other.active) == ("en", False)

    again = _put(api, world, PEOPLE)
    assert again.status_code == 200
    assert [r["status"] for r in again.get_json()["results"]] == ["unchanged", "unchanged"]
    assert again.get_json()["summary"]["unchanged"] == 2
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "customers.imported"))
    assert [e.details["created"] for e in events] == [2]  # the no-op wrote no event
    assert "wang@example.com" not in first.text + again.text


def test_a_changed_customer_is_updated_and_others_are_left_alone(api, world, session):
    _put(api, world, PEOPLE)
    changed = _put(api, world, [{**PEOPLE[0], "name": "王伟强"}], token=world.provider_token)
    assert [r["status"] for r in changed.get_json()["results"]] == ["updated"]
    assert _count(session) == 2
    stored = session.scalar(select(Customer).where(Customer.ref == "C-001"))
    assert stored.reveal_contact().name == "王伟强"


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"ref": "C-9", "email": "not-an-email"}, "email"),
        ({"ref": "C-9", "mobile": "call me"}, "mobile"),
        ({"ref": "C-9", "language": "fr"}, "language"),
        ({"ref": "C-9", "active": "yes"}, "active"),
        ({"ref": ""}, "ref"),
        ({"name": "no ref"}, "ref"),
        ({"ref": "C-9", "phone": "1"}, "phone"),
        ({"ref": "C-001", "email": "other@example.com"}, "ref"),  # the same ref twice
        ({"ref": "C-9", "email": "wang@example.com"}, "email"),  # another customer's e-mail
    ],
)
def test_bad_customers_are_a_422_naming_field_and_index_and_nothing_is_stored(
    api, world, session, bad, field
):
    error = assert_error(_put(api, world, [PEOPLE[0], bad]), 422)
    assert [(e["index"], e["field"]) for e in error["errors"]] == [(1, field)]
    assert _count(session) == 0


@pytest.mark.parametrize("body", [{"customers": []}, {"customers": "x"}, {"people": []}, [1]])
def test_a_malformed_body_is_a_422(api, world, body):
    path = f"/contracts/{world.a.id}/customers"
    assert_error(api("PUT", path, world.client_token, json=body), 422)


@pytest.mark.parametrize(
    ("token", "contract"),
    [("other_token", "a"), ("client_token", "b"), ("client_token", "foreign")],
)
def test_another_providers_or_clients_token_gets_404(api, world, session, token, contract):
    response = _put(api, world, PEOPLE, getattr(world, token), getattr(world, contract))
    assert_error(response, 404, "not_found")
    assert _count(session) == 0
