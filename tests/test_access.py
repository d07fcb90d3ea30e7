"""Access control over every route, read from the URL map.

Every endpoint must be marked ``@public`` or ``@requires(...)``; a new route without a mark
fails here. Each entry of ACCESS says what an anonymous visitor, each role, and a user of
another tenant must get.
"""

import pytest

from surveyapp.models import Role

from .factories import (
    make_action_item,
    make_contract,
    make_cycle,
    make_invitation,
    make_organization,
    make_response,
    make_survey_version,
    make_ticket,
    make_user,
)

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
    "contracts.new": ADMIN,
    "contracts.remove_clause_": ADMIN,
    "contracts.activate": ADMIN,
    "contracts.end": ADMIN,
    "contracts.renew": ADMIN,
    "clients.index": STAFF,
    "clients.new": ADMIN,
    "clients.edit": ADMIN,
    "clients.set_active": ADMIN,
    "survey_versions.index": STAFF,
    "survey_versions.show": STAFF,
    "survey_versions.edit": ADMIN,
    "survey_versions.new": ADMIN,
    "survey_versions.settings": ADMIN,
    "survey_versions.retire": ADMIN,
    "survey_versions.reinstate": ADMIN,
    "survey_versions.preview": STAFF,
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
    "survey.no_link": None,
    "survey.logo": None,
    "survey_page.edit": ADMIN,
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
    "tickets.sla_export": STAFF,  # sla #23
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
    "auth.forgot_password": None,
    "auth.set_password": None,
    "auth.setup": None,
    "users.index": ADMIN,
    "users.invite": ADMIN,
    "users.edit": ADMIN,
    "users.deactivate": ADMIN,
    "users.reactivate": ADMIN,
    "users.resend": ADMIN,
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
    "api.sla_satisfaction_figures": None,  # sla #23
    "api.put_customers": None,
    "api.list_breaches": None,
    "breaches.index": set(Role),
    "breaches.statement": set(Role),
    "breaches.statement_pdf": set(Role),
    "breaches.terms": ADMIN,
    "breaches.derive": ADMIN,
    "breaches.record_entry": ADMIN,
    "breaches.payment": ADMIN,
    "breaches.settle": ADMIN,
    "breaches.correct": ADMIN,
    "breaches.respond": {Role.PROVIDER_ADMIN, Role.CLIENT_VIEWER},
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


# URL parameter -> the kind of row (a key of Tenant.rows) whose id it takes, or ("literal", value)
# for a parameter that is no id. A new endpoint needs one entry here for a new parameter name; a
# parameter without an entry fails the tests (no fallback id).
PARAMS = {
    "contract_id": "contract",
    "month": "month",
    "item_id": "action_item",
    "report_id": "report",
    "token_id": "api_token",
    "case_id": "case",
    "endpoint_id": "webhook_endpoint",
    "delivery_id": "webhook_delivery",
    "invitation_id": "invitation",
    "survey_id": "survey",
    "number": "survey_version_number",
    "upload_id": "upload",
    "client_id": "client",
    "user_id": "user",
    "ticket_id": "ticket",
    "entry_id": "breach_entry",
    "fmt": ("literal", "csv"),
    "code": ("literal", "en"),
    "token": ("literal", "x" * 43),
    "filename": ("literal", "css/app.css"),
    "digest": ("literal", "0" * 64),
}
LITERAL_OVERRIDES = {("cycles.qr", "fmt"): "svg"}
MONTH = "2026-10"


