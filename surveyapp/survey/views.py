"""The public survey form at ``/s/<token>``: no sign-in, works without JavaScript.

Language: the one the customer picked with the switch (kept in the session), else the
invitation's. The switch on the form is a submit button of the form itself: it posts the
answers given so far and the page comes back in the other language with them (no JavaScript
needed). "Save and finish later" posts them too and keeps a draft (drafts.py). An unknown or
cut-off link gets a 404 page that says how to get a new link (and nothing about tokens); a
closed cycle or an expired link a 410 page. Pages carry ``no-store`` and ``no-referrer`` so the
personal link stays out of caches and other sites' logs.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from sqlalchemy import select

from ..access import public
from ..extensions import csrf, db
from ..followup.consent import read_consent
from ..i18n import LOCALES
from ..models import Invitation, utcnow
from .branding import logo_by_digest, page_branding
from .drafts import delete_draft, draft_answers, save_draft
from .formkey import form_key, require_form_key
from .forms import read_answers
from .intake import AlreadyAnswered, SurveyClosed, accept_response, mark_opened
from .links import Link, frozen_version, read_link
from .logic import asked_until, next_step, posted_step
from .optout import opt_out
from .pages import Masthead, blank_page, render_form
from .tokens import looks_like_token, token_hash

bp = Blueprint("survey", __name__, url_prefix="/s")


@bp.after_request
def _private(response):
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.errorhandler(404)
def _link_not_found(_exc):
    """A cut-off or mistyped link: say what to do, give nothing away about links."""
    return render_template("survey/not_found.html"), 404


@bp.get("/")
@public
def no_link():
    abort(404)


@bp.get("/logo/<digest>")
@public
def logo(digest: str):
    """A contract's logo under its SHA-256: never changes, so browsers may keep it."""
    found = logo_by_digest(db.session, digest) if len(digest) == 64 else None
    if found is None:
        abort(404)
    response = Response(found.content, mimetype=found.content_type)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
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


def _masthead(link: Link | Invitation) -> Masthead:
    """Who asks and until when; for a link, or an invitation loaded as an ORM object."""
    cycle = link.cycle if isinstance(link, Invitation) else link
    contract_id = cycle.contract_id
    version_id = cycle.survey_version_id
    return Masthead(page_branding(db.session, contract_id, version_id), cycle.closes_at)


def _notice_page(template: str, token: str, link: Link | Invitation) -> str:
    return render_template(template, token=token, masthead=_masthead(link))


@bp.get("/<token>")
@public
def show(token: str):
    link = _link_or_404(token)
    now = utcnow()
    if link.responded_at is not None:
        return _notice_page("survey/answered.html", token, link)
    if not link.is_open(now):
        return _notice_page("survey/closed.html", token, link), 410
    version = frozen_version(db.session, link.survey_version_id, link.version_created_at)
    masthead = _masthead(link)
    draft = draft_answers(db.session, link.invitation_id)
    key = form_key(link.invitation_id)
    if draft is not None:
        notice = _("Your saved answers are back. Finish and send them when you are ready.")
        page = render_form(link, version, key, draft, {}, masthead, notice)
    else:
        page = blank_page(link, version, token, key, masthead)
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
        return _notice_page("survey/answered.html", token, link), 409
    if not link.is_open(now):
        return _notice_page("survey/closed.html", token, link), 410
    version = frozen_version(db.session, link.survey_version_id, link.version_created_at)
    masthead = _masthead(link)
    key = (request.form.get("csrf_token") if shown_ago is not None else None) or form_key(
        link.invitation_id
    )
    # --- logic steps (issue #22): without JavaScript a form whose conditions read answers on
    # the same page is posted step by step; only the last step stores ---
    step = posted_step(version.questions, request.form)
    answers = read_answers(asked_until(version.questions, step), request.form)
    language = request.form.get("language")
    if language in LOCALES:  # the language switch: same answers and step, other language
        session["locale"] = g.locale = language
        refresh()  # reading the answers above already fixed this request's language
        return render_form(
            link, version, key, request.form, {}, masthead, step=step, given=answers.given
        )
    if request.form.get("intent") == "save":
        save_draft(db.session, link.invitation_id, request.form, now)
        notice = _(
            "Your answers are saved. You can close this page and open the same link again "
            "before the survey closes to finish."
        )
        return render_form(
            link, version, key, request.form, {}, masthead, notice, step=step, given=answers.given
        )
    following = next_step(version.questions, step, answers.given) if answers.ok else None
    if not answers.ok or following is not None:
        page = render_form(
            link,
            version,
            key,
            request.form,
            answers.errors,
            masthead,
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
        return _notice_page("survey/answered.html", token, link), 409
    except SurveyClosed:
        return _notice_page("survey/closed.html", token, link), 410
    delete_draft(db.session, link.invitation_id)
    return redirect(url_for("survey.thanks", token=token), 303)


@bp.get("/<token>/thanks")
@public
def thanks(token: str):
    invitation = _invitation_or_404(token)
    if invitation.responded_at is None:
        return redirect(url_for("survey.show", token=token))
    return _notice_page("survey/thanks.html", token, invitation)


@bp.route("/<token>/opt-out", methods=["GET", "POST"])
@public
@csrf.exempt  # checked below against the form's own key (formkey.py), not a session cookie
def opt_out_page(token: str):
    invitation = _invitation_or_404(token)
    if request.method == "POST":
        require_form_key(invitation.id, "opt-out")
        opt_out(db.session, invitation, now=utcnow())
        return _notice_page("survey/opted_out.html", token, invitation)
    already = invitation.customer.opted_out_at is not None
    return render_template(
        "survey/opt_out.html",
        token=token,
        masthead=_masthead(invitation),
        form_key=form_key(invitation.id, "opt-out"),
        already=already,
    )
