"""questions: show-if conditions (logic) and matrix groups

Revision ID: b3d8f1a2c4e5
Revises: a6e1f0c3b7d2
Create Date: 2026-12-08 04:00:00

A question may be shown only when an earlier answer meets a condition (``show_if_*``), and
consecutive rating questions may form one matrix (``matrix_group`` with its heading). Existing
questions have neither: NULL everywhere, so every survey behaves as before.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b3d8f1a2c4e5"
down_revision = "a6e1f0c3b7d2"
branch_labels = None
depends_on = None

COMPLETE = (
    "(show_if_code IS NULL AND show_if_op IS NULL AND show_if_value IS NULL)"
    " OR (show_if_code IS NOT NULL AND show_if_op IS NOT NULL"
    " AND show_if_value IS NOT NULL)"
)


def upgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("show_if_code", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("show_if_op", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("show_if_value", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("matrix_group", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("matrix_text_zh", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("matrix_text_en", sa.Text(), nullable=True))
        batch_op.create_check_constraint("show_if_op", "show_if_op IN ('le', 'ge', 'eq', 'in')")
        batch_op.create_check_constraint("show_if_complete", COMPLETE)


def downgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_questions_show_if_complete"), type_="check")
        batch_op.drop_constraint(op.f("ck_questions_show_if_op"), type_="check")
        for name in (
            "matrix_text_en", "matrix_text_zh", "matrix_group",
            "show_if_value", "show_if_op", "show_if_code",
        ):  # fmt: skip
            batch_op.drop_column(name)
