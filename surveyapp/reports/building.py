"""Build and archive a closed cycle's monthly PDF summary (DESIGN.md section 4, step 4).

:func:`build_monthly_report` analyses the month, renders the report's HTML with the dashboard's
figures as SVG, turns it into a PDF and stores the bytes with their SHA-256, size, version and
the analysis inputs' version; the client later downloads exactly these bytes. A rebuild adds a
new version; earlier versions stay archived. Every build is in the audit log.

Runs inside a Flask application context (templates and translations); the CLI, the provider's
button and the tests all call it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from babel.dates import format_date
from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis import (
    LABELS_EN,
    LABELS_ZH,
    TEXTS_EN,
    TEXTS_ZH,
    MonthInputs,
    MonthlyAnalysis,
    analyse_month,
    load_month_inputs,
)

from .. import audit
from ..cycles.calendar import month_bounds, parse_month, shift_month
from ..models import ActionItem, Contract, Cycle, CycleStatus, Report, User, utcnow
from ..presenting.names import customer_names
from . import content
from .pdf import chart_server, render_pdf

__all__ = [
    "LOCALES",
    "CycleNotClosed",
    "ReportError",
    "build_monthly_report",
    "inputs_version",
    "latest_reports",
]

LOCALES = ("zh_CN", "en")


class ReportError(Exception):
    """A report that cannot be built; the message says why."""


class CycleNotClosed(ReportError):
    """Only a closed cycle's answers are final, so only a closed cycle gets a report."""


def _frame_digest(frame: pd.DataFrame) -> list[str]:
    """Row order independent text of a frame (columns sorted, lines sorted)."""
    ordered = frame.reindex(sorted(frame.columns), axis=1)
    return sorted(ordered.astype(str).to_csv(index=False, header=True).splitlines())


