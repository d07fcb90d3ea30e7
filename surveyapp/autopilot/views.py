"""Provider page per contract: the autopilot's calendar for last, this and next month, each step
marked when it is overdue or was done outside the autopilot (by a page or a command), and its
ledger, with a button (administrators only) that runs the contract's due and failed steps now."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..access import PROVIDER_STAFF, contract_or_404, requires
from ..cycles.calendar import month_of, shift_month
from ..cycles.lifecycle import find_cycle
from ..extensions import db
from ..models import AutopilotStep, Role, utcnow
from . import ledger
from .plan import CycleState, Schedule, calendar, step_mark
from .tick import run_tick

bp = Blueprint("autopilot", __name__, url_prefix="/contracts/<int:contract_id>/autopilot")
LEDGER_ROWS = 200


class RetryForm(FlaskForm):
    """No fields: the CSRF token of the retry button."""


def step_label(name: str) -> str:
    if name.startswith("remind-"):
        return _("Reminder %(n)s", n=name.split("-", 1)[1])
    if name.startswith("notify:"):
        return _("Report-ready e-mail to user %(id)s", id=name.split(":", 1)[1])
    return {
        "open": _("Open the month"),
        "invite": _("Send invitations"),
        "close": _("Close the month"),
        "analyse": _("Analysis and action items"),
        "report": _("PDF report"),
        "notify": _("Report-ready e-mails"),
    }.get(name, name)


@bp.get("/")
@requires(*PROVIDER_STAFF)
def show(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    schedule, zone = Schedule.of(contract), ZoneInfo(contract.timezone)
    now = utcnow()
    current = month_of(now, contract.timezone)
    months = []
    for month in (shift_month(current, -1), current, shift_month(current, 1)):
        cycle = find_cycle(db.session, contract, month)
        state = CycleState(cycle.status, cycle.opens_at, cycle.closes_at) if cycle else None
        steps = ledger.month_ledger(db.session, contract.id, month)
        facts = ledger.month_facts(db.session, cycle)
        rows = [
            (step_label(n), at.astimezone(zone), s, step_mark(n, at, s, facts, now))
            for n, at, s in calendar(schedule, month, state, steps)
        ]
        months.append((month, rows))
    rows = db.session.scalars(
        select(AutopilotStep)
        .where(AutopilotStep.contract_id == contract.id)
        .order_by(AutopilotStep.month.desc(), AutopilotStep.id.desc())
        .limit(LEDGER_ROWS)
    ).all()
    return render_template(
        "autopilot/show.html", contract=contract, months=months, rows=rows, zone=zone,
        step_label=step_label, form=RetryForm(),
        failed=any(r.status == "failed" for r in rows),
    )  # fmt: skip


@bp.post("/retry")
@requires(Role.PROVIDER_ADMIN)
def retry(contract_id: int):
    """Run this contract's due steps now, failed ones included (the tick would, within minutes)."""
    contract = contract_or_404(contract_id, current_user)
    if not RetryForm().validate_on_submit():
        flash(_("The form expired; please try again."), "error")
        return redirect(url_for(".show", contract_id=contract.id))
    audit.record(
        db.session, "autopilot.retry", actor=current_user, subject=contract,
        organization_id=contract.provider_id, details={"contract": contract.number},
    )  # fmt: skip
    db.session.commit()
    summary = run_tick(lambda: Session(db.engine), utcnow(), contract_ids=[contract.id])
    if summary.waiting:
        flash(_("A scheduled run is working right now; it will retry within minutes."), "info")
    elif summary.failed:
        flash(_("%(n)s steps failed again; see the ledger.", n=len(summary.failed)), "error")
    else:
        flash(_("%(n)s steps done.", n=len(summary.outcomes)), "success")
    return redirect(url_for(".show", contract_id=contract.id))
