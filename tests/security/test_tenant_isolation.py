"""IDOR across tenants: every id-taking route and the API give another provider or client a 404
and store nothing."""

from __future__ import annotations

import re

from .conftest import counts, sign_in_as, world_args

XSS = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
SQLI = [
    "' OR '1'='1",
    "1; DROP TABLE customers; --",
    "2026-11' UNION SELECT email_enc FROM customers --",
    "1) OR (1=1",
]
SQL_ERRORS = re.compile(r"syntax error|sqlite3\.|psycopg|OperationalError|Traceback", re.I)


# --- IDOR across tenants -------------------------------------------------------------------


def _id_taking_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("api.", "static", "survey.", "auth.", "portal.")):
            continue  # the portal is for client users: test_idor_a_client_user_...
        if any(name.endswith("_id") or name == "number" for name in rule.arguments):
            yield rule


def test_idor_every_id_taking_route_gives_another_providers_admin_404(app, client, session, world):
    """The foreign provider's ids, used by provider P's admin: 404 on GET and POST alike."""
    sign_in_as(client, world["admin"])
    before = counts(session)
    checked = 0
    for rule in _id_taking_rules(app):
        path = rule.build(world_args(rule, world, foreign=True), append_unknown=False)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            status = client.open(path, method=method, data={"status": "done"}).status_code
            assert status == 404, (method, path, status)
            checked += 1
    assert checked >= 20
    assert counts(session) == before


def test_idor_a_client_user_gets_404_for_another_clients_records(client, session, world):
    sign_in_as(client, world["client_a"])
    b = world["b"].id
    for path in (
        f"/portal/contracts/{b}",
        f"/contracts/{b}",
        f"/contracts/{b}/reports/",
        f"/contracts/{b}/reports/1.pdf",
        f"/exports/contracts/{b}/metrics.csv",
        f"/exports/contracts/{b}/metrics.xlsx",
    ):
        assert client.get(path).status_code == 404, path


def test_idor_the_api_never_shows_another_organizations_contract(client, world):
    foreign = world["foreign"].id
    headers = {"Authorization": f"Bearer {world['api_token']}"}
    for path in (
        f"/api/v1/contracts/{foreign}",
        f"/api/v1/contracts/{foreign}/cycles",
        f"/api/v1/contracts/{foreign}/metrics",
        f"/api/v1/contracts/{foreign}/action-items",
        f"/api/v1/contracts/{foreign}/responses?month=2026-11",
        f"/api/v1/contracts/{foreign}/tickets",
    ):
        assert client.get(path, headers=headers).status_code == 404, path
    listed = client.get("/api/v1/contracts", headers=headers).get_data(as_text=True)
    assert "F-1" not in listed


def test_idor_pushing_tickets_into_another_providers_contract_stores_nothing(
    client, session, world
):
    before = counts(session)
    response = client.post(
        "/api/v1/tickets",
        json={
            "contract_number": "F-1",
            "external_id": "X-1",
            "kind": "inquiry",
            "received_at": "2026-11-02T10:00:00+08:00",
        },
        headers={"Authorization": f"Bearer {world['api_token']}"},
    )
    assert 400 <= response.status_code < 500
    assert counts(session)["tickets"] == before["tickets"]
