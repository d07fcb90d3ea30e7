"""The provider admin's tickets import page."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from surveyapp.models import Ticket

from ..factories import make_contract, make_user
from .test_importing import BAD, GOOD, HEADER


def _upload(client, contract, text: str, **extra):
    data = {"file": (io.BytesIO(text.encode()), "tickets.csv"), **extra}
    return client.post(
        f"/contracts/{contract.id}/tickets/import", data=data, content_type="multipart/form-data"
    )


def test_an_admin_imports_a_good_file(client, session, sign_in):
    contract = make_contract(session)
    sign_in(make_user(session, "provider_admin", contract.provider))
    response = _upload(client, contract, HEADER + GOOD)
    assert response.status_code == 200
    assert session.scalar(select(func.count()).select_from(Ticket)) == 2


def test_a_bad_file_shows_the_report_and_imports_nothing(client, session, sign_in):
    contract = make_contract(session)
    sign_in(make_user(session, "provider_admin", contract.provider))
    response = _upload(client, contract, HEADER + GOOD + BAD)
    assert response.status_code == 400
    assert 'id="report"' in response.text and "<td>4</td><td>kind</td>" in response.text
    assert session.scalar(select(func.count()).select_from(Ticket)) == 0


def test_skip_bad_rows_imports_the_good_ones_and_still_reports(client, session, sign_in):
    contract = make_contract(session)
    sign_in(make_user(session, "provider_admin", contract.provider))
    response = _upload(client, contract, HEADER + GOOD + BAD, skip_bad_rows="y")
    assert response.status_code == 200 and "<td>5</td><td>received_at</td>" in response.text
    assert session.scalar(select(func.count()).select_from(Ticket)) == 2


def test_the_contract_page_links_admins_to_the_import(client, session, sign_in):
    contract = make_contract(session)
    sign_in(make_user(session, "provider_admin", contract.provider))
    page = client.get(f"/contracts/{contract.id}").text
    assert f"/contracts/{contract.id}/tickets/import" in page
