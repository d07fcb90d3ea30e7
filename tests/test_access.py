"""Access control over every route, read from the URL map.

Every endpoint must be marked ``@public`` or ``@requires(...)``; a new route without a mark
fails here. Each entry of ACCESS says what an anonymous visitor, each role, and a user of
another tenant must get.
"""

import pytest

from surveyapp.models import Role

from .factories import make_action_item, make_contract, make_organization, make_user

STAFF = {Role.PROVIDER_ADMIN, Role.PROVIDER_ANALYST}
ADMIN = {Role.PROVIDER_ADMIN}
CLIENT = {Role.CLIENT_VIEWER}

# endpoint -> roles allowed (None = public)
ACCESS = {
    "static": None,
    "auth.sign_in": None,
    "auth.set_language": None,
    "auth.sign_out": set(Role),
    "home.index": set(Role),
    "contracts.index": set(Role),
    "contracts.show": set(Role),
    "contracts.edit": ADMIN,
    "contracts.targets": ADMIN,
    "contracts.clause": ADMIN,
    "survey_versions.index": STAFF,
    "survey_versions.show": STAFF,
    "survey_versions.edit": ADMIN,
    "cycles.index": {Role.PROVIDER_ADMIN, Role.PROVIDER_ANALYST},
    "cycles.show": {Role.PROVIDER_ADMIN, Role.PROVIDER_ANALYST},
    "cycles.open_": {Role.PROVIDER_ADMIN},
    "cycles.send": {Role.PROVIDER_ADMIN},
    "cycles.remind": {Role.PROVIDER_ADMIN},
    "cycles.close": {Role.PROVIDER_ADMIN},
    "cycles.links_download": {Role.PROVIDER_ADMIN},
    "cycles.qr": {Role.PROVIDER_ADMIN},
    "autopilot.show": STAFF,
    "autopilot.retry": ADMIN,
    "customers.index": {Role.PROVIDER_ADMIN},
    "customers.import_page": {Role.PROVIDER_ADMIN},
    "survey.show": None,
    "survey.submit": None,
    "survey.thanks": None,
    "survey.opt_out_page": None,
    "dashboard.overview": STAFF,
    "dashboard.contract": STAFF,
    "portal.index": CLIENT,
    "portal.contract": CLIENT,
    "action_items.board": STAFF,
    "action_items.edit": STAFF,
    "exports.metrics": set(Role),
    "exports.responses": STAFF,
    "reports.index": set(Role),
    "reports.download": set(Role),
    "reports.build": {Role.PROVIDER_ADMIN},
    "tickets.import_page": ADMIN,
    "history.upload": ADMIN,
    "history.mapping": ADMIN,
    "history.confirm": ADMIN,
    "api_tokens.index": ADMIN,
    "followup.board": STAFF,
    "followup.case": STAFF,
    "followup.rules": ADMIN,
    "followup.alerts": STAFF,
    "webhooks.index": ADMIN,
    "webhooks.disable": ADMIN,
    "webhooks.deliveries": ADMIN,
    "webhooks.replay_delivery": ADMIN,
    "api_tokens.revoke": ADMIN,
    "audit_log.index": ADMIN,
    # The JSON API authenticates by bearer token, not by sign-in: @public here, and its own
    # token check, tenant scoping (404) and 401/403 answers are tested in tests/api.
    "api.openapi_document": None,
    "api.list_contracts": None,
    "api.get_contract": None,
    "api.list_cycles": None,
    "api.list_metrics": None,
    "api.list_action_items": None,
    "api.list_responses": None,
    "api.push_tickets": None,
    "api.list_tickets": None,
    "api.get_ticket": None,
    "api.list_sla": None,
    "api.put_customers": None,
}


def test_every_endpoint_is_marked_and_listed(app):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        assert rule.endpoint in ACCESS, f"{rule.endpoint} ({rule.rule}) has no entry in ACCESS"
        if rule.endpoint == "static":
            continue
        assert hasattr(view, "access_roles"), f"{rule.endpoint} has no @requires or @public"
        expected = ACCESS[rule.endpoint]
        assert view.access_roles == (None if expected is None else frozenset(expected)), (
            rule.endpoint
        )