class Tenant:
    """One provider-client pair with a real row of every kind (provider-level rows, such as API
    tokens and webhook endpoints, belong to its provider)."""

    def __init__(self, session, app, provider, client, number):
        from datetime import UTC, datetime, timedelta
        from hashlib import sha256

        from surveyapp.api_tokens.service import create_token
        from surveyapp.history import uploads
        from surveyapp.history.formats import read_table
        from surveyapp.models import (
            DeliveryStatus,
            FollowupCase,
            OutboxEvent,
            Report,
            WebhookDelivery,
            WebhookEndpoint,
        )

        contract = make_contract(session, provider=provider, client=client, number=number)
        version = make_survey_version(session, provider)
        contract.survey_id = version.survey_id
        cycle = make_cycle(session, contract, version, month=MONTH, status="closed")
        invitation, _ = make_invitation(session, cycle)
        response = make_response(session, invitation, values={"RESP": 1, "NPS": 2})
        client.provider_id = provider.id  # a client this provider keeps
        self.admin = make_user(session, "provider_admin", provider)
        self.analyst = make_user(session, "provider_analyst", provider)
        self.client_user = make_user(session, "client_viewer", client)
        now = datetime(2026, 11, 2, tzinfo=UTC)
        report = Report(
            cycle_id=cycle.id, contract_id=contract.id, month=MONTH, locale="zh_CN", version=1,
            sha256=sha256(b"%PDF").hexdigest(), size_bytes=4, inputs_version="x", content=b"%PDF",
            created_at=now,
        )  # fmt: skip
        case = FollowupCase(
            contract_id=contract.id, response_id=response.id, customer_id=invitation.customer_id,
            month=MONTH, triggers=[], opened_at=now, due_at=now + timedelta(hours=24),
        )  # fmt: skip
        endpoint = WebhookEndpoint(
            organization_id=provider.id, url="https://hooks.example.com/in", events="case.opened"
        )
        endpoint.set_secret("whsec_test")
        event = OutboxEvent(
            event_id=f"00000000-0000-0000-0000-{number.encode().hex()[:12]:0>12}",
            organization_id=provider.id, type="case.opened", payload={"case_id": 1},
            created_at=now,
        )  # fmt: skip
        session.add_all([report, case, endpoint, event])
        session.flush()
        delivery = WebhookDelivery(
            event_id=event.id, endpoint_id=endpoint.id, status=DeliveryStatus.FAILED,
            next_attempt_at=now,
        )  # fmt: skip
        session.add(delivery)
        session.commit()
        token, _secret = create_token(session, provider, f"token {number}")
        self.api_secret = create_token(session, provider, f"api {number}")[1]
        self.client_api_secret = create_token(session, client, f"client api {number}")[1]
        upload = uploads.save(
            app.instance_path, read_table(b"a,b\n1,2\n"), contract_id=contract.id,
            user_id=self.admin.id, filename="h.csv", preset="generic", encoding="utf-8",
            version_id=version.id, origin="h",
        )  # fmt: skip
        self.contract = contract
        self.rows = {
            "contract": contract.id,
            "month": MONTH,
            "action_item": make_action_item(session, contract).id,
            "report": report.id,
            "api_token": token.id,
            "case": case.id,
            "webhook_endpoint": endpoint.id,
            "webhook_delivery": delivery.id,
            "invitation": invitation.id,
            "survey": version.survey_id,
            "survey_version_number": version.number,
            "upload": upload.id,
            "client": client.id,
            "ticket": make_ticket(session, contract).id,
            "breach_entry": _breach_entry(session, contract).id,
            # a user only the route walk touches (it may deactivate them)
            "user": make_user(session, "provider_analyst", provider).id,
        }


def _breach_entry(session, contract):
    from surveyapp.models import BreachEntry

    entry = BreachEntry(contract_id=contract.id, month=MONTH, key="survey", kind="survey_missed",
                        clause_ref="一(3)", evidence={"reason": "survey_not_run"})  # fmt: skip
    session.add(entry)
    session.commit()
    return entry


@pytest.fixture(autouse=True)
def cheap_work(monkeypatch):
    """Cheap password hashing for the many users here, and no PDF rendering for the own-row
    report build the route walk makes."""
    from functools import partial

    from werkzeug.security import generate_password_hash

    cheap = partial(generate_password_hash, method="pbkdf2:sha256:1000")
    monkeypatch.setattr("surveyapp.models.organizations.generate_password_hash", cheap)
    monkeypatch.setattr("surveyapp.reports.building.render_pdf", lambda html: b"%PDF-1.7")


@pytest.fixture
def world(session, app):
    provider = make_organization(session, "provider")
    other_provider = make_organization(session, "provider")
    client_a, client_b = make_organization(session), make_organization(session)
    tenants = {
        "a": Tenant(session, app, provider, client_a, "A-1"),
        "b": Tenant(session, app, provider, client_b, "B-1"),
        "foreign": Tenant(session, app, other_provider, make_organization(session), "F-1"),
    }
    a, b, foreign = (tenants[k].contract for k in ("a", "b", "foreign"))
    return {
        "tenants": tenants,
        "a": a,
        "b": b,
        "foreign": foreign,
        "item_a": make_action_item(session, a),
        "item_foreign": make_action_item(session, foreign),
        "admin": tenants["a"].admin,
        "analyst": tenants["a"].analyst,
        "client_a": tenants["a"].client_user,
        "other_admin": tenants["foreign"].admin,
    }


