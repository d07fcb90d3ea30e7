"""A provider's own clients and contracts, made in the product: the template, the rules that
refuse bad input with nothing stored, the contract's life (draft, active, ended, renewed) and
the tenant scope of every new page."""

from datetime import date

import pytest
from sqlalchemy import func, select

from surveyapp.contracts.template import STANDARD_CLAUSES
from surveyapp.dimensions import DIMENSIONS
from surveyapp.models import AuditEvent, Clause, Contract, ContractTerm, Cycle, Organization

from ..factories import make_contract, make_cycle, make_organization, make_user


@pytest.fixture
def provider(session):
    return make_organization(session, "provider", name="甲方服务公司")


@pytest.fixture
def admin(session, provider):
    return make_user(session, "provider_admin", provider)


@pytest.fixture
def own_client(session, provider):
    return make_organization(
        session, name="乙方家电", provider_id=provider.id, address="北京", contact_person="李"
    )


def _form(client_id, **overrides):
    form = {
        "client_id": str(client_id),
        "number": "HX-2027-001",
        "title": "客服外包合同",
        "signed_on": "2026-12-01",
        "start_date": "2027-01-01",
        "end_date": "2027-12-31",
        "monthly_fee": "85000.00",
        "payment_due_working_days": "5",
        "inquiry_hours": "24",
        "complaint_hours": "48",
        "timezone": "Asia/Shanghai",
        "survey_id": "",
        "survey_open_day": "1",
        "survey_open_days": "14",
        "reminder_after_days": "5",
        "max_reminders": "2",
        "target_nps": "30",
        "target_response_rate": "30",
    }
    return form | overrides


def _count(session, model):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_a_contract_made_from_the_template_has_its_clauses_targets_and_parties(
    client, session, sign_in, admin, own_client
):
    sign_in(admin)
    response = client.post("/contracts/new", data=_form(own_client.id))
    assert response.status_code == 302
    contract = session.scalar(select(Contract).where(Contract.number == "HX-2027-001"))
    assert contract.status == "draft" and contract.client_id == own_client.id
    assert [c.ref for c in contract.clauses] == [c[0] for c in STANDARD_CLAUSES]
    assert {t.dimension for t in contract.targets} == set(DIMENSIONS)
    assert contract.client_address == "北京" and contract.client_contact == "李"
    assert contract.signed_on == date(2026, 12, 1) and contract.payment_due_working_days == 5
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "contract.create"))


BAD = [
    ({"end_date": "2026-06-30"}, "end date"),
    ({"monthly_fee": "-1"}, "fee"),
    ({"inquiry_hours": "0"}, "inquiry"),
    ({"complaint_hours": "0"}, "complaint"),
    ({"number": ""}, "number"),
    ({"start_date": "not a date"}, "date"),
    ({"payment_due_working_days": "40"}, "working days"),
]


@pytest.mark.parametrize("change,_what", BAD)
def test_bad_contract_input_is_refused_with_a_message_and_nothing_stored(
    client, session, sign_in, admin, own_client, change, _what
):
    sign_in(admin)
    before = (_count(session, Contract), _count(session, Clause))
    response = client.post("/contracts/new", data=_form(own_client.id, **change))
    assert response.status_code == 400
    assert 'class="field-error"' in response.text
    assert (_count(session, Contract), _count(session, Clause)) == before


def test_a_duplicate_contract_number_is_refused_but_another_provider_may_use_it(
    client, session, sign_in, admin, provider, own_client
):
    make_contract(session, provider=provider, client=own_client, number="HX-2027-001")
    other = make_organization(session, "provider")
    make_contract(session, provider=other, number="HX-2027-002")
    sign_in(admin)
    before = _count(session, Contract)
    response = client.post("/contracts/new", data=_form(own_client.id))
    assert response.status_code == 400 and "HX-2027-001" in response.text
    assert _count(session, Contract) == before
    assert (
        client.post("/contracts/new", data=_form(own_client.id, number="HX-2027-002")).status_code
        == 302
    )


def test_a_contract_cannot_be_made_for_another_providers_client(client, session, sign_in, admin):
    foreign_client = make_organization(
        session, provider_id=make_organization(session, "provider").id
    )
    sign_in(admin)
    make_organization(session, provider_id=admin.organization_id)  # so the form opens
    before = _count(session, Contract)
    assert client.post("/contracts/new", data=_form(foreign_client.id)).status_code == 400
    assert _count(session, Contract) == before


