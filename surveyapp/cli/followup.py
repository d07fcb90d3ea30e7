"""Closed-loop commands: the webhook worker and the case alert e-mails (safe to run twice).

Cron, for example::

    * * * * *  surveyapp deliver-webhooks --once && surveyapp send-case-alerts
    0 8 * * *  surveyapp send-case-digests
"""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..followup.alerts import send_case_alerts
from ..mail import SmtpSettings
from ..models import utcnow
from ..webhooks.delivery import DeliverySettings, deliver_due


@click.command("deliver-webhooks", short_help="Send due webhook deliveries, with retries.")
@click.option("--once", is_flag=True, help="One pass over the due deliveries, then exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes.")
@with_appcontext
def deliver_webhooks(once: bool, interval: float) -> None:
    """Send due webhook deliveries from the outbox (retries with exponential backoff)."""
    settings = DeliverySettings.from_config(current_app.config)

    def progress(delivery, outcome: str) -> None:
        click.echo(f"{delivery.event.type} {delivery.event.event_id} -> {delivery.endpoint.url}: "
                   f"{outcome} (attempt {delivery.attempts})")  # fmt: skip

    while True:
        summary = deliver_due(db.session, settings, utcnow(), progress=progress)
        click.echo(
            f"delivered {summary.delivered}, retrying {summary.retrying}, failed {summary.failed}"
        )
        if once:
            return
        time.sleep(interval)


def _alerts(digest: bool) -> None:
    sent, failed = send_case_alerts(
        db.session, SmtpSettings.from_config(current_app.config),
        current_app.config["BASE_URL"], utcnow(), digest=digest,
    )  # fmt: skip
    click.echo(f"sent {sent} e-mail(s), {failed} case(s) failed")


@click.command("send-case-alerts", short_help="E-mail owners about new follow-up cases.")
@with_appcontext
def send_case_alerts_command() -> None:
    """E-mail each contract owner about new follow-up cases (owners who want one per case)."""
    _alerts(digest=False)


@click.command("send-case-digests", short_help="E-mail the daily digest of new follow-up cases.")
@with_appcontext
def send_case_digests() -> None:
    """E-mail the daily digest of new follow-up cases (owners who chose the digest)."""
    _alerts(digest=True)


COMMANDS = [deliver_webhooks, send_case_alerts_command, send_case_digests]
