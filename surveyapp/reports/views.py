"""A contract's monthly reports: the list, the download of the archived bytes, the build button.

Clients see and download only the newest version of each month and language; provider staff
see every version. Another tenant's contract or report is a 404 (it does not exist for that
user). Downloads and builds are audited.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import audit
from ..access import ANY_SIGNED_IN, contract_or_404, requires
from ..extensions import db
from ..i18n import LOCALES
from ..models import Cycle, CycleStatus, Report, Role

bp = Blueprint("reports", __name__, url_prefix="/contracts/<int:contract_id>/reports")


def _listing(contract_id: int) -> list[Report]:
    from .building import latest_reports

    if current_user.role_enum.is_provider:
        return list(
            db.session.scalars(
                select(Report)
                .where(Report.contract_id == contract_id)
                .order_by(Report.month.desc(), Report.locale.desc(), Report.version.desc())
            )
        )
    return latest_reports(db.session, contract_id)


@bp.get("/")
@requires(*ANY_SIGNED_IN)
def index(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    closed = []
    if current_user.role_enum is Role.PROVIDER_ADMIN:
        closed = db.session.scalars(
            select(Cycle)
            .where(Cycle.contract_id == contract.id, Cycle.status == CycleStatus.CLOSED)
            .order_by(Cycle.month.desc())
        ).all()
    return render_template(
        "reports/index.html", contract=contract, reports=_listing(contract.id),
        closed_cycles=closed, locales=LOCALES,
    )  # fmt: skip


@bp.get("/<int:report_id>.pdf")
@requires(*ANY_SIGNED_IN)
def download(contract_id: int, report_id: int):
    from .building import latest_reports

    contract = contract_or_404(contract_id, current_user)
    visible = {r.id for r in latest_reports(db.session, contract.id)}
    report = db.session.get(Report, report_id)
    if report is None or report.contract_id != contract.id:
        abort(404)
    if not current_user.role_enum.is_provider and report.id not in visible:
        abort(404)
    audit.record(
        db.session, "report.download", actor=current_user, subject=report,
        organization_id=contract.provider_id,
        details={"contract": contract.number, "month": report.month, "locale": report.locale,
                 "version": report.version, "sha256": report.sha256},
    )  # fmt: skip
    db.session.commit()
    name = f"{contract.number}_{report.month}_{report.locale}_v{report.version}.pdf"
    return Response(
        report.content,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "ETag": f'"{report.sha256}"',
            "X-Content-SHA256": report.sha256,
            "Cache-Control": "private, no-store",
        },
    )


@bp.post("/<month>/build")
@requires(Role.PROVIDER_ADMIN)
def build(contract_id: int, month: str):
    from .building import ReportError, build_monthly_report
    from .pdf import ChartExportUnavailable

    contract = contract_or_404(contract_id, current_user)
    cycle = db.session.scalar(
        select(Cycle).where(Cycle.contract_id == contract.id, Cycle.month == month)
    )
    if cycle is None:
        abort(404)
    locale = request.form.get("locale", "zh_CN")
    if locale not in LOCALES:
        abort(400)
    try:
        report = build_monthly_report(db.session, cycle, locale=locale, actor=current_user)
    except ChartExportUnavailable as error:
        flash(_("The report could not be built: %(reason)s", reason=error), "error")
    except ReportError:
        db.session.rollback()
        flash(_("Only a closed survey month gets a report."), "error")
    else:
        flash(_("Report %(month)s version %(version)s is built and archived.",
                month=report.month, version=report.version))  # fmt: skip
    return redirect(url_for("reports.index", contract_id=contract.id))
