"""month summaries: invitations issued whatever the channel, and the e-mail funnel

Revision ID: a7e4c2d9f310
Revises: 9f1b370c4a2e
Create Date: 2026-12-08 01:00:00

``month_summaries.invited`` counted e-mails sent, so a month handed out by links (SMS,
messaging, QR) had no response rate and a mixed month could exceed 100 %. It now counts every
invitation of the month, whatever the channel; the e-mail funnel gets its own columns
(``emailed``, ``email_opened``, ``email_answered``). The upgrade recomputes these counts of every
stored (closed) month from its invitations in one statement, so no ``rebuild-aggregates`` run is
needed; a month without invitation rows (history import) keeps zero, as before. Then the check
``answered <= invited`` is added.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7e4c2d9f310"
down_revision = '9f1b370c4a2e'
branch_labels = None
depends_on = None

COUNTS = {
    "invited": "count(i.id)",
    "opened": "count(i.opened_at)",
    "answered": "count(i.responded_at)",
    "emailed": "count(i.sent_at)",
    "email_opened": "count(CASE WHEN i.sent_at IS NOT NULL THEN i.opened_at END)",
    "email_answered": "count(CASE WHEN i.sent_at IS NOT NULL THEN i.responded_at END)",
}


def _recount(columns):
    of_month = (
        "FROM invitations i JOIN cycles c ON c.id = i.cycle_id "
        "WHERE c.contract_id = month_summaries.contract_id AND c.month = month_summaries.month"
    )
    sets = ", ".join(f"{name} = (SELECT {COUNTS[name]} {of_month})" for name in columns)
    op.execute(sa.text(f"UPDATE month_summaries SET {sets}"))


def upgrade():
    with op.batch_alter_table("month_summaries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("emailed", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("email_opened", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("email_answered", sa.Integer(), server_default="0", nullable=False)
        )
    _recount(list(COUNTS))
    with op.batch_alter_table("month_summaries", schema=None) as batch_op:
        batch_op.create_check_constraint(
            "funnel",
            "answered <= invited AND emailed >= 0 AND email_opened >= 0 AND email_answered >= 0",
        )


def downgrade():
    with op.batch_alter_table("month_summaries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_month_summaries_funnel"), type_="check")
    op.execute(sa.text("UPDATE month_summaries SET invited = emailed"))
    with op.batch_alter_table("month_summaries", schema=None) as batch_op:
        batch_op.drop_column("email_answered")
        batch_op.drop_column("email_opened")
        batch_op.drop_column("emailed")
