"""Provider pages for a contract's survey months: open, send, remind, close, links and QR codes.

Provider staff see the months and their progress; only administrators change them or get the
links (a link answers the survey on the customer's behalf, so it is handled like a password).
Sending from the page works in batches of ``SEND_BATCH``: each click mails the next batch and
shows how many are done, failed and left, which is the page's progress display.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Regexp

from .. import audit
from ..access import PROVIDER_STAFF, contract_or_404, requires
from ..errors import render_error
from ..extensions import db
from ..mail import Mailer, SmtpSettings
from ..models import Contract, Customer, Cycle, Invitation, Role, utcnow
from .calendar import MONTH_RE, month_of
from .closing import close_month
from .lifecycle import CycleError, cycle_counts, find_cycle, open_cycle
from .links import Links, MonthClosed, links_csv, qr_png, qr_svg, require_open
from .sending import SendSummary, send_invitations, send_reminders

bp = Blueprint("cycles", __name__, url_prefix="/contracts/<int:contract_id>/cycles")
SEND_BATCH = 200
LIST_LIMIT = 500


class OpenForm(FlaskForm):
    month = StringField(validators=[DataRequired(), Regexp(MONTH_RE.pattern)])


class ActionForm(FlaskForm):
    """No fields: the CSRF token of the send / remind / close buttons."""


def _cycle_or_404(contract: Contract, month: str) -> Cycle:
    cycle = find_cycle(db.session, contract, month) if MONTH_RE.match(month) else None
    if cycle is None:
        abort(404)
    return cycle


def _links() -> Links:
    return Links.from_config(current_app.config)


@bp.get("/")
@requires(*PROVIDER_STAFF)
def index(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    cycles = db.session.scalars(
        select(Cycle).where(Cycle.contract_id == contract.id).order_by(Cycle.month.desc())
    ).all()
    counts = {c.id: cycle_counts(db.session, c) for c in cycles}
    form = OpenForm(month=month_of(utcnow(), contract.timezone))
    return render_template(
        "cycles/index.html", contract=contract, cycles=cycles, counts=counts, form=form
    )


@bp.post("/open")
@requires(Role.PROVIDER_ADMIN)
def open_(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    form = OpenForm()
    if not form.validate_on_submit():
        flash(_("Enter the month as YYYY-MM."), "error")
        return redirect(url_for(".index", contract_id=contract.id))
    try:
        result = open_cycle(
            db.session, contract, form.month.data, now=utcnow(), links=_links(), actor=current_user
        )
    except CycleError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".index", contract_id=contract.id))
    flash(
        _(
            "Survey month %(month)s is open: %(created)s new invitations, %(existing)s already there.",  # noqa: E501
            month=result.cycle.month,
            created=result.created,
            existing=result.existing,
        ),
        "info",
    )
    return redirect(url_for(".show", contract_id=contract.id, month=result.cycle.month))


@bp.get("/<month>")
@requires(*PROVIDER_STAFF)
def show(contract_id: int, month: str):
    contract = contract_or_404(contract_id, current_user)
    cycle = _cycle_or_404(contract, month)
    invitations = db.session.execute(
        select(Invitation, Customer.ref)
        .join(Customer, Customer.id == Invitation.customer_id)
        .where(Invitation.cycle_id == cycle.id)
        .order_by(Customer.ref)
        .limit(LIST_LIMIT)
    ).all()
    return render_template(
        "cycles/show.html",
        contract=contract,
        cycle=cycle,
        counts=cycle_counts(db.session, cycle),
        invitations=invitations,
        list_limit=LIST_LIMIT,
        form=ActionForm(),
        is_admin=current_user.role_enum == Role.PROVIDER_ADMIN,
    )


def _send(contract_id: int, month: str, step) -> Response:
    contract = contract_or_404(contract_id, current_user)
    cycle = _cycle_or_404(contract, month)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with Mailer(SmtpSettings.from_config(current_app.config)) as mailer:
            summary: SendSummary = step(
                db.session, cycle, mailer=mailer, links=_links(), now=utcnow(), limit=SEND_BATCH
            )
    except CycleError as exc:
        flash(str(exc), "error")
    else:
        flash(
            _(
                "Sent %(sent)s, failed %(failed)s, skipped %(skipped)s, left for the next batch %(remaining)s.",  # noqa: E501
                sent=summary.sent,
                failed=summary.failed,
                skipped=summary.skipped,
                remaining=summary.remaining,
            ),
            "error" if summary.failed else "info",
        )
    return redirect(url_for(".show", contract_id=contract.id, month=month))


@bp.post("/<month>/send")
@requires(Role.PROVIDER_ADMIN)
def send(contract_id: int, month: str):
    return _send(contract_id, month, send_invitations)


@bp.post("/<month>/remind")
@requires(Role.PROVIDER_ADMIN)
def remind(contract_id: int, month: str):
    return _send(contract_id, month, send_reminders)


@bp.post("/<month>/close")
@requires(Role.PROVIDER_ADMIN)
def close(contract_id: int, month: str):
    contract = contract_or_404(contract_id, current_user)
    cycle = _cycle_or_404(contract, month)
    if not ActionForm().validate_on_submit():
        abort(400)
    outcome = close_month(db.session, cycle, now=utcnow(), actor=current_user)
    if outcome.closed:
        flash(
            _("Survey month %(month)s is closed; its links no longer take answers.", month=month),
            "info",
        )
    flash(
        _(
            "Analysis done: %(proposals)s action items proposed, %(effects)s effects of last month's items recorded.",  # noqa: E501
            proposals=outcome.proposals,
            effects=outcome.effects,
        ),
        "info",
    )
    if outcome.reports_missing:
        flash(
            _(
                "The PDF reports were not built: no Chromium to draw their charts on this server. The autopilot or the build-reports command builds them once it is installed."  # noqa: E501
            ),
            "error",
        )
    elif outcome.reports:
        flash(_("%(n)s PDF reports archived.", n=len(outcome.reports)), "info")
    return redirect(url_for(".show", contract_id=contract.id, month=month))


@bp.get("/<month>/links.csv")
@requires(Role.PROVIDER_ADMIN)
def links_download(contract_id: int, month: str):
    contract = contract_or_404(contract_id, current_user)
    cycle = _cycle_or_404(contract, month)
    try:
        body = links_csv(db.session, cycle, _links())
    except MonthClosed as exc:
        return render_error(410, str(exc.args[0]))
    audit.record(
        db.session,
        "cycle.links_exported",
        actor=current_user,
        subject=cycle,
        organization_id=contract.provider_id,
        details={"contract": contract.number, "month": month},
    )
    db.session.commit()
    filename = f"survey-links-{contract.number}-{month}.csv"
    return Response(
        body,
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/<month>/invitations/<int:invitation_id>/qr.<fmt>")
@requires(Role.PROVIDER_ADMIN)
def qr(contract_id: int, month: str, invitation_id: int, fmt: str):
    contract = contract_or_404(contract_id, current_user)
    cycle = _cycle_or_404(contract, month)
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.id == invitation_id, Invitation.cycle_id == cycle.id)
    )
    if invitation is None or fmt not in ("png", "svg"):
        abort(404)
    try:
        require_open(cycle)
    except MonthClosed as exc:
        return render_error(410, str(exc.args[0]))
    url = _links().survey_url(invitation)
    body, mimetype = (qr_png(url), "image/png") if fmt == "png" else (qr_svg(url), "image/svg+xml")
    return Response(body, mimetype=mimetype, headers={"Cache-Control": "no-store"})
