"""The case board and case page for provider staff; follow-up rules and alert settings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import audit
from ..access import PROVIDER_STAFF, contract_or_404, contracts_visible_to, requires
from ..customers.names import customer_names
from ..extensions import db
from ..models import (
    AlertMode,
    AlertPreference,
    Answer,
    CaseStatus,
    Contract,
    FollowupCase,
    FollowupRule,
    Question,
    Role,
    User,
    utcnow,
)
from ..security.inputs import parse_number
from .cases import InvalidChange, local_due, reveal_contact, rules_for, update_case
from .metrics import CaseCounts, FollowupEffect, case_counts, case_counts_by_month, followup_effect

bp = Blueprint("followup", __name__)


@bp.app_template_global("followup_counts")
def followup_counts(contract_id: int, month: str | None) -> CaseCounts:
    """For the dashboard and portal templates (counts only)."""
    return case_counts(db.session, contract_id, month or "")


@bp.app_template_global("followup_months")
def followup_months(contract_id: int) -> list[CaseCounts]:
    """For the provider dashboard: the last 12 months with cases, newest first."""
    return case_counts_by_month(db.session, contract_id)[::-1][:12]


@bp.app_template_global("followup_effect")
def followup_effect_for(contract_id: int, month: str) -> FollowupEffect:
    return followup_effect(db.session, contract_id, month)


def _visible_cases():
    visible = contracts_visible_to(current_user).with_only_columns(Contract.id)
    return select(FollowupCase).where(FollowupCase.contract_id.in_(visible))


def _staff() -> dict[int, User]:
    users = db.session.scalars(
        select(User)
        .where(
            User.organization_id == current_user.organization_id,
            User.active,
            User.role.in_([r.value for r in PROVIDER_STAFF]),
        )
        .order_by(User.name)
    )
    return {u.id: u for u in users}


@bp.get("/cases/")
@requires(*PROVIDER_STAFF)
def board():
    now = utcnow()
    filters = {
        n: request.args.get(n, "").strip() for n in ("contract", "status", "owner", "overdue")
    }
    query = _visible_cases()
    contract_id = parse_number(filters["contract"], name="contract")
    if contract_id is not None:
        query = query.where(FollowupCase.contract_id == contract_id)
    if filters["status"] in set(CaseStatus):
        query = query.where(FollowupCase.status == filters["status"])
    if filters["owner"] == "none":
        query = query.where(FollowupCase.owner_id.is_(None))
    elif (owner_id := parse_number(filters["owner"], name="owner")) is not None:
        query = query.where(FollowupCase.owner_id == owner_id)
    if filters["overdue"]:
        query = query.where(FollowupCase.followed_up_at.is_(None), FollowupCase.due_at < now)
    cases = db.session.scalars(query.order_by(FollowupCase.due_at).limit(500)).all()
    return render_template(
        "followup/board.html",
        cases=cases,
        filters=filters,
        contracts=db.session.scalars(contracts_visible_to(current_user)).all(),
        staff=_staff(),
        statuses=list(CaseStatus),
        local_due=local_due,
        now=now,
    )


def _answers(case: FollowupCase) -> list[tuple[Question, Answer, str | None]]:
    """The case's answers, each with its free text masked (``analysis.mask_text``): contact
    data reaches staff only through the consented, audited contact reveal."""
    from analysis import contact_pattern, mask_text

    rows = db.session.execute(
        select(Question, Answer)
        .join(Answer, Answer.question_id == Question.id)
        .where(Answer.response_id == case.response_id)
        .order_by(Question.position, Answer.seq)
    ).all()
    pattern = None
    if any(a.text_value for _q, a in rows):
        pattern = contact_pattern(customer_names(db.session, case.contract_id))
    return [(q, a, mask_text(a.text_value, pattern) if a.text_value else None) for q, a in rows]


@bp.route("/cases/<int:case_id>", methods=["GET", "POST"])
@requires(*PROVIDER_STAFF)
def case(case_id: int):
    found = db.session.scalar(_visible_cases().where(FollowupCase.id == case_id))
    if found is None:
        abort(404)
    staff = _staff()
    if request.method == "POST":
        owner = request.form.get("owner_id", "")
        changes = {
            "status": request.form.get("status", found.status),
            "owner_id": parse_number(owner, name="owner_id", low=0) or None,
            "notes": request.form.get("notes", "")[:5000],
        }
        try:
            changed = update_case(db.session, found, changes, current_user, utcnow())
        except InvalidChange:
            db.session.rollback()
            flash(_("This change is not allowed."), "error")
            return redirect(url_for("followup.case", case_id=case_id))
        flash(_("Saved.") if changed else _("Nothing changed."), "info")
        return redirect(url_for("followup.case", case_id=case_id))
    contact = None
    if request.args.get("contact") == "show":
        contact = reveal_contact(db.session, found, current_user)
        db.session.commit()
    return render_template(
        "followup/case.html",
        case=found,
        answers=_answers(found),
        staff=staff,
        statuses=list(CaseStatus),
        contact=contact,
        may_see_contact=found.may_contact and current_user.role_enum == Role.PROVIDER_ADMIN,
        due=local_due(found),
        now=utcnow(),
    )


@bp.route("/contracts/<int:contract_id>/follow-up-rules", methods=["GET", "POST"])
@requires(Role.PROVIDER_ADMIN)
def rules(contract_id: int):
    contract = contract_or_404(contract_id, current_user)
    current = rules_for(db.session, contract.id)
    if request.method == "POST":
        form = request.form

        def threshold(name: str, low: int, high: int) -> int | None:
            value = parse_number(form.get(name), name=name, low=0)
            return None if value is None else min(high, max(low, value))

        row = db.session.scalar(select(FollowupRule).where(FollowupRule.contract_id == contract.id))
        if row is None:
            row = FollowupRule(contract_id=contract.id)
            db.session.add(row)
        row.enabled = form.get("enabled") == "on"
        row.nps_max = threshold("nps_max", 0, 10)
        row.rating_max = threshold("rating_max", 1, 5)
        row.comment_themes = "complaint" if form.get("comment_complaint") == "on" else ""
        row.ask_consent = form.get("ask_consent") == "on"
        row.updated_at, row.updated_by_id = utcnow(), current_user.id
        audit.record(
            db.session,
            "followup_rules.update",
            actor=current_user,
            subject=contract,
            organization_id=contract.provider_id,
            details={"enabled": row.enabled, "nps_max": row.nps_max, "rating_max": row.rating_max,
                     "themes": row.comment_themes, "ask_consent": row.ask_consent},
        )  # fmt: skip
        db.session.commit()
        flash(_("Saved."), "info")
        return redirect(url_for("followup.rules", contract_id=contract.id))
    return render_template("followup/rules.html", contract=contract, rules=current)


@bp.route("/cases/alerts", methods=["GET", "POST"])
@requires(*PROVIDER_STAFF)
def alerts():
    preference = db.session.get(AlertPreference, current_user.id)
    if request.method == "POST":
        mode = request.form.get("mode", "")
        if mode not in set(AlertMode):
            abort(400)
        if preference is None:
            preference = AlertPreference(user_id=current_user.id)
            db.session.add(preference)
        preference.mode = mode
        db.session.commit()
        flash(_("Saved."), "info")
        return redirect(url_for("followup.alerts"))
    mode = preference.mode if preference else AlertMode.IMMEDIATE
    return render_template("followup/alerts.html", mode=mode, modes=list(AlertMode))
