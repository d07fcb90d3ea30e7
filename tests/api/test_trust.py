"""What an integrator relies on (issue #27): no lockout of good tokens, no silent overwrite,
stable paging and incremental sync, problem documents, visible limits, one time form."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from surveyapp.models import AuditEvent, Ticket
from surveyapp.survey.tokens import new_token

from ..conftest import make_app
from .conftest import assert_error, past, rfc3339, ticket

RFC3339_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_61_bad_tokens_from_one_address_never_lock_out_a_valid_token(database_url, world):
    client = make_app(database_url).test_client()  # the default limits: 60 refusals a minute
    codes = [
        client.get("/api/v1/contracts", headers={"Authorization": f"Bearer sat_{new_token()}"})
        for _ in range(61)
    ]
    assert [r.status_code for r in codes] == [401] * 60 + [429]
    good = client.get(
        "/api/v1/contracts", headers={"Authorization": f"Bearer {world.provider_token}"}
    )
    assert good.status_code == 200
    assert int(codes[-1].headers["Retry-After"]) >= 1
    assert codes[-1].headers["RateLimit-Remaining"] == "0"
    assert client.get("/api/v1/contracts").status_code == 429  # no token counts as refused too
    assert good.headers["RateLimit-Limit"] == "3000"  # its own budget
    assert good.headers["RateLimit-Remaining"] == "2999"


def test_a_valid_token_is_limited_by_its_own_budget(database_url, world):
    client = make_app(database_url, RATELIMIT_API_PER_TOKEN="3 per minute").test_client()
    mine = {"Authorization": f"Bearer {world.provider_token}"}
    other = {"Authorization": f"Bearer {world.client_token}"}
    answers = [client.get("/api/v1/contracts", headers=mine) for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert [r.headers["RateLimit-Remaining"] for r in answers] == ["2", "1", "0", "0"]
    assert client.get("/api/v1/contracts", headers=other).status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [("/contracts", 200), ("/openapi.json", 200), ("/contracts?x=1", 400), ("/nowhere", 404)],
)
def test_every_answer_carries_ratelimit_headers_and_a_request_id(api, world, path, status):
    response = api("GET", path, world.provider_token)
    assert response.status_code == status
    for name in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"):
        assert response.headers[name].isdigit(), name
    assert re.fullmatch(r"\d+;w=\d+", response.headers["RateLimit-Policy"])
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-Id"])


def test_an_errors_request_id_is_in_the_body_the_header_and_the_server_log(api, world, caplog):
    with caplog.at_level(logging.INFO):
        error = assert_error(
            api("GET", f"/contracts/{world.foreign.id}", world.provider_token), 404
        )
    assert any(error["request_id"] in record.getMessage() for record in caplog.records)


def _push(api, world, **fields):
    return api("POST", "/tickets", world.provider_token, json=ticket(**fields))


def _changes(session) -> list[dict]:
    session.expire_all()
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "ticket.changed").order_by(AuditEvent.id)
    )
    return [e.details["changes"] for e in events]


def test_a_partial_repush_keeps_fields_not_sent_null_clears_and_identical_is_unchanged(
    api, world, session
):
    resolved = rfc3339(past() + timedelta(hours=20))
    assert _push(api, world, resolved_at=resolved).status_code == 201
    partial = {"contract_number": "A-1", "external_id": "T-1", "channel": "e-mail"}
    kept = api("POST", "/tickets", world.provider_token, json=partial)
    assert kept.status_code == 200 and kept.get_json()["status"] == "updated"
    assert kept.get_json()["data"]["resolved_at"] == resolved  # not sent: kept
    assert kept.get_json()["data"]["first_reply_at"] is not None

    same = api("POST", "/tickets", world.provider_token, json=partial)
    assert same.status_code == 200 and same.get_json()["status"] == "unchanged"

    cleared = api("POST", "/tickets", world.provider_token, json={**partial, "resolved_at": None})
    assert cleared.get_json()["status"] == "updated"
    assert cleared.get_json()["data"]["resolved_at"] is None
    assert session.scalar(select(Ticket.resolved_at)) is None

    moved = rfc3339(past() + timedelta(hours=30))
    api("POST", "/tickets", world.provider_token, json={**partial, "resolved_at": moved})
    changes = _changes(session)
    assert [set(c) for c in changes] == [{"channel"}, {"resolved_at"}, {"resolved_at"}]
    assert changes[1]["resolved_at"]["to"] is None
    assert changes[1]["resolved_at"]["from"].startswith(resolved[:16].replace("T", "T"))
    assert changes[2]["resolved_at"] == {"from": None, "to": changes[2]["resolved_at"]["to"]}
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "ticket.changed")).first()
    assert event.actor_label.startswith("api-token:") and event.subject_type == "Ticket"


def test_kind_and_receipt_cannot_be_cleared_and_a_new_ticket_needs_them(api, world, session):
    _push(api, world)
    partial = {"contract_number": "A-1", "external_id": "T-1"}
    assert_error(api("POST", "/tickets", world.provider_token, json={**partial, "kind": None}), 422)
    new = {"contract_number": "A-1", "external_id": "T-2", "channel": "web"}
    error = assert_error(api("POST", "/tickets", world.provider_token, json=new), 422)
    assert {e["field"] for e in error["errors"]} == {"kind", "received_at"}
    late = rfc3339(past(days=12))  # a reply before the stored receipt
    error = assert_error(
        api("POST", "/tickets", world.provider_token, json={**partial, "first_reply_at": late}), 422
    )
    assert [e["field"] for e in error["errors"]] == ["first_reply_at"]
    assert _changes(session) == []


def _ids(api, world, url) -> tuple[list[str], str | None]:
    body = api("GET", url, world.provider_token).get_json()
    return [t["external_id"] for t in body["data"]], body["next"]


def test_a_backdated_ticket_pushed_between_two_page_reads_is_seen_exactly_once(api, world):
    batch = [
        ticket(external_id=f"P-{n}", received_at=rfc3339(past(days=5 - n)), first_reply_at=None)
        for n in range(4)
    ]
    assert api("POST", "/tickets", world.provider_token, json={"tickets": batch}).status_code == 200
    first, next_url = _ids(api, world, f"/contracts/{world.a.id}/tickets?limit=2")
    backdated = ticket(external_id="OLD", received_at=rfc3339(past(days=300)), first_reply_at=None)
    assert api("POST", "/tickets", world.provider_token, json=backdated).status_code == 201
    seen = list(first)
    while next_url:
        page, next_url = _ids(api, world, next_url.removeprefix("/api/v1"))
        seen += page
    assert sorted(seen) == sorted(["P-0", "P-1", "P-2", "P-3", "OLD"])
    assert len(seen) == len(set(seen))


def test_updated_since_fetches_only_what_changed_since_the_last_sync(api, world, session):
    batch = [ticket(external_id=f"S-{n}") for n in range(3)]
    api("POST", "/tickets", world.provider_token, json={"tickets": batch})
    now = datetime.now(UTC)
    for n, hours in enumerate((3, 2, 1)):  # as if pushed over the last hours
        session.execute(
            update(Ticket)
            .where(Ticket.external_id == f"S-{n}")
            .values(updated_at=now - timedelta(hours=hours))
        )
    session.commit()
    path = f"/contracts/{world.a.id}/tickets"
    everything = api("GET", path, world.client_token).get_json()["data"]
    assert all(RFC3339_Z.match(t["updated_at"]) for t in everything)
    mark = max(t["updated_at"] for t in everything)  # what the last sync saw: S-2's time

    change = {"contract_number": "A-1", "external_id": "S-1", "channel": "chat"}
    api("POST", "/tickets", world.provider_token, json=change)
    api("POST", "/tickets", world.provider_token, json=ticket(external_id="S-9"))
    api("POST", "/tickets", world.provider_token, json=ticket(external_id="S-0"))  # unchanged
    since = api("GET", f"{path}?updated_since={mark}", world.client_token).get_json()["data"]
    # at or after the mark: S-2 (at it) comes again, S-0 (before, re-pushed unchanged) not
    assert sorted(t["external_id"] for t in since) == ["S-1", "S-2", "S-9"]
    assert next(t for t in since if t["external_id"] == "S-1")["channel"] == "chat"
    plus = mark.replace("Z", "+00:00")
    assert (
        api("GET", f"{path}?updated_since={plus}", world.client_token).get_json()["data"] == since
    )
    assert_error(api("GET", f"{path}?updated_since=yesterday", world.client_token), 400)
    assert_error(api("GET", f"{path}?updated_since=2026-11-02T09:30:00", world.client_token), 400)


def test_every_time_answered_is_rfc3339_utc_with_z(api, world):
    body = _push(api, world).get_json()["data"]
    for name in ("received_at", "first_reply_at", "updated_at"):
        assert RFC3339_Z.match(body[name]), (name, body[name])
