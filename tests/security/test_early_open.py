"""Issue 19 item 12, the early-open rule (SECURITY.md, "Survey months"): an administrator may
open a month before its scheduled opening day; opening is the decision to start, so its links
take answers from that moment and the answers count in that month. Before it is opened a month
takes none (its links do not exist), and after its window closes it takes none either."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from surveyapp.models import Response, utcnow

from ..survey.conftest import full_answers


def test_a_month_opened_early_takes_answers_before_its_opening_day(client, session, survey, invite):
    now = utcnow()
    survey.cycle.opens_at = now + timedelta(days=3)  # scheduled later, opened now
    survey.cycle.closes_at = now + timedelta(days=17)
    session.commit()
    _invitation, token = invite()
    assert client.post(f"/s/{token}", data=full_answers(survey)).status_code == 303
    stored = session.scalar(select(Response))
    assert stored.month == survey.cycle.month and stored.submitted_at < survey.cycle.opens_at


def test_a_month_past_its_window_takes_no_answer(client, session, survey, invite):
    _invitation, token = invite()
    survey.cycle.closes_at = utcnow() - timedelta(minutes=1)
    session.commit()
    assert client.post(f"/s/{token}", data=full_answers(survey)).status_code == 410
    assert session.scalar(select(Response)) is None
