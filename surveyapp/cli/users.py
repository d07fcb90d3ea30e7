from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..models import Organization, OrgKind, Role, User


@click.command("create-user")
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
@click.option("--locale", type=click.Choice(["zh_CN", "en"]), default="zh_CN")
@click.password_option(envvar="SURVEYAPP_PASSWORD", help="Password (prompted when not given).")
def create_user(email, name, role, organization_name, organization_kind, locale, password) -> None:
    """Create a user with a role in an organization."""
    email = email.strip().lower()
    if len(password) < 10:
        raise click.UsageError("the password must have at least 10 characters")
    org = db.session.scalar(select(Organization).where(Organization.name == organization_name))
    if org is None:
        if organization_kind is None:
            raise click.UsageError(
                f"no organization named {organization_name!r}; "
                "pass --organization-kind to create it"
            )
        org = Organization(kind=organization_kind, name=organization_name)
        db.session.add(org)
    expected = OrgKind.CLIENT if role == Role.CLIENT_VIEWER else OrgKind.PROVIDER
    if org.kind != expected:
        raise click.UsageError(
            f"role {role} belongs to a {expected} organization, not a {org.kind}"
        )
    if db.session.scalar(select(User).where(User.email == email)) is not None:
        raise click.UsageError(f"a user with e-mail {email} already exists")
    user = User(email=email, name=name, role=role, organization=org, locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {role} {email} in {org.name}.")


COMMANDS = [create_user]
