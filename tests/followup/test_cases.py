"""Cases open in the response's transaction; due times, consent, changes and audit."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from surveyapp.followup.cases import (
    InvalidChange,
    local_due,
    open_cases,
    reveal_contact,
    update_case,
)
from surveyapp.models import (
    AuditEvent,
    FollowupCase,
    FollowupRule,
    OutboxEvent,
    Response,
    ResponseConsent,
    WebhookDelivery,
    WebhookEndpoint,
)
from surveyapp.survey.intake import accept_response

from ..factories import make_user
from .conftest import NOW, values_for


def submit(session, world, may_contact=None, now=NOW, **answers):
    invitation = world["invitation"]
    session.refresh(invitation)
    return accept_response(
        session, invitation, values_for(invitation, **answers), now=now, locale="zh_CN",
        may_contact=may_contact,
    )  # fmt: skip


def case_of(session, response_id):
    return session.scalar(select(FollowupCase).where(FollowupCase.response_id == response_id))


def test_a_detractor_opens_a_case_with_triggers_owner_and_due_time(session, world):
    response_id = submit(session, world, RESP=4, NPS=3)
    case = case_of(session, response_id)
    assert case.status == "open" and case.owner_id == world["owner"].id
    assert case.triggers[0]["rule"] == "nps" and case.triggers[0]["value"] == 3
    assert case.due_at == NOW + timedelta(hours=48)
    assert (
        session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "case.opened"))
        == 1
    )


def test_a_satisfied_customer_opens_no_case(session, world):
    response_id = submit(session, world, RESP=5, NPS=9, COMMENT="很满意")
    assert case_of(session, response_id) is None


def test_a_complaint_comment_opens_a_case_under_clause_one_two(session, world):
    case = case_of(session, submit(session, world, RESP=4, NPS=8, COMMENT="我要投诉"))
    assert (case.clause_ref, case.triggers[0]["rule"]) == ("一(2)", "comment")


def test_the_due_time_follows_the_contracts_complaint_hours_and_shows_in_its_time_zone(
    session, world
):
    contract = world["contract"]
    contract.complaint_hours, contract.timezone = 24, "America/New_York"
    session.commit()
    # 2026-11-01 02:00 in New York is summer time (EDT); the clocks go back an hour that night.
    now = datetime(2026, 10, 31, 6, 0, tzinfo=UTC)
    world["cycle"].opens_at = now - timedelta(days=1)
    session.commit()
    case = case_of(session, submit(session, world, now=now, RESP=1, NPS=9))
    assert case.due_at == now + timedelta(hours=24)
    due = local_due(case)
    assert (due.day, due.hour, due.tzname()) == (1, 1, "EST")  # 24 elapsed hours, 23 on the wall


def _subscribe(session, world, events="response.submitted case.opened"):
    endpoint = WebhookEndpoint(organization_id=world["contract"].provider_id,
                               url="https://hooks.example/x", events=events)  # fmt: skip
    endpoint.set_secret("s")
    session.add(endpoint)
    session.commit()


def test_a_failure_in_the_transaction_stores_neither_response_nor_case(session, world, monkeypatch):
    import surveyapp.followup.cases as cases

    def broken(*args, **kwargs):
        raise RuntimeError("outbox down")

    _subscribe(session, world)

    monkeypatch.setattr(cases, "enqueue", broken)
    monkeypatch.setattr("surveyapp.survey.intake.open_cases", cases.open_cases)
    with pytest.raises(RuntimeError):
        submit(session, world, RESP=1, NPS=0)
    assert session.scalar(select(func.count(Response.id))) == 0
    assert session.scalar(select(func.count(FollowupCase.id))) == 0


def test_the_outbox_rows_are_written_with_the_response(session, world):
    _subscribe(session, world)
    submit(session, world, RESP=1, NPS=2)
    types = session.scalars(select(WebhookDelivery)).all()
    assert sorted(d.event.type for d in types) == ["case.opened", "response.submitted"]


def test_without_webhook_endpoints_no_outbox_rows_are_written(session, world):
    submit(session, world, RESP=1, NPS=2)
    assert session.scalar(select(func.count(OutboxEvent.id))) == 0


def test_rules_edited_by_an_admin_apply_to_the_next_response(session, world):
    session.add(FollowupRule(contract_id=world["contract"].id, nps_max=2, rating_max=None,
                             comment_themes="", ask_consent=False))  # fmt: skip
    session.commit()
    assert case_of(session, submit(session, world, RESP=1, NPS=5)) is None


def test_no_contact_data_without_consent(session, world):
    case = case_of(session, submit(session, world, may_contact=False, RESP=1, NPS=2))
    view = reveal_contact(session, case, world["owner"])
    assert view.contact is None and view.reason == "no_consent"
    assert session.get(ResponseConsent, case.response_id).may_contact is False


def test_no_contact_data_for_an_analyst_even_with_consent(session, world):
    case = case_of(session, submit(session, world, may_contact=True, RESP=1, NPS=2))
    analyst = make_user(session, "provider_analyst", world["owner"].organization)
    assert reveal_contact(session, case, analyst).reason == "role"


def test_contact_data_with_consent_is_shown_to_an_admin_and_audited(session, world):
    case = case_of(session, submit(session, world, may_contact=True, RESP=1, NPS=2))
    view = reveal_contact(session, case, world["owner"])
    session.commit()
    assert view.shown and view.contact.email.endswith("@mail.example")
    shown = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "case.contact_shown")
    ).all()
    assert [(e.actor_id, e.subject_id) for e in shown] == [(world["owner"].id, case.id)]


def test_a_status_change_is_audited_and_the_first_follow_up_time_kept(session, world):
    case = case_of(session, submit(session, world, RESP=1, NPS=2))
    later = NOW + timedelta(hours=3)
    update_case(session, case, {"status": "contacted", "notes": "called"}, world["owner"], later)
    update_case(session, case, {"status": "resolved"}, world["owner"], later + timedelta(hours=1))
    assert case.followed_up_at == later and case.closed_at == later + timedelta(hours=1)
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.update")).all()
    assert [e.details["changes"]["status"]["to"] for e in events] == ["contacted", "resolved"]


def test_an_owner_from_another_provider_is_refused(session, world):
    case = case_of(session, submit(session, world, RESP=1, NPS=2))
    stranger = make_user(session, "provider_admin")
    with pytest.raises(InvalidChange):
        update_case(session, case, {"owner_id": stranger.id}, world["owner"], NOW)


def test_open_cases_called_twice_for_one_response_is_refused_by_the_database(session, world):
    from sqlalchemy.exc import IntegrityError

    response_id = submit(session, world, RESP=1, NPS=2)
    with pytest.raises(IntegrityError):
        open_cases(session, response_id, NOW)
        session.flush()
    session.rollback()
