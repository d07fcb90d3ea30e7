"""Contracts and survey months, scoped to the token's organization, paged."""

from __future__ import annotations

import re

import pytest

from ..factories import make_contract, make_cycle
from .conftest import assert_error


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["number"] for c in response.get_json()["data"]]


def test_a_provider_token_lists_the_contracts_it_provides(api, world):
    assert _numbers(api("GET", "/contracts", world.provider_token)) == ["A-1", "B-1"]
    assert _numbers(api("GET", "/contracts", world.other_token)) == ["F-1"]


def test_a_client_token_lists_only_its_own_contract(api, world):
    assert _numbers(api("GET", "/contracts", world.client_token)) == ["A-1"]


@pytest.mark.parametrize(
    ("token", "contract"),
    [("client_token", "b"), ("client_token", "foreign"), ("provider_token", "foreign")],
)
@pytest.mark.parametrize(
    "path",
    ["", "/cycles", "/metrics", "/action-items", "/tickets", "/sla", "/responses?month=2026-10"],
)
def test_another_organizations_contract_is_a_404(api, world, token, contract, path):
    contract_id = getattr(world, contract).id
    response = api("GET", f"/contracts/{contract_id}{path}", getattr(world, token))
    assert_error(response, 404, "not_found")


def test_an_id_beyond_any_integer_column_is_a_404_not_a_crash(api, world):
    assert_error(api("GET", f"/contracts/{2**70}", world.provider_token), 404)


def test_one_contract_has_its_sla_hours_and_parties(api, world):
    body = api("GET", f"/contracts/{world.a.id}", world.client_token).get_json()["data"]
    assert body["number"] == "A-1" and body["client"] == world.client_a.name
    assert (body["inquiry_hours"], body["complaint_hours"]) == (24, 48)


def test_lists_are_paged_by_cursor_with_next_in_the_body_and_a_link_header(api, world, session):
    for n in range(5):
        make_contract(session, provider=world.provider, number=f"P-{n}")
    first = api("GET", "/contracts?limit=3", world.provider_token)
    body = first.get_json()
    assert [c["number"] for c in body["data"]] == ["A-1", "B-1", "P-0"]
    assert body["next"].startswith("/api/v1/contracts?") and "limit=3" in body["next"]
    assert first.headers["Link"] == f'<{body["next"]}>; rel="next"'
    second = api("GET", body["next"].removeprefix("/api/v1"), world.provider_token).get_json()
    last = api("GET", second["next"].removeprefix("/api/v1"), world.provider_token)
    assert [c["number"] for c in second["data"]] == ["P-1", "P-2", "P-3"]
    assert [c["number"] for c in last.get_json()["data"]] == ["P-4"]
    assert last.get_json()["next"] is None and "Link" not in last.headers


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=-1", "limit=x", "limit=1.5", "limit=201", "limit=", "cursor=x", "cursor=!!",
     "cursor=ImEi", "limit=2&limit=3"],
)  # fmt: skip
def test_paging_arguments_out_of_bounds_are_refused(api, world, query):
    error = assert_error(api("GET", f"/contracts?{query}", world.provider_token), 400)
    assert error["type"].endswith("invalid_parameter")
    assert error["errors"][0]["location"] == "query"


@pytest.mark.parametrize("query", ["page=2", "per_page=10", "sort=id", "Limit=3"])
def test_an_unknown_query_parameter_is_refused_naming_it(api, world, query):
    error = assert_error(api("GET", f"/contracts?{query}", world.provider_token), 400)
    assert error["type"].endswith("unknown_parameter")
    assert error["errors"] == [
        {"field": query.split("=")[0], "problem": "Unknown query parameter.", "location": "query",
         "index": None}
    ]  # fmt: skip


def test_a_contracts_survey_months_are_listed_newest_first(api, world, session):
    for month in ("2026-09", "2026-10"):
        make_cycle(session, world.a, month=month, status="closed")
    body = api("GET", f"/contracts/{world.a.id}/cycles", world.client_token).get_json()
    assert [c["month"] for c in body["data"]] == ["2026-10", "2026-09"]
    assert body["data"][0]["status"] == "closed"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["data"][0]["opens_at"])
