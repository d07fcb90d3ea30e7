"""survey page: contract logos, response drafts, a survey's rating scale style

Revision ID: b3f0d8a2c915
Revises: a6e1f0c3b7d2
Create Date: 2026-12-08 04:00:00

The client's logo on its contract's survey, the drafts saved by "save and finish later" (one
per invitation, never a response) and how a survey draws its 1-5 ratings (issue #22).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b3f0d8a2c915"
down_revision = "09d85456980d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contract_logos",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "content_type IN ('image/png', 'image/jpeg', 'image/webp')",
            name=op.f("ck_contract_logos_type"),
        ),
        sa.CheckConstraint(
            "size_bytes > 0 AND size_bytes <= 262144", name=op.f("ck_contract_logos_size")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_logos_contract_id_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contract_id", name=op.f("pk_contract_logos")),
    )
    op.create_table(
        "response_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_response_drafts_invitation_id_invitations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_drafts")),
        sa.UniqueConstraint("invitation_id", name=op.f("uq_response_drafts_invitation_id")),
    )
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scale_style", sa.String(length=8), server_default="plain", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.drop_column("scale_style")
    op.drop_table("response_drafts")
    op.drop_table("contract_logos")