def _args(rule, tenant: Tenant, other: Tenant | None = None, swap: str | None = None) -> dict:
    """The rule's arguments from ``tenant``'s rows; ``swap`` (a parameter name, or "*" for all)
    takes ``other``'s row instead. A parameter without an entry in PARAMS fails the test."""
    args = {}
    for name in sorted(rule.arguments):
        if name not in PARAMS:
            pytest.fail(f"{rule.endpoint} ({rule.rule}): add URL parameter {name!r} to PARAMS")
        kind = PARAMS[name]
        if isinstance(kind, tuple):
            args[name] = LITERAL_OVERRIDES.get((rule.endpoint, name), kind[1])
        else:
            source = other if swap in ("*", name) else tenant
            args[name] = source.rows[kind]
    return args


def _id_params(rule) -> list[str]:
    return [n for n in sorted(rule.arguments) if not isinstance(PARAMS.get(n), tuple)]


def _url_for_each_rule(app, world):
    """One concrete URL per signed-in GET rule, with the ids of tenant A."""
    urls = []
    for rule in app.url_map.iter_rules():
        if ACCESS.get(rule.endpoint) is None or "GET" not in rule.methods:
            continue
        urls.append((rule.endpoint, rule.build(_args(rule, world["tenants"]["a"]))[1]))
    return urls


# who -> the tenants whose rows must be 404 for them
OTHERS = {"admin": ("foreign",), "analyst": ("foreign",), "client_a": ("b", "foreign")}


def _call(client, method: str, url: str, headers=None):
    return client.open(url, method=method, headers=headers or {}, data={})


@pytest.mark.parametrize("who", sorted(OTHERS))
def test_every_id_of_another_tenant_is_404_on_every_route(app, client, world, sign_in, who):
    """Each route, each of its id parameters in turn (and all of them at once) taken from
    another tenant's real row, the rest from the user's own: 404. The user's own ids: no 404
    (so the rows are real and the 404s mean something)."""
    user, own = world[who], world["tenants"]["a"]
    sign_in(user)
    checked = 0
    rules = [
        r for r in app.url_map.iter_rules()
        if ACCESS.get(r.endpoint) is not None and user.role_enum in ACCESS[r.endpoint]
        and _id_params(r)
    ]  # fmt: skip
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for other in (world["tenants"][k] for k in OTHERS[who]):
                for swap in ["*", *_id_params(rule)]:
                    url = rule.build(_args(rule, own, other, swap))[1]
                    if url == rule.build(_args(rule, own))[1]:
                        continue  # the same row (a provider-level row shared by A and B)
                    status = _call(client, method, url).status_code
                    assert status == 404, f"{who} {method} {url} ({rule.endpoint}) -> {status}"
                    checked += 1
    for rule in rules:  # own ids after the others: a POST may change its own row
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = rule.build(_args(rule, own))[1]
            status = _call(client, method, url).status_code
            assert status != 404, f"{who} {method} {url} ({rule.endpoint}): own row is 404"
    assert checked > 10


@pytest.mark.parametrize("who", ["provider", "client"])
def test_every_api_route_answers_404_for_another_tenants_ids(app, client, world, who):
    own, others = world["tenants"]["a"], [world["tenants"]["b"], world["tenants"]["foreign"]]
    secret = own.api_secret if who == "provider" else own.client_api_secret
    if who == "provider":
        others = others[1:]
    headers = {"Authorization": f"Bearer {secret}"}
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or not _id_params(rule):
            continue
        method = "GET" if "GET" in rule.methods else min(rule.methods - {"HEAD", "OPTIONS"})
        for other in others:
            url = rule.build(_args(rule, own, other, "*"))[1]
            status = _call(client, method, url, headers).status_code
            assert status == 404, f"{who} {method} {url} -> {status}"
            checked += 1
        own_url = rule.build(_args(rule, own))[1]
        assert _call(client, method, own_url, headers).status_code != 404
    assert checked >= 6


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
