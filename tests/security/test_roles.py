"""Issue 19 item 3: the analyst role, route by route. An analyst reads every staff page and
does the follow-up work (action items, follow-up cases, their own alert e-mails); every other
change is the administrator's (403), and contact data is never theirs. README, SECURITY.md and
tests/test_access.py's ACCESS table say the same."""

from __future__ import annotations

import pytest

from surveyapp.models import ActionItem, FollowupCase, Role

from ..factories import make_organization
from ..test_access import ACCESS, Tenant, _args, cheap_work  # noqa: F401

ANALYST_WRITES = {"action_items.edit", "followup.case", "followup.alerts"}
# POSTs that store nothing: the survey preview checks answers as the real form would
ANALYST_CHECKS = {"survey_versions.preview"}


@pytest.fixture
def tenant(app, session):
    return Tenant(session, app, make_organization(session, "provider"),
                  make_organization(session), "R-1")  # fmt: skip


def _rules(app):
    return [r for r in app.url_map.iter_rules() if ACCESS.get(r.endpoint) is not None]


def test_the_access_table_gives_analysts_every_staff_read_and_only_follow_up_writes(app):
    for rule in _rules(app):
        allowed = Role.PROVIDER_ANALYST in ACCESS[rule.endpoint]
        writes = "POST" in rule.methods
        if rule.endpoint == "auth.sign_out":
            continue
        if writes and rule.endpoint not in ANALYST_WRITES and "GET" not in rule.methods:
            assert not allowed, rule.endpoint


def test_an_analyst_posting_to_every_route_gets_403_except_the_follow_up_work(
    client, tenant, sign_in
):
    sign_in(tenant.analyst)
    posts = [
        r for r in _rules(client.application)
        if "POST" in r.methods and r.endpoint not in {"auth.sign_out", *ANALYST_CHECKS}
    ]  # fmt: skip
    assert len(posts) > 10
    for rule in posts:
        url = rule.build(_args(rule, tenant))[1]
        status = client.post(url, data={}).status_code
        if rule.endpoint in ANALYST_WRITES:
            assert status != 403, (rule.endpoint, status)
        else:
            assert status == 403, (rule.endpoint, status)


def test_an_analyst_reads_every_staff_page(client, tenant, sign_in):
    sign_in(tenant.analyst)
    for rule in _rules(client.application):
        if "GET" not in rule.methods or Role.PROVIDER_ANALYST not in ACCESS[rule.endpoint]:
            continue
        status = client.get(rule.build(_args(rule, tenant))[1]).status_code
        assert status != 403 and status < 500, (rule.endpoint, status)


def test_an_analyst_works_an_action_item_and_a_case(client, session, tenant, sign_in):
    sign_in(tenant.analyst)
    item_id, case_id = tenant.rows["action_item"], tenant.rows["case"]
    client.post(f"/cases/{case_id}", data={"status": "contacted", "notes": "called back"})
    session.expire_all()
    case = session.get(FollowupCase, case_id)
    assert case.notes == "called back" and case.status == "contacted"
    item = session.get(ActionItem, item_id)
    form = {"title": item.title, "remedy": item.remedy or "", "status": "in_progress",
            "priority": str(item.priority), "owner_id": "0"}  # fmt: skip
    assert client.post(f"/action-items/{item_id}/edit", data=form).status_code == 302
    session.expire_all()
    assert session.get(ActionItem, item_id).status == "in_progress"