def inputs_version(inputs: MonthInputs, items: list[ActionItem]) -> str:
    """SHA-256 of everything the month's analysis and the report read: the stored answer
    counts of the window, questions, targets, terms, comments, tickets, the funnel, and the
    contract's action items. Same inputs, same version; a late correction changes it."""
    digest = hashlib.sha256()
    for name in ("counts", "questions", "targets", "pairs", "comments", "comment_scores",
                 "tickets", "funnel"):  # fmt: skip
        digest.update(name.encode())
        digest.update("\n".join(_frame_digest(getattr(inputs, name))).encode("utf-8"))
    if inputs.stored_themes is not None:
        for name in ("comments", "keywords", "themes", "examples"):
            digest.update(f"stored_themes.{name}".encode())
            frame = getattr(inputs.stored_themes, name)
            digest.update("\n".join(_frame_digest(frame)).encode("utf-8"))
    digest.update(json.dumps([inputs.month, list(inputs.months), repr(inputs.terms)]).encode())
    rows = sorted(
        (i.id, i.month, i.key, i.status, i.effect or "", str(i.closed_at), i.title) for i in items
    )
    digest.update(json.dumps(rows, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def _due_by(contract: Contract, month: str) -> date:
    """The last day before the next cycle opens: when the month's proposals are due."""
    year, mon = parse_month(shift_month(month, 1))
    return date(year, mon, contract.survey_open_day) - timedelta(days=1)


@dataclass(frozen=True)
class _Month:
    analysis: MonthlyAnalysis
    inputs_version: str
    items: content.ReportItems


def _analyse(session: Session, cycle: Cycle, locale: str, now: datetime) -> _Month:
    contract = cycle.contract
    inputs = load_month_inputs(session.connection(), contract.id, cycle.month)
    stored = session.scalars(
        select(ActionItem).where(ActionItem.contract_id == contract.id).order_by(ActionItem.id)
    ).all()
    english = locale == "en"
    analysis = analyse_month(
        inputs, now=now, due_by=_due_by(contract, cycle.month),
        labels=LABELS_EN if english else LABELS_ZH, texts=TEXTS_EN if english else TEXTS_ZH,
        names=customer_names(session, contract.id),
    )  # fmt: skip
    start, end = month_bounds(cycle.month, contract.timezone)
    items = content.report_items(analysis, stored, start, end)
    return _Month(analysis, inputs_version(inputs, list(stored)), items)


def _html(cycle: Cycle, month: _Month, locale: str, version: int, now: datetime) -> str:
    contract, analysis = cycle.contract, month.analysis
    labels = content.figure_labels(contract.inquiry_hours, contract.complaint_hours)
    figures = content.report_figures(analysis, labels, locale)
    svgs = {
        name: "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
        for name, svg in chart_server().svgs(figures, content.CHART_SIZES).items()
    }
    issued = now.astimezone(ZoneInfo(contract.timezone)).date()
    sizes = analysis.themes.comments
    comments = sizes[(sizes["month"] == analysis.month) & (sizes["group"] == "all")]["n"]
    return render_template(
        "reports/monthly.html",
        locale=locale, contract=contract, cycle=cycle, version=version,
        issued_label=format_date(issued, "long", locale=locale),
        month_label=content.month_label(cycle.month, locale),
        previous_label=content.month_label(analysis.months[-2], locale),
        first_label=content.month_label(analysis.months[0], locale),
        analysis=analysis, headlines=content.headlines(analysis),
        dimensions=content.dimension_rows(analysis, labels),
        sla=content.sla_rows(analysis, labels),
        breaches=content.sla_breach_rows(analysis, labels), max_breaches=content.MAX_BREACHES,
        themes=content.theme_rows(analysis, locale), items=month.items, svgs=svgs,
        comments=int(comments.iloc[0]) if not comments.empty else 0,
        inputs_version=month.inputs_version, page_counter=content.page_counter_css(),
    )  # fmt: skip


def build_monthly_report(
    session: Session,
    cycle: Cycle,
    *,
    locale: str = "zh_CN",
    actor: User | None = None,
    actor_label: str | None = None,
    now: datetime | None = None,
) -> Report:
    """Build the closed ``cycle``'s report in ``locale`` and archive it as a new version.

    ``now`` is the date of issue and the instant that decides which open tickets are past
    their deadline (default: the current time). Commits the report with its audit event.
    """
    if locale not in LOCALES:
        raise ReportError(f"unknown report language {locale!r}; use one of {', '.join(LOCALES)}")
    if cycle.status != CycleStatus.CLOSED:
        raise CycleNotClosed(
            f"cycle {cycle.month} of contract {cycle.contract.number} is not closed"
        )
    now = now or utcnow()
    version = 1 + (
        session.scalar(
            select(func.max(Report.version)).where(
                Report.cycle_id == cycle.id, Report.locale == locale
            )
        )
        or 0
    )
    with force_locale(locale):
        month = _analyse(session, cycle, locale, now)
        pdf = render_pdf(_html(cycle, month, locale, version, now))
    report = Report(
        cycle_id=cycle.id, contract_id=cycle.contract_id, month=cycle.month, locale=locale,
        version=version, sha256=hashlib.sha256(pdf).hexdigest(), size_bytes=len(pdf),
        inputs_version=month.inputs_version, created_by_id=actor.id if actor else None,
        content=pdf, created_at=now,
    )  # fmt: skip
    session.add(report)
    session.flush()
    audit.record(
        session, "report.build", actor=actor, actor_label=actor_label, subject=report,
        organization_id=cycle.contract.provider_id,
        details={"contract": cycle.contract.number, "month": cycle.month, "locale": locale,
                 "version": version, "sha256": report.sha256,
                 "inputs_version": month.inputs_version},
    )  # fmt: skip
    session.commit()
    return report


def latest_reports(session: Session, contract_id: int) -> list[Report]:
    """The newest version of each month and language of a contract (what a client may
    download), newest month first."""
    newest = (
        select(Report.cycle_id, Report.locale, func.max(Report.version).label("version"))
        .where(Report.contract_id == contract_id)
        .group_by(Report.cycle_id, Report.locale)
        .subquery()
    )
    return list(
        session.scalars(
            select(Report)
            .join(
                newest,
                (Report.cycle_id == newest.c.cycle_id)
                & (Report.locale == newest.c.locale)
                & (Report.version == newest.c.version),
            )
            .order_by(Report.month.desc(), Report.locale.desc())
        )
    )
