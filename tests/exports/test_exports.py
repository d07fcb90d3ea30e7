"""Exports: CSV with BOM and XLSX, formulas neutralised, no contact data, clients aggregated."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from surveyapp.exports.writer import neutralise, write_table
from surveyapp.models import Answer, AuditEvent, Customer

from ..factories import (
    make_contract,
    make_cycle,
    make_invitation,
    make_response,
    make_survey_version,
    make_user,
)


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"])
def test_cells_that_look_like_formulas_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", "中文", -5, 3.5, None, "a=b"])
def test_other_cells_are_kept(value):
    assert neutralise(value) == value


def test_csv_starts_with_a_bom_and_keeps_chinese():
    body = write_table(["名称", "n"], [["满意", 3]], "csv")
    assert body.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == [["名称", "n"], ["满意", "3"]]


def test_xlsx_opens_and_neutralises():
    sheet = load_workbook(io.BytesIO(write_table(["a"], [['=HYPERLINK("x")'], [4]], "xlsx"))).active
    assert [c.value for c in sheet["A"]] == ["a", '\'=HYPERLINK("x")', 4]


@pytest.fixture
def month(session):
    contract = make_contract(session)
    version = make_survey_version(session, contract.provider)
    cycle = make_cycle(session, contract, version, month="2026-10", status="closed")
    for i in range(6):
        invitation, _ = make_invitation(session, cycle)
        response = make_response(session, invitation, values={"RESP": 3 + i % 3, "NPS": 8})
        if i == 0:
            comment = next(q for q in version.questions if q.code == "COMMENT")
            session.add(
                Answer(
                    response_id=response.id,
                    question_id=comment.id,
                    contract_id=contract.id,
                    month="2026-10",
                    question_code="COMMENT",
                    kind="text",
                    text_value='=HYPERLINK("http://evil.example","click")',
                )
            )
            session.commit()
    return contract


def test_the_provider_response_export_has_reference_ids_but_no_contact_data(
    client, session, sign_in, month
):
    sign_in(make_user(session, "provider_analyst", month.provider))
    response = client.get(f"/exports/contracts/{month.id}/responses.csv?month=2026-10")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 6
    customers = session.scalars(select(Customer).where(Customer.contract_id == month.id)).all()
    assert {r["customer_ref"] for r in rows} == {c.ref for c in customers}
    text = response.data.decode("utf-8-sig")
    for customer in customers:
        contact = customer.reveal_contact()
        assert contact.email not in text and contact.mobile not in text and contact.name not in text
    assert any(r["COMMENT"].startswith("'=HYPERLINK") for r in rows)


def test_the_metrics_export_in_xlsx_matches_the_month(client, session, sign_in, month):
    sign_in(make_user(session, "provider_admin", month.provider))
    response = client.get(f"/exports/contracts/{month.id}/metrics.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    resp = next(r for r in rows if r[header.index("dimension")] == "responsiveness")
    assert resp[header.index("n")] == 6 and resp[header.index("mean")] == pytest.approx(4.0)


def test_a_client_gets_aggregates_only(client, session, sign_in, month):
    sign_in(make_user(session, "client_viewer", month.client))
    assert (
        client.get(f"/exports/contracts/{month.id}/responses.csv?month=2026-10").status_code == 403
    )
    body = client.get(f"/exports/contracts/{month.id}/metrics.csv").data.decode("utf-8-sig")
    assert "responsiveness" in body and "customer_ref" not in body


def test_exports_are_audited(client, session, sign_in, month):
    user = make_user(session, "provider_admin", month.provider)
    sign_in(user)
    client.get(f"/exports/contracts/{month.id}/metrics.csv")
    client.get(f"/exports/contracts/{month.id}/responses.xlsx?month=2026-10")
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.actor_id, e.details["kind"]) for e in events] == [
        (user.id, "metrics"),
        (user.id, "responses"),
    ]


def test_an_unknown_format_or_month_is_refused(client, session, sign_in, month):
    sign_in(make_user(session, "provider_admin", month.provider))
    assert client.get(f"/exports/contracts/{month.id}/metrics.pdf").status_code == 404
    assert client.get(f"/exports/contracts/{month.id}/responses.csv?month=bad").status_code == 400
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1  # the sign-in only
