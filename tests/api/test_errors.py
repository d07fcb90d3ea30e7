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


def _trigger(status: str, api, world, database_url, tmp_path):
    """A real answer with ``status`` (each one the document lists)."""
    token, a = world.provider_token, world.a.id
    if status == "400":
        return api("GET", "/contracts?cursor=zz", token)
    if status == "401":
        return api("GET", "/contracts", "sat_nope")
    if status == "403":
        return api("POST", "/tickets", world.client_token, json=ticket())
    if status == "404":
        return api("GET", f"/contracts/{world.foreign.id}/tickets", token)
    if status == "413":
        return api("PUT", f"/contracts/{a}/customers", token, data="x" * 1_100_000)
    if status == "415":
        return api("PUT", f"/contracts/{a}/customers", token, data="a=b")
    if status == "422":
        return api("PUT", f"/contracts/{a}/customers", token, json={"customers": [{"ref": ""}]})
    if status == "429":
        client = make_app(database_url, RATELIMIT_API_PER_TOKEN="1 per minute").test_client()
        headers = {"Authorization": f"Bearer {token}"}
        client.get("/api/v1/contracts", headers=headers)
        return client.get("/api/v1/contracts", headers=headers)
    if status == "503":
        client = make_app(f"sqlite:///{tmp_path}/no-such-folder/db.sqlite3").test_client()
        return client.get("/api/v1/contracts", headers={"Authorization": f"Bearer {token}"})
    if status == "default":  # 405 and 500 have no entry of their own
        return api("DELETE", "/contracts", token)
    raise AssertionError(f"no trigger for {status}")


def test_every_error_status_the_document_lists_answers_a_valid_problem(
    api, world, database_url, tmp_path
):
    document = api("GET", "/openapi.json").get_json()
    listed = {
        status
        for operations in document["paths"].values()
        for operation in operations.values()
        for status in operation["responses"]
        if status == "default" or int(status) >= 400
    }
    assert listed == {"400", "401", "403", "404", "413", "415", "422", "429", "503", "default"}
    for status in sorted(listed):
        response = _trigger(status, api, world, database_url, tmp_path)
        expected = 405 if status == "default" else int(status)
        body = assert_error(response, expected)  # valid against the Problem schema
        assert body["title"] and body["detail"] and body["type"].startswith("urn:surveyapp:")
