"""``build-reports``: every closed cycle of the month, a progress line each, a summary, safe to
run twice, non-zero exit on a failure; a clear message without Chromium."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from surveyapp.models import Report
from surveyapp.reports import pdf
from surveyapp.reports.pdf import ChartExportUnavailable, ChartServer

from .conftest import MONTH


def _reports(app) -> int:
    from surveyapp.extensions import db

    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Report))
        db.session.remove()
        return count


def test_build_reports_builds_each_contract_once_and_skips_on_a_second_run(report_demo_app, charts):
    runner = report_demo_app.test_cli_runner()
    first = runner.invoke(args=["build-reports", "--month", MONTH])
    assert first.exit_code == 0, first.output
    assert first.output.count("version 1") == 3
    assert "[####################] 3/3" in first.output
    assert "Built 3, skipped 0, failed 0 of 3" in first.output
    second = runner.invoke(args=["build-reports", "--month", MONTH])
    assert second.exit_code == 0 and "Built 0, skipped 3, failed 0 of 3" in second.output
    assert _reports(report_demo_app) == 3


def test_build_reports_exits_non_zero_when_one_contract_fails(report_demo_app, charts, monkeypatch):
    from surveyapp.reports import building

    real = building.build_monthly_report

    def flaky(session, cycle, **kw):
        if cycle.contract.number.endswith("002"):
            raise RuntimeError("disk full")
        return real(session, cycle, **kw)

    monkeypatch.setattr(building, "build_monthly_report", flaky)
    result = report_demo_app.test_cli_runner().invoke(
        args=["build-reports", "--month", MONTH, "--locale", "en", "--rebuild"]
    )
    assert result.exit_code == 1
    assert "FAILED: disk full" in result.output
    assert "failed 1 of 3" in result.output and "Failed: HX-2025-002" in result.output


def test_an_unknown_contract_or_a_bad_month_is_an_error(report_demo_app):
    runner = report_demo_app.test_cli_runner()
    assert (
        runner.invoke(args=["build-reports", "--month", MONTH, "--contract", "NOPE"]).exit_code == 1
    )
    assert runner.invoke(args=["build-reports", "--month", "2026-13"]).exit_code == 2


def test_without_chromium_the_command_says_which_packages_to_install(report_demo_app, monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr("surveyapp.reports.pdf.chart_server", lambda: ChartServer())
    result = report_demo_app.test_cli_runner().invoke(args=["build-reports", "--month", MONTH])
    assert result.exit_code == 1
    assert "apt-get install chromium fonts-wqy-microhei" in result.output


def test_a_browser_path_that_is_not_executable_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing-chrome"))
    with pytest.raises(ChartExportUnavailable, match="BROWSER_PATH"):
        pdf.chromium_path()
