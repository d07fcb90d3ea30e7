"""The worker against a real receiver on 127.0.0.1: signatures, retries, restarts, SSRF refusals.

Every test runs under ``only_loopback``: a connection to any other address fails the test.
"""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from surveyapp.extensions import db
from surveyapp.models import WebhookDelivery
from surveyapp.webhooks.delivery import DeliverySettings, claim, deliver_due, replay
from surveyapp.webhooks.outbox import enqueue
from surveyapp.webhooks.signing import verify

from ..conftest import make_app
from ..factories import make_organization
from .conftest import SECRET, Receiver, make_endpoint, start_receiver

NOW = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
LOOPBACK_OK = DeliverySettings(allow_loopback=True, timeout=5, max_attempts=5)
STRICT = DeliverySettings(allow_loopback=False, timeout=5)

pytestmark = pytest.mark.usefixtures("only_loopback")


@pytest.fixture
def org(session):
    return make_organization(session, "provider")


def add_event(session, org, event_type="case.opened", **payload):
    event = enqueue(session, org.id, event_type, {"case_id": 1, "scores": {"NPS": 3}} | payload,
                    now=NOW)  # fmt: skip
    session.commit()
    return event


def deliveries(session):
    session.expire_all()
    return session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_receiver_verifies_the_signature_with_the_shared_secret(session, org, receiver):
    make_endpoint(session, org.id, receiver.url)
    event = add_event(session, org)
    summary = deliver_due(session, LOOPBACK_OK, NOW)
    assert summary.delivered == 1
    [request] = receiver.requests
    headers = request["headers"]
    assert verify(SECRET, headers["X-Survey-Signature"], request["body"], int(NOW.timestamp()))
    assert not verify(
        "another secret", headers["X-Survey-Signature"], request["body"], int(NOW.timestamp())
    )
    assert headers["X-Survey-Event-Id"] == event.event_id == request["json"]["id"]
    assert request["json"]["type"] == "case.opened" and request["json"]["data"]["case_id"] == 1


def test_only_subscribed_endpoints_of_the_organization_get_a_delivery(session, org, receiver):
    make_endpoint(session, org.id, receiver.url, events="case.closed")
    make_endpoint(session, make_organization(session, "provider").id, receiver.url)
    assert add_event(session, org, "case.opened") is None
    assert deliveries(session) == []


def test_a_payload_with_contact_data_is_refused(session, org, receiver):
    make_endpoint(session, org.id, receiver.url)
    with pytest.raises(ValueError):
        enqueue(session, org.id, "case.opened", {"case": {"email": "a@b.example"}})


def test_receiver_down_for_three_attempts_then_up_gets_each_event_exactly_once(session, org):
    port = _free_port()
    make_endpoint(session, org.id, f"http://127.0.0.1:{port}/hooks")
    events = [add_event(session, org, "response.submitted"), add_event(session, org, "case.opened")]
    now = NOW
    for _ in range(3):
        summary = deliver_due(session, LOOPBACK_OK, now)
        assert (summary.retrying, summary.delivered) == (2, 0)
        now = max(d.next_attempt_at for d in deliveries(session))
    assert deliver_due(session, LOOPBACK_OK, now - timedelta(seconds=1)).attempted == 0  # backoff
    receiver = start_receiver(Receiver(), port)
    try:
        for step in range(5):
            deliver_due(session, LOOPBACK_OK, now + timedelta(hours=step))
        assert sorted(receiver.event_ids()) == sorted(e.event_id for e in events)
        assert [(d.status, d.attempts) for d in deliveries(session)] == [("delivered", 4)] * 2
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


def test_the_backoff_doubles_after_each_failed_attempt(session, org):
    make_endpoint(session, org.id, f"http://127.0.0.1:{_free_port()}/hooks")
    add_event(session, org)
    gaps, now = [], NOW
    for _ in range(3):
        deliver_due(session, LOOPBACK_OK, now)
        [delivery] = deliveries(session)
        gaps.append(delivery.next_attempt_at - now)
        now = delivery.next_attempt_at
    assert gaps == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]


def test_a_delivery_gives_up_after_the_maximum_number_of_attempts(session, org):
    make_endpoint(session, org.id, f"http://127.0.0.1:{_free_port()}/hooks")
    add_event(session, org)
    now = NOW
    for _ in range(LOOPBACK_OK.max_attempts + 2):
        deliver_due(session, LOOPBACK_OK, now)
        now += timedelta(days=1)
    [delivery] = deliveries(session)
    assert (delivery.status, delivery.attempts) == ("failed", LOOPBACK_OK.max_attempts)


