"""Clients and contracts from the command line, through the same steps as the pages.

``contract_by_number`` is the one way a command finds a contract: numbers are unique per
provider, so a number two providers use needs ``--provider``.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal, InvalidOperation

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..access import clients_of_provider
from ..contracts.admin import ContractRuleError, activate_contract, create_contract
from ..contracts.clients import save_client
from ..extensions import db
from ..models import Contract, Organization, OrgKind, Role, Survey, User


def contract_by_number(number: str, provider: str | None = None) -> Contract:
    """The contract with this number; when two providers use it, the one of ``provider`` or
    of the ``SURVEYAPP_PROVIDER`` environment variable (the provider's name)."""
    provider = provider or os.environ.get("SURVEYAPP_PROVIDER")
    query = select(Contract).where(Contract.number == number)
    if provider:
        query = query.join(Contract.provider).where(Organization.name == provider)
    found = db.session.scalars(query.limit(2)).all()
    if not found:
        raise click.UsageError(f"no contract with number {number!r}")
    if len(found) > 1:
        raise click.UsageError(
            f"several providers use contract number {number!r}: "
            "name yours in SURVEYAPP_PROVIDER=<provider name>"
        )
    return found[0]


def _provider(name: str | None) -> Organization:
    providers = db.session.scalars(
        select(Organization).where(Organization.kind == OrgKind.PROVIDER)
    ).all()
    if name:
        providers = [p for p in providers if p.name == name]
    if len(providers) != 1:
        raise click.UsageError(
            "no provider yet: run create-user first"
            if not providers and not name
            else "name the provider with --provider"
        )
    return providers[0]


def _actor(provider: Organization, email: str | None) -> User:
    query = select(User).where(
        User.organization_id == provider.id, User.role == Role.PROVIDER_ADMIN, User.active
    )
    if email:
        query = query.where(User.email == email.strip().lower())
    actor = db.session.scalars(query.order_by(User.id)).first()
    if actor is None:
        raise click.UsageError(f"no active administrator of {provider.name} (--as)")
    return actor


def _rule_error(error: ContractRuleError) -> click.ClickException:
    db.session.rollback()
    where = f"--{error.field.replace('_', '-')}: " if error.field else ""
    return click.ClickException(f"{where}{error}")


PROVIDER = click.option("--provider", help="Provider organization (when there are several).")
ACTOR = click.option("--as", "actor_email", help="Administrator recorded in the audit log.")


@click.command("create-client", short_help="Create a client organization kept by the provider.")
@with_appcontext
@click.option("--name", required=True, help="Client organization name (乙方).")
@click.option("--address")
@click.option("--contact-person")
@click.option("--phone")
@PROVIDER
@ACTOR
def create_client(name, address, contact_person, phone, provider, actor_email) -> None:
    """Create a client organization kept by the provider."""
    org = _provider(provider)
    values = {"name": name, "address": address, "contact_person": contact_person, "phone": phone}
    try:
        client = save_client(db.session, org.id, values, _actor(org, actor_email))
    except ContractRuleError as error:
        raise _rule_error(error) from None
    db.session.commit()
    click.echo(f"Created client {client.name} (id {client.id}).")


def _money(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise click.BadParameter(f"{text!r} is not an amount") from None


@click.command("create-contract", short_help="Create a draft contract from the template.")
@with_appcontext
@click.option("--client", "client_name", required=True, help="Client organization name.")
@click.option("--number", required=True, help="Contract number (合同编号), unique per provider.")
@click.option("--title", required=True)
@click.option("--start", "start_date", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--end", "end_date", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--signed-on", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--monthly-fee", default="0", show_default=True)
@click.option("--inquiry-hours", default=24, show_default=True, type=int)
@click.option("--complaint-hours", default=48, show_default=True, type=int)
@click.option("--survey", "survey_name", help="Survey the contract uses (by name).")
@click.option("--activate", is_flag=True, help="Activate it at once (it is signed).")
@PROVIDER
@ACTOR
def create_contract_command(
    client_name, number, title, start_date, end_date, signed_on, monthly_fee, inquiry_hours,
    complaint_hours, survey_name, activate, provider, actor_email,
) -> None:  # fmt: skip
    """Create a contract from the standard template (its clauses and targets), as a draft."""
    org = _provider(provider)
    actor = _actor(org, actor_email)
    client = db.session.scalar(clients_of_provider(org.id).where(Organization.name == client_name))
    if client is None:
        raise click.UsageError(f"no client named {client_name!r}: run create-client first")
    survey_id = None
    if survey_name:
        survey_id = db.session.scalar(
            select(Survey.id).where(Survey.provider_id == org.id, Survey.name == survey_name)
        )
        if survey_id is None:
            raise click.UsageError(f"no survey named {survey_name!r}")

    def day(value) -> date | None:
        return value.date() if value else None

    values = {
        "number": number,
        "title": title,
        "start_date": day(start_date),
        "end_date": day(end_date),
        "signed_on": day(signed_on),
        "monthly_fee": _money(monthly_fee),
        "inquiry_hours": inquiry_hours,
        "complaint_hours": complaint_hours,
        "survey_id": survey_id,
    }
    try:
        contract = create_contract(db.session, org, client, values, actor)
        if activate:
            activate_contract(db.session, contract, actor)
    except ContractRuleError as error:
        raise _rule_error(error) from None
    db.session.commit()
    click.echo(f"Created contract {contract.number} ({contract.status}) for {client.name}.")


COMMANDS = [create_client, create_contract_command]
