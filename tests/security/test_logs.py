"""The log filter: no customer e-mail, mobile number, link token, API token or password in any
log line, whichever logger wrote it (contract clause 四)."""

from __future__ import annotations

import logging

import pytest

from surveyapp.security.logfilter import ContactDataFilter, mask

SECRETS = {
    "an e-mail": "li.wei+vip@example.com.cn",
    "a mobile": "13812345678",
    "a spaced mobile": "+86 138 1234 5678",
    "a dashed mobile": "138-1234-5678",
    "an international number": "+44 20 7946 0958",
    "a survey token": "/s/Zk3v9QpLr2XyTb8mN4cW1aHsD0eFgJuK",
    "a set-password link": "/account/password/Qw8eRt5yUi0oPa3sDf6gHj2kLz",
    "a bearer token": "Authorization: Bearer sat_abcdEFGH1234ijklMNOP5678",
    "a password field": "password=hunter2-very-secret",
    "a JSON password": '{"password": "hunter2-very-secret"}',
    "a secret key": "SECRET_KEY=kq93-long-random-value",
    "a token parameter": "GET /x?token=Zk3v9QpLr2XyTb8mN4cW1aHs",
}


@pytest.mark.parametrize("label", list(SECRETS))
def test_mask_hides(label):
    text = f"request from someone: {SECRETS[label]} done"
    masked = mask(text)
    hidden = SECRETS[label].split()[-1].split("=")[-1].strip('"}').removeprefix("/s/")
    hidden = hidden.removeprefix("/account/password/")
    assert hidden not in masked, label
    assert masked.startswith("request from someone:") and masked.endswith("done")


@pytest.mark.parametrize(
    "text",
    ["GET /dashboard/contracts/12?month=2026-11 200", "took 1234567 us", "2026-11-25 10:31:18",
     "contract T-00012 month 2026-10", "order 20261125001 id"],
)  # fmt: skip
def test_mask_leaves_ordinary_log_lines_alone(text):
    assert mask(text) == text


def test_a_child_loggers_record_is_masked_before_any_handler_sees_it(app, caplog):
    caplog.set_level(logging.INFO)
    logging.getLogger("surveyapp.mail").info("sent to %s (%s)", "wang@example.com", "13900001111")
    logging.getLogger("some.library").warning("token /s/%s", "A" * 32)
    text = caplog.text
    assert "wang@example.com" not in text and "13900001111" not in text and "A" * 32 not in text
    assert "[email]" in text and "[phone]" in text and "/s/[token]" in text


def test_app_logger_and_exception_tracebacks_are_masked(app, caplog):
    caplog.set_level(logging.INFO)
    try:
        raise ValueError("cannot deliver to zhao@example.org")
    except ValueError:
        app.logger.exception("failed for %s", "zhao@example.org")
    assert "zhao@example.org" not in caplog.text
    record = caplog.records[-1]
    assert "zhao@example.org" not in (record.exc_text or "")
    assert "ValueError" in record.exc_text


def test_the_filter_is_on_the_root_and_app_loggers(app):
    assert any(isinstance(f, ContactDataFilter) for f in logging.getLogger().filters)
    assert any(isinstance(f, ContactDataFilter) for f in app.logger.filters)


def test_werkzeug_request_lines_do_not_carry_survey_links(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    token = "Qx7" * 12
    logging.getLogger("werkzeug").info('127.0.0.1 - - "GET /s/%s HTTP/1.1" 404 -', token)
    assert token not in caplog.text and "/s/[token]" in caplog.text


def test_a_failed_sign_in_does_not_log_the_password(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/sign-in", data={"email": "nobody@example.com", "password": "hunter2-secret"})
    assert "hunter2-secret" not in caplog.text
