"""The public survey form at ``/s/<token>``: no sign-in, works without JavaScript.

Language: the one the customer picked with the switch (kept in the session), else the
invitation's. Unknown tokens get the plain 404 page (it says nothing about links); a closed
cycle or an expired link a 410 page. Pages carry ``no-store`` and ``no-referrer`` so the
personal link stays out of caches and other sites' logs.
"""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from ..access import public
from ..extensions import db
from ..followup.consent import consent_asked, read_consent
from ..i18n import LOCALES, current_locale
from ..models import Cycle, Invitation, Question, SurveyVersion, utcnow
from .forms import SurveyForm, field_name, read_answers, text_limit
from .intake import AlreadyAnswered, SurveyClosed, accept_response, is_open
from .optout import opt_out
from .tokens import looks_like_token, token_hash

bp = Blueprint("survey", __name__, url_prefix="/s")


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _invitation_or_404(token: str, *, questions: bool = False) -> Invitation:
    """The invitation with its cycle and survey version; ``questions``: with them and options.

    The blank form needs no questions once ``blank_questions`` holds them; reading answers does.
    """
    invitation = None
    if looks_like_token(token):
        survey = joinedload(Invitation.cycle).joinedload(Cycle.survey_version)
        if questions:
            survey = survey.selectinload(SurveyVersion.questions).selectinload(Question.options)
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.token_hash == token_hash(token)).options(survey)
        )
    if invitation is None:
        abort(404)
    chosen = session.get("locale")
    g.locale = chosen if chosen in LOCALES else invitation.locale
    return invitation


def _started_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="survey-form-shown")


def _seconds_taken(invitation: Invitation, mark: str | None, now) -> int | None:
    """Seconds since this form was shown (the signed mark in the form), else since first opened."""
    try:
        invitation_id, shown = _started_serializer().loads(mark or "", return_timestamp=True)
    except (BadSignature, TypeError, ValueError):
        invitation_id = None
    if invitation_id == invitation.id:
        return max(0, int(time.time() - shown.timestamp()))
    if invitation.opened_at is not None:
        return max(0, int((now - invitation.opened_at).total_seconds()))
    return None


BLANK_QUESTIONS_KEPT = 64


def blank_questions(version: SurveyVersion) -> Markup:
    """The questions of the blank form (no answers, no errors) in the current language.

    Rendered once per app, survey version and language: a version reachable by a link is used
    by a cycle and therefore frozen (``survey_versions.versioning``), and the translations do
    not change while the process runs. ``created_at`` is in the key so that a version id reused
    by another database never serves a stale survey.
    """
    kept = current_app.extensions.setdefault("survey_blank_questions", {})
    key = (version.id, version.created_at, current_locale())
    html = kept.get(key)
    if html is None:
        html = Markup(
            render_template(
                "survey/_questions.html",
                version=version,
                values=MultiDict(),
                errors={},
                field_name=field_name,
                text_limit=text_limit,
            )
        )
        if len(kept) >= BLANK_QUESTIONS_KEPT:
            kept.clear()
        kept[key] = html
    return html


def _render_form(invitation: Invitation, form: SurveyForm, values, errors, status: int = 200):
    version = invitation.cycle.survey_version
    return render_template(
        "survey/form.html",
        invitation=invitation,
        version=version,
        form=form,
        values=values,
        errors=errors,
        blank_questions=None if values or errors else blank_questions(version),
        field_name=field_name,
        text_limit=text_limit,
        token=request.view_args["token"],
        ask_consent=consent_asked(db.session, invitation.cycle.contract_id),
    ), status


@bp.get("/<token>")
@public
def show(token: str):
    invitation = _invitation_or_404(token)
    now = utcnow()
    if invitation.responded_at is not None:
        return render_template("survey/answered.html", token=token)
    if not is_open(invitation, invitation.cycle, now):
        return render_template("survey/closed.html", token=token), 410
    form = SurveyForm(started=_started_serializer().dumps(invitation.id))
    # Rendered before the first-open mark is committed: the commit expires the loaded survey,
    # which the page would otherwise load again, and the write stays a short transaction.
    page = _render_form(invitation, form, MultiDict(), {})
    if invitation.opened_at is None:
        db.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.opened_at.is_(None))
            .values(opened_at=now)
        )
        db.session.commit()
    return page


@bp.post("/<token>")
@public
def submit(token: str):
    invitation = _invitation_or_404(token, questions=True)
    now = utcnow()
    if invitation.responded_at is not None:
        return render_template("survey/answered.html", token=token), 409
    if not is_open(invitation, invitation.cycle, now):
        return render_template("survey/closed.html", token=token), 410
    questions = invitation.cycle.survey_version.questions
    answers = read_answers(questions, request.form)
    if not answers.ok:
        form = SurveyForm()  # its CSRF token was checked by CSRFProtect before this view ran
        form.started.data = request.form.get("started") or _started_serializer().dumps(
            invitation.id
        )
        return _render_form(invitation, form, request.form, answers.errors, 400)
    try:
        accept_response(
            db.session,
            invitation,
            answers.values,
            now=now,
            locale=str(g.locale),
            seconds_taken=_seconds_taken(invitation, request.form.get("started"), now),
            may_contact=read_consent(request.form)
            if consent_asked(db.session, invitation.cycle.contract_id)
            else None,
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
def opt_out_page(token: str):
    invitation = _invitation_or_404(token)
    form = SurveyForm()
    if request.method == "POST":
        opt_out(db.session, invitation, now=utcnow())
        return render_template("survey/opted_out.html", token=token)
    already = invitation.customer.opted_out_at is not None
    return render_template("survey/opt_out.html", token=token, form=form, already=already)
