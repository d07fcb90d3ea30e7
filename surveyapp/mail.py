"""The one e-mail path: SMTP with the server, security and login from the configuration.

``Mailer`` keeps one SMTP connection for a batch (connecting lazily, reconnecting once when the
server dropped it) and raises ``MailError`` for anything that went wrong with one message, so a
batch can record the failure and go on. ``send_mail`` is the one-message shortcut.
Message bodies are never logged: they carry personal links.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any


class MailError(RuntimeError):
    """One message could not be handed to the SMTP server; ``connection`` if none was reachable."""

    def __init__(self, message: str, *, connection: bool = False) -> None:
        super().__init__(message)
        self.connection = connection


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "none"  # none | starttls | ssl
    user: str | None = None
    password: str | None = None
    timeout: float = 10.0
    sender: str = "survey@localhost"
    sender_name: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        return cls(
            host=config["SMTP_HOST"],
            port=int(config["SMTP_PORT"]),
            security=config["SMTP_SECURITY"],
            user=config.get("SMTP_USER"),
            password=config.get("SMTP_PASSWORD"),
            timeout=float(config.get("SMTP_TIMEOUT", 10)),
            sender=config["MAIL_FROM"],
        )


def build_message(
    settings: SmtpSettings,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    sender_name: str | None = None,
) -> EmailMessage:
    message = EmailMessage()
    name = sender_name or settings.sender_name
    message["From"] = formataddr((name, settings.sender)) if name else settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    for key, value in (headers or {}).items():
        message[key] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


class Mailer:
    """``with Mailer(settings) as mailer: mailer.send(...)`` sends over one connection."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            if s.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password or "")
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(
                f"cannot connect to SMTP server {s.host}:{s.port}: {exc}", connection=True
            ) from exc
        return smtp

    def send(self, message: EmailMessage) -> None:
        for attempt in (1, 2):
            if self._smtp is None:
                self._smtp = self._connect()
            try:
                refused = self._smtp.send_message(message)
            except smtplib.SMTPServerDisconnected as exc:
                self._smtp = None
                if attempt == 2:
                    raise MailError(f"SMTP server disconnected: {exc}", connection=True) from exc
                continue
            except smtplib.SMTPRecipientsRefused as exc:
                raise MailError("the server refused the recipient") from exc
            except (smtplib.SMTPException, OSError) as exc:
                self.close()
                raise MailError(f"sending failed: {exc}") from exc
            if refused:
                raise MailError("the server refused the recipient")
            return


def send_mail(
    settings: SmtpSettings, to: str, subject: str, text: str, html: str | None = None
) -> None:
    with Mailer(settings) as mailer:
        mailer.send(build_message(settings, to, subject, text, html))
