"""Action items: proposals stored once, staff edits audited, effects judged next cycle."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from analysis import ActionItemProposal
from surveyapp.action_items.board import InvalidChange, save_proposals, update_item
from surveyapp.models import ActionItem, AuditEvent

from ..factories import make_action_item, make_contract, make_organization, make_user

NOW = datetime(2026, 11, 25, 8, tzinfo=UTC)


def _proposal(key="below_target:responsiveness", month="2026-10", **kw):
    return ActionItemProposal(
        key=key,
        rule=key.split(":")[0],
        month=month,
        clause_ref="一(1)",
        dimension="responsiveness",
        title="Responsiveness below target",
        evidence={"metric": "mean", "mean": 3.6, "n": 80},
        remedy="Re-plan shifts.",
        priority="high",
        due_date=date(2026, 11, 30),
        **kw,
    )


def test_saving_the_same_months_proposals_twice_stores_each_once(session):
    contract = make_contract(session)
    assert (
        len(
            save_proposals(
                session, contract.id, None, [_proposal(), _proposal("sla_breach:inquiry")]
            )
        )
        == 2
    )
    session.commit()
    assert (
        save_proposals(session, contract.id, None, [_proposal(), _proposal("sla_breach:inquiry")])
        == []
    )
    session.commit()
    assert session.scalar(select(func.count()).select_from(ActionItem)) == 2


def test_a_stored_item_keeps_staff_edits_when_proposed_again(session):
    contract = make_contract(session)
    item = make_action_item(
        session, contract, key="below_target:responsiveness", title="Edited by staff"
    )
    save_proposals(session, contract.id, None, [_proposal()])
    session.commit()
    session.refresh(item)
    assert item.title == "Edited by staff"


def test_an_edit_is_audited_field_by_field_with_who(session):
    contract = make_contract(session)
    staff = make_user(session, "provider_analyst", contract.provider)
    item = make_action_item(session, contract)
    diff = update_item(
        session, item, {"status": "done", "owner_id": staff.id, "title": item.title}, staff, NOW
    )
    session.commit()
    assert set(diff) == {"status", "owner_id"}
    assert item.closed_at == NOW
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "action_item.update"))
    assert event.actor_id == staff.id and event.subject_id == item.id
    assert event.details["status"] == {"from": "proposed", "to": "done"}


def test_reopening_clears_the_closing_time(session):
    contract = make_contract(session)
    staff = make_user(session, "provider_admin", contract.provider)
    item = make_action_item(session, contract, status="done", closed_at=NOW)
    update_item(session, item, {"status": "open"}, staff, NOW)
    assert item.closed_at is None


@pytest.mark.parametrize("changes", [{"status": "finished"}, {"contract_id": 9}, {"evidence": {}}])
def test_unknown_fields_and_statuses_are_refused(session, changes):
    contract = make_contract(session)
    staff = make_user(session, "provider_admin", contract.provider)
    with pytest.raises(InvalidChange):
        update_item(session, make_action_item(session, contract), changes, staff, NOW)


def test_the_owner_must_be_provider_staff_of_the_same_provider(session):
    contract = make_contract(session)
    staff = make_user(session, "provider_admin", contract.provider)
    client_user = make_user(session, "client_viewer", contract.client)
    stranger = make_user(session, "provider_admin", make_organization(session, "provider"))
    item = make_action_item(session, contract)
    for owner in (client_user, stranger):
        with pytest.raises(InvalidChange):
            update_item(session, item, {"owner_id": owner.id}, staff, NOW)


def test_the_board_filters_by_status_owner_and_clause(client, session, sign_in):
    contract = make_contract(session)
    staff = make_user(session, "provider_analyst", contract.provider)
    make_action_item(
        session, contract, title="Alpha", status="open", owner_id=staff.id, clause_ref="一(1)"
    )
    make_action_item(session, contract, title="Beta", status="done", clause_ref="一(2)")
    make_action_item(session, contract, title="Gamma", status="proposed", clause_ref="一(2)")
    sign_in(staff)

    def titles(query):
        page = client.get(f"/action-items/?{query}").text
        return {t for t in ("Alpha", "Beta", "Gamma") if f"<strong>{t}</strong>" in page}

    assert titles("") == {"Alpha", "Beta", "Gamma"}
    assert titles("status=active") == {"Alpha", "Gamma"}
    assert titles("status=done") == {"Beta"}
    assert titles(f"owner={staff.id}") == {"Alpha"}
    assert titles("owner=none") == {"Beta", "Gamma"}
    assert titles("clause=一(2)") == {"Beta", "Gamma"}
    assert titles(f"contract={contract.id}&status=proposed") == {"Gamma"}


def test_editing_through_the_page_saves_and_audits(client, session, sign_in):
    contract = make_contract(session)
    staff = make_user(session, "provider_analyst", contract.provider)
    item = make_action_item(session, contract)
    sign_in(staff)
    form = {
        "title": "New title",
        "remedy": "New remedy",
        "owner_id": str(staff.id),
        "due_date": "2026-12-15",
        "status": "in_progress",
        "priority": "medium",
    }
    response = client.post(f"/action-items/{item.id}/edit", data=form)
    assert response.status_code == 302
    session.refresh(item)
    assert (item.title, item.status, item.owner_id, item.due_date) == (
        "New title",
        "in_progress",
        staff.id,
        date(2026, 12, 15),
    )
    assert (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "action_item.update")
        )
        == 1
    )


def test_a_bad_edit_is_refused_and_stores_nothing(client, session, sign_in):
    contract = make_contract(session)
    staff = make_user(session, "provider_admin", contract.provider)
    item = make_action_item(session, contract)
    sign_in(staff)
    response = client.post(
        f"/action-items/{item.id}/edit",
        data={
            "title": "",
            "remedy": "x",
            "owner_id": "0",
            "status": "nonsense",
            "priority": "high",
        },
    )
    assert response.status_code == 400
    session.refresh(item)
    assert item.title.startswith("Finding") and item.status == "proposed"
    assert (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "action_item.update")
        )
        == 0
    )
