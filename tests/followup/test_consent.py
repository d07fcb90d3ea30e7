"""The survey form asks "May we contact you about your answers?" (no JavaScript needed)."""

from datetime import timedelta

from sqlalchemy import select

from surveyapp.models import FollowupCase, FollowupRule, ResponseConsent, utcnow


def _open_now(session, world):
    now = utcnow()
    cycle, invitation = world["cycle"], world["invitation"]
    cycle.opens_at, cycle.closes_at = now - timedelta(days=1), now + timedelta(days=5)
    invitation.expires_at = cycle.closes_at
    session.commit()


def _answers(world, **extra):
    return {"q-RESP": "1", "q-NPS": "3"} | extra


def test_the_form_asks_for_consent_and_a_yes_is_stored_with_the_case(client, session, world):
    _open_now(session, world)
    page = client.get(f"/s/{world['token']}").text
    assert 'name="consent" value="yes"' in page and 'name="consent" value="no"' in page
    response = client.post(f"/s/{world['token']}", data=_answers(world, consent="yes"))
    assert response.status_code == 303
    case = session.scalar(select(FollowupCase))
    assert case.may_contact is True
    assert session.get(ResponseConsent, case.response_id).may_contact is True


def test_no_answer_to_the_consent_question_means_no(client, session, world):
    _open_now(session, world)
    client.post(f"/s/{world['token']}", data=_answers(world))
    case = session.scalar(select(FollowupCase))
    assert case.may_contact is False
    assert session.get(ResponseConsent, case.response_id).may_contact is False


def test_a_contract_that_does_not_ask_shows_no_question_and_stores_no_consent(
    client, session, world
):
    session.add(FollowupRule(contract_id=world["contract"].id, nps_max=6, rating_max=2,
                             comment_themes="complaint", ask_consent=False))  # fmt: skip
    session.commit()
    _open_now(session, world)
    assert 'name="consent"' not in client.get(f"/s/{world['token']}").text
    client.post(f"/s/{world['token']}", data=_answers(world, consent="yes"))
    case = session.scalar(select(FollowupCase))
    assert case.may_contact is False and session.get(ResponseConsent, case.response_id) is None
