"""The customer list and CSV import page (provider admins only)."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from surveyapp.models import AuditEvent, Customer

from ..factories import make_contract, make_user


def test_an_admin_imports_a_file_and_sees_the_customers(client, session, sign_in):
    contract = make_contract(session)
    sign_in(make_user(session, "provider_admin", contract.provider))
    url = f"/contracts/{contract.id}/customers/import"
    assert client.get(url).status_code == 200
    bad = b"ref,email\nK1,zw@example.com\nK2,broken\n"
    page = client.post(
        url, data={"file": (io.BytesIO(bad), "c.csv")}, content_type="multipart/form-data"
    )
    assert page.status_code == 400 and "未导入任何数据" in page.text and "<td>3</td>" in page.text
    assert session.scalar(select(func.count()).select_from(Customer)) == 0
    page = client.post(
        url,
        data={"file": (io.BytesIO(bad), "c.csv"), "skip_bad_rows": "y"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert page.status_code == 200 and "新增 1" in page.text
    listing = client.get(f"/contracts/{contract.id}/customers/")
    assert "zw@example.com" in listing.text
    assert (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "customers.viewed")
        )
        == 1
    )


def test_an_upload_without_a_file_is_refused(client, session, sign_in):
    contract = make_contract(session)
    sign_in(make_user(session, "provider_admin", contract.provider))
    page = client.post(f"/contracts/{contract.id}/customers/import", data={})
    assert page.status_code == 400 and "请选择一个 CSV 文件" in page.text
