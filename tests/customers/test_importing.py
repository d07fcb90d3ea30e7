"""Customer CSV import: the column spec, a report with line numbers, all or nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from surveyapp.csv_import import Column, read_csv
from surveyapp.customers.importing import import_customers
from surveyapp.models import Customer

from ..factories import make_contract

GOOD = (
    "ref,name,email,mobile,language,active\n"
    "K1,张伟,zw@example.com,13800000001,zh_CN,yes\n"
    "K2,Ann,ann@example.com,,en,\n"
)


def _customers(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Customer))


def test_a_good_file_with_bom_imports_and_encrypts_contact_data(session):
    contract = make_contract(session)
    result = import_customers(session, contract, ("\ufeff" + GOOD).encode("utf-8"))
    assert result.imported and (result.created, result.updated) == (2, 0)
    k1 = session.scalars(select(Customer).where(Customer.ref == "K1")).one()
    assert k1.reveal_contact().email == "zw@example.com" and "zw@example.com" not in (
        k1.email_enc or ""
    )
    assert session.scalars(select(Customer).where(Customer.ref == "K2")).one().language == "en"


def test_importing_the_same_file_twice_creates_nothing_new(session):
    contract = make_contract(session)
    import_customers(session, contract, GOOD.encode())
    again = import_customers(session, contract, GOOD.encode())
    assert (again.created, again.updated) == (0, 2) and _customers(session) == 2


def test_a_bad_row_means_nothing_is_imported_and_the_report_names_line_and_column(session):
    contract = make_contract(session)
    data = (
        GOOD
        + "K3,Bad,not-an-email,12,fr,maybe\n,NoRef,x@example.com,,,\nK1,Dup,dup@example.com,,,\n"
    )
    result = import_customers(session, contract, data.encode())
    assert not result.imported and _customers(session) == 0
    problems = {(p.line, p.column) for p in result.report.problems}
    assert {
        (4, "email"),
        (4, "mobile"),
        (4, "language"),
        (4, "active"),
        (5, "ref"),
        (6, "ref"),
    } <= problems


def test_skipping_bad_rows_imports_the_good_ones(session):
    contract = make_contract(session)
    result = import_customers(
        session, contract, (GOOD + "K3,Bad,not-an-email,,,\n").encode(), skip_bad_rows=True
    )
    assert (
        result.imported and result.created == 2 and result.skipped == 1 and _customers(session) == 2
    )


def test_chinese_headers_and_a_gb18030_file_from_excel_work(session):
    contract = make_contract(session)
    data = "编号,姓名,邮箱,手机,语言,有效\nK9,李娜,ln@example.com,13900000009,中文,是\n".encode(
        "gb18030"
    )
    result = import_customers(session, contract, data)
    assert result.imported and result.created == 1
    assert session.scalars(select(Customer)).one().reveal_contact().name == "李娜"


def test_an_unknown_or_missing_column_is_a_file_problem(session):
    contract = make_contract(session)
    result = import_customers(
        session, contract, b"emial,name\nx@example.com,X\n", skip_bad_rows=True
    )
    assert not result.imported and result.report.file_problem
    assert {(p.line, p.column) for p in result.report.problems} == {(1, "emial"), (1, "ref")}


def test_an_email_of_another_customer_is_refused(session):
    contract = make_contract(session)
    import_customers(session, contract, GOOD.encode())
    result = import_customers(session, contract, b"ref,email\nK7,zw@example.com\n")
    assert not result.imported and result.report.problems[0].line == 2


def test_line_numbers_count_physical_lines_of_quoted_multiline_cells():
    data = b'ref,name\nA,"two\nlines"\n,missing\n'
    report = read_csv(data, [Column("ref", required=True), Column("name")])
    assert [(p.line, p.column) for p in report.problems] == [(4, "ref")]


def test_a_binary_file_is_refused():
    report = read_csv(b"\x00\x01\xff\xfe" * 10, [Column("ref", required=True)])
    assert report.file_problem and report.problems[0].line == 0
