"""answer kind check written with OR (SQLite checks an IN list slowly)

Revision ID: 5b0c3a7e9d21
Revises: d91952813f76
Create Date: 2026-11-25 16:20:00

SQLite builds a lookup table for an IN list of more than two values every time it checks a
row; on ``answers`` that was a third of an insert's cost. The new check accepts exactly the
same values. On SQLite the table is copied (batch mode), which takes a while on a large
database: about a minute per 10 million answers on a small machine.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5b0c3a7e9d21'
down_revision = 'd91952813f76'
branch_labels = None
depends_on = None

KINDS = ("rating", "nps", "single", "multiple", "text")


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_answers_kind'), type_='check')
        batch_op.create_check_constraint(
            'kind', " OR ".join(f"kind = '{kind}'" for kind in KINDS)
        )


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_answers_kind'), type_='check')
        batch_op.create_check_constraint(
            'kind', "kind IN (" + ", ".join(f"'{kind}'" for kind in KINDS) + ")"
        )
