"""The survey fixtures (an open cycle with personal links) for the security tests, the two
providers' world the attack tests run in, and cheap password hashing so that the many users
these tests make do not dominate their time."""

from functools import partial

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from surveyapp.api_tokens.service import create_token
from surveyapp.models import Base

from ..factories import (
    PASSWORD,
    make_action_item,
    make_contract,
    make_cycle,
    make_invitation,
    make_organization,
    make_survey_version,
    make_user,
)
from ..survey.conftest import full_answers, invite, survey  # noqa: F401


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    cheap = partial(generate_password_hash, method="pbkdf2:sha256:1000")
    monkeypatch.setattr("surveyapp.models.organizations.generate_password_hash", cheap)


def counts(session) -> dict[str, int]:
    """Rows per table: an attack that stored anything changes this."""
    session.expire_all()
    return {
        t.name: session.scalar(select(func.count()).select_from(t))
        for t in Base.metadata.sorted_tables
    }


def sign_in_as(client, user) -> None:
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.text


@pytest.fixture
def analyst(session):
    return make_user(session, "provider_analyst")


@pytest.fixture
def world(session, survey):  # noqa: F811  (the survey fixture imported above)
    """Provider P (admin, analyst) with clients A and B; provider F with its own contract."""
    contract_a = survey.cycle.contract
    provider, client_a = contract_a.provider, contract_a.client
    contract_b = make_contract(session, provider=provider, number="B-1")
    foreign_provider = make_organization(session, "provider")
    foreign = make_contract(session, provider=foreign_provider, number="F-1")
    foreign_version = make_survey_version(session, foreign_provider)
    foreign_cycle = make_cycle(session, foreign, foreign_version, month=survey.cycle.month)
    foreign_invitation, _ = make_invitation(session, foreign_cycle)
    _, foreign_token = create_token(session, foreign_provider, "helpdesk F")
    return {
        "survey": survey,
        "a": contract_a,
        "b": contract_b,
        "foreign": foreign,
        "foreign_cycle": foreign_cycle,
        "foreign_invitation": foreign_invitation,
        "foreign_version": foreign_version,
        "foreign_token": foreign_token,
        "item_foreign": make_action_item(session, foreign),
        "admin": make_user(session, "provider_admin", provider),
        "analyst": make_user(session, "provider_analyst", provider),
        "client_a": make_user(session, "client_viewer", client_a),
        "api_token": create_token(session, provider, "helpdesk P")[1],
        "foreign_user": make_user(session, "provider_analyst", foreign_provider),
    }


def own_args(rule, world) -> dict:
    """URL arguments of ``rule`` that name the world's own provider's rows."""
    return world_args(rule, world, foreign=False)


def world_args(rule, world, *, foreign: bool) -> dict:
    """URL arguments of ``rule`` naming own rows (or, with ``foreign``, the other provider's)."""
    contract = world["foreign"] if foreign else world["a"]
    cycle = world["foreign_cycle"] if foreign else world["survey"].cycle
    known = {
        "contract_id": contract.id,
        "month": cycle.month,
        "item_id": world["item_foreign"].id,
        "invitation_id": world["foreign_invitation"].id,
        "survey_id": world["foreign_version"].survey_id,
        "number": world["foreign_version"].number,
        "fmt": "csv",
        "code": "en",
        "upload_id": "1",
        "client_id": contract.client_id,
        "user_id": world["foreign_user"].id,
    }
    return {name: known.get(name, 1) for name in rule.arguments}
