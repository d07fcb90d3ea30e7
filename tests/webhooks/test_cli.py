"""``deliver-webhooks --once`` sends what is due, prints progress, and is safe to run twice."""

import pytest

from surveyapp.webhooks.outbox import enqueue

from ..conftest import make_app
from ..factories import make_organization
from .conftest import make_endpoint

pytestmark = pytest.mark.usefixtures("only_loopback")


def test_deliver_webhooks_once_delivers_and_a_second_run_sends_nothing(
    database_url, session, receiver
):
    org = make_organization(session, "provider")
    make_endpoint(session, org.id, receiver.url)
    enqueue(session, org.id, "case.opened", {"case_id": 3})
    session.commit()
    runner = make_app(database_url, WEBHOOK_ALLOW_LOOPBACK=True).test_cli_runner()
    first = runner.invoke(args=["deliver-webhooks", "--once"])
    assert first.exit_code == 0, first.output
    assert "case.opened" in first.output and "delivered 1" in first.output
    second = runner.invoke(args=["deliver-webhooks", "--once"])
    assert "delivered 0" in second.output and len(receiver.requests) == 1


def test_without_the_loopback_setting_the_worker_refuses_127_0_0_1(database_url, session, receiver):
    org = make_organization(session, "provider")
    make_endpoint(session, org.id, receiver.url)
    enqueue(session, org.id, "case.opened", {"case_id": 3})
    session.commit()
    result = make_app(database_url).test_cli_runner().invoke(args=["deliver-webhooks", "--once"])
    assert "failed 1" in result.output and receiver.requests == []
