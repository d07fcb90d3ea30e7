"""Sign-in does the same password-hash work whatever the address (issue #19, item 9), and
lockouts count per account and address so a stranger cannot lock a known account out."""

from __future__ import annotations

import pytest

import surveyapp.models.organizations as organizations

from ..conftest import make_app
from ..factories import PASSWORD, make_user


@pytest.fixture
def hash_checks(monkeypatch):
    calls = []
    real = organizations.check_password_hash

    def counting(pwhash, password):
        calls.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(organizations, "check_password_hash", counting)
    return calls


@pytest.mark.parametrize("case", ["unknown", "inactive", "wrong password", "right password"])
def test_every_sign_in_checks_one_password_hash(client, session, hash_checks, case):
    user = make_user(session, active=case != "inactive")
    email = "nobody@nowhere.example" if case == "unknown" else user.email
    password = PASSWORD if case in ("inactive", "right password") else "wrong password"
    hash_checks.clear()
    response = client.post("/sign-in", data={"email": email, "password": password})
    assert response.status_code == (302 if case == "right password" else 401)
    assert len(hash_checks) == 1
    if case == "unknown":  # hashed with the same method and cost as a real account
        assert hash_checks[0].split("$")[0] == user.password_hash.split("$")[0]


@pytest.fixture
def limited(database_url):
    def make(**limits):
        return make_app(database_url, **limits).test_client()

    return make


STRANGER, OWNER = {"REMOTE_ADDR": "203.0.113.9"}, {"REMOTE_ADDR": "198.51.100.7"}


def test_a_strangers_failures_lock_only_the_strangers_address(limited, session):
    client = limited(RATELIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS="3 per 15 minutes")
    user = make_user(session)
    bad = {"email": user.email, "password": "guess guess"}
    codes = [client.post("/sign-in", data=bad, environ_base=STRANGER).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    good = {"email": user.email, "password": PASSWORD}
    assert client.post("/sign-in", data=good, environ_base=STRANGER).status_code == 429
    owner = client.application.test_client()
    assert owner.post("/sign-in", data=good, environ_base=OWNER).status_code == 302


def test_the_owners_known_device_gets_in_past_the_account_ceiling(limited, session):
    client = limited(
        RATELIMIT_SIGN_IN_PER_ACCOUNT="3 per 15 minutes",
        RATELIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS="10 per 15 minutes",
    )
    user = make_user(session)
    good = {"email": user.email, "password": PASSWORD}
    owner = client.application.test_client()
    assert owner.post("/sign-in", data=good, environ_base=OWNER).status_code == 302
    owner.post("/sign-out")
    for n in range(4):  # strangers from many addresses fill the account's ceiling
        client.post(
            "/sign-in",
            data={"email": user.email, "password": "guess"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"},
        )
    new_device = client.application.test_client()
    assert new_device.post("/sign-in", data=good, environ_base=OWNER).status_code == 429
    assert owner.post("/sign-in", data=good, environ_base=OWNER).status_code == 302


def test_a_forged_known_device_cookie_counts_for_nothing(limited, session):
    client = limited(RATELIMIT_SIGN_IN_PER_ACCOUNT="2 per 15 minutes")
    user = make_user(session)
    client.set_cookie("known_device", "forged.value")
    for _ in range(3):
        client.post("/sign-in", data={"email": user.email, "password": "guess"})
    assert (
        client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 429
    )
