"""The audit-log page: provider admins only, scoped to the events of their contracts,
filtered by action, actor and date, paginated."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from surveyapp import audit
from surveyapp.models import AuditEvent

from ..factories import PASSWORD, make_contract, make_organization, make_user


@pytest.fixture
def setting(session):
    provider = make_organization(session, "provider")
    contract = make_contract(session, provider=provider, number="AUD-1")
    admin = make_user(session, "provider_admin", provider, email="boss@prov.example")
    analyst = make_user(session, "provider_analyst", provider, email="ana@prov.example")
    client = make_user(session, "client_viewer", contract.client, email="cli@client.example")
    other = make_user(session, "provider_admin", make_organization(session, "provider"))
    for when, action, actor, org in [
        (datetime(2026, 11, 3, 2, tzinfo=UTC), "export.metrics", analyst, provider.id),
        (datetime(2026, 11, 10, 2, tzinfo=UTC), "report.downloaded", client, provider.id),
        (datetime(2026, 11, 12, 2, tzinfo=UTC), "contract.updated", admin, provider.id),
        (
            datetime(2026, 11, 12, 3, tzinfo=UTC),
            "secret.other.provider",
            other,
            other.organization_id,
        ),
    ]:
        audit.record(session, action, actor=actor, organization_id=org).at = when
    audit.record(session, "sign_in.failed", actor_label=analyst.email).at = datetime(
        2026, 11, 13, tzinfo=UTC
    )
    session.commit()
    return {"admin": admin, "analyst": analyst, "client": client, "other": other}


def _rows(response) -> str:
    """The table of events only (the action filter lists every action)."""
    text = response.text
    return text.split("<tbody>", 1)[1] if "<tbody>" in text else ""


def _as(client, user):
    assert (
        client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 302
    )
    return client


def test_only_provider_admins_see_the_audit_log(client, setting):
    assert client.get("/audit/").status_code == 302
    for who in ("analyst", "client"):
        _as(client, setting[who])
        assert client.get("/audit/").status_code == 403, who
        client.post("/sign-out")


def test_an_admin_sees_their_organization_and_clients_but_not_another_provider(client, setting):
    page = _rows(_as(client, setting["admin"]).get("/audit/"))
    for action in ("export.metrics", "report.downloaded", "contract.updated", "sign_in.failed"):
        assert action in page
    assert "secret.other.provider" not in page
    assert "sign_in" in page  # the admin's own sign-in just now


def test_filters_by_action_actor_and_date(client, setting):
    _as(client, setting["admin"])
    by_action = _rows(client.get("/audit/?action=report.downloaded"))
    assert "cli@client.example" in by_action and "export.metrics" not in by_action
    by_actor = _rows(client.get("/audit/?actor=ana@"))
    assert "export.metrics" in by_actor and "report.downloaded" not in by_actor
    by_date = _rows(client.get("/audit/?from=2026-11-10&to=2026-11-12"))
    assert "report.downloaded" in by_date and "contract.updated" in by_date
    assert "export.metrics" not in by_date and "sign_in.failed" not in by_date


@pytest.mark.parametrize(
    "query", ["from=2026-13-01", "to=yesterday", "page=0", "page=abc", "page=99999999999"]
)
def test_bad_filters_are_400(client, setting, query):
    _as(client, setting["admin"])
    assert client.get(f"/audit/?{query}").status_code == 400


def test_like_wildcards_in_the_actor_filter_match_literally(client, setting):
    _as(client, setting["admin"])
    assert "export.metrics" in _rows(client.get("/audit/?actor=ana"))
    assert "export.metrics" not in _rows(client.get("/audit/?actor=%25"))
    assert "export.metrics" not in _rows(client.get("/audit/?actor=_"))


def test_pages_of_fifty(client, session, setting):
    admin = setting["admin"]
    for n in range(60):
        audit.record(session, f"bulk.{n:02d}", actor=admin, organization_id=admin.organization_id)
    session.commit()
    _as(client, admin)
    first = client.get("/audit/").text
    rows = lambda text: text.count('<tr><td class="nowrap">')  # noqa: E731
    assert rows(first) == 50
    assert 0 < rows(client.get("/audit/?page=2").text) <= 16
    assert session.query(AuditEvent).count() > 60