@pytest.fixture
def world(session):
    provider = make_organization(session, "provider")
    other_provider = make_organization(session, "provider")
    client_a, client_b = make_organization(session), make_organization(session)
    a = make_contract(session, provider=provider, client=client_a, number="A-1")
    b = make_contract(session, provider=provider, client=client_b, number="B-1")
    foreign = make_contract(
        session, provider=other_provider, client=make_organization(session), number="F-1"
    )
    return {
        "a": a,
        "b": b,
        "foreign": foreign,
        "item_a": make_action_item(session, a),
        "item_foreign": make_action_item(session, foreign),
        "admin": make_user(session, "provider_admin", provider),
        "analyst": make_user(session, "provider_analyst", provider),
        "client_a": make_user(session, "client_viewer", client_a),
        "other_admin": make_user(session, "provider_admin", other_provider),
    }


def _args(rule, world) -> dict:
    known = {
        "contract_id": world["a"].id,
        "item_id": world["item_a"].id,
        "fmt": "csv",
        "code": "en",
        "token": "x" * 43,
    }
    return {name: known.get(name, 1) for name in rule.arguments}


def _url_for_each_rule(app, world):
    """One concrete URL per signed-in GET rule, with ids of contract A."""
    urls = []
    for rule in app.url_map.iter_rules():
        if ACCESS.get(rule.endpoint) is None or "GET" not in rule.methods:
            continue
        urls.append((rule.endpoint, rule.build(_args(rule, world))[1]))
    return urls


def test_anonymous_visitors_are_sent_to_sign_in_on_every_protected_page(app, client, world):
    urls = _url_for_each_rule(app, world)
    assert urls
    for _endpoint, url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/sign-in"), url


def test_a_client_user_gets_404_for_another_clients_contract(client, world, sign_in):
    sign_in(world["client_a"])
    assert client.get(f"/contracts/{world['a'].id}").status_code == 200
    assert client.get(f"/contracts/{world['b'].id}").status_code == 404
    assert client.get(f"/contracts/{world['foreign'].id}").status_code == 404


def test_a_client_user_lists_only_its_own_contract(client, world, sign_in):
    sign_in(world["client_a"])
    page = client.get("/contracts/").text
    assert "A-1" in page and "B-1" not in page and "F-1" not in page


def test_provider_staff_see_their_contracts_but_not_another_providers(client, world, sign_in):
    sign_in(world["analyst"])
    page = client.get("/contracts/").text
    assert "A-1" in page and "B-1" in page and "F-1" not in page
    assert client.get(f"/contracts/{world['foreign'].id}").status_code == 404


def test_a_role_outside_the_allowed_set_gets_403(app, session):
    from flask_login import login_user

    from surveyapp.access import requires

    @requires(Role.PROVIDER_ADMIN)
    def admin_only():
        return "ok"

    with app.test_request_context():
        login_user(make_user(session, "provider_analyst"))
        with pytest.raises(Exception) as raised:
            admin_only()
        assert getattr(raised.value, "code", None) == 403
        login_user(make_user(session, "provider_admin"))
        assert admin_only() == "ok"


@pytest.mark.parametrize("who", ["admin", "analyst", "client_a"])
def test_each_role_gets_403_on_every_page_outside_its_roles(app, client, world, sign_in, who):
    sign_in(world[who])
    role = world[who].role_enum
    checked = 0
    for endpoint, url in _url_for_each_rule(app, world):
        if role not in ACCESS[endpoint]:
            assert client.get(url).status_code == 403, url
            checked += 1
    assert checked > 0


@pytest.mark.parametrize(
    "url",
    [
        "/portal/contracts/{b}",
        "/exports/contracts/{b}/metrics.csv",
        "/exports/contracts/{b}/metrics.xlsx",
        "/contracts/{b}",
        "/portal/contracts/{foreign}",
    ],
)
def test_a_client_gets_404_for_anything_of_another_client(client, world, sign_in, url):
    sign_in(world["client_a"])
    assert client.get(url.format(b=world["b"].id, foreign=world["foreign"].id)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/contracts/{foreign}",
        "/action-items/{item}/edit",
        "/exports/contracts/{foreign}/metrics.csv",
        "/exports/contracts/{foreign}/responses.csv?month=2026-10",
    ],
)
def test_provider_staff_get_404_for_another_providers_records(client, world, sign_in, url):
    sign_in(world["analyst"])
    assert (
        client.get(
            url.format(foreign=world["foreign"].id, item=world["item_foreign"].id)
        ).status_code
        == 404
    )


