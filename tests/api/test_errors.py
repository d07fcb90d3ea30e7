"""Every API error has one JSON shape and the right status, whatever raised it."""

from __future__ import annotations

import pytest
from flask_wtf.csrf import CSRFError

from surveyapp import errors

from ..conftest import make_app
from .conftest import assert_error, ticket


def test_an_unknown_api_path_is_a_json_404(api, world):
    assert_error(api("GET", "/nothing-here", world.provider_token), 404, "not_found")
    assert_error(api("GET", "/contracts/abc", world.provider_token), 404)


def test_a_wrong_method_is_a_json_405_with_allow(api, world):
    response = api("DELETE", "/contracts", world.provider_token)
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_a_bad_query_parameter_is_a_400_naming_it(api, world):
    error = assert_error(api("GET", "/contracts?limit=201", world.provider_token), 400)
    assert error["type"] == "urn:surveyapp:problem:invalid_parameter"
    assert [(e["field"], e["location"]) for e in error["errors"]] == [("limit", "query")]


def test_a_body_that_is_not_json_is_a_400_or_415(api, world):
    token = world.provider_token
    assert_error(api("POST", "/tickets", token, data="{", content_type="application/json"), 400)
    assert_error(api("POST", "/tickets", token, data="a=b"), 415)


def test_a_body_over_one_mebibyte_is_a_413(api, world):
    body = {"tickets": [ticket(external_id="x" * 100, channel="y" * 32)] * 4000}
    assert_error(api("POST", "/tickets", world.provider_token, json=body), 413, "too_large")


def test_an_unexpected_failure_is_a_json_500(database_url, world, monkeypatch):
    app = make_app(database_url, PROPAGATE_EXCEPTIONS=False)
    monkeypatch.setattr("surveyapp.api.contracts.contract_json", lambda c: 1 / 0)
    response = app.test_client().get(
        "/api/v1/contracts", headers={"Authorization": f"Bearer {world.provider_token}"}
    )
    assert_error(response, 500, "server_error")


def test_api_routes_are_exempt_from_csrf_but_html_forms_are_not(database_url, world):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world.provider_token}"}
    assert client.post("/api/v1/tickets", json=ticket(), headers=headers).status_code == 201
    assert client.post("/sign-in", data={"email": "a@b.c", "password": "x"}).status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/tickets", "/api/other"])
def test_a_csrf_failure_on_an_api_path_has_the_json_shape(app, path):
    with app.test_request_context(path, method="POST"):
        response = errors._csrf_error(CSRFError())
        assert response.status_code == 400
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["type"] == "urn:surveyapp:problem:bad_request"
