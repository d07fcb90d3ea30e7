"""Issue 19 item 1: an audit event belongs to the provider that owns the contract. A client
working with two providers shows each provider only the events of its own contracts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations

from surveyapp import audit
from surveyapp.models import AuditEvent, utcnow
from surveyapp.survey.optout import opt_out

from ..factories import (
    make_contract,
    make_customer,
    make_cycle,
    make_invitation,
    make_organization,
    make_user,
)

MIGRATION = Path(__file__).parents[2] / "migrations/versions"


@pytest.fixture
def two(session):
    """One client, two providers, one contract with each."""
    client_org = make_organization(session)
    p1, p2 = make_organization(session, "provider"), make_organization(session, "provider")
    c1 = make_contract(session, provider=p1, client=client_org, number="P1-C")
    c2 = make_contract(session, provider=p2, client=client_org, number="P2-C")
    return {
        "c1": c1,
        "c2": c2,
        "admin1": make_user(session, "provider_admin", p1),
        "admin2": make_user(session, "provider_admin", p2),
        "client": make_user(session, "client_viewer", client_org, email="viewer@cli.example"),
    }


def _rows(client) -> str:
    text = client.get("/audit/").text
    return text.split("<tbody>", 1)[1] if "<tbody>" in text else ""


def test_a_clients_export_on_one_providers_contract_is_that_providers_event_only(
    client, session, two, sign_in
):
    sign_in(two["client"])
    assert client.get(f"/exports/contracts/{two['c2'].id}/metrics.csv").status_code == 200
    client.post("/sign-out")
    event = session.query(AuditEvent).filter_by(action="export").one()
    assert event.organization_id == two["c2"].provider_id
    sign_in(two["admin1"])
    assert "viewer@cli.example" not in _rows(client)
    client.post("/sign-out")
    sign_in(two["admin2"])
    assert "viewer@cli.example" in _rows(client)


def test_an_opt_out_is_recorded_under_the_contracts_provider(session, two):
    cycle = make_cycle(session, two["c2"])
    invitation, _token = make_invitation(session, cycle, make_customer(session, two["c2"]))
    assert opt_out(session, invitation, now=utcnow())
    event = session.query(AuditEvent).filter_by(action="customer.opted_out").one()
    assert event.organization_id == two["c2"].provider_id


def test_contract_administration_is_recorded_under_the_provider(session, two):
    from surveyapp.contracts.admin import update_settings

    update_settings(session, two["c2"], {"title": "renamed"}, two["admin2"])
    event = session.query(AuditEvent).filter_by(action="contract.update").one()
    assert event.organization_id == two["c2"].provider_id


def _run_migration(engine, name: str) -> None:
    path = next(MIGRATION.glob(f"{name}_*.py"))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        module.upgrade()


def test_the_migration_moves_client_owned_events_to_the_contracts_provider(session, two):
    c2, client_id = two["c2"], two["c2"].client_id
    customer = make_customer(session, c2)
    old = [
        audit.record(session, "contract.updated", subject=c2, organization_id=client_id),
        audit.record(session, "customer.opted_out", subject=customer, organization_id=client_id),
        audit.record(session, "sign_in", actor=two["client"], organization_id=client_id),
        audit.record(session, "export", subject=two["c1"], organization_id=two["c1"].provider_id),
    ]
    session.commit()
    ids = [e.id for e in old]
    _run_migration(session.get_bind(), "a7e3c9d1f204")
    session.expire_all()
    owners = [session.get(AuditEvent, i).organization_id for i in ids]
    assert owners == [c2.provider_id, c2.provider_id, client_id, two["c1"].provider_id]
