"""The migration that makes ``month_summaries.invited`` count every invitation recomputes the
months already stored: no rebuild-aggregates run is needed after the upgrade (issue 25)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from surveyapp.cycles.lifecycle import close_cycle, open_cycle
from surveyapp.cycles.links import Links
from surveyapp.extensions import db
from surveyapp.models import Invitation

from ..factories import make_contract, make_customer, make_response, make_survey_version

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
BEFORE = "9f1b370c4a2e"  # the migration before a7e4c2d9f310
SUMMARY = sa.text(
    "SELECT invited, opened, answered, emailed, email_opened, email_answered FROM month_summaries"
)


def test_upgrade_recomputes_stored_months_from_their_invitations(app, session):
    contract = make_contract(session)
    version = make_survey_version(session, contract.provider)
    contract.survey_id = version.survey_id
    session.commit()
    for n in range(5):
        make_customer(session, contract, ref=f"C{n}")
    cycle = open_cycle(session, contract, "2026-12", now=NOW, links=Links("s", "http://x")).cycle
    invitations = session.scalars(select(Invitation).order_by(Invitation.id)).all()
    invitations[0].sent_at = invitations[0].opened_at = NOW  # one e-mailed and answered
    for invitation in invitations[:3]:  # two more answered through links (SMS)
        make_response(session, invitation)
        invitation.responded_at = invitation.opened_at = NOW
    session.commit()
    close_cycle(session, cycle, now=NOW)
    session.close()

    with app.app_context():
        downgrade(revision=BEFORE)  # the old meaning: invited = e-mails sent
        with db.engine.connect() as conn:
            assert tuple(
                conn.execute(sa.text("SELECT invited, answered FROM month_summaries")).one()
            ) == (1, 3)
        upgrade()
        with db.engine.connect() as conn:
            assert tuple(conn.execute(SUMMARY).one()) == (5, 3, 3, 1, 1, 1)
        db.engine.dispose()