def test_a_client_cannot_post_to_an_action_item(client, world, sign_in):
    sign_in(world["client_a"])
    response = client.post(f"/action-items/{world['item_a'].id}/edit", data={"status": "done"})
    assert response.status_code == 403


def test_report_pages_of_another_tenant_are_404_and_building_is_for_admins(client, world, sign_in):
    sign_in(world["client_a"])
    assert client.get(f"/contracts/{world['b'].id}/reports/").status_code == 404
    assert client.post(f"/contracts/{world['a'].id}/reports/2026-10/build").status_code == 403
    client.post("/sign-out")
    sign_in(world["analyst"])
    assert client.get(f"/contracts/{world['foreign'].id}/reports/").status_code == 404
    assert client.post(f"/contracts/{world['a'].id}/reports/2026-10/build").status_code == 403
    client.post("/sign-out")
    sign_in(world["admin"])
    assert client.post(f"/contracts/{world['foreign'].id}/reports/2026-10/build").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/contracts/{foreign}/cycles/",
        "/contracts/{foreign}/cycles/2026-11",
        "/contracts/{foreign}/customers/",
        "/contracts/{foreign}/customers/import",
        "/contracts/{foreign}/tickets/import",
        "/contracts/{foreign}/history/",
    ],
)
def test_a_provider_admin_gets_404_for_another_providers_cycles_and_customers(
    client, world, sign_in, url
):
    sign_in(world["admin"])
    assert client.get(url.format(foreign=world["foreign"].id)).status_code == 404
    assert (
        client.post(
            f"/contracts/{world['foreign'].id}/cycles/open", data={"month": "2026-12"}
        ).status_code
        == 404
    )


def test_an_analyst_reads_cycles_but_cannot_change_them_or_see_customers(client, world, sign_in):
    sign_in(world["analyst"])
    a = world["a"].id
    assert client.get(f"/contracts/{a}/cycles/").status_code == 200
    assert client.post(f"/contracts/{a}/cycles/open", data={"month": "2026-12"}).status_code == 403
    assert client.get(f"/contracts/{a}/customers/").status_code == 403
    assert client.post(f"/contracts/{a}/customers/import").status_code == 403


def test_follow_up_rules_of_another_provider_are_404_and_for_admins_only(client, world, sign_in):
    sign_in(world["analyst"])
    assert client.get(f"/contracts/{world['a'].id}/follow-up-rules").status_code == 403
    assert client.get("/webhooks/").status_code == 403
    client.post("/sign-out")
    sign_in(world["admin"])
    assert client.get(f"/contracts/{world['a'].id}/follow-up-rules").status_code == 200
    assert client.get(f"/contracts/{world['foreign'].id}/follow-up-rules").status_code == 404
    assert client.post(f"/contracts/{world['foreign'].id}/follow-up-rules").status_code == 404


def test_autopilot_page_is_scoped_to_the_provider_and_retry_is_for_admins(client, world, sign_in):
    a, foreign = world["a"].id, world["foreign"].id
    sign_in(world["analyst"])
    assert client.get(f"/contracts/{a}/autopilot/").status_code == 200
    assert client.post(f"/contracts/{a}/autopilot/retry").status_code == 403
    assert client.get(f"/contracts/{foreign}/autopilot/").status_code == 404
    client.post("/sign-out")
    sign_in(world["admin"])
    assert client.get(f"/contracts/{foreign}/autopilot/").status_code == 404
    assert client.post(f"/contracts/{foreign}/autopilot/retry").status_code == 404
    client.post("/sign-out")
    sign_in(world["client_a"])
    assert client.get(f"/contracts/{a}/autopilot/").status_code == 403
