"""surveys: languages (zh, en or both) and retired_at

Revision ID: 8f3d2a61c0b7
Revises: 0d144734cfe0
Create Date: 2026-12-08 01:00:00

Existing surveys are bilingual and offered for contracts, as before.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8f3d2a61c0b7"
down_revision = '0d144734cfe0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("languages", sa.String(length=8), server_default="zh,en", nullable=False)
        )
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint("languages", "languages IN ('zh,en', 'zh', 'en')")


def downgrade():
    with op.batch_alter_table("surveys", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_surveys_languages"), type_="check")
        batch_op.drop_column("retired_at")
        batch_op.drop_column("languages")
