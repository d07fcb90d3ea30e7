"""``rotate-data-key``: re-encrypt every keyring ciphertext with the newest data key.

Rotation (README: Security): generate a key, set ``DATA_KEY="NEW,OLD"`` everywhere, run this
command, then set ``DATA_KEY="NEW"``. The key ring encrypts with its first key and decrypts
with any (``surveyapp.models.types``), so the site keeps working during the run. Lookup hashes
are keyed by the first key too and are recomputed from the decrypted values. Rows are done in
batches, each in its own transaction; a run that stops half-way is simply run again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..extensions import db
from ..models import Customer
from ..models.types import DataKeyError, keyring, parse_data_keys
from ..models.webhooks import WebhookEndpoint

BATCH_SIZE = 500


def _reseal(value: str | None) -> str | None:
    return keyring.encrypt(keyring.decrypt(value)) if value else None


def rotate_customer(customer: Customer) -> None:
    contact = customer.reveal_contact()
    customer.set_contact(name=contact.name, email=contact.email, mobile=contact.mobile)


def rotate_webhook(endpoint: WebhookEndpoint) -> None:
    endpoint.secret_enc = _reseal(endpoint.secret_enc)


# Every model holding keyring ciphertext, with how to re-encrypt one row of it.
ENCRYPTED: list[tuple[Any, Callable[[Any], None]]] = [
    (Customer, rotate_customer),
    (WebhookEndpoint, rotate_webhook),
]


def _batches(session: Session, model, size: int) -> Iterator[list]:
    last_id = 0
    while True:
        rows = list(
            session.scalars(select(model).where(model.id > last_id).order_by(model.id).limit(size))
        )
        if not rows:
            return
        yield rows
        last_id = rows[-1].id


def rotate_all(
    session: Session, batch_size: int = BATCH_SIZE, progress: Callable[[str], None] = print
) -> dict[str, int]:
    """Re-encrypt every encrypted column with the first key; returns rows done per table."""
    done = {}
    for model, rotate in ENCRYPTED:
        count = 0
        for rows in _batches(session, model, batch_size):
            for row in rows:
                rotate(row)
            session.commit()
            count += len(rows)
            progress(f"{model.__tablename__}: {count} rows re-encrypted")
        done[model.__tablename__] = count
    audit.record(session, "data_key.rotated", actor_label="cli", details=done)
    session.commit()
    return done


@click.command("rotate-data-key", short_help="Re-encrypt contact data with a new data key.")
@with_appcontext
@click.option("--batch-size", default=BATCH_SIZE, show_default=True, type=click.IntRange(1))
def rotate_data_key(batch_size: int) -> None:
    """Re-encrypt all contact data and secrets with the first key of DATA_KEY="NEW,OLD"."""
    if len(parse_data_keys(current_app.config["DATA_KEY"] or "")) < 2:
        click.echo("Note: DATA_KEY holds one key; values are re-encrypted with that same key.")
    try:
        done = rotate_all(db.session, batch_size, progress=click.echo)
    except DataKeyError as exc:
        db.session.rollback()
        raise click.ClickException(
            f'{exc}: keep the old key in DATA_KEY ("NEW,OLD") until the rotation is done'
        ) from exc
    total = sum(done.values())
    click.echo(f"Done: {total} rows re-encrypted with the first key. Now set DATA_KEY to it alone.")


COMMANDS = [rotate_data_key]
