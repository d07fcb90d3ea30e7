"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the sending tests, and an app pointed at it."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from ..conftest import make_app


@dataclass
class Inbox:
    messages: list = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients the server answers 550

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), ready_timeout=10)
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def mail_app(database_url, smtp):
    app = make_app(
        database_url, SMTP_PORT=smtp.port, SMTP_TIMEOUT=5, BASE_URL="https://survey.test"
    )
    yield app


@pytest.fixture
def contract(session):
    """An active contract with a survey and three customers: zh, en, and one without e-mail."""
    from ..factories import make_contract, make_customer, make_survey_version

    contract = make_contract(session, reminder_after_days=3, max_reminders=2)
    version = make_survey_version(session, contract.provider)
    contract.survey_id = version.survey_id
    session.commit()
    make_customer(session, contract, ref="A001")
    make_customer(session, contract, ref="A002", language="en")
    no_mail = make_customer(session, contract, ref="A003")
    no_mail.set_contact(name="无邮箱", email=None, mobile="13900000000")
    session.commit()
    return contract