def test_a_duplicate_clause_reference_is_refused_and_a_clause_can_be_removed(
    client, session, sign_in, admin, provider
):
    contract = make_contract(session, provider=provider)
    session.add(
        Clause(
            contract=contract,
            ref="一(1)",
            position=0,
            title_zh="咨询",
            title_en="Inquiries",
            obligation_zh="24 小时",
            obligation_en="24 hours",
        )
    )
    session.commit()
    sign_in(admin)
    clause = {
        "ref": "一(1)",
        "title_zh": "另",
        "title_en": "Other",
        "obligation_zh": "x",
        "obligation_en": "x",
    }
    response = client.post(f"/contracts/{contract.id}/clause", data=clause)
    assert response.status_code == 400 and "一(1)" in response.text
    assert _count(session, Clause) == 1
    assert (
        client.post(f"/contracts/{contract.id}/clause/remove", data={"ref": "一(1)"}).status_code
        == 302
    )
    assert _count(session, Clause) == 0


def test_a_contract_goes_from_draft_to_active_and_ends_early_only_with_the_agreement(
    client, session, sign_in, admin, provider
):
    contract = make_contract(
        session, provider=provider, status="draft", end_date=date(2027, 12, 31)
    )
    sign_in(admin)
    assert client.post(f"/contracts/{contract.id}/activate").status_code == 302
    session.refresh(contract)
    assert contract.status == "active"
    future = {"ended_on": "2099-01-01", "agreement_ref": "协议"}
    assert client.post(f"/contracts/{contract.id}/end", data=future).status_code == 400
    early = {"ended_on": "2026-06-30", "agreement_ref": ""}
    response = client.post(f"/contracts/{contract.id}/end", data=early)
    assert response.status_code == 400
    session.refresh(contract)
    assert contract.status == "active" and contract.ended_on is None
    early["agreement_ref"] = "补充协议 2027-03"
    assert client.post(f"/contracts/{contract.id}/end", data=early).status_code == 302
    session.refresh(contract)
    assert (contract.status, contract.ended_on, contract.termination_ref) == (
        "ended",
        date(2026, 6, 30),
        "补充协议 2027-03",
    )
    # renewed from the day after the early end, not after the planned end
    renewal = {"number": "NEXT-1", "start_date": "2026-07-01", "end_date": "2027-06-30"}
    assert client.post(f"/contracts/{contract.id}/renew", data=renewal).status_code == 302
    session.refresh(contract)
    assert contract.status == "active" and contract.terms[0].end_date == date(2026, 6, 30)


def test_a_renewal_keeps_the_months_and_the_earlier_number(
    client, session, sign_in, admin, provider
):
    contract = make_contract(
        session,
        provider=provider,
        number="OLD-1",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
    )
    make_cycle(session, contract, month="2026-11")
    sign_in(admin)
    bad = {"number": "NEW-1", "start_date": "2026-06-01", "end_date": "2027-12-31"}
    assert client.post(f"/contracts/{contract.id}/renew", data=bad).status_code == 400
    good = bad | {"start_date": "2027-01-01"}
    assert client.post(f"/contracts/{contract.id}/renew", data=good).status_code == 302
    session.expire_all()
    contract = session.get(Contract, contract.id)
    assert contract.number == "NEW-1" and contract.start_date == date(2027, 1, 1)
    assert [t.number for t in contract.terms] == ["OLD-1"]
    assert session.scalar(select(Cycle.month).where(Cycle.contract_id == contract.id)) == "2026-11"
    assert contract.first_day == date(2026, 1, 1)
    # the earlier number stays taken
    other = make_contract(session, provider=provider)
    again = good | {"number": "OLD-1", "start_date": "2030-01-01", "end_date": ""}
    assert client.post(f"/contracts/{other.id}/renew", data=again).status_code == 400
    assert _count(session, ContractTerm) == 1


def test_dates_that_leave_months_outside_the_contract_need_confirmation(
    client, session, sign_in, admin, provider
):
    contract = make_contract(session, provider=provider, start_date=date(2026, 1, 1))
    make_cycle(session, contract, month="2026-03")
    sign_in(admin)
    settings = _form(0, start_date="2026-06-01", end_date="")
    settings.pop("client_id"), settings.pop("number")
    response = client.post(f"/contracts/{contract.id}/edit", data=settings)
    assert response.status_code == 409 and "2026-03" in response.text
    session.refresh(contract)
    assert contract.start_date == date(2026, 1, 1)
    settings["confirm_dates"] = "y"
    assert client.post(f"/contracts/{contract.id}/edit", data=settings).status_code == 302
    session.refresh(contract)
    assert contract.start_date == date(2026, 6, 1)


