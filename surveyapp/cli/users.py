from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from ..auth.setup import ProviderDetails, new_organization
from ..auth.users import AccountError
from ..auth.users import create_user as create_user_step
from ..extensions import db
from ..models import Organization, OrgKind, Role


@click.command("create-user", short_help="Create a user with a role in an organization.")
@with_appcontext
@click.option("--email", required=True, help="Sign-in e-mail address.")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--organization", "organization_name", required=True, help="Organization name.")
@click.option(
    "--organization-kind",
    type=click.Choice([k.value for k in OrgKind]),
    default=None,
    help="Create the organization with this kind if it does not exist.",
)
@click.option("--organization-address", default=None, help="Address of a new organization.")
@click.option("--organization-contact", default=None, help="Contact person of a new organization.")
@click.option("--organization-phone", default=None, help="Phone of a new organization.")
@click.option("--locale", type=click.Choice(["zh_CN", "en"]), default="zh_CN")
@click.password_option(envvar="SURVEYAPP_PASSWORD", help="Password (prompted when not given).")
def create_user(
    email,
    name,
    role,
    organization_name,
    organization_kind,
    organization_address,
    organization_contact,
    organization_phone,
    locale,
    password,
) -> None:
    """Create a user with a role in an organization.

    On an empty database this makes the provider and its first administrator without the demo:
    --role provider_admin --organization-kind provider (with its address, contact and phone).
    """
    org = db.session.scalar(select(Organization).where(Organization.name == organization_name))
    with force_locale("en"):  # messages of the steps, outside a request
        try:
            if org is None:
                if organization_kind is None:
                    raise click.UsageError(
                        f"no organization named {organization_name!r}; "
                        "pass --organization-kind to create it"
                    )
                details = ProviderDetails(
                    organization_name,
                    organization_address,
                    organization_contact,
                    organization_phone,
                )
                org = new_organization(db.session, details, OrgKind(organization_kind))
            user = create_user_step(
                db.session,
                email=email,
                name=name,
                role=Role(role),
                organization=org,
                password=password,
                locale=locale,
                actor_label="flask create-user",
            )
        except AccountError as exc:
            db.session.rollback()
            raise click.UsageError(str(exc)) from exc
    click.echo(f"Created {role} {user.email} in {org.name}.")


COMMANDS = [create_user]
