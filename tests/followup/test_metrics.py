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


def _month_of_cases(session, world, followed: list[bool], next_nps: list[int]):
    """Cases in 2026-10 (followed up or not) and the same customers' NPS in 2026-11."""
    from surveyapp.followup.cases import open_cases

    from ..factories import make_cycle, make_response

    contract, november = world["contract"], world["cycle"]
    october = make_cycle(session, contract, november.survey_version, month="2026-10")
    for was_followed, nps in zip(followed, next_nps, strict=True):
        customer = make_customer(session, contract)
        invitation, _ = make_invitation(session, october, customer)
        response = make_response(session, invitation, {"RESP": 4, "NPS": 2})
        case = open_cases(session, response.id, october.opens_at + timedelta(hours=2))
        if was_followed:
            case.followed_up_at = case.opened_at + timedelta(hours=3)
        session.commit()
        later, _ = make_invitation(session, november, customer)
        make_response(session, later, {"RESP": 4, "NPS": nps})


def test_next_months_scores_of_followed_up_customers_against_the_others(session, world):
    from surveyapp.followup.metrics import followup_effect

    contract = world["contract"]
    _month_of_cases(session, world, [True] * 5 + [False] * 5, [9, 9, 8, 10, 9, 3, 4, 5, 2, 6])
    effect = followup_effect(session, contract.id, "2026-10")
    assert (effect.followed_n, effect.others_n, effect.next_month) == (5, 5, "2026-11")
    assert (effect.followed_mean, effect.others_mean) == (9.0, 4.0)


def test_the_comparison_is_withheld_below_five_in_a_group(session, world):
    from surveyapp.followup.metrics import followup_effect

    _month_of_cases(session, world, [True] * 5 + [False] * 4, [9] * 9)
    effect = followup_effect(session, world["contract"].id, "2026-10")
    assert not effect.enough and effect.followed_mean is None and effect.others_n == 4
