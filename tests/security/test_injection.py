"""Injection: stored and reflected XSS (comments on the dashboard and in the PDF, question text,
action items), SQL injection in every filter, id, API parameter and the sign-in form, and
formula injection in exports: each escaped, refused or neutralised, nothing stored."""

from __future__ import annotations

import itertools
import re

import pytest

from surveyapp.models import (
    Answer,
    Question,
    Role,
    utcnow,
)

from ..factories import (
    make_action_item,
    make_response,
)
from .conftest import counts, own_args, sign_in_as

XSS = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
SQLI = [
    "' OR '1'='1",
    "1; DROP TABLE customers; --",
    "2026-11' UNION SELECT email_enc FROM customers --",
    "1) OR (1=1",
]
SQL_ERRORS = re.compile(r"syntax error|sqlite3\.|psycopg|OperationalError|Traceback", re.I)


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
        path = rule.build(own_args(rule, world), append_unknown=False)[1]
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
