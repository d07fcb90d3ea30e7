"""Bad bodies and paths: oversized bodies, invalid UTF-8, broken JSON, huge ids, path traversal
and unexpected methods: a clear 4xx, never an error page, nothing stored."""

from __future__ import annotations

import re

import pytest

from ..conftest import make_app
from .conftest import counts, full_answers, sign_in_as

XSS = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
SQLI = [
    "' OR '1'='1",
    "1; DROP TABLE customers; --",
    "2026-11' UNION SELECT email_enc FROM customers --",
    "1) OR (1=1",
]
SQL_ERRORS = re.compile(r"syntax error|sqlite3\.|psycopg|OperationalError|Traceback", re.I)


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
