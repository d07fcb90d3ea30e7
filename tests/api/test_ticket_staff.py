"""Tickets through the API carry customer number, agent and team (issue #23): an unknown
customer number is stored and named in ``warnings``; a client's token never reads the agent
or the team."""

from __future__ import annotations

from .conftest import ticket


def test_an_unknown_customer_number_is_stored_with_a_warning(api, world):
    body = ticket(customer_ref="K-404", agent="王芳", team="一组")
    response = api("POST", "/tickets", world.provider_token, json=body)
    assert response.status_code == 201, response.text
    data = response.get_json()
    assert data["data"]["customer_ref"] == "K-404"
    assert (data["data"]["agent"], data["data"]["team"]) == ("王芳", "一组")
    assert [w["field"] for w in data["warnings"]] == ["customer_ref"]


def test_a_batch_names_the_warning_by_index(api, world):
    batch = {"tickets": [ticket(), ticket(external_id="T-2", customer_ref="K-9")]}
    response = api("POST", "/tickets", world.provider_token, json=batch)
    results = response.get_json()["results"]
    assert [r["warnings"] for r in results][0] == []
    assert results[1]["warnings"][0]["index"] == 1


def test_a_client_token_reads_tickets_without_agent_or_team(api, world):
    api("POST", "/tickets", world.provider_token, json=ticket(agent="王芳", team="一组"))
    as_provider = api("GET", f"/contracts/{world.a.id}/tickets", world.provider_token)
    as_client = api("GET", f"/contracts/{world.a.id}/tickets", world.client_token)
    assert as_provider.get_json()["data"][0]["agent"] == "王芳"
    row = as_client.get_json()["data"][0]
    assert (row["agent"], row["team"]) == (None, None)
