"""The OpenAPI document matches the implementation: same routes, answers valid against it."""

from __future__ import annotations

import json
import re

import jsonschema_rs
import pytest

from surveyapp.api.openapi import build_document

from ..conftest import make_app
from .conftest import assert_error, ticket


def _routes(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            found |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def test_every_api_route_is_in_the_document_and_nothing_else(app, api):
    document = api("GET", "/openapi.json").get_json()
    described = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert described == _routes(app)
    assert len(described) >= 8


def test_a_route_without_a_description_is_left_out_and_so_caught(app):
    @app.get("/api/v1/undocumented")
    def undocumented():
        return {}

    with app.app_context():
        paths = build_document(app)["paths"]
    assert "/undocumented" not in paths
    assert ("/undocumented", "get") in _routes(app)


def test_every_operation_documents_its_error_shape_and_refs_resolve(api):
    document = api("GET", "/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["tags"] and operation["description"], (path, method)
            for status, answer in operation["responses"].items():
                headers = answer["headers"]
                assert {"X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining"} <= set(headers)
                if status == "default" or status >= "400":
                    error = answer["content"]["application/problem+json"]["schema"]
                    assert error == {"$ref": "#/components/schemas/Problem"}, (path, method)
            for parameter in operation["parameters"]:
                name = parameter["$ref"].rsplit("/", 1)[1]
                assert name in document["components"]["parameters"]
    for ref in re.findall(r'"#/components/schemas/(\w+)"', str(document).replace("'", '"')):
        assert ref in document["components"]["schemas"]


@pytest.mark.parametrize("status", ["429", "503"])
def test_every_operation_documents_429_and_503_with_retry_after(api, status):
    document = api("GET", "/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"].get(status)
            assert answer is not None, (path, method)
            schema = answer["content"]["application/problem+json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problem"}, (path, method)
            retry_after = answer["headers"]["Retry-After"]
            assert retry_after["required"] is True, (path, method)
            assert retry_after["schema"] == {"type": "integer", "minimum": 1}, (path, method)


def _validate(document: dict, response, path: str, method: str) -> None:
    operation = document["paths"][path][method]
    spec = operation["responses"].get(str(response.status_code), operation["responses"]["default"])
    assert response.mimetype in spec["content"], (response.mimetype, list(spec["content"]))
    schema = {
        **spec["content"][response.mimetype]["schema"],
        "components": document["components"],
    }
    jsonschema_rs.validate(schema, json.loads(response.get_data(as_text=True)))
    for name, header in spec.get("headers", {}).items():
        if "$ref" in header:
            header = document["components"]["headers"][header["$ref"].rsplit("/", 1)[1]]
        if header.get("required"):
            assert name in response.headers, (name, path, method)


@pytest.mark.parametrize(
    ("method", "template", "path"),
    [
        ("get", "/contracts", "/contracts"),
        ("get", "/contracts/{contract_id}", "/contracts/{a}"),
        ("get", "/contracts/{contract_id}/cycles", "/contracts/{a}/cycles"),
        ("get", "/contracts/{contract_id}/metrics", "/contracts/{a}/metrics"),
        ("get", "/contracts/{contract_id}/action-items", "/contracts/{a}/action-items"),
        ("get", "/contracts/{contract_id}/responses", "/contracts/{a}/responses?month=2026-10"),
        ("get", "/contracts/{contract_id}/tickets", "/contracts/{a}/tickets"),
        ("get", "/contracts/{contract_id}", "/contracts/{foreign}"),
        ("get", "/contracts", "/contracts?limit=0"),
        ("get", "/contracts", "/contracts?page=2"),
        ("get", "/contracts/{contract_id}/sla", "/contracts/{a}/sla"),
        ("get", "/contracts/{contract_id}/tickets", "/contracts/{a}/tickets?limit=1"),
    ],
)
def test_answers_match_their_documented_schema(api, world, method, template, path):
    document = api("GET", "/openapi.json").get_json()
    url = path.format(a=world.a.id, foreign=world.foreign.id)
    api("POST", "/tickets", world.provider_token, json=ticket())
    _validate(document, api("GET", url, world.provider_token), template, method)


@pytest.mark.parametrize(
    "body",
    [
        ticket(),
        {"tickets": [ticket(), ticket(external_id="T-2", kind="x")]},
        {"tickets": [ticket(), ticket(external_id="T-2", contract="F-1")]},
        {"x": 1},
    ],
)
def test_push_answers_match_their_documented_schema(api, world, body):
    document = api("GET", "/openapi.json").get_json()
    response = api("POST", "/tickets", world.provider_token, json=body)
    assert response.status_code in (201, 207, 422)
    again = api("POST", "/tickets", world.provider_token, json=body)
    _validate(document, again, "/tickets", "post")
    _validate(document, response, "/tickets", "post")


def test_the_schema_check_itself_catches_a_wrong_answer(api, world):
    document = api("GET", "/openapi.json").get_json()
    response = api("GET", "/contracts", world.provider_token)
    response.set_data(b'{"data": [{"id": "one"}], "next": null}')
    with pytest.raises(jsonschema_rs.ValidationError):
        _validate(document, response, "/contracts", "get")


def _validate_headers(document: dict, response, path: str, method: str) -> None:
    documented = document["paths"][path][method]["responses"][str(response.status_code)]
    for name, header in documented["headers"].items():
        if "$ref" in header:
            header = document["components"]["headers"][header["$ref"].rsplit("/", 1)[1]]
        value = response.headers[name]
        jsonschema_rs.validate(header["schema"], int(value) if value.isdigit() else value)


def test_a_real_429_from_the_api_matches_its_documented_schema(database_url, world):
    client = make_app(database_url, RATELIMIT_API_PER_TOKEN="2 per minute").test_client()
    headers = {"Authorization": f"Bearer {world.provider_token}"}
    assert [client.get("/api/v1/contracts", headers=headers).status_code for _ in "ab"] == [200] * 2
    response = client.get("/api/v1/contracts", headers=headers)
    assert_error(response, 429, "too_many_requests")
    document = client.get("/api/v1/openapi.json").get_json()
    _validate(document, response, "/contracts", "get")
    _validate_headers(document, response, "/contracts", "get")


def test_a_real_503_from_the_api_matches_its_documented_schema(tmp_path, world):
    unreachable = f"sqlite:///{tmp_path}/no-such-folder/db.sqlite3"
    client = make_app(unreachable).test_client()
    headers = {"Authorization": f"Bearer {world.provider_token}"}
    response = client.get("/api/v1/contracts", headers=headers)
    assert_error(response, 503, "unavailable")
    document = client.get("/api/v1/openapi.json").get_json()
    _validate(document, response, "/contracts", "get")
    _validate_headers(document, response, "/contracts", "get")
