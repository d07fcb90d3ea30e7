"""Pages of the breach ledger: the register and statement of a month for both parties; the
provider administrator's terms, payments, recorded entries, answers and settlement; the
client's acknowledgement or dispute of each entry (clause 六: negotiation first)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import ANY_SIGNED_IN, contract_or_404, requires
from ..audit import record
from ..cycles.calendar import MONTH_RE, month_of
from ..extensions import db
from ..models import BreachEntry, BreachKind, Role, utcnow
from . import register
from .calendar import UnknownCalendarYear
from .commands import derive_command
from .statement import month_statement, months_with_entries
from .terms import FIELDS, PRESETS, TermsError, apply_preset, save_terms, terms_of
from .wording import wording

bp = Blueprint("breaches", __name__)

ADMIN = Role.PROVIDER_ADMIN


def _month_or_404(month: str) -> str:
    if not MONTH_RE.match(month):
        abort(404)
    return month


def _entry_or_404(contract_id: int, month: str, entry_id: int) -> BreachEntry:
    entry = db.session.scalar(
        select(BreachEntry).where(
            BreachEntry.id == entry_id,
            BreachEntry.contract_id == contract_id,
            BreachEntry.month == month,
        )
    )
    if entry is None:
        abort(404)
    return entry


def _back(contract_id: int, month: str, anchor: str | None = None):
    url = url_for("breaches.statement", contract_id=contract_id, month=month)
    return redirect(f"{url}#{anchor}" if anchor else url)


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


@bp.get("/contracts/<int:contract_id>/breaches/")
@requires(*ANY_SIGNED_IN)
def index(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    asked = request.args.get("month", "")
    if MONTH_RE.match(asked):
        return redirect(url_for("breaches.statement", contract_id=contract.id, month=asked))
    months = months_with_entries(db.session, contract.id)
    current = month_of(utcnow(), contract.timezone)
    return render_template(
        "breaches/index.html", contract=contract, months=months, current=current,
        has_terms=bool(terms_of(db.session, contract.id)),
    )  # fmt: skip


@bp.route("/contracts/<int:contract_id>/breaches/terms", methods=["GET", "POST"])
@requires(ADMIN)
def terms(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    error = None
    if request.method == "POST":
        try:
            if request.form.get("preset"):
                apply_preset(db.session, contract, request.form["preset"], current_user)
            else:
                values = {
                    kind: {f: request.form.get(f"{kind}.{f}", "") for f in FIELDS}
                    for kind in BreachKind
                }
                save_terms(db.session, contract, values, current_user)
            flash(_("Breach terms saved."), "info")
            return redirect(url_for("breaches.terms", contract_id=contract.id))
        except TermsError as raised:
            db.session.rollback()
            error = raised
    return render_template(
        "breaches/terms.html", contract=contract, terms=terms_of(db.session, contract.id),
        kinds=list(BreachKind), fields=FIELDS, presets=PRESETS, error=error,
        form=request.form if error else None,
    )  # fmt: skip


@bp.get("/contracts/<int:contract_id>/breaches/<month>")
@requires(*ANY_SIGNED_IN)
def statement(contract_id: int, month: str):
    contract = contract_or_404(contract_id, current_user)
    month = _month_or_404(month)
    return render_template(
        "breaches/statement.html",
        s=month_statement(db.session, contract, month, utcnow()),
        kinds=[k for k in BreachKind],
        recordable=register.RECORDABLE,
    )


def _run(contract_id: int, month: str, step, success: str, anchor: str | None = None):
    """Run one ledger step for the page: its refusal becomes the page's message."""
    try:
        step()
        flash(success, "info")
    except (register.LedgerError, UnknownCalendarYear) as error:
        db.session.rollback()
        if isinstance(error, UnknownCalendarYear):
            flash(_("The working-day calendar has no data for %(year)s yet: update the "
                    "chinese-calendar package.", year=error.year), "error")  # fmt: skip
        else:
            flash(str(error), "error")
    return _back(contract_id, month, anchor)


@bp.post("/contracts/<int:contract_id>/breaches/<month>/derive")
@requires(ADMIN)
def derive(contract_id: int, month: str):
    contract = contract_or_404(contract_id, current_user)
    month = _month_or_404(month)

    def step():
        summary = register.derive_month(db.session, contract, month, utcnow(), current_user)
        flash(_("%(created)s new, %(updated)s updated, %(unchanged)s unchanged.",
                created=summary.created, updated=summary.updated,
                unchanged=summary.unchanged), "info")  # fmt: skip

    return _run(contract.id, month, step, _("Register brought up to date."))


