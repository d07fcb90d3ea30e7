"""Downloads are the archived bytes, scoped by tenant; building is for provider admins."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from surveyapp.models import AuditEvent, Report

from ..factories import make_contract, make_cycle, make_organization, make_user

MONTH = "2026-10"


def _archive(session, cycle, version: int, locale: str = "zh_CN") -> Report:
    content = f"%PDF-1.7 report {cycle.contract_id} {cycle.month} {locale} v{version}".encode()
    report = Report(
        cycle_id=cycle.id, contract_id=cycle.contract_id, month=cycle.month, locale=locale,
        version=version, sha256=hashlib.sha256(content).hexdigest(), size_bytes=len(content),
        inputs_version="0" * 64, content=content,
    )  # fmt: skip
    session.add(report)
    session.commit()
    return report


@pytest.fixture
def world(session):
    provider = make_organization(session, "provider")
    client_a, client_b = make_organization(session), make_organization(session)
    a = make_contract(session, provider=provider, client=client_a, number="A-1")
    b = make_contract(session, provider=provider, client=client_b, number="B-1")
    foreign = make_contract(session, client=make_organization(session), number="F-1")
    cycle_a = make_cycle(session, a, month=MONTH, status="closed")
    cycle_b = make_cycle(session, b, month=MONTH, status="closed")
    return {
        "a": a, "b": b, "foreign": foreign, "cycle_a": cycle_a,
        "a_v1": _archive(session, cycle_a, 1), "a_v2": _archive(session, cycle_a, 2),
        "b_v1": _archive(session, cycle_b, 1),
        "admin": make_user(session, "provider_admin", provider),
        "analyst": make_user(session, "provider_analyst", provider),
        "client_a": make_user(session, "client_viewer", client_a),
    }  # fmt: skip


def _url(contract, report):
    return f"/contracts/{contract.id}/reports/{report.id}.pdf"


def test_a_client_downloads_exactly_the_archived_bytes_of_its_latest_report(
    client, world, sign_in, session
):
    sign_in(world["client_a"])
    response = client.get(_url(world["a"], world["a_v2"]))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert hashlib.sha256(response.data).hexdigest() == world["a_v2"].sha256
    assert response.headers["X-Content-SHA256"] == world["a_v2"].sha256
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "report.download"))
    assert event.actor_id == world["client_a"].id and event.subject_id == world["a_v2"].id


def test_a_client_cannot_download_another_clients_report(client, world, sign_in):
    sign_in(world["client_a"])
    assert client.get(_url(world["b"], world["b_v1"])).status_code == 404
    assert client.get(_url(world["a"], world["b_v1"])).status_code == 404
    assert client.get(f"/contracts/{world['b'].id}/reports/").status_code == 404


def test_a_client_gets_404_for_a_superseded_version_that_providers_still_download(
    client, world, sign_in
):
    sign_in(world["client_a"])
    assert client.get(_url(world["a"], world["a_v1"])).status_code == 404
    page = client.get(f"/contracts/{world['a'].id}/reports/").text
    assert (
        f"/reports/{world['a_v2'].id}.pdf" in page
        and f"/reports/{world['a_v1'].id}.pdf" not in page
    )


def test_provider_staff_list_and_download_every_version(app, world, sign_in):
    client = app.test_client()
    client.post(
        "/sign-in", data={"email": world["analyst"].email, "password": "correct horse battery"}
    )
    page = client.get(f"/contracts/{world['a'].id}/reports/").text
    assert f"/reports/{world['a_v1'].id}.pdf" in page and f"/reports/{world['a_v2'].id}.pdf" in page
    old = client.get(_url(world["a"], world["a_v1"]))
    assert old.status_code == 200 and hashlib.sha256(old.data).hexdigest() == world["a_v1"].sha256
    assert client.get(_url(world["foreign"], world["a_v1"])).status_code == 404


def test_an_analyst_may_not_build_a_report(client, world, sign_in, session):
    sign_in(world["analyst"])
    assert client.post(f"/contracts/{world['a'].id}/reports/{MONTH}/build").status_code == 403
    assert session.scalar(select(func.count()).select_from(Report)) == 3


def test_an_admin_cannot_build_for_another_providers_contract(client, world, sign_in):
    sign_in(world["admin"])
    assert client.post(f"/contracts/{world['foreign'].id}/reports/{MONTH}/build").status_code == 404
    assert client.post(f"/contracts/{world['a'].id}/reports/2020-01/build").status_code == 404


def test_the_admins_button_builds_a_new_version(client, world, sign_in, session, charts):
    sign_in(world["admin"])
    response = client.post(
        f"/contracts/{world['a'].id}/reports/{MONTH}/build", data={"locale": "en"}
    )
    assert response.status_code == 302
    built = session.scalar(
        select(Report).where(Report.contract_id == world["a"].id, Report.locale == "en")
    )
    assert built.version == 1 and built.created_by_id == world["admin"].id
    assert built.content.startswith(b"%PDF-")
    page = client.get(response.location).text
    assert f"/reports/{built.id}.pdf" in page
