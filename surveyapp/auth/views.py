from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from ..access import ANY_SIGNED_IN, public, requires
from ..errors import render_error
from ..extensions import db
from ..i18n import LOCALES
from ..models import LinkPurpose, User, utcnow
from ..security.limits import remember_device
from ..security.sessions import end_sessions
from . import links
from .forms import ForgotPasswordForm, SetPasswordForm, SetupForm, SignInForm
from .mails import send_reset_in_background
from .service import authenticate, safe_next
from .setup import ProviderDetails, complete_setup, provider_exists
from .users import AccountError, request_password_reset, set_password_with_link

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data, form.password.data, utcnow())
        if user is not None:
            return _signed_in(
                user,
                safe_next(request.args.get("next"), url_for("home.index")),
                remember=form.remember.data,
            )
        flash(_("E-mail or password is not correct."), "error")
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
@requires(*ANY_SIGNED_IN)
def sign_out():
    end_sessions(db.session, current_user)  # a copied cookie stops working too
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.get("/language/<code>")
@public
def set_language(code: str):
    if code in LOCALES:
        session["locale"] = code
    return redirect(safe_next(request.args.get("next"), url_for("home.index")))


@bp.route("/account/forgot-password", methods=["GET", "POST"])
@public
def forgot_password():
    """The same answer, page and work whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        found = request_password_reset(db.session, form.email.data, utcnow())
        send_reset_in_background(found)
        return render_template("auth/forgot_password_sent.html", email=form.email.data)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/forgot_password.html", form=form), status


LINK_PROBLEMS = {
    "unknown": (404, _l("This link is not valid. Ask for a new one.")),
    "spent": (410, _l("This link has already been used. Ask for a new one if you need it.")),
    "expired": (410, _l("This link has expired. Ask for a new one.")),
}


def _link_problem(reason: str):
    code, message = LINK_PROBLEMS[reason]
    return render_error(code, message)


@bp.route("/account/password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str):
    """An invitation or password-reset link: set a password (and one's name), then signed in."""
    try:
        link = links.find(
            db.session, token, (LinkPurpose.INVITATION, LinkPurpose.PASSWORD_RESET), utcnow()
        )
    except links.LinkUnusable as exc:
        return _link_problem(exc.reason)
    user = link.user
    invitation = link.purpose == LinkPurpose.INVITATION
    form = SetPasswordForm(data={"name": user.name} if invitation else None)
    status, error = 200, None
    if form.validate_on_submit():
        try:
            user = set_password_with_link(
                db.session,
                token,
                form.password.data,
                utcnow(),
                name=form.name.data if invitation else None,
            )
        except links.LinkUnusable as exc:
            return _link_problem(exc.reason)
        except AccountError as exc:
            error = str(exc)
        else:
            flash(_("Your password is set. Welcome!"), "info")
            return _signed_in(user, url_for("home.index"))
    if form.is_submitted():
        status = 400
    return (
        render_template(
            "auth/set_password.html", form=form, user=user, invitation=invitation, error=error
        ),
        status,
        {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


@bp.route("/setup", methods=["GET", "POST"])
@public
def setup():
    """First run only: 404 as soon as a provider exists."""
    if provider_exists(db.session):
        abort(404)
    form = SetupForm()
    status, error = 200, None
    if form.validate_on_submit():
        details = ProviderDetails(
            form.organization.data,
            form.address.data,
            form.contact_person.data,
            form.phone.data,
        )
        try:
            user = complete_setup(
                db.session,
                form.code.data.strip(),
                details,
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                locale=form.locale.data,
                now=utcnow(),
            )
        except links.LinkUnusable:
            if provider_exists(db.session):
                abort(404)
            error = _(
                "The set-up code is wrong, used or expired. "
                "Run “flask init-db” on the server for a new one."
            )
        except AccountError as exc:
            error = str(exc)
        else:
            return _signed_in(user, url_for("home.index"))
    if form.is_submitted():
        status = 400
    return render_template("auth/setup.html", form=form, error=error), status


def _signed_in(user: User, target: str, remember: bool = False):
    _fresh_session()  # a new session on sign-in: no fixation
    login_user(user, remember=remember)
    response = redirect(target)
    remember_device(response, user.email)
    return response


def _fresh_session() -> None:
    """Drop everything in the session except the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