@bp.post("/contracts/<int:contract_id>/breaches/<month>/entries")
@requires(ADMIN)
def record_entry(contract_id: int, month: str):
    contract = contract_or_404(contract_id, current_user)
    month = _month_or_404(month)
    form = request.form
    return _run(contract.id, month, lambda: register.record_entry(
        db.session, contract, month, kind=form.get("kind", ""),
        responsible=form.get("responsible", ""), occurred_on=_date(form.get("occurred_on")),
        description=form.get("description", ""), evidence=form.get("evidence", ""),
        actor=current_user,
    ), _("Breach recorded."))  # fmt: skip


@bp.post("/contracts/<int:contract_id>/breaches/<month>/payments")
@requires(ADMIN)
def payment(contract_id: int, month: str):
    contract = contract_or_404(contract_id, current_user)
    month = _month_or_404(month)
    form = request.form
    return _run(contract.id, month, lambda: register.record_payment(
        db.session, contract, month, _date(form.get("paid_on")), form.get("amount", ""),
        current_user,
    ), _("Payment recorded."), "payment")  # fmt: skip


@bp.post("/contracts/<int:contract_id>/breaches/<month>/settle")
@requires(ADMIN)
def settle(contract_id: int, month: str):
    contract = contract_or_404(contract_id, current_user)
    month = _month_or_404(month)

    def step():
        s = month_statement(db.session, contract, month, utcnow())
        register.settle_month(db.session, contract, month, current_user,
                              (s.provider_total, s.client_total))  # fmt: skip

    return _run(contract.id, month, step, _("Month settled: the register is locked."))


@bp.post("/contracts/<int:contract_id>/breaches/<month>/entries/<int:entry_id>/respond")
@requires(Role.PROVIDER_ADMIN, Role.CLIENT_VIEWER)
def respond(contract_id: int, month: str, entry_id: int):
    """One step of an entry's thread: the client acknowledges, disputes or comments; the
    provider administrator answers, waives or reopens (the step knows which side may do what)."""
    contract = contract_or_404(contract_id, current_user)
    entry = _entry_or_404(contract.id, _month_or_404(month), entry_id)
    return _run(contract.id, month, lambda: register.respond(
        db.session, entry, current_user, request.form.get("action", ""),
        request.form.get("body", ""),
    ), _("Your answer is recorded."), f"entry-{entry.id}")  # fmt: skip


@bp.post("/contracts/<int:contract_id>/breaches/<month>/entries/<int:entry_id>/correct")
@requires(ADMIN)
def correct(contract_id: int, month: str, entry_id: int):
    contract = contract_or_404(contract_id, current_user)
    entry = _entry_or_404(contract.id, _month_or_404(month), entry_id)
    return _run(contract.id, month, lambda: register.correct_entry(
        db.session, entry, current_user, request.form.get("amount", ""),
        request.form.get("reason", ""),
    ), _("Correction recorded."))  # fmt: skip


@bp.get("/contracts/<int:contract_id>/breaches/<month>/statement.pdf")
@requires(*ANY_SIGNED_IN)
def statement_pdf(contract_id: int, month: str):
    from .pdf import statement_pdf as render

    contract = contract_or_404(contract_id, current_user)
    month = _month_or_404(month)
    data = render(month_statement(db.session, contract, month, utcnow()))
    record(db.session, "breach_statement.download", actor=current_user, subject=contract,
           organization_id=contract.provider_id, details={"month": month})  # fmt: skip
    db.session.commit()
    filename = f"breaches-{contract.id}-{month}.pdf"
    return Response(
        data, mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )  # fmt: skip


@bp.context_processor
def _words():
    return wording()


@bp.app_template_filter("yuan")
def yuan(value) -> str:
    """An amount as ¥12,345.67 (already rounded to the fen by the ledger)."""
    if value is None:
        return "—"
    amount = Decimal(str(value))
    return f"{'-' if amount < 0 else ''}¥{abs(amount):,.2f}"


bp.cli.help = "The breach ledger (违约台账): derive each month's register for cron."
bp.cli.short_help = "The breach ledger: derive a month's register."
bp.cli.add_command(derive_command)
