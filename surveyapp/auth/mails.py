"""The account e-mails (invitation, password reset), written in the recipient's language and
sent through :mod:`surveyapp.mail`, the one e-mail path.

A reset e-mail goes out from a short-lived thread, started whether or not the address has an
account, so the "forgot password" answer takes as long either way.
"""

from __future__ import annotations

import logging
import threading

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..mail import MailError, SmtpSettings, send_mail
from ..models import User

log = logging.getLogger(__name__)


def link_url(secret: str) -> str:
    return current_app.config["BASE_URL"] + url_for("auth.set_password", token=secret)


def _compose(kind: str, user: User, secret: str, **context) -> tuple[str, str]:
    with force_locale(user.locale):
        subject = (
            _("You are invited to the satisfaction platform")
            if kind == "invitation"
            else _("Set a new password")
        )
        text = render_template(f"auth/mail/{kind}.txt", user=user, url=link_url(secret), **context)
    return subject, text


def send_invitation(user: User, secret: str, inviter: User) -> None:
    """Send now; :class:`MailError` when the server did not take it (the admin can resend)."""
    subject, text = _compose("invitation", user, secret, inviter=inviter, hours=72)
    send_mail(SmtpSettings.from_config(current_app.config), user.email, subject, text)


def send_reset_in_background(found: tuple[User, str] | None) -> threading.Thread:
    """Start the thread that sends the reset e-mail (or nothing, for an unknown address)."""
    message = None
    if found is not None:
        user, secret = found
        message = (user.email, *_compose("password_reset", user, secret, minutes=60))
    settings = SmtpSettings.from_config(current_app.config)
    thread = threading.Thread(target=_deliver, args=(settings, message), daemon=True)
    thread.start()
    return thread


def _deliver(settings: SmtpSettings, message: tuple[str, str, str] | None) -> None:
    if message is None:
        return
    try:
        send_mail(settings, *message)
    except MailError as exc:
        log.warning("password reset e-mail not sent: %s", exc)
