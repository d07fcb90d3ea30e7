"""Metrics, action items and responses: the export's figures, tenant rules, no contact data."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from surveyapp.api.metrics import metric_json
from surveyapp.exports.tables import metrics_table
from surveyapp.extensions import db
from surveyapp.models import Answer, AuditEvent, Contract, Customer

from ..factories import make_action_item, make_cycle, make_invitation, make_response
from .conftest import assert_error

COMMENT = "请王经理回电 13812345678，邮箱 wang@mail.example"


@pytest.fixture
def answered(session, world):
    """Contract A's closed month 2026-10 with 3 responses (RESP 5, 4, 2; NPS 10, 8, 3)."""
    cycle = make_cycle(session, world.a, month="2026-10", status="closed")
    for resp, nps in ((5, 10), (4, 8), (2, 3)):
        invitation, _token = make_invitation(session, cycle)
        response = make_response(session, invitation, {"RESP": resp, "NPS": nps})
    comment = next(q for q in cycle.survey_version.questions if q.code == "COMMENT")
    session.add(
        Answer(
            response_id=response.id,
            question_id=comment.id,
            contract_id=world.a.id,
            month="2026-10",
            question_code="COMMENT",
            kind="text",
            text_value=COMMENT,
        )
    )
    session.commit()
    return cycle


def test_metrics_are_the_export_tables_rows(api, app, world, answered):
    body = api("GET", f"/contracts/{world.a.id}/metrics", world.provider_token).get_json()
    with app.app_context():
        contract = db.session.get(Contract, world.a.id)
        with db.engine.connect() as conn:
            header, rows = metrics_table(conn, db.session, contract, client_facing=False)
    expected = [metric_json(dict(zip(header, row, strict=True))) for row in rows]
    assert body["data"] == sorted(expected, key=lambda m: f"{m['month']}/{m['dimension']}")
    nps = next(m for m in body["data"] if m["dimension"] == "nps")
    assert nps["csat"] is None and nps["nps"] == pytest.approx(0.0)  # one field per meaning
    resp = next(m for m in body["data"] if m["dimension"] == "responsiveness")
    assert resp["n"] == 3 and resp["mean"] == 3.67  # 11 / 3 at 2 decimals
    assert resp["csat"] == 66.7  # 200 / 3 at the documented precision (1 decimal)


def test_a_client_token_gets_small_groups_blanked(api, world, answered):
    body = api("GET", f"/contracts/{world.a.id}/metrics", world.client_token).get_json()
    resp = next(m for m in body["data"] if m["dimension"] == "responsiveness")
    assert resp["mean"] is None and resp["csat"] is None and resp["n"] is None


def test_metrics_filter_by_month(api, world, answered):
    path = f"/contracts/{world.a.id}/metrics"
    assert api("GET", f"{path}?month=2026-09", world.provider_token).get_json()["data"] == []
    assert api("GET", f"{path}?month=2026-10", world.provider_token).get_json()["data"]
    assert_error(api("GET", f"{path}?month=2026-13", world.provider_token), 400)


def test_responses_carry_customer_refs_and_no_contact_data(api, world, answered, session):
    response = api("GET", f"/contracts/{world.a.id}/responses?month=2026-10", world.provider_token)
    body = response.get_json()
    refs = set(session.scalars(select(Customer.ref).where(Customer.contract_id == world.a.id)))
    assert {r["customer_ref"] for r in body["data"]} == refs
    assert len(body["data"]) == 3 and body["next"] is None
    assert sorted(r["answers"]["RESP"] for r in body["data"]) == ["2", "4", "5"]
    for customer in session.scalars(select(Customer)):
        contact = customer.reveal_contact()
        for secret in (contact.email, contact.mobile, contact.name):
            assert secret not in response.text
    comments = [r["answers"]["COMMENT"] for r in body["data"] if r["answers"]["COMMENT"]]
    assert comments and "13812345678" not in comments[0] and "wang@mail" not in comments[0]


def test_responses_are_for_the_provider_only_and_need_a_month(api, world, answered):
    path = f"/contracts/{world.a.id}/responses"
    assert_error(api("GET", f"{path}?month=2026-10", world.client_token), 403, "forbidden")
    assert_error(api("GET", path, world.provider_token), 400, "invalid_parameter")


def test_exports_through_the_api_are_audited(api, world, answered, session):
    api("GET", f"/contracts/{world.a.id}/responses?month=2026-10", world.provider_token)
    api("GET", f"/contracts/{world.a.id}/metrics", world.client_token)
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.details["kind"], e.organization_id) for e in events] == [
        ("responses", world.provider.id),
        ("metrics", world.provider.id),  # the provider that owns the contract (issue 19)
    ]
    assert events[0].actor_label.startswith("api-token:")


def test_a_client_token_sees_only_the_action_items_the_portal_shows(api, world, session):
    make_action_item(session, world.a, status="proposed", key="k1")
    make_action_item(session, world.a, status="open", key="k2")
    make_action_item(session, world.a, status="dismissed", key="k3")
    path = f"/contracts/{world.a.id}/action-items"
    client = api("GET", path, world.client_token).get_json()
    provider = api("GET", path, world.provider_token).get_json()
    assert [i["status"] for i in client["data"]] == ["open"]
    assert sorted(i["status"] for i in provider["data"]) == ["dismissed", "open", "proposed"]
    filtered = api("GET", f"{path}?status=proposed", world.provider_token).get_json()
    assert [i["status"] for i in filtered["data"]] == ["proposed"]
    assert_error(api("GET", f"{path}?status=nope", world.provider_token), 400)
