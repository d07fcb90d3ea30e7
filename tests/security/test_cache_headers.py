"""``Cache-Control: no-store`` on every answer to a signed-in user or an API token (issue #28).

The routes are read from the app's URL map, so a new page, export or API route is covered the
day it is added. Whatever the status (200, 302, 404 ...), an authenticated answer must not be
kept by a shared or browser cache; static files and anonymous pages stay cacheable.
"""

from __future__ import annotations

from surveyapp.api_tokens.service import create_token
from surveyapp.extensions import db

from ..factories import (
    make_action_item,
    make_contract,
    make_customer,
    make_cycle,
    make_invitation,
    make_organization,
    make_response,
    make_user,
)
from ..test_access import ACCESS

# Signing out answers a visitor who is no longer signed in (a redirect, no data).
NOT_SIGNED_IN_ANSWER = {"auth.sign_out"}
# A month without a closed cycle: the report build answers at once instead of drawing a PDF.
MONTH_OVERRIDE = {"reports.build": "2020-01"}


def _world(session):
    provider = make_organization(session, "provider")
    client_org = make_organization(session)
    contract = make_contract(session, provider=provider, client=client_org)
    make_customer(session, contract)
    cycle = make_cycle(session, contract, month="2026-10", status="closed")
    invitation, _token = make_invitation(session, cycle)
    make_response(session, invitation)
    return {
        "contract": contract,
        "cycle": cycle,
        "invitation": invitation,
        "item": make_action_item(session, contract),
        "admin": make_user(session, "provider_admin", provider),
        "client": make_user(session, "client_viewer", client_org),
        "token": create_token(session, provider, "cache test")[1],
    }


def _url(rule, world) -> str:
    known = {
        "contract_id": world["contract"].id,
        "item_id": world["item"].id,
        "invitation_id": world["invitation"].id,
        "month": MONTH_OVERRIDE.get(rule.endpoint, world["cycle"].month),
        "survey_id": world["cycle"].survey_version.survey_id,
        "number": world["cycle"].survey_version.number,
        "fmt": "png" if rule.endpoint == "cycles.qr" else "csv",
        "code": "en",
        "token": "x" * 43,
    }
    url = rule.build({name: known.get(name, 1) for name in rule.arguments})[1]
    return f"{url}?month={world['cycle'].month}"  # the exports and dashboards read ?month=


def _signed_in(app, user):
    client = app.test_client()
    response = client.post(
        "/sign-in", data={"email": user.email, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    return client


def _call(client, rule, url, **kw):
    if "GET" in rule.methods:
        return client.get(url, **kw)
    return client.post(url, **kw) if "json" in kw else client.post(url, data={}, **kw)


def test_every_signed_in_route_answers_no_store(app, session):
    world = _world(session)
    staff, client_user = _signed_in(app, world["admin"]), _signed_in(app, world["client"])
    checked, ok = [], set()
    for rule in app.url_map.iter_rules():
        roles = ACCESS.get(rule.endpoint)
        if (
            rule.endpoint.startswith("api.")
            or roles is None
            or rule.endpoint in NOT_SIGNED_IN_ANSWER
        ):
            continue
        who = staff if "provider_admin" in {str(r) for r in roles} else client_user
        url = _url(rule, world)
        response = _call(who, rule, url)
        assert _no_store(response), (url, response.status_code)
        checked.append(rule.endpoint)
        if response.status_code == 200:
            ok.add(rule.endpoint)
    # the pages and exports that carry customer or contract data answered with their data
    assert {
        "customers.index",
        "exports.responses",
        "exports.metrics",
        "dashboard.contract",
        "portal.contract",
        "contracts.show",
    } <= ok
    assert len(checked) > 40


def test_every_api_route_answers_no_store(app, session):
    world = _world(session)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world['token']}"}
    ok = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint == "api.openapi_document":
            continue
        kw = {"headers": headers}
        if "GET" not in rule.methods:
            kw["json"] = {"tickets": []}
        # the API refuses query parameters an operation does not take: ?month= only if needed
        url = _url(rule, world).partition("?")[0]
        response = _call(client, rule, url, **kw)
        if response.status_code == 400:
            url = _url(rule, world)
            response = _call(client, rule, url, **kw)
        assert _no_store(response), (url, response.status_code)
        if response.status_code == 200:
            ok.add(rule.endpoint)
    assert {"api.list_contracts", "api.list_responses", "api.list_metrics"} <= ok


def test_anonymous_pages_and_static_files_stay_cacheable(app, session):
    world = _world(session)
    anonymous = app.test_client()
    assert "Cache-Control" not in anonymous.get("/sign-in").headers
    staff = _signed_in(app, world["admin"])
    static = staff.get("/static/css/app.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
    with app.app_context():
        db.session.remove()


def _no_store(response) -> bool:
    """``no-store`` among the directives (a download may add ``private``)."""
    directives = response.headers.get("Cache-Control", "").split(",")
    return "no-store" in {d.strip() for d in directives}
