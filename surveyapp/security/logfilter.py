"""Keeps confidential values out of every log line (contract clause 四).

Customer e-mail addresses and mobile numbers, personal survey links (``/s/<token>``), API bearer
tokens and password fields are replaced by a placeholder before any handler sees the record.
``install`` puts the masking into the log-record factory, so it covers every logger (the app's,
werkzeug's request lines, gunicorn's, libraries') and every handler added later, and also puts
``ContactDataFilter`` on the root and app loggers and their handlers for records made elsewhere.
"""

from __future__ import annotations

import logging
import re
import traceback

from flask import Flask

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# Chinese mobiles (optionally +86 / 0086, with spaces or dashes) and international +NN numbers.
MOBILE = re.compile(
    r"(?<![\w.])(?:(?:\+|00)86[\s\-]?)?1[3-9]\d(?:[\s\-]?\d{4}){2}(?![\w.])"
    r"|(?<![\w+])\+\d{1,3}[\s\-]?\d(?:[\s\-]?\d){6,13}(?!\w)"
)
SURVEY_LINK = re.compile(r"(/s/)[A-Za-z0-9_\-]{16,}")
ACCOUNT_LINK = re.compile(r"(/account/password/)[A-Za-z0-9_\-]{16,}")
BEARER = re.compile(r"(?i)(bearer\s+)[^\s,;\"']+")
API_TOKEN = re.compile(r"\bsat_[A-Za-z0-9_\-]{16,}")
PASSWORD = re.compile(
    r"(?i)((?:password|passwd|pwd|secret(?:_key)?|data_key|api_key|token)[\"']?\s*[:=]\s*[\"']?)"
    r"[^\s&,;\"'}]+"
)

RULES = (
    (SURVEY_LINK, r"\1[token]"),
    (ACCOUNT_LINK, r"\1[token]"),
    (BEARER, r"\1[token]"),
    (API_TOKEN, "[token]"),
    (PASSWORD, r"\1[hidden]"),
    (EMAIL, "[email]"),
    (MOBILE, "[phone]"),
)


def mask(text: str) -> str:
    """``text`` with every e-mail, mobile number, link token, bearer token and password hidden."""
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


def mask_record(record: logging.LogRecord) -> None:
    if getattr(record, "_masked", False):
        return
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep what there is, masked
        message = str(record.msg)
    record.msg, record.args = mask(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    if record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    record._masked = True


class ContactDataFilter(logging.Filter):
    """Masks the record in place and always lets it through."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


FILTER = ContactDataFilter()
_installed = False


def install() -> None:
    """Idempotent: safe to call for every app made in one process (tests make many)."""
    global _installed
    if not _installed:
        plain_factory = logging.getLogRecordFactory()

        def masked_factory(*args, **kwargs) -> logging.LogRecord:
            record = plain_factory(*args, **kwargs)
            mask_record(record)
            return record

        logging.setLogRecordFactory(masked_factory)
        _installed = True
    for name in ("", "werkzeug", "gunicorn.error", "gunicorn.access"):
        _add_filter(logging.getLogger(name))


def _add_filter(logger: logging.Logger) -> None:
    for target in (logger, *logger.handlers):
        if FILTER not in target.filters:
            target.addFilter(FILTER)


def init_app(app: Flask) -> None:
    install()
    _add_filter(app.logger)
