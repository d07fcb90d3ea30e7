"""The public survey form at ``/s/<token>``: no sign-in, works without JavaScript.

Language: the one the customer picked with the switch (kept in the session), else the
invitation's. Unknown tokens get the plain 404 page (it says nothing about links); a closed
cycle or an expired link a 410 page. Pages carry ``no-store`` and ``no-referrer`` so the
personal link stays out of caches and other sites' logs.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import select

from ..access import public
from ..extensions import csrf, db
from ..followup.consent import read_consent
from ..i18n import LOCALES
from ..models import Invitation, utcnow
from .formkey import form_key, require_form_key
from .forms import read_answers
from .intake import AlreadyAnswered, SurveyClosed, accept_response, mark_opened
from .links import Link, frozen_version, read_link
from .logic import asked_until, next_step, posted_step
from .optout import opt_out
from .pages import blank_page, render_form
from .tokens import looks_like_token, token_hash

bp = Blueprint("survey", __name__, url_prefix="/s")


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _invitation_or_404(token: str) -> Invitation:
    """The invitation as an ORM object, for the pages that are not on the answering path."""
    invitation = None
    if looks_like_token(token):
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.token_hash == token_hash(token))
        )
    if invitation is None:
        abort(404)
    _choose_locale(invitation.locale)
    return invitation


def _link_or_404(token: str) -> Link:
    """The link with its cycle, contract and rules, in one query (the form and its submit)."""
    link = read_link(db.session, token_hash(token)) if looks_like_token(token) else None
    if link is None:
        abort(404)
    _choose_locale(link.locale)
    return link


def _choose_locale(invitation_locale: str) -> None:
    chosen = session.get("locale")
    g.locale = chosen if chosen in LOCALES else invitation_locale


def _seconds_taken(link: Link, shown_ago: int | None, now) -> int | None:
    """Seconds since this form was shown (its signed key), else since the link was first
    opened (only when CSRF checks are off: tests)."""
    if shown_ago is not None:
        return shown_ago
    if link.opened_at is not None:
        return max(0, int((now - link.opened_at).total_seconds()))
    return None


@bp.get("/<token>")
@public
def show(token: str):
    link = _link_or_404(token)
    now = utcnow()
    if link.responded_at is not None:
        return render_template("survey/answered.html", token=token)
    if not link.is_open(now):
        return render_template("survey/closed.html", token=token), 410
    version = frozen_version(db.session, link.survey_version_id, link.version_created_at)
    page = blank_page(link, version, token, form_key(link.invitation_id))
    if link.opened_at is None:
        mark_opened(db.session, link.invitation_id, now)
    return page


@bp.post("/<token>")
@public
@csrf.exempt  # checked below against the form's own key (formkey.py), not a session cookie
def submit(token: str):
    link = _link_or_404(token)
    shown_ago = require_form_key(link.invitation_id)
    now = utcnow()
    if link.responded_at is not None:
        return render_template("survey/answered.html", token=token), 409
    if not link.is_open(now):
        return render_template("survey/closed.html", token=token), 410
    version = frozen_version(db.session, link.survey_version_id, link.version_created_at)
    # --- logic steps (helper "logic", issue #22): without JavaScript a form whose conditions
    # read answers on the same page is posted step by step; only the last step stores ---
    step = posted_step(version.questions, request.form)
    answers = read_answers(asked_until(version.questions, step), request.form)
    following = next_step(version.questions, step, answers.given) if answers.ok else None
    if not answers.ok or following is not None:
        key = request.form.get("csrf_token") if shown_ago is not None else None
        page = render_form(
            link,
            version,
            key or form_key(link.invitation_id),
            request.form,
            answers.errors,
            step=step if following is None else following,
            given=answers.given,
        )
        return page, 400 if not answers.ok else 200
    # --- end logic steps ---
    try:
        accept_response(
            db.session,
            link,
            answers.values,
            now=now,
            locale=str(g.locale),
            seconds_taken=_seconds_taken(link, shown_ago, now),
            may_contact=read_consent(request.form) if link.rules.ask_consent else None,
        )
    except AlreadyAnswered:
        return render_template("survey/answered.html", token=token), 409
    except SurveyClosed:
        return render_template("survey/closed.html", token=token), 410
    return redirect(url_for("survey.thanks", token=token), 303)


@bp.get("/<token>/thanks")
@public
def thanks(token: str):
    invitation = _invitation_or_404(token)
    if invitation.responded_at is None:
        return redirect(url_for("survey.show", token=token))
    return render_template("survey/thanks.html", token=token)


@bp.route("/<token>/opt-out", methods=["GET", "POST"])
@public
@csrf.exempt  # checked below against the form's own key (formkey.py), not a session cookie
def opt_out_page(token: str):
    invitation = _invitation_or_404(token)
    if request.method == "POST":
        require_form_key(invitation.id, "opt-out")
        opt_out(db.session, invitation, now=utcnow())
        return render_template("survey/opted_out.html", token=token)
    already = invitation.customer.opted_out_at is not None
    return render_template(
        "survey/opt_out.html",
        token=token,
        form_key=form_key(invitation.id, "opt-out"),
        already=already,
    )
