"""An SMTP server on 127.0.0.1 (the one tests/cycles uses), an app pointed at it, and two
providers with a client each, their admins and a client viewer."""

from __future__ import annotations

import re
import time

import pytest

from ..conftest import make_app
from ..cycles.conftest import smtp  # noqa: F401 (the fixture)
from ..factories import make_contract, make_organization, make_user

LINK = re.compile(r"https://survey\.test(/account/password/[A-Za-z0-9_\-]+)")


@pytest.fixture
def mail_app(database_url, smtp):  # noqa: F811
    return make_app(
        database_url, SMTP_PORT=smtp.port, SMTP_TIMEOUT=5, BASE_URL="https://survey.test"
    )


@pytest.fixture
def client(mail_app):
    return mail_app.test_client()


@pytest.fixture
def sign_in(client):
    from ..factories import PASSWORD

    def do(user, password: str = PASSWORD, on=None):
        on = on or client
        response = on.post("/sign-in", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.text
        return on

    return do


@pytest.fixture
def two_providers(session):
    p1, p2 = make_organization(session, "provider"), make_organization(session, "provider")
    c1, c2 = (
        make_organization(session, name="Client One"),
        make_organization(session, name="Client Two"),
    )
    make_contract(session, provider=p1, client=c1)
    make_contract(session, provider=p2, client=c2)
    return {
        "p1": p1,
        "p2": p2,
        "c1": c1,
        "c2": c2,
        "admin1": make_user(session, "provider_admin", p1),
        "analyst1": make_user(session, "provider_analyst", p1),
        "viewer1": make_user(session, "client_viewer", c1),
        "admin2": make_user(session, "provider_admin", p2),
        "viewer2": make_user(session, "client_viewer", c2),
    }


def link_in(message) -> str:
    """The path of the one-time link in an account e-mail."""
    return LINK.search(message.get_body(("plain",)).get_content()).group(1)


def wait_for(inbox, address: str, count: int = 1, seconds: float = 5.0) -> list:
    """Messages to ``address`` once ``count`` arrived (reset mails leave from a thread)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = inbox.to(address)
        if len(found) >= count:
            return found
        time.sleep(0.02)
    return inbox.to(address)
