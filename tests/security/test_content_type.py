"""Issue 19 item 12: one ``charset`` in each response's Content-Type (the CSV downloads said
``text/csv; charset=utf-8; charset=utf-8``)."""

from __future__ import annotations

import pytest

from ..factories import make_organization
from ..test_access import ACCESS, Tenant, _args, cheap_work  # noqa: F401


@pytest.fixture
def tenant(app, session):
    return Tenant(session, app, make_organization(session, "provider"),
                  make_organization(session), "CT-1")  # fmt: skip


@pytest.mark.parametrize("who", ["admin", "client_user"])
def test_every_get_route_sends_at_most_one_charset(client, tenant, sign_in, who):
    user = getattr(tenant, who)
    sign_in(user)
    urls = [
        f"/exports/contracts/{tenant.contract.id}/responses.csv?month=2026-10",
        f"/contracts/{tenant.contract.id}/cycles/2026-10/links.csv",
    ]
    for rule in client.application.url_map.iter_rules():
        allowed = ACCESS.get(rule.endpoint, ())
        if "GET" in rule.methods and (allowed is None or user.role_enum in allowed):
            urls.append(rule.build(_args(rule, tenant))[1])
    for url in urls:
        content_type = client.get(url).headers.get("Content-Type", "")
        assert content_type.lower().count("charset") <= 1, (url, content_type)
