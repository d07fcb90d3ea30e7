"""First run without the demo: the set-up page needs the code ``flask init-db`` printed and is
gone (404) once a provider exists; ``flask create-user`` makes a provider with its details."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from surveyapp.models import Organization, User

from ..factories import make_organization

FORM = {
    "organization": "华信客服外包有限公司",
    "address": "上海市浦东新区 1 号",
    "contact_person": "李经理",
    "phone": "021-5555 0000",
    "name": "李雷",
    "email": "admin@huaxin.example",
    "locale": "zh_CN",
    "password": "first admin password 1",
    "confirm": "first admin password 1",
}


def _code(runner) -> str:
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    return re.search(r"code \(24 hours\): (\S+)", result.output).group(1)


def _counts(session):
    return (
        session.scalar(select(func.count()).select_from(Organization)),
        session.scalar(select(func.count()).select_from(User)),
    )


def test_setup_needs_the_code_and_then_disappears(client, runner, session):
    assert client.get("/setup").status_code == 200
    for wrong in ("", "guess", "x" * 43):
        response = client.post("/setup", data={**FORM, "code": wrong})
        assert response.status_code == 400
    assert _counts(session) == (0, 0)  # nothing claimed without the code
    code = _code(runner)
    assert client.post("/setup", data={**FORM, "code": code}).status_code == 302
    assert client.get("/contracts/").status_code == 200  # signed in as the first admin
    org = session.scalars(select(Organization)).one()
    assert (org.kind, org.address, org.contact_person, org.phone) == (
        "provider",
        "上海市浦东新区 1 号",
        "李经理",
        "021-5555 0000",
    )
    admin = session.scalars(select(User)).one()
    assert admin.role == "provider_admin" and admin.organization_id == org.id
    anonymous = client.application.test_client()
    assert anonymous.get("/setup").status_code == 404
    assert anonymous.post("/setup", data={**FORM, "code": code}).status_code == 404
    assert "code" not in runner.invoke(args=["init-db"]).output.lower()


def test_a_new_code_replaces_the_old_one(client, runner, session):
    old, new = _code(runner), _code(runner)
    assert client.post("/setup", data={**FORM, "code": old}).status_code == 400
    assert _counts(session) == (0, 0)
    assert client.post("/setup", data={**FORM, "code": new}).status_code == 302


def test_bad_details_store_nothing_and_keep_the_code(client, runner, session):
    code = _code(runner)
    weak = client.post(
        "/setup", data={**FORM, "code": code, "password": "1234567890", "confirm": "1234567890"}
    )
    assert weak.status_code == 400
    assert _counts(session) == (0, 0)
    assert client.post("/setup", data={**FORM, "code": code}).status_code == 302


def test_setup_is_404_when_a_provider_exists(client, session):
    make_organization(session, "provider")
    assert client.get("/setup").status_code == 404


def test_create_user_makes_the_provider_with_its_details(runner, session):
    result = runner.invoke(
        args=[
            "create-user", "--email", "Boss@Huaxin.example", "--name", "Boss",
            "--role", "provider_admin", "--organization", "华信",
            "--organization-kind", "provider", "--organization-address", "上海",
            "--organization-contact", "李经理", "--organization-phone", "021-1",
            "--password", "first admin password 1",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    org = session.scalars(select(Organization)).one()
    assert (org.kind, org.address, org.contact_person, org.phone) == (
        "provider",
        "上海",
        "李经理",
        "021-1",
    )
    assert session.scalars(select(User.email)).one() == "boss@huaxin.example"
    weak = runner.invoke(
        args=["create-user", "--email", "b@h.example", "--name", "B", "--role", "provider_analyst",
              "--organization", "华信", "--password", "password123"]
    )  # fmt: skip
    assert weak.exit_code != 0 and "common" in weak.output
