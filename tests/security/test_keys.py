"""``rotate-data-key``: every keyring ciphertext re-encrypted under the new key."""

from __future__ import annotations

import base64
import os

import pytest
from sqlalchemy import select

from surveyapp.config import DEV_DATA_KEY
from surveyapp.models import AuditEvent, Customer, WebhookEndpoint
from surveyapp.models.types import DataKeyError, keyring, parse_data_keys

from ..conftest import make_app
from ..factories import make_contract, make_customer, make_organization


@pytest.fixture(autouse=True)
def development_key_afterwards():
    """These tests switch the process key ring; leave it as the other tests expect it."""
    yield
    keyring.configure(parse_data_keys(DEV_DATA_KEY))


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture
def old_and_new(database_url, session):
    """Customers and a webhook secret written under OLD; an app configured with "NEW,OLD"."""
    old, new = new_key(), new_key()
    make_app(database_url, DATA_KEY=old)  # configures the process key ring with OLD
    contract = make_contract(session)
    customers = [make_customer(session, contract) for _ in range(7)]
    plain = {c.id: c.reveal_contact() for c in customers}
    endpoint = WebhookEndpoint(
        organization_id=make_organization(session, "provider").id,
        url="https://hooks.example/x",
        events="case.opened",
    )
    endpoint.set_secret("whsec-do-not-leak")
    session.add(endpoint)
    session.commit()
    app = make_app(database_url, DATA_KEY=f"{new},{old}")
    return app, old, new, plain


def test_rotation_reencrypts_everything_so_the_old_key_alone_opens_nothing(old_and_new, session):
    app, old, new, plain = old_and_new
    before = {c.id: c.email_enc for c in session.scalars(select(Customer))}
    result = app.test_cli_runner().invoke(args=["rotate-data-key", "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    assert (
        "customers: 7 rows re-encrypted" in result.output and "customers: 3 rows" in result.output
    )
    session.expire_all()
    customers = session.scalars(select(Customer)).all()
    endpoint = session.scalars(select(WebhookEndpoint)).one()
    assert all(c.email_enc != before[c.id] for c in customers)

    keyring.configure(parse_data_keys(old))
    for customer in customers:
        with pytest.raises(DataKeyError):
            customer.reveal_contact()
    with pytest.raises(DataKeyError):
        endpoint.reveal_secret()

    keyring.configure(parse_data_keys(new))
    for customer in customers:
        assert customer.reveal_contact() == plain[customer.id]
        assert customer.email_lookup == keyring.lookup_hash(plain[customer.id].email)
        assert customer.mobile_lookup == keyring.lookup_hash(plain[customer.id].mobile)
    assert endpoint.reveal_secret() == "whsec-do-not-leak"
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "data_key.rotated"))
    assert audit.one().details == {"customers": 7, "webhook_endpoints": 1}


def test_rotation_is_idempotent(old_and_new, session):
    app, _old, new, plain = old_and_new
    runner = app.test_cli_runner()
    assert runner.invoke(args=["rotate-data-key"]).exit_code == 0
    assert runner.invoke(args=["rotate-data-key"]).exit_code == 0
    keyring.configure(parse_data_keys(new))
    session.expire_all()
    for customer in session.scalars(select(Customer)):
        assert customer.reveal_contact() == plain[customer.id]


def test_rotation_without_the_old_key_fails_clearly_and_changes_nothing(
    old_and_new, database_url, session
):
    _app, _old, new, _plain = old_and_new
    before = sorted(session.scalars(select(Customer.email_enc)))
    app = make_app(database_url, DATA_KEY=new)  # the old key forgotten too early
    result = app.test_cli_runner().invoke(args=["rotate-data-key"])
    assert result.exit_code != 0
    assert "keep the old key" in result.output
    session.expire_all()
    assert sorted(session.scalars(select(Customer.email_enc))) == before
