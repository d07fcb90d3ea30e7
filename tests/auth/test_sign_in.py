"""Sign-in, sign-out, redirects, sessions and the language switch."""

import pytest

from surveyapp.auth.service import safe_next

from ..conftest import make_app
from ..factories import PASSWORD, make_contract, make_user


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/contracts/")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=")


def test_a_provider_user_signs_in_and_lands_on_the_contracts(client, session):
    user = make_user(session, "provider_admin")
    make_contract(session, provider=user.organization, number="HX-1")
    response = client.post(
        "/sign-in", data={"email": user.email.upper(), "password": PASSWORD}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "HX-1" in response.text


def test_a_wrong_password_is_refused_with_a_message(client, session):
    user = make_user(session)
    response = client.post("/sign-in", data={"email": user.email, "password": "not it"})
    assert response.status_code == 401
    assert "邮箱或密码不正确" in response.text
    assert client.get("/contracts/").status_code == 302


def test_an_inactive_user_cannot_sign_in(client, session):
    user = make_user(session, active=False)
    assert (
        client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 401
    )


def test_an_empty_form_is_a_bad_request_with_field_errors(client):
    response = client.post("/sign-in", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text


def test_next_keeps_a_local_path(client, session):
    user = make_user(session)
    response = client.post(
        "/sign-in?next=/contracts/", data={"email": user.email, "password": PASSWORD}
    )
    assert response.location == "/contracts/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "contracts",
        "/\x00x",
    ],
)
def test_next_never_leaves_the_site(target):
    assert safe_next(target, "/home") == "/home"


def test_sign_out_needs_a_post_and_ends_the_session(client, session, sign_in):
    sign_in(make_user(session))
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 302
    assert client.get("/contracts/").status_code == 302


def test_sign_in_starts_a_new_session(client, session):
    user = make_user(session)
    client.get("/language/en")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["locale"] == "en"


def test_sign_out_requires_csrf_when_protection_is_on(database_url, session):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    user = make_user(session)
    client = app.test_client()
    page = client.get("/sign-in").text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert (
        client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 400
    )
    assert (
        client.post(
            "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
        ).status_code
        == 302
    )
    assert client.post("/sign-out").status_code == 400


def test_chinese_is_the_default_and_english_is_one_click_away(client):
    assert "登录" in client.get("/sign-in").text
    response = client.get("/language/en?next=/sign-in", follow_redirects=True)
    assert "Sign in" in response.text and "登录" not in response.text.split("<main")[1]


def test_the_language_switch_ignores_unknown_languages_and_foreign_next(client):
    response = client.get("/language/xx?next=https://evil.example/")
    assert response.location == "/"
    assert "登录" in client.get("/sign-in").text


def test_a_user_locale_applies_after_sign_in(client, session):
    user = make_user(session, locale="en")
    make_contract(session, provider=user.organization)
    response = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD}, follow_redirects=True
    )
    assert "Contracts" in response.text
