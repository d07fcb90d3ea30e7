"""action item effect may be target_met (target crossed, change not significant)

Revision ID: a6e1f0c3b7d2
Revises: a7e3c9d1f204
Create Date: 2026-12-08 01:10:00

Effects are now judged by a test (Welch for means, two proportions or Fisher's exact test for
shares); a target crossed without a significant change gets its own verdict. The evidence is
JSON and keeps full precision already, so no column changes.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "a6e1f0c3b7d2"
down_revision = 'a7e3c9d1f204'
branch_labels = None
depends_on = None

NEW = ("improved", "unchanged", "worse", "target_met")
OLD = ("improved", "unchanged", "worse")


def _check(values):
    return "effect IS NULL OR effect IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_action_items_effect"), type_="check")
        batch_op.create_check_constraint("effect", _check(NEW))


def downgrade():
    op.execute("UPDATE action_items SET effect = 'unchanged' WHERE effect = 'target_met'")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_action_items_effect"), type_="check")
        batch_op.create_check_constraint("effect", _check(OLD))
