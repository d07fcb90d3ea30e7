"""Exports: formula injection neutralised in CSV and XLSX, and no contact data in any export."""

from __future__ import annotations

import csv
import io
import re

import pytest

from surveyapp.models import (
    Customer,
)

from .conftest import full_answers, sign_in_as

XSS = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
SQLI = [
    "' OR '1'='1",
    "1; DROP TABLE customers; --",
    "2026-11' UNION SELECT email_enc FROM customers --",
    "1) OR (1=1",
]
SQL_ERRORS = re.compile(r"syntax error|sqlite3\.|psycopg|OperationalError|Traceback", re.I)


# --- exports -------------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+SUM(1,2)", "-2+3", "@cmd|' /C calc'!A0"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_injection_in_exports_is_neutralised(client, session, world, invite, fmt):
    survey = world["survey"]
    for formula in FORMULAS:
        _, token = invite()
        data = full_answers(survey, **{"q-COMMENT": formula})
        assert client.post(f"/s/{token}", data=data).status_code == 303
    sign_in_as(client, world["analyst"])
    response = client.get(
        f"/exports/contracts/{world['a'].id}/responses.{fmt}?month={survey.cycle.month}"
    )
    assert response.status_code == 200
    if fmt == "csv":
        cells = [
            c for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig"))) for c in row
        ]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.data)).active
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    for formula in FORMULAS:
        assert "'" + formula in cells, formula
        assert formula not in cells


def test_exports_carry_no_contact_data(client, session, world, invite):
    survey = world["survey"]
    invitation, token = invite()
    client.post(f"/s/{token}", data=full_answers(survey))
    contact = session.get(Customer, invitation.customer_id).reveal_contact()
    sign_in_as(client, world["admin"])
    body = client.get(
        f"/exports/contracts/{world['a'].id}/responses.csv?month={survey.cycle.month}"
    ).data.decode("utf-8-sig")
    assert contact.email not in body and contact.mobile not in body and contact.name not in body
