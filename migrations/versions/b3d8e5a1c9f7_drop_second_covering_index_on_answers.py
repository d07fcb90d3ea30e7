"""drop the second covering index on answers (month first): no query needs it

Revision ID: b3d8e5a1c9f7
Revises: a6e1f0c3b7d2
Create Date: 2026-12-08 04:30:00

Every read of answers names its contracts (``analysis.load.live_counts`` is always called with
contract ids), so ``(contract_id, month, question_code, value)`` covers them all; the
month-first copy only cost each inserted answer a second index write. Measured with
bench/import and bench/dashboard (--quick, SQLite) before and after: see the commit message.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b3d8e5a1c9f7"
down_revision = "b3d5a9e1c7f2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answers_month_contract_id_question_code_value"))


def downgrade():
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_answers_month_contract_id_question_code_value"),
            ["month", "contract_id", "question_code", "value"],
            unique=False,
        )
