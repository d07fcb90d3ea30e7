"""Contracts and survey months, scoped to the token's organization, paged."""

from __future__ import annotations

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
    "path", ["", "/cycles", "/metrics", "/action-items", "/tickets", "/responses?month=2026-10"]
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


def test_lists_are_paged_with_meta(api, world, session):
    for n in range(5):
        make_contract(session, provider=world.provider, number=f"P-{n}")
    first = api("GET", "/contracts?per_page=3", world.provider_token).get_json()
    second = api("GET", "/contracts?per_page=3&page=2", world.provider_token).get_json()
    beyond = api("GET", "/contracts?per_page=3&page=9", world.provider_token).get_json()
    assert first["meta"] == {"page": 1, "per_page": 3, "total": 7}
    assert [c["number"] for c in first["data"] + second["data"]] == [
        "A-1", "B-1", "P-0", "P-1", "P-2", "P-3",
    ]  # fmt: skip
    assert second["meta"]["page"] == 2 and len(second["data"]) == 3
    assert beyond["data"] == [] and beyond["meta"]["total"] == 7


@pytest.mark.parametrize(
    "query", ["page=0", "page=-1", "page=x", "page=1.5", "per_page=0", "per_page=201", "page="]
)
def test_page_arguments_out_of_bounds_are_refused(api, world, query):
    assert_error(api("GET", f"/contracts?{query}", world.provider_token), 400, "invalid_parameter")


def test_a_contracts_survey_months_are_listed_newest_first(api, world, session):
    for month in ("2026-09", "2026-10"):
        make_cycle(session, world.a, month=month, status="closed")
    body = api("GET", f"/contracts/{world.a.id}/cycles", world.client_token).get_json()
    assert [c["month"] for c in body["data"]] == ["2026-10", "2026-09"]
    assert body["data"][0]["status"] == "closed"
    assert body["data"][0]["opens_at"].endswith("+00:00")
