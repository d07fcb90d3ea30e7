"""audit events belong to the provider that owns the contract

Revision ID: a7e3c9d1f204
Revises: a7e4c2d9f310
Create Date: 2026-12-08 01:00:00

Some writers recorded an event under the client's organization (contract administration,
survey opt-out, a client's export or report download), so a provider whose client also works
with a second provider saw that provider's events. Every such event whose contract can be told
from its subject (a contract, report, customer, action item, follow-up case or cycle) moves to
the provider of that contract. The others (a client user's sign-in) stay with the client and
show on no provider's audit page. Data only: no schema change; the downgrade leaves rows as
they are (the old owner is not recorded).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7e3c9d1f204'
down_revision = 'a7e4c2d9f310'
branch_labels = None
depends_on = None

events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("organization_id", sa.Integer),
    sa.column("subject_type", sa.String),
    sa.column("subject_id", sa.Integer),
)
organizations = sa.table("organizations", sa.column("id", sa.Integer), sa.column("kind", sa.String))
contracts = sa.table(
    "contracts", sa.column("id", sa.Integer), sa.column("provider_id", sa.Integer)
)
# subject type -> the table whose contract_id names the subject's contract
SUBJECT_TABLES = {
    "Report": "reports",
    "Customer": "customers",
    "ActionItem": "action_items",
    "FollowupCase": "followup_cases",
    "Cycle": "cycles",
}


def _provider_of(subject_type):
    """A scalar subquery: the provider of the event's subject's contract."""
    if subject_type == "Contract":
        contract_id = events.c.subject_id
    else:
        owner = sa.table(
            SUBJECT_TABLES[subject_type], sa.column("id", sa.Integer),
            sa.column("contract_id", sa.Integer),
        )
        contract_id = (
            sa.select(owner.c.contract_id).where(owner.c.id == events.c.subject_id)
            .correlate(events).scalar_subquery()
        )
    return (
        sa.select(contracts.c.provider_id).where(contracts.c.id == contract_id)
        .correlate(events).scalar_subquery()
    )


def upgrade():
    clients = sa.select(organizations.c.id).where(organizations.c.kind == "client")
    for subject_type in ["Contract", *SUBJECT_TABLES]:
        provider = _provider_of(subject_type)
        op.execute(
            events.update()
            .where(
                events.c.organization_id.in_(clients),
                events.c.subject_type == subject_type,
                provider.is_not(None),
            )
            .values(organization_id=provider)
        )


def downgrade():
    pass