def test_an_admin_makes_edits_and_deactivates_a_client(client, session, sign_in, admin):
    sign_in(admin)
    data = {"name": "青禾生鲜", "address": "上海", "contact_person": "王", "phone": "021-1"}
    assert client.post("/clients/new", data=data).status_code == 302
    made = session.scalar(select(Organization).where(Organization.name == "青禾生鲜"))
    assert made.kind == "client" and made.provider_id == admin.organization_id
    assert client.post("/clients/new", data=data).status_code == 400  # same name
    assert (
        client.post(f"/clients/{made.id}/edit", data=data | {"phone": "021-2"}).status_code == 302
    )
    assert client.post(f"/clients/{made.id}/active", data={"active": "0"}).status_code == 302
    session.refresh(made)
    assert made.phone == "021-2" and made.active is False
    assert "青禾生鲜" not in client.get("/contracts/new").text
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == made.id))
    assert {"client.create", "client.update", "client.deactivate"} <= set(actions)


def test_clients_of_another_provider_are_404_and_not_listed(client, session, sign_in, admin):
    other = make_organization(session, "provider")
    theirs = make_organization(session, name="别家客户", provider_id=other.id)
    make_contract(session, provider=other, client=theirs)
    mine = make_organization(session, name="我的客户", provider_id=admin.organization_id)
    sign_in(admin)
    page = client.get("/clients/").text
    assert "我的客户" in page and "别家客户" not in page
    assert client.get(f"/clients/{mine.id}/edit").status_code == 200
    assert client.get(f"/clients/{theirs.id}/edit").status_code == 404
    assert client.post(f"/clients/{theirs.id}/active", data={"active": "0"}).status_code == 404
    session.refresh(theirs)
    assert theirs.active is True


def test_analysts_read_clients_and_clients_never_see_them(client, session, sign_in, provider):
    mine = make_organization(session, name="我的客户", provider_id=provider.id)
    sign_in(make_user(session, "provider_analyst", provider))
    assert client.get("/clients/").status_code == 200
    assert client.get("/clients/new").status_code == 403
    assert client.get(f"/clients/{mine.id}/edit").status_code == 403
    client.post("/sign-out")
    sign_in(make_user(session, "client_viewer", mine))
    assert client.get("/clients/").status_code == 403


def test_a_confirmed_date_change_does_not_ask_again_on_the_next_save(
    client, session, sign_in, admin, provider
):
    contract = make_contract(session, provider=provider, start_date=date(2026, 6, 1))
    make_cycle(session, contract, month="2026-03")
    sign_in(admin)
    settings = _form(0, start_date="2026-06-01", end_date="", client_phone="010-1")
    settings.pop("client_id"), settings.pop("number")
    assert client.post(f"/contracts/{contract.id}/edit", data=settings).status_code == 302
    session.refresh(contract)
    assert contract.client_phone == "010-1"


def test_an_older_client_shared_by_two_providers_is_read_but_never_changed_by_either(
    client, session, sign_in, admin, provider
):
    shared = make_organization(session, name="共同客户")  # made before clients were kept
    other = make_organization(session, "provider")
    make_contract(session, provider=provider, client=shared)
    make_contract(session, provider=other, client=shared)
    sign_in(admin)
    assert "共同客户" in client.get("/clients/").text
    assert client.get(f"/clients/{shared.id}/edit").status_code == 404
    assert client.post(f"/clients/{shared.id}/active", data={"active": "0"}).status_code == 404
    session.refresh(shared)
    assert shared.active is True


def test_two_providers_may_each_keep_a_client_of_the_same_name(client, session, sign_in, admin):
    other = make_organization(session, "provider")
    make_organization(session, name="中国移动", provider_id=other.id)
    sign_in(admin)
    assert client.post("/clients/new", data={"name": "中国移动"}).status_code == 302
    assert client.post("/clients/new", data={"name": "中国移动"}).status_code == 400


def test_a_client_user_does_not_see_a_draft_contract(client, session, sign_in, provider):
    mine = make_organization(session, provider_id=provider.id)
    draft = make_contract(session, provider=provider, client=mine, status="draft")
    sign_in(make_user(session, "client_viewer", mine))
    assert client.get(f"/contracts/{draft.id}").status_code == 404
