"""agents and teams on tickets, customer reference, attribution and contact-frequency cap

Revision ID: b3d5a9e1c7f2
Revises: a6e1f0c3b7d2
Create Date: 2026-12-08 04:00:00

Issue #23: tickets carry the client's customer number, the agent who handled them and the team
that agent worked in then; a contract says how a response is attributed to agents; a provider
caps how often one person is invited across its contracts, and an invitation held back by the
cap records when.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b3d5a9e1c7f2"
down_revision = "b3f0d8a2c915"
branch_labels = None
depends_on = None


def _staff_table(name: str, *extra) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        *extra,
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["organizations.id"], name=op.f(f"fk_{name}_provider_id_organizations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("provider_id", "name", name=op.f(f"uq_{name}_provider_id_name")),
    )
    op.create_index(op.f(f"ix_{name}_provider_id"), name, ["provider_id"], unique=False)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _drop_column(table: str, column: str) -> None:
    """SQLite drops the column in place (3.35+): batch mode would rebuild a table other rows
    refer to, and dropping the old copy fails on a database with data."""
    if _sqlite():
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    else:
        op.drop_column(table, column)


def upgrade():
    _staff_table("teams")
    _staff_table(
        "agents",
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_agents_team_id_teams")),
    )
    op.create_index(op.f("ix_agents_team_id"), "agents", ["team_id"], unique=False)
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_ref", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("agent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_tickets_agent_id_agents"), "agents", ["agent_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_tickets_team_id_teams"), "teams", ["team_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_tickets_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_team_id"), ["team_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tickets_contract_id_customer_ref"),
            ["contract_id", "customer_ref"],
            unique=False,
        )
    # Added in place (no table rebuild, which fails on SQLite once other rows refer to these
    # tables); the CHECKs of the models are added where the database can do it in place.
    op.add_column(
        "contracts",
        sa.Column(
            "sla_attribution", sa.String(length=16), server_default="last_agent", nullable=False
        ),
    )
    op.add_column(
        "organizations",
        sa.Column("contact_cap_days", sa.Integer(), server_default="30", nullable=False),
    )
    if not _sqlite():
        op.create_check_constraint(
            "attribution", "contracts", "sla_attribution IN ('last_agent', 'all_agents')"
        )
        op.create_check_constraint("contact_cap", "organizations", "contact_cap_days >= 0")
    op.add_column("invitations", sa.Column("held_back_at", sa.DateTime(timezone=True)))


def downgrade():
    _drop_column("invitations", "held_back_at")
    if not _sqlite():
        op.drop_constraint(op.f("ck_organizations_contact_cap"), "organizations", type_="check")
        op.drop_constraint(op.f("ck_contracts_attribution"), "contracts", type_="check")
    _drop_column("organizations", "contact_cap_days")
    _drop_column("contracts", "sla_attribution")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_contract_id_customer_ref"))
        batch_op.drop_index(batch_op.f("ix_tickets_team_id"))
        batch_op.drop_index(batch_op.f("ix_tickets_agent_id"))
        batch_op.drop_constraint(batch_op.f("fk_tickets_team_id_teams"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_tickets_agent_id_agents"), type_="foreignkey")
        batch_op.drop_column("team_id")
        batch_op.drop_column("agent_id")
        batch_op.drop_column("customer_ref")
    op.drop_index(op.f("ix_agents_team_id"), table_name="agents")
    op.drop_index(op.f("ix_agents_provider_id"), table_name="agents")
    op.drop_table("agents")
    op.drop_index(op.f("ix_teams_provider_id"), table_name="teams")
    op.drop_table("teams")
