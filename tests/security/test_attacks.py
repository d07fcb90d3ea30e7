"""Adversarial tests: attacks and bad inputs, each answered by a clear 4xx (or a harmless page)
with nothing stored and nothing leaked (issue #6; contract clause 四).

The attacks, counted in ATTACKS at the bottom of this module:
stored XSS in a comment (dashboard, PDF), XSS in question text, SQL injection in filters, ids and
the sign-in form, IDOR across tenants on every id-taking route and the API, CSRF on every
state-changing form, link guessing, expired and replayed links, closed cycles, oversized bodies,
invalid UTF-8, formula injection in exports, open redirects, session fixation and forgery, a
client editing its own role, out-of-range answers, path traversal, method tampering, API tokens
in the query string, revoked and malformed API tokens, huge ids.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from surveyapp.api_tokens.service import create_token, revoke_token
from surveyapp.models import (
    ActionItem,
    Answer,
    AuditEvent,
    Base,
    Customer,
    Question,
    Role,
    User,
    utcnow,
)
from surveyapp.survey.tokens import new_token

from ..conftest import make_app
from ..factories import (
    PASSWORD,
    make_action_item,
    make_contract,
    make_cycle,
    make_invitation,
    make_organization,
    make_response,
    make_survey_version,
    make_user,
)
from .conftest import full_answers

XSS = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
SQLI = [
    "' OR '1'='1",
    "1; DROP TABLE customers; --",
    "2026-11' UNION SELECT email_enc FROM customers --",
    "1) OR (1=1",
]
SQL_ERRORS = re.compile(r"syntax error|sqlite3\.|psycopg|OperationalError|Traceback", re.I)


def counts(session) -> dict[str, int]:
    """Rows per table: an attack that stored anything changes this."""
    session.expire_all()
    return {
        t.name: session.scalar(select(func.count()).select_from(t))
        for t in Base.metadata.sorted_tables
    }


def sign_in_as(client, user) -> None:
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.text


@pytest.fixture
def analyst(session):
    return make_user(session, "provider_analyst")


@pytest.fixture
def world(session, survey):
    """Provider P (admin, analyst) with clients A and B; provider F with its own contract."""
    contract_a = survey.cycle.contract
    provider, client_a = contract_a.provider, contract_a.client
    contract_b = make_contract(session, provider=provider, number="B-1")
    foreign_provider = make_organization(session, "provider")
    foreign = make_contract(session, provider=foreign_provider, number="F-1")
    foreign_version = make_survey_version(session, foreign_provider)
    foreign_cycle = make_cycle(session, foreign, foreign_version, month=survey.cycle.month)
    foreign_invitation, _ = make_invitation(session, foreign_cycle)
    _, foreign_token = create_token(session, foreign_provider, "helpdesk F")
    return {
        "survey": survey,
        "a": contract_a,
        "b": contract_b,
        "foreign": foreign,
        "foreign_cycle": foreign_cycle,
        "foreign_invitation": foreign_invitation,
        "foreign_version": foreign_version,
        "foreign_token": foreign_token,
        "item_foreign": make_action_item(session, foreign),
        "admin": make_user(session, "provider_admin", provider),
        "analyst": make_user(session, "provider_analyst", provider),
        "client_a": make_user(session, "client_viewer", client_a),
        "api_token": create_token(session, provider, "helpdesk P")[1],
        "foreign_user": make_user(session, "provider_analyst", foreign_provider),
    }


# --- cross-site scripting -------------------------------------------------------------------


def _low_scores_with(session, survey, invite, comment: str, n: int = 6) -> None:
    question = next(q for q in survey.version.questions if q.code == "COMMENT")
    for _ in range(n):
        invitation, _token = invite()
        response = make_response(session, invitation, {"RESP": 1, "NPS": 2})
        response.answers.append(
            Answer(
                question_id=question.id,
                contract_id=response.contract_id,
                month=response.month,
                question_code="COMMENT",
                kind="text",
                text_value=comment,
            )
        )
        invitation.responded_at = response.submitted_at
        session.commit()
    survey.cycle.status = "closed"  # the dashboard shows closed months
    session.commit()


def test_stored_xss_in_a_comment_is_escaped_on_the_dashboard(client, session, world, invite):
    survey = world["survey"]
    _low_scores_with(session, survey, invite, f"{XSS} 回复太慢 等待太久 slow reply")
    sign_in_as(client, world["analyst"])
    page = client.get(f"/dashboard/contracts/{world['a'].id}?month={survey.cycle.month}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(" in page.text  # the comment is shown, as text


def test_stored_xss_in_a_comment_is_escaped_in_the_pdf_report(app, session, world, invite, charts):
    from surveyapp.reports import building

    survey = world["survey"]
    _low_scores_with(session, survey, invite, f"{XSS} 回复太慢 等待太久 slow reply")
    with app.test_request_context():
        from surveyapp.extensions import db

        cycle = db.session.get(type(survey.cycle), survey.cycle.id)
        month = building._analyse(db.session, cycle, "zh_CN", utcnow())
        html = building._html(cycle, month, "zh_CN", 1, utcnow())
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


def test_xss_in_question_text_is_escaped_on_the_survey_and_the_editor(
    client, session, world, invite
):
    survey = world["survey"]
    question = session.get(Question, survey.version.questions[0].id)
    question.text_zh = question.text_en = XSS
    session.commit()
    _, token = invite()
    form = client.get(f"/s/{token}")
    assert form.status_code == 200
    sign_in_as(client, world["admin"])
    shown = client.get(f"/surveys/{survey.version.survey_id}/versions/{survey.version.number}")
    for page in (form, shown):
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;" in page.text


def test_xss_in_an_action_item_title_is_escaped(client, session, world):
    make_action_item(session, world["a"], title=XSS)
    sign_in_as(client, world["analyst"])
    page = client.get("/action-items/")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text


# --- SQL injection -------------------------------------------------------------------------

FILTERS = ["month", "status", "owner", "clause", "contract", "sort", "order", "overdue", "page"]


@pytest.mark.parametrize("payload", SQLI)
def test_sql_injection_in_every_filter_of_every_page(app, client, session, world, payload):
    sign_in_as(client, world["admin"])
    before = counts(session)
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.startswith(("api.", "static", "survey.")):
            continue
        if rule.endpoint in {"auth.set_language", "auth.sign_in"}:
            continue
        path = rule.build(_own_args(rule, world), append_unknown=False)[1]
        response = client.get(path, query_string={name: payload for name in FILTERS})
        allowed = getattr(app.view_functions[rule.endpoint], "access_roles", None)
        expected = (
            {200, 302, 400, 404} if allowed is None or Role.PROVIDER_ADMIN in allowed else {403}
        )
        assert response.status_code in expected, (path, response.status_code)
        # a PDF is binary and its header "%PDF-1.7" holds "F-1": text checks are for text
        body = "" if response.mimetype == "application/pdf" else response.get_data(as_text=True)
        assert not SQL_ERRORS.search(body), path
        assert "F-1" not in body, path  # another provider's data
        checked += 1
    assert checked > 15
    after = counts(session)  # exports and downloads are audited: that is all that may change
    assert after.pop("audit_events") >= before.pop("audit_events") and after == before


def test_sql_injection_in_ids_is_a_404(client, analyst):
    sign_in_as(client, analyst)
    for payload, template in itertools.product(
        SQLI,
        (
            "/contracts/{}",
            "/dashboard/contracts/{}",
            "/action-items/{}/edit",
            "/exports/contracts/{}/metrics.csv",
        ),
    ):
        assert client.get(template.format(payload)).status_code == 404


def test_sql_injection_in_api_parameters_is_a_400(client, session, world):
    headers = {"Authorization": f"Bearer {world['api_token']}"}
    a = world["a"].id
    for payload, (path, param) in itertools.product(
        SQLI,
        [
            (f"/api/v1/contracts/{a}/metrics", "month"),
            (f"/api/v1/contracts/{a}/responses", "month"),
            ("/api/v1/contracts", "limit"),
            ("/api/v1/contracts", "cursor"),
            (f"/api/v1/contracts/{a}/tickets", "updated_since"),
        ],
    ):
        response = client.get(path, query_string={param: payload}, headers=headers)
        assert response.status_code == 400, (path, param)
        assert response.json["type"] == "urn:surveyapp:problem:invalid_parameter"
    for payload in SQLI:
        assert client.get(f"/api/v1/contracts/{payload}", headers=headers).status_code == 404


def test_sql_injection_in_the_sign_in_form(client, session):
    before = counts(session)
    for payload in SQLI:
        response = client.post("/sign-in", data={"email": payload, "password": payload})
        assert response.status_code in {400, 401}
        assert client.get("/contracts/").status_code == 302
    after = counts(session)
    assert {k: v for k, v in after.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }


# --- IDOR across tenants -------------------------------------------------------------------


def _own_args(rule, world) -> dict:
    return _args(rule, world, foreign=False)


def _args(rule, world, *, foreign: bool) -> dict:
    contract = world["foreign"] if foreign else world["a"]
    cycle = world["foreign_cycle"] if foreign else world["survey"].cycle
    known = {
        "contract_id": contract.id,
        "month": cycle.month,
        "item_id": world["item_foreign"].id,
        "invitation_id": world["foreign_invitation"].id,
        "survey_id": world["foreign_version"].survey_id,
        "number": world["foreign_version"].number,
        "fmt": "csv",
        "code": "en",
        "upload_id": "1",
        "client_id": contract.client_id,
        "user_id": world["foreign_user"].id,
    }
    return {name: known.get(name, 1) for name in rule.arguments}


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
        path = rule.build(_args(rule, world, foreign=True), append_unknown=False)[1]
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


# --- CSRF ----------------------------------------------------------------------------------


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_csrf_every_state_changing_form_refuses_a_post_without_token(database_url, session, world):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    forged = client.post("/sign-in", data={"email": world["admin"].email, "password": PASSWORD})
    assert forged.status_code == 400  # sign-in itself is protected
    page = client.get("/sign-in").text
    client.post(
        "/sign-in",
        data={
            "email": world["admin"].email,
            "password": PASSWORD,
            "csrf_token": _csrf_token(page),
        },
    )
    assert client.get("/contracts/").status_code == 200
    _, live_token = make_invitation(session, world["survey"].cycle)  # a real, open link
    session.commit()
    before = counts(session)
    version = session.scalar(select(User.session_version).where(User.id == world["admin"].id))
    checked = 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint.startswith("api."):
            continue
        args = _own_args(rule, world)
        if "token" in rule.arguments:  # the survey's own pages: refused for the token too
            args["token"] = live_token
        path = rule.build(args, append_unknown=False)[1]
        response = client.post(path, data={"status": "done", "name": "x", "url": "https://x.cn"})
        assert response.status_code == 400, (path, response.status_code)
        checked += 1
    assert checked >= 20
    assert counts(session) == before
    session.expire_all()
    assert session.scalar(select(User.session_version).where(User.id == world["admin"].id)) == (
        version
    )  # the forged sign-out did not sign the admin out


def test_csrf_the_survey_form_refuses_a_post_without_token(database_url, session, world, invite):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    _, token = invite()
    response = app.test_client().post(f"/s/{token}", data=full_answers(world["survey"]))
    assert response.status_code == 400
    assert counts(session)["responses"] == 0


# --- survey links --------------------------------------------------------------------------


def test_guessed_links_are_404_and_then_rate_limited(database_url, session):
    client = make_app(database_url, RATELIMIT_SURVEY_MISSES_PER_ADDRESS="10 per 10 minutes")
    client = client.test_client()
    codes = [client.get(f"/s/{new_token()}").status_code for _ in range(12)]
    assert codes[:10] == [404] * 10 and codes[10:] == [429, 429]
    assert counts(session)["responses"] == 0


@pytest.mark.parametrize(
    "token", ["short", "x" * 200, "../../etc/passwd", "%00" + "a" * 30, "a" * 30 + "'--"]
)
def test_malformed_links_are_404(client, token):
    assert client.get(f"/s/{token}").status_code == 404


def test_an_expired_link_is_410_and_stores_nothing(client, session, world, invite):
    invitation, token = invite()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    session.commit()
    assert client.get(f"/s/{token}").status_code == 410
    assert client.post(f"/s/{token}", data=full_answers(world["survey"])).status_code == 410
    assert counts(session)["responses"] == 0


def test_a_replayed_submit_is_409_and_stored_once(client, session, world, invite):
    _, token = invite()
    data = full_answers(world["survey"])
    assert client.post(f"/s/{token}", data=data).status_code == 303
    before = counts(session)
    assert client.post(f"/s/{token}", data=data).status_code == 409
    assert counts(session) == before and before["responses"] == 1


def test_a_closed_cycle_refuses_answers(client, session, world, invite):
    _, token = invite()
    cycle = world["survey"].cycle
    cycle.status = "closed"
    cycle.closes_at = utcnow() - timedelta(hours=1)
    session.commit()
    assert client.post(f"/s/{token}", data=full_answers(world["survey"])).status_code == 410
    assert counts(session)["responses"] == 0


@pytest.mark.parametrize(
    "override",
    [{"q-RESP": "99"}, {"q-NPS": "-1"}, {"q-RESP": "4' OR 1=1"}, {"q-CHANNEL": "999999"},
     {"q-COMMENT": "x" * 2001}, {"q-RESP": None}],
)  # fmt: skip
def test_out_of_range_or_foreign_answers_are_400_and_store_nothing(
    client, session, world, invite, override
):
    _, token = invite()
    data = full_answers(world["survey"], **override)
    if override.get("q-CHANNEL"):
        data["q-CHANNEL"] = str(world["foreign_version"].questions[2].options[0].id)
    assert client.post(f"/s/{token}", data=data).status_code == 400
    assert counts(session)["responses"] == 0


# --- bodies and encodings ------------------------------------------------------------------


def test_an_oversized_survey_body_is_413_and_stores_nothing(database_url, session, world, invite):
    client = make_app(database_url, MAX_CONTENT_LENGTH=64 * 1024).test_client()
    _, token = invite()
    data = full_answers(world["survey"], **{"q-COMMENT": "长" * 100_000})
    assert client.post(f"/s/{token}", data=data).status_code == 413
    assert counts(session)["responses"] == 0


def test_an_oversized_api_body_is_413(client, session, world):
    response = client.post(
        "/api/v1/tickets",
        data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {world['api_token']}"},
    )
    assert response.status_code == 413
    assert response.json["type"] == "urn:surveyapp:problem:too_large"
    assert counts(session)["tickets"] == 0


def test_invalid_utf8_in_a_survey_submit_is_400_and_stores_nothing(client, session, invite):
    _, token = invite()
    response = client.post(
        f"/s/{token}",
        data=b"q-RESP=4&q-NPS=9&q-COMMENT=%FF%FE%80bad",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert counts(session)["responses"] == 0


def test_invalid_utf8_in_query_strings_and_paths_is_not_a_crash(client, world):
    sign_in_as(client, world["analyst"])
    for path in (
        f"/dashboard/contracts/{world['a'].id}?month=%FF%FE",
        "/action-items/?status=%C3%28",
        "/s/%FF%FE%FD" + "a" * 30,
    ):
        assert client.get(path).status_code in {200, 400, 404}, path


def test_invalid_utf8_and_broken_json_in_the_api_are_400(client, session, world):
    headers = {"Authorization": f"Bearer {world['api_token']}"}
    for body in (b'{"external_id": "\xff\xfe"}', b"{not json", b"[" * 5000):
        response = client.post(
            "/api/v1/tickets", data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 400, body[:20]
    assert counts(session)["tickets"] == 0


# --- exports -------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+SUM(1,2)", "-2+3", "@cmd|' /C calc'!A0"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_injection_in_exports_is_neutralised(client, session, world, invite, fmt):
    survey = world["survey"]
    for formula in FORMULAS:
        _, token = invite()
        data = full_answers(survey, **{"q-COMMENT": formula})
        assert client.post(f"/s/{token}", data=data).status_code == 303
    sign_in_as(client, world["analyst"])
    response = client.get(
        f"/exports/contracts/{world['a'].id}/responses.{fmt}?month={survey.cycle.month}"
    )
    assert response.status_code == 200
    if fmt == "csv":
        cells = [
            c for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig"))) for c in row
        ]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.data)).active
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    for formula in FORMULAS:
        assert "'" + formula in cells, formula
        assert formula not in cells


def test_exports_carry_no_contact_data(client, session, world, invite):
    survey = world["survey"]
    invitation, token = invite()
    client.post(f"/s/{token}", data=full_answers(survey))
    contact = session.get(Customer, invitation.customer_id).reveal_contact()
    sign_in_as(client, world["admin"])
    body = client.get(
        f"/exports/contracts/{world['a'].id}/responses.csv?month={survey.cycle.month}"
    ).data.decode("utf-8-sig")
    assert contact.email not in body and contact.mobile not in body and contact.name not in body


# --- sign-in and sessions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
     "\t//evil.example", "http:/\\evil.example", "/%0d%0aSet-Cookie:x=1", "/\r\nSet-Cookie: x=1"],
)  # fmt: skip
def test_open_redirect_on_sign_in_next_goes_home(client, analyst, target):
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": analyst.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//"), location
    assert "evil" not in location or location.startswith("/%"), location
    assert not any(c.startswith("x=") for c in response.headers.getlist("Set-Cookie"))


def test_open_redirect_on_the_language_switch(client):
    response = client.get("/language/en", query_string={"next": "//evil.example"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_session_fixation_a_planted_cookie_gains_nothing(app, world):
    attacker = app.test_client()
    attacker.get("/language/en")  # a valid anonymous session of the attacker's
    planted = attacker.get_cookie("session").value
    victim = app.test_client()
    victim.set_cookie("session", planted)
    sign_in_as(victim, world["analyst"])
    assert victim.get_cookie("session").value != planted
    assert attacker.get("/contracts/").status_code == 302  # still anonymous


def test_a_forged_session_cookie_is_ignored(app, world):
    from flask.sessions import SecureCookieSessionInterface

    forger = make_app(app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="guessed-wrong")
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    cookie = serializer.dumps({"_user_id": f"{world['admin'].id}.0", "_fresh": True})
    client = app.test_client()
    client.set_cookie("session", cookie)
    assert client.get("/contracts/").status_code == 302


def test_a_client_user_cannot_edit_its_own_role(client, session, world):
    user = world["client_a"]
    sign_in_as(client, user)
    before = counts(session)
    a = world["a"].id
    attempts = [
        ("/sign-in", {"email": user.email, "password": PASSWORD, "role": "provider_admin"}),
        (f"/contracts/{a}/edit", {"role": "provider_admin", "number": "A-X"}),
        ("/api-tokens/", {"name": "mine", "organization": "1"}),
        ("/webhooks/", {"url": "https://evil.example/hook", "events": "response.submitted"}),
    ]
    for path, data in attempts:
        assert client.post(path, data=data).status_code in {302, 403}, path
    session.expire_all()
    assert session.get(User, user.id).role == "client_viewer"
    assert counts(session) == before
    assert client.get("/dashboard/").status_code == 403


def test_an_analyst_cannot_change_what_only_admins_may(client, session, world):
    sign_in_as(client, world["analyst"])
    before = counts(session)
    a = world["a"].id
    for path in (
        f"/contracts/{a}/edit",
        f"/contracts/{a}/cycles/open",
        f"/contracts/{a}/reports/2026-10/build",
        "/api-tokens/",
    ):
        assert client.post(path, data={"month": "2026-12"}).status_code == 403, path
    assert counts(session) == before


# --- API tokens ----------------------------------------------------------------------------


def test_api_tokens_in_the_query_string_or_malformed_are_401(client, world):
    token = world["api_token"]
    for kwargs in (
        {"query_string": {"access_token": token}},
        {"query_string": {"token": token}},
        {"headers": {"Authorization": token}},
        {"headers": {"Authorization": f"Basic {token}"}},
        {"headers": {"Authorization": "Bearer " + "' OR 1=1 --"}},
        {"headers": {"Authorization": "Bearer " + "a" * 5000}},
    ):
        assert client.get("/api/v1/contracts", **kwargs).status_code == 401, kwargs


def test_a_revoked_api_token_is_401(client, session, world):
    from surveyapp.models import ApiToken

    headers = {"Authorization": f"Bearer {world['api_token']}"}
    assert client.get("/api/v1/contracts", headers=headers).status_code == 200
    token = session.scalars(select(ApiToken).where(ApiToken.name == "helpdesk P")).one()
    revoke_token(session, token, actor=world["admin"])
    assert client.get("/api/v1/contracts", headers=headers).status_code == 401


def test_huge_ids_are_404_not_errors(client, world):
    headers = {"Authorization": f"Bearer {world['api_token']}"}
    sign_in_as(client, world["analyst"])
    for contract_id in (0, 2**31, 2**63, 10**30):
        assert client.get(f"/api/v1/contracts/{contract_id}", headers=headers).status_code == 404
        assert client.get(f"/dashboard/contracts/{contract_id}").status_code == 404
        assert client.get(f"/action-items/{contract_id}/edit").status_code == 404


# --- paths and methods ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/static/../surveyapp/config.py", "/static/%2e%2e/surveyapp/config.py",
     "/static/..%2f..%2fpyproject.toml", "/static/js/../../pyproject.toml"],
)  # fmt: skip
def test_path_traversal_through_static_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.data and b"[project]" not in response.data


def test_unexpected_methods_are_405(client, world, invite):
    _, token = invite()
    for method, path in (("DELETE", f"/s/{token}"), ("PUT", "/sign-in"), ("TRACE", "/")):
        assert client.open(path, method=method).status_code == 405, (method, path)


def test_a_mass_assigned_field_on_an_action_item_is_ignored(client, session, world):
    item = make_action_item(session, world["a"])
    sign_in_as(client, world["analyst"])
    client.post(
        f"/action-items/{item.id}/edit",
        data={
            "title": "ok",
            "remedy": "ok",
            "owner_id": "0",
            "status": "open",
            "priority": "high",
            "contract_id": str(world["foreign"].id),
        },
    )
    session.expire_all()
    assert session.get(ActionItem, item.id).contract_id == world["a"].id


def test_the_audit_log_records_failed_sign_ins_without_the_password(client, session, world):
    client.post("/sign-in", data={"email": world["admin"].email, "password": "hunter2-guess"})
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in.failed")).all()
    assert len(events) == 1
    assert "hunter2-guess" not in str(events[0].details)
