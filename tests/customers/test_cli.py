from sqlalchemy import func, select

from surveyapp.models import Customer

from ..factories import make_contract


def test_import_customers_reports_bad_lines_and_imports_nothing(runner, session, tmp_path):
    contract = make_contract(session)
    path = tmp_path / "c.csv"
    path.write_text("ref,email\nK1,a@example.com\nK2,broken\n", encoding="utf-8-sig")
    result = runner.invoke(args=["import-customers", "--contract", contract.number, str(path)])
    assert result.exit_code == 1 and "line 3 [email]: Not a valid e-mail address." in result.output
    assert session.scalar(select(func.count()).select_from(Customer)) == 0
    result = runner.invoke(
        args=["import-customers", "--contract", contract.number, "--skip-bad-rows", str(path)]
    )
    assert result.exit_code == 0 and "1 new" in result.output
    again = runner.invoke(
        args=["import-customers", "--contract", contract.number, "--skip-bad-rows", str(path)]
    )
    assert "0 new, 1 updated" in again.output
