"""Survey links: guessed, malformed, expired and replayed links, closed cycles and out-of-range
or foreign answers: a clear 4xx and nothing stored."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from surveyapp.models import (
    utcnow,
)
from surveyapp.survey.tokens import new_token

from ..conftest import make_app
from .conftest import counts, full_answers

XSS = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
SQLI = [
    "' OR '1'='1",
    "1; DROP TABLE customers; --",
    "2026-11' UNION SELECT email_enc FROM customers --",
    "1) OR (1=1",
]
SQL_ERRORS = re.compile(r"syntax error|sqlite3\.|psycopg|OperationalError|Traceback", re.I)


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
