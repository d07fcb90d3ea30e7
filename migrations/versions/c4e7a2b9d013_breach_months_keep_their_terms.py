"""breach months keep the caps and fee they were settled under

Revision ID: c4e7a2b9d013
Revises: b3d8e5a1c9f7
Create Date: 2026-12-08 06:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e7a2b9d013"
down_revision = "b3d8e5a1c9f7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("breach_months", schema=None) as batch_op:
        batch_op.add_column(sa.Column("settled_caps", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("settled_fee", sa.Numeric(precision=12, scale=2), nullable=True))


def downgrade():
    with op.batch_alter_table("breach_months", schema=None) as batch_op:
        batch_op.drop_column("settled_fee")
        batch_op.drop_column("settled_caps")