def test_the_outbox_survives_a_restart_of_the_worker(database_url, session, org, receiver):
    make_endpoint(session, org.id, receiver.url)
    event = add_event(session, org)
    first = make_app(database_url)
    with first.app_context():
        with Session(db.engine) as worker:
            assert len(claim(worker, NOW, LOOPBACK_OK, 10)) == 1  # then the worker dies
        db.engine.dispose()
    second = make_app(database_url)
    with second.app_context():
        with Session(db.engine) as worker:
            assert deliver_due(worker, LOOPBACK_OK, NOW).attempted == 0  # still leased
            later = NOW + LOOPBACK_OK.lease
            assert deliver_due(worker, LOOPBACK_OK, later).delivered == 1
            assert deliver_due(worker, LOOPBACK_OK, later + timedelta(hours=1)).attempted == 0
        db.engine.dispose()
    assert receiver.event_ids() == [event.event_id]


def test_a_replay_sends_the_same_event_id_again(session, org, receiver):
    make_endpoint(session, org.id, receiver.url)
    add_event(session, org)
    deliver_due(session, LOOPBACK_OK, NOW)
    [delivery] = deliveries(session)
    replay(session, delivery, NOW + timedelta(minutes=1))
    session.commit()
    deliver_due(session, LOOPBACK_OK, NOW + timedelta(minutes=1))
    ids = receiver.event_ids()
    assert len(ids) == 2 and ids[0] == ids[1]


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1/hooks",
        "https://internal.example.test/hooks",  # resolves to 10.1.2.3
        "https://metadata.example.test/",  # resolves to 169.254.169.254
        "https://[::ffff:169.254.169.254]/",
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "http://127.0.0.1:9/hooks",  # loopback not allowed
        "https://localhost/hooks",  # loopback by name
        "http://93.184.216.34/hooks",  # plain http to a public address
    ],
)
def test_ssrf_targets_are_refused_before_any_connection(session, org, only_loopback, url):
    make_endpoint(session, org.id, url)
    add_event(session, org)
    summary = deliver_due(session, STRICT, NOW)
    [delivery] = deliveries(session)
    assert summary.failed == 1 and delivery.status == "failed"
    assert delivery.last_error.startswith("refused")
    assert only_loopback == []


def test_a_redirect_to_loopback_is_not_followed(session, org, receiver):
    target = start_receiver(Receiver())
    try:
        receiver.status, receiver.location = 302, target.url
        make_endpoint(session, org.id, receiver.url)
        add_event(session, org)
        summary = deliver_due(session, LOOPBACK_OK, NOW)
        [delivery] = deliveries(session)
        assert summary.retrying == 1 and "redirect not followed" in delivery.last_error
        assert len(receiver.requests) == 1 and target.requests == []
    finally:
        target.server.shutdown()
        target.server.server_close()


def test_the_guard_itself_fails_a_connection_to_a_public_address():
    with pytest.raises(pytest.fail.Exception), socket.socket() as sock:
        sock.connect(("93.184.216.34", 443))


def test_a_submitted_response_reaches_the_receiver_without_contact_data(session, receiver):
    from surveyapp.survey.intake import accept_response

    from ..factories import make_contract, make_customer, make_cycle, make_invitation

    contract = make_contract(session)
    cycle = make_cycle(session, contract)
    customer = make_customer(session, contract)
    invitation, _ = make_invitation(session, cycle, customer)
    make_endpoint(session, contract.provider_id, receiver.url)
    questions = {q.code: q.id for q in cycle.survey_version.questions}
    values = {questions["RESP"]: 1, questions["NPS"]: 2}
    now = cycle.opens_at + timedelta(hours=1)
    accept_response(session, invitation, values, now=now, locale="zh_CN", may_contact=True)
    deliver_due(session, LOOPBACK_OK, cycle.opens_at + timedelta(hours=1))
    assert sorted(r["json"]["type"] for r in receiver.requests) == [
        "case.opened",
        "response.submitted",
    ]
    contact = customer.reveal_contact()
    for request in receiver.requests:
        text = request["body"].decode()
        assert contact.email not in text and contact.mobile not in text and contact.name not in text
    submitted = next(
        r["json"] for r in receiver.requests if r["json"]["type"] == "response.submitted"
    )
    assert submitted["data"]["scores"] == {"RESP": 1, "NPS": 2}
    json.dumps(submitted)
