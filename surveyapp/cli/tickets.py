"""Tickets and API tokens on the command line: import a tickets CSV, make and revoke tokens."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from ..api_tokens.service import TokenError, create_token, revoke_token
from ..extensions import db
from ..models import ApiToken, Organization
from ..tickets.importing import import_tickets
from .contracts import contract_by_number


@click.command("import-tickets", short_help="Import or update a contract's tickets (CSV).")
@with_appcontext
@click.option("--contract", "number", required=True, help="Contract number (合同编号).")
@click.option(
    "--skip-bad-rows", is_flag=True, help="Import the good rows even when some rows are bad."
)
@click.argument("csv_file", type=click.File("rb"))
def import_tickets_command(number, skip_bad_rows, csv_file) -> None:
    """Import or update a contract's tickets from CSV (all or nothing unless --skip-bad-rows).

    Columns: external_id, kind (inquiry or complaint), received_at (required; ISO 8601 with a
    time zone), first_reply_at, resolved_at, channel, customer_ref, agent, team. Importing the
    same file twice changes nothing.
    """
    contract = contract_by_number(number)
    with force_locale("en"):
        result = import_tickets(db.session, contract, csv_file.read(), skip_bad_rows=skip_bad_rows)
        problems = [(p.line, p.column, str(p.problem)) for p in result.report.problems]
    for line, column, problem in sorted(problems, key=lambda p: p[0]):
        click.echo(f"line {line}{f' [{column}]' if column else ''}: {problem}", err=True)
    if not result.imported:
        click.echo(f"Nothing imported: {len(problems)} problems.", err=True)
        sys.exit(1)
    click.echo(
        f"Imported: {result.created} new, {result.updated} updated, "
        f"{result.skipped} bad rows skipped."
    )
    if result.unknown_customer_refs:
        click.echo(
            f"Kept with customer numbers not in the customer list: "
            f"{', '.join(result.unknown_customer_refs[:20])}"
            f"{' ...' if len(result.unknown_customer_refs) > 20 else ''}",
            err=True,
        )


@click.command("create-api-token", short_help="Make an API token and print it once.")
@with_appcontext
@click.option("--organization", "organization_name", required=True, help="Organization name.")
@click.option("--name", required=True, help="What uses the token, e.g. helpdesk.")
def create_api_token(organization_name, name) -> None:
    """Make an API token for an organization and print it (the only time it is shown)."""
    org = db.session.scalar(select(Organization).where(Organization.name == organization_name))
    if org is None:
        raise click.UsageError(f"no organization named {organization_name!r}")
    try:
        token, secret = create_token(db.session, org, name, actor_label="cli")
    except TokenError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"Token {token.id} for {org.name} ({name}); it is not shown again:", err=True)
    click.echo(secret)


@click.command("revoke-api-token", short_help="Revoke an API token by its id (safe to run twice).")
@with_appcontext
@click.argument("token_id", type=int)
def revoke_api_token(token_id) -> None:
    """Revoke an API token by its id (safe to run twice)."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.UsageError(f"no API token with id {token_id}")
    if revoke_token(db.session, token, actor_label="cli"):
        click.echo(f"Revoked token {token.id} ({token.name}).")
    else:
        click.echo(f"Token {token.id} ({token.name}) was already revoked.")


COMMANDS = [import_tickets_command, create_api_token, revoke_api_token]
