"""CSRF: every state-changing form and the survey form refuse a post without a token."""

from __future__ import annotations

import re

from sqlalchemy import select

from surveyapp.models import (
    User,
)

from ..conftest import make_app
from ..factories import (
    PASSWORD,
    make_invitation,
)
from .conftest import counts, full_answers, own_args

XSS = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
SQLI = [
    "' OR '1'='1",
    "1; DROP TABLE customers; --",
    "2026-11' UNION SELECT email_enc FROM customers --",
    "1) OR (1=1",
]
SQL_ERRORS = re.compile(r"syntax error|sqlite3\.|psycopg|OperationalError|Traceback", re.I)


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
        args = own_args(rule, world)
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
