"""open_cycle / close_cycle: idempotent, month boundaries in the contract's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from analysis import ThemeSummary
from surveyapp.cycles.calendar import cycle_window, month_of, shift_month
from surveyapp.cycles.lifecycle import CycleError, close_cycle, open_cycle
from surveyapp.cycles.links import Links
from surveyapp.models import (
    Answer,
    AnswerCount,
    Customer,
    Cycle,
    Invitation,
    MonthSummary,
    utcnow,
)
from surveyapp.survey.tokens import token_hash

from ..factories import make_customer, make_response

LINKS = Links(secret="test-secret", base_url="https://survey.test")
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def _invitations(session) -> int:
    return session.scalar(select(func.count()).select_from(Invitation))


def test_opening_creates_one_invitation_per_active_customer_and_is_idempotent(session, contract):
    make_customer(session, contract, ref="OFF", active=False)
    make_customer(session, contract, ref="OUT", opted_out_at=NOW - timedelta(days=40))
    result = open_cycle(session, contract, "2026-12", now=NOW, links=LINKS)
    assert (result.created, result.existing) == (3, 0)
    assert result.cycle.status == "open" and result.cycle.opened_at == NOW
    again = open_cycle(session, contract, "2026-12", now=NOW, links=LINKS)
    assert (again.created, again.existing) == (0, 3)
    assert _invitations(session) == 3
    assert session.scalar(select(func.count()).select_from(Cycle)) == 1


def test_a_customer_added_later_is_invited_by_the_next_run(session, contract):
    open_cycle(session, contract, "2026-12", now=NOW, links=LINKS)
    make_customer(session, contract, ref="NEW")
    assert open_cycle(session, contract, "2026-12", now=NOW, links=LINKS).created == 1


def test_invitations_take_language_channel_and_expiry(session, contract):
    cycle = open_cycle(session, contract, "2026-12", now=NOW, links=LINKS).cycle
    rows = {inv.customer.ref: inv for inv in session.scalars(select(Invitation))}
    assert rows["A002"].locale == "en" and rows["A001"].locale == "zh_CN"
    assert rows["A001"].channel == "email" and rows["A003"].channel == "link"
    assert all(inv.expires_at == cycle.closes_at for inv in rows.values())


def test_the_month_window_is_in_the_contracts_time_zone(session, contract):
    cycle = open_cycle(session, contract, "2026-12", now=NOW, links=LINKS).cycle
    # day 1 at 09:00 in Asia/Shanghai is 01:00 UTC; open for 14 days
    assert cycle.opens_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert cycle.closes_at == datetime(2026, 12, 15, 1, 0, tzinfo=UTC)
    assert cycle_window("2026-12", "Europe/Berlin", 1, 14)[0] == datetime(
        2026, 12, 1, 8, 0, tzinfo=UTC
    )


def test_only_the_hash_of_each_link_is_stored(session, contract):
    open_cycle(session, contract, "2026-12", now=NOW, links=LINKS)
    for invitation in session.scalars(select(Invitation)):
        token = LINKS.token(invitation.cycle_id, invitation.customer_id)
        assert invitation.token_hash == token_hash(token)
        assert token not in invitation.token_hash
        assert (
            Links("another-secret", "x").token(invitation.cycle_id, invitation.customer_id) != token
        )


@pytest.mark.parametrize(("month", "now"), [("2026-13", NOW), ("2026-11", NOW)])
def test_a_bad_or_past_month_cannot_be_opened(session, contract, month, now):
    with pytest.raises(CycleError):
        open_cycle(session, contract, month, now=now, links=LINKS)
    assert _invitations(session) == 0


def test_a_contract_without_a_survey_cannot_open(session, contract):
    contract.survey_id = None
    session.commit()
    with pytest.raises(CycleError):
        open_cycle(session, contract, "2026-12", now=NOW, links=LINKS)


def test_closing_expires_links_stores_counts_and_is_idempotent(session, contract):
    cycle = open_cycle(session, contract, "2026-12", now=NOW, links=LINKS).cycle
    invitation = session.scalars(select(Invitation)).first()
    make_response(session, invitation, {"RESP": 4, "NPS": 9})
    later = NOW + timedelta(days=2)
    assert close_cycle(session, cycle, now=later) is True
    assert cycle.status == "closed" and cycle.closed_at == later
    session.expire_all()
    assert {inv.expires_at for inv in session.scalars(select(Invitation))} == {later}
    counts = {(c.question_code, c.value): c.n for c in session.scalars(select(AnswerCount))}
    assert counts == {("RESP", 4): 1, ("NPS", 9): 1}
    assert close_cycle(session, cycle, now=later + timedelta(days=1)) is False
    with pytest.raises(CycleError):
        open_cycle(session, contract, "2026-12", now=later, links=LINKS)


def test_a_closed_cycles_link_shows_the_closed_page(app, client, session, contract):
    now = utcnow()
    month = shift_month(
        month_of(now, contract.timezone), 1
    )  # opening ahead of the window is allowed
    links = Links.from_config(app.config)
    cycle = open_cycle(session, contract, month, now=now, links=links).cycle
    invitation = session.scalars(
        select(Invitation).join(Customer).where(Customer.ref == "A001")
    ).one()
    url = links.survey_url(invitation).removeprefix(links.base_url)
    assert client.get(url).status_code == 200
    close_cycle(session, cycle, now=utcnow())
    assert client.get(url).status_code == 410


def test_closing_stores_the_funnel_and_comment_themes_with_names_masked(session, contract):
    cycle = open_cycle(session, contract, "2026-12", now=NOW, links=LINKS).cycle
    invitations = session.scalars(select(Invitation).order_by(Invitation.id)).all()
    invitations[0].sent_at = invitations[1].sent_at = NOW
    invitations[0].opened_at = NOW
    name = invitations[0].customer.reveal_contact().name
    response = make_response(session, invitations[0], {"RESP": 1, "NPS": 3})
    comment = next(q for q in cycle.survey_version.questions if q.code == "COMMENT")
    response.answers.append(
        Answer(question_id=comment.id, contract_id=contract.id, month="2026-12",
               question_code="COMMENT", kind="text",
               text_value=f"我是{name}，客服回复太慢了，等了两天才有人处理，电话13812345678")
    )  # fmt: skip
    invitations[0].responded_at = NOW
    session.commit()
    close_cycle(session, cycle, now=NOW + timedelta(days=2))
    session.commit()
    summary = session.get(MonthSummary, (contract.id, "2026-12"))
    assert (summary.invited, summary.opened, summary.answered) == (3, 1, 1)  # any channel
    assert (summary.emailed, summary.email_opened, summary.email_answered) == (2, 1, 1)
    themes = ThemeSummary.from_records([summary.comment_themes])
    assert {"回复", "慢", "处理"} <= set(themes.keywords["keyword"])
    assert set(themes.comments["group"]) >= {"all", "low_scorers"}
    examples = " ".join(themes.examples["text"])
    assert examples and name not in examples and "13812345678" not in examples
