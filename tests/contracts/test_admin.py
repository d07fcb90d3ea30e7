"""Contract administration: provider admins change terms, targets and clauses; all audited."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from surveyapp.models import AuditEvent, Clause, DimensionTarget

from ..factories import make_contract, make_user

SETTINGS = {
    "title": "Renamed",
    "payment_due_working_days": "5",
    "start_date": "2026-01-01",
    "end_date": "2027-12-31",
    "monthly_fee": "90000.00",
    "inquiry_hours": "12",
    "complaint_hours": "36",
    "timezone": "Asia/Shanghai",
    "survey_open_day": "5",
    "survey_open_days": "10",
    "reminder_after_days": "3",
    "max_reminders": "2",
    "target_nps": "35",
    "target_response_rate": "40",
}


@pytest.fixture
def contract(session):
    return make_contract(session)


def _events(session, action):
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_an_admin_changes_the_sla_hours_and_schedule(client, session, sign_in, contract):
    admin = make_user(session, "provider_admin", contract.provider)
    sign_in(admin)
    response = client.post(f"/contracts/{contract.id}/edit", data=SETTINGS)
    assert response.status_code == 302
    session.refresh(contract)
    assert (contract.inquiry_hours, contract.complaint_hours, contract.survey_open_day) == (
        12,
        36,
        5,
    )
    event = _events(session, "contract.update")[0]
    assert event.actor_id == admin.id
    assert event.details["inquiry_hours"] == {"from": 24, "to": 12}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("inquiry_hours", "0"),
        ("survey_open_day", "31"),
        ("end_date", "2025-01-01"),
        ("monthly_fee", "-1"),
        ("title", ""),
    ],
)
def test_invalid_settings_are_refused_and_nothing_changes(
    client, session, sign_in, contract, field, value
):
    sign_in(make_user(session, "provider_admin", contract.provider))
    response = client.post(f"/contracts/{contract.id}/edit", data=SETTINGS | {field: value})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.text
    session.refresh(contract)
    assert contract.inquiry_hours == 24 and contract.title != "Renamed"
    assert _events(session, "contract.update") == []


def test_an_admin_sets_targets(client, session, sign_in, contract):
    sign_in(make_user(session, "provider_admin", contract.provider))
    form = {
        f"mean-{d}": "4.1"
        for d in (
            "responsiveness",
            "complaint_handling",
            "professional_knowledge",
            "problem_solving",
            "courtesy",
            "confidentiality",
            "overall",
        )
    }
    form |= {k.replace("mean-", "csat-"): "82" for k in list(form)}
    assert client.post(f"/contracts/{contract.id}/targets", data=form).status_code == 302
    targets = session.scalars(
        select(DimensionTarget).where(DimensionTarget.contract_id == contract.id)
    ).all()
    assert len(targets) == 7
    assert {(t.target_mean, t.target_csat) for t in targets} == {
        (Decimal("4.10"), Decimal("82.00"))
    }
    assert len(_events(session, "contract.targets")) == 1


@pytest.mark.parametrize("bad", ["6", "0.5", "abc", "", "NaN"])
def test_out_of_range_targets_save_nothing(client, session, sign_in, contract, bad):
    sign_in(make_user(session, "provider_admin", contract.provider))
    form = {"mean-responsiveness": bad, "csat-responsiveness": "80"}
    assert client.post(f"/contracts/{contract.id}/targets", data=form).status_code == 400
    assert session.scalars(select(DimensionTarget)).all() == []


def test_an_admin_adds_and_edits_a_clause(client, session, sign_in, contract):
    sign_in(make_user(session, "provider_admin", contract.provider))
    clause = {
        "ref": "六",
        "title_zh": "争议解决",
        "title_en": "Disputes",
        "obligation_zh": "先协商。",
        "obligation_en": "Negotiate first.",
    }
    assert client.post(f"/contracts/{contract.id}/clause", data=clause).status_code == 302
    page = client.get(f"/contracts/{contract.id}/clause?ref=六")
    assert "先协商" in page.text
    assert (
        client.post(
            f"/contracts/{contract.id}/clause?ref=六",
            data=clause | {"obligation_zh": "先友好协商。"},
        ).status_code
        == 302
    )
    stored = session.scalars(select(Clause).where(Clause.contract_id == contract.id)).all()
    assert [(c.ref, c.obligation_zh) for c in stored] == [("六", "先友好协商。")]
    assert [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))][-2:] == [
        "contract.clause_add",
        "contract.clause_update",
    ]


def test_an_analyst_reads_the_contract_but_cannot_change_it(client, session, sign_in, contract):
    sign_in(make_user(session, "provider_analyst", contract.provider))
    assert client.get(f"/contracts/{contract.id}").status_code == 200
    assert client.get(f"/contracts/{contract.id}/edit").status_code == 403
    assert client.post(f"/contracts/{contract.id}/edit", data=SETTINGS).status_code == 403
    assert (
        client.post(f"/contracts/{contract.id}/targets", data={"mean-overall": "4"}).status_code
        == 403
    )
    assert client.post(f"/contracts/{contract.id}/clause", data={"ref": "x"}).status_code == 403
    session.refresh(contract)
    assert contract.title != "Renamed"


def test_a_client_cannot_change_its_own_contract(client, session, sign_in, contract):
    sign_in(make_user(session, "client_viewer", contract.client))
    assert client.post(f"/contracts/{contract.id}/edit", data=SETTINGS).status_code == 403


def test_another_providers_admin_gets_404(client, session, sign_in, contract):
    sign_in(make_user(session, "provider_admin"))
    assert client.get(f"/contracts/{contract.id}/edit").status_code == 404
    assert client.post(f"/contracts/{contract.id}/targets", data={}).status_code == 404


def test_an_admin_sets_how_responses_are_attributed_to_agents(client, session, sign_in, contract):
    """Issue #23: the attribution rule of the SLA x satisfaction join is a contract setting."""
    sign_in(make_user(session, "provider_admin", contract.provider))
    data = SETTINGS | {"sla_attribution": "all_agents"}
    assert client.post(f"/contracts/{contract.id}/edit", data=data).status_code == 302
    session.refresh(contract)
    assert contract.sla_attribution == "all_agents"
    bad = client.post(f"/contracts/{contract.id}/edit", data=SETTINGS | {"sla_attribution": "x"})
    assert bad.status_code in (200, 400, 422)
    session.refresh(contract)
    assert contract.sla_attribution == "all_agents"
