"""Report fixtures: one chart server per test session, the demo with its reports per module,
and the real poppler tools."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from analysis import MonthlyAnalysis, monthly_analysis
from surveyapp.extensions import db
from surveyapp.models import Contract, Cycle, Report
from surveyapp.presenting.reading import labels_for
from surveyapp.reports.building import build_monthly_report

from ..conftest import require_tool

DEMO_TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
MONTH = "2026-10"
CONTRACT = "HX-2025-001"


@pytest.fixture(scope="session")
def poppler():
    for tool in ("pdffonts", "pdftotext", "pdftoppm", "pdfinfo"):
        require_tool(tool, "the PDF tests check the report with poppler-utils")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60)


def pdf_text(path: Path) -> str:
    return run("pdftotext", "-layout", str(path), "-").stdout


@dataclass
class DemoReport:
    app: Flask
    report_id: int
    contract_id: int
    path: Path
    content: bytes
    analysis: MonthlyAnalysis


@pytest.fixture(scope="module")
def report_demo_app(demo_app) -> Flask:
    """The demo app of tests/conftest.py (built once per module; tests using it only read)."""
    return demo_app


def build_demo_report(app: Flask, directory: Path, locale: str = "zh_CN") -> DemoReport:
    """Build the demo contract's report of the last closed month, and the analysis it shows."""
    with app.app_context():
        contract = db.session.scalar(select(Contract).where(Contract.number == CONTRACT))
        cycle = db.session.scalar(
            select(Cycle).where(Cycle.contract_id == contract.id, Cycle.month == MONTH)
        )
        report = build_monthly_report(db.session, cycle, locale=locale, now=NOW)
        content = db.session.scalar(select(Report.content).where(Report.id == report.id))
        with db.engine.connect() as conn, force_locale(locale):
            # the report's own wording: the one set of dimension names (surveyapp.presenting)
            labels, texts = labels_for(locale, contract.inquiry_hours, contract.complaint_hours)
            analysis = monthly_analysis(
                conn, contract.id, MONTH, now=NOW, labels=labels, texts=texts
            )
        result = DemoReport(app, report.id, contract.id, directory / f"report-{locale}.pdf",
                            content, analysis)  # fmt: skip
        db.session.remove()
    result.path.write_bytes(content)
    return result


@pytest.fixture(scope="module")
def demo_report(report_demo_app, charts, tmp_path_factory) -> DemoReport:
    return build_demo_report(report_demo_app, tmp_path_factory.mktemp("report"))
