"""Counts per month: opened, followed up within the complaint hours, resolved."""

from datetime import timedelta

from surveyapp.followup.cases import update_case
from surveyapp.followup.metrics import case_counts
from surveyapp.models import FollowupCase
from surveyapp.survey.intake import accept_response

from ..factories import make_customer, make_invitation, make_user
from .conftest import NOW, values_for


def _case(session, world, nps):
    invitation, _ = make_invitation(
        session, world["cycle"], make_customer(session, world["contract"])
    )
    accept_response(
        session, invitation, values_for(invitation, RESP=4, NPS=nps), now=NOW, locale="en"
    )
    return session.query(FollowupCase).order_by(FollowupCase.id.desc()).first()


def test_only_cases_followed_up_before_their_due_time_count_as_in_time(session, world):
    owner = world["owner"]
    quick, late, untouched = (
        _case(session, world, 1),
        _case(session, world, 2),
        _case(session, world, 3),
    )
    update_case(session, quick, {"status": "resolved"}, owner, NOW + timedelta(hours=47))
    update_case(session, late, {"status": "contacted"}, owner, NOW + timedelta(hours=49))
    counts = case_counts(session, world["contract"].id, "2026-11")
    assert (counts.opened, counts.in_time, counts.resolved) == (3, 1, 1)
    assert untouched.followed_up_at is None


def test_the_portal_shows_counts_but_no_customer_identity(client, session, world, sign_in):
    _case(session, world, 1)
    sign_in(make_user(session, "client_viewer", world["contract"].client))
    page = client.get(f"/portal/contracts/{world['contract'].id}?month=2026-11").text
    contact = world["customer"].reveal_contact()
    assert contact.email not in page and contact.name not in page and "/cases/" not in page
