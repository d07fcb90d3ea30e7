"""Issue 19 item 11: webhook URLs are checked when saved and again at delivery; an IPv6 address
that embeds a loopback, link-local or private IPv4 address is refused at both points."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from surveyapp.models import WebhookDelivery, WebhookEndpoint
from surveyapp.webhooks.delivery import DeliverySettings, address_allowed, deliver_due
from surveyapp.webhooks.outbox import enqueue

from ..factories import make_organization, make_user
from ..webhooks.conftest import make_endpoint, only_loopback  # noqa: F401

pytestmark = pytest.mark.usefixtures("only_loopback")

NOW = datetime(2026, 11, 10, 2, tzinfo=UTC)
EMBEDDED = [
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "::ffff:10.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "2001:0:7f00:1:8000:f227:f5ff:fffe",  # Teredo, server 127.0.0.1
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1 (obfuscated)
]
PUBLIC = ["8.8.8.8", "2606:4700:4700::1111", "2002:808:808::1", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", EMBEDDED)
def test_addresses_embedding_a_private_ipv4_are_not_allowed(address):
    assert not address_allowed(address, allow_loopback=False)
    assert not address_allowed(address, allow_loopback=True)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert address_allowed(address, allow_loopback=False)


@pytest.mark.parametrize(
    "url",
    [*(f"https://[{a}]/hook" for a in EMBEDDED), "https://10.0.0.1/x", "https://localhost/x",
     "https://internal.example.test/hooks", "https://169.254.169.254/"],
)  # fmt: skip
def test_saving_an_endpoint_on_a_private_address_is_refused(client, session, sign_in, url):
    sign_in(make_user(session, "provider_admin"))
    response = client.post("/webhooks/", data={"url": url, "events": ["case.opened"]})
    assert response.status_code == 400, url
    assert session.scalar(select(WebhookEndpoint)) is None


def test_a_public_address_and_a_name_not_resolvable_yet_are_saved(client, session, sign_in):
    sign_in(make_user(session, "provider_admin"))
    for url in ("https://[2606:4700:4700::1111]/hook", "https://hooks.example.com/in"):
        response = client.post("/webhooks/", data={"url": url, "events": ["case.opened"]})
        assert response.status_code == 200, url
    assert len(session.scalars(select(WebhookEndpoint)).all()) == 2


@pytest.mark.parametrize("address", EMBEDDED)
def test_delivery_to_an_embedded_private_address_is_refused(session, address, only_loopback):  # noqa: F811
    org = make_organization(session, "provider")
    make_endpoint(session, org.id, f"https://[{address}]/hook")
    enqueue(session, org.id, "case.opened", {"case_id": 1}, now=NOW)
    session.commit()
    deliver_due(session, DeliverySettings(allow_loopback=False, timeout=5), NOW)
    [delivery] = session.scalars(select(WebhookDelivery)).all()
    assert delivery.status == "failed" and delivery.last_error.startswith("refused")
    assert only_loopback == []
