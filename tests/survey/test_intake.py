"""accept_response: exactly once (enforced by the database), all or nothing, concurrent submits.

These tests use real threads and real commits on a real database file (or PostgreSQL when
TEST_DATABASE_URL is set).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import Answer, Invitation, Response, utcnow
from surveyapp.survey import intake
from surveyapp.survey.intake import AlreadyAnswered, accept_response
from surveyapp.survey.tokens import new_token, token_hash

from .conftest import full_answers


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _values(survey) -> dict:
    return {
        survey.question_id("RESP"): 5,
        survey.question_id("NPS"): 10,
        survey.question_id("TOPICS"): survey.option_ids("TOPICS"),
        survey.question_id("COMMENT"): "很好",
    }


def test_second_submit_of_same_invitation_stores_nothing(app, session, survey, invite):
    invitation, _ = invite()
    with app.app_context():
        first = db.session.get(Invitation, invitation.id)
        accept_response(db.session, first, _values(survey), now=utcnow(), locale="zh_CN")
        again = db.session.get(Invitation, invitation.id)
        with pytest.raises(AlreadyAnswered):
            accept_response(db.session, again, _values(survey), now=utcnow(), locale="zh_CN")
    assert _count(session, Response) == 1
    assert _count(session, Answer) == 5


def test_the_unique_constraint_refuses_a_stale_second_submit(app, session, survey, invite):
    """Both requests read the invitation before either wrote: only the database can refuse."""
    invitation, _ = invite()
    with app.app_context():
        stale = db.session.get(Invitation, invitation.id)
        assert stale.responded_at is None
        with app.app_context():  # another request answers in between
            accept_response(
                db.session,
                db.session.get(Invitation, invitation.id),
                _values(survey),
                now=utcnow(),
                locale="zh_CN",
            )
        assert stale.responded_at is None  # this request's copy still says "not answered"
        with pytest.raises(AlreadyAnswered):
            accept_response(db.session, stale, _values(survey), now=utcnow(), locale="zh_CN")
    assert _count(session, Response) == 1 and _count(session, Answer) == 5


def test_a_failure_after_the_answers_leaves_no_partial_response(
    app, session, survey, invite, monkeypatch
):
    invitation, _ = invite()

    def explode(*args, **kwargs):
        raise RuntimeError("injected failure after the answer rows")

    monkeypatch.setattr(intake, "_mark_responded", explode)
    with app.app_context(), pytest.raises(RuntimeError):
        accept_response(
            db.session,
            db.session.get(Invitation, invitation.id),
            _values(survey),
            now=utcnow(),
            locale="zh_CN",
        )
    assert _count(session, Response) == 0 and _count(session, Answer) == 0
    session.refresh(invitation)
    assert invitation.responded_at is None


def test_a_row_refused_after_the_first_answer_leaves_no_partial_response(
    app, session, survey, invite
):
    """The first answer row is fine, the second breaks the database's score check."""
    invitation, _ = invite()
    values = {survey.question_id("RESP"): 4, survey.question_id("NPS"): 11}
    with app.app_context(), pytest.raises(Exception) as raised:
        accept_response(
            db.session,
            db.session.get(Invitation, invitation.id),
            values,
            now=utcnow(),
            locale="zh_CN",
        )
    assert "check" in str(raised.value).lower() or "constraint" in str(raised.value).lower()
    assert _count(session, Response) == 0 and _count(session, Answer) == 0


def test_fifty_threads_submitting_one_token_store_exactly_one_response(
    app, session, survey, invite
):
    _, token = invite()
    barrier = threading.Barrier(50)
    data = full_answers(survey)

    def submit(_):
        client = app.test_client()
        barrier.wait(timeout=30)
        return client.post(f"/s/{token}", data=data).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(submit, range(50)))
    assert codes.count(303) == 1, codes
    assert set(codes) <= {303, 409}
    assert _count(session, Response) == 1
    assert _count(session, Answer) == 6


def test_three_hundred_tokens_submitted_concurrently_store_all_answers(app, session, survey):
    customers_tokens = []
    from ..factories import make_customer

    invitations = []
    for _ in range(300):
        customer = make_customer(session, survey.cycle.contract)
        token = new_token()
        customers_tokens.append(token)
        invitations.append(
            Invitation(
                cycle_id=survey.cycle.id,
                customer_id=customer.id,
                token_hash=token_hash(token),
                expires_at=survey.cycle.closes_at,
            )
        )
    session.add_all(invitations)
    session.commit()
    data = full_answers(survey)

    def submit(token):
        return app.test_client().post(f"/s/{token}", data=data).status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        codes = list(pool.map(submit, customers_tokens))
    assert codes == [303] * 300
    assert _count(session, Response) == 300
    assert _count(session, Answer) == 300 * 6
    per_response = session.execute(
        select(Answer.response_id, func.count()).group_by(Answer.response_id)
    ).all()
    assert {n for _, n in per_response} == {6}


def test_a_month_closed_after_the_link_was_read_takes_no_response(app, session, survey, invite):
    """The request read the link while the month was open; the month closed (and stored its
    aggregates) before the request wrote: nothing is stored, the customer is told it closed."""
    from surveyapp.cycles.lifecycle import close_cycle
    from surveyapp.models import Cycle
    from surveyapp.survey.links import Link

    invitation, _ = invite()
    with app.app_context():
        link = Link.of(db.session, db.session.get(Invitation, invitation.id))
        assert link.is_open(utcnow())
        with app.app_context():  # the autopilot closes the month in between
            close_cycle(db.session, db.session.get(Cycle, link.cycle_id), now=utcnow())
            db.session.commit()
        with pytest.raises(intake.SurveyClosed):
            accept_response(db.session, link, _values(survey), now=utcnow(), locale="zh_CN")
    assert _count(session, Response) == 0 and _count(session, Answer) == 0


@pytest.mark.parametrize("close_commits", [True, False])
def test_a_submit_waits_for_a_close_in_progress_and_then_follows_it(
    app, session, survey, invite, close_commits
):
    """PostgreSQL: a close holds the cycle's row (its UPDATE) while the submit's INSERT reads
    the cycle FOR SHARE: the submit waits, then takes no response if the close committed
    (410), or is stored if the close rolled back (303)."""
    from sqlalchemy import text

    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: nothing runs alongside the close")
    _, token = invite()
    client = app.test_client()
    assert client.get(f"/s/{token}").status_code == 200
    results: list[int] = []
    closer = engine.connect()
    closing = closer.begin()
    closer.execute(
        text("UPDATE cycles SET status = 'closed' WHERE id = :id"), {"id": survey.cycle.id}
    )
    submit = threading.Thread(
        target=lambda: results.append(
            client.post(f"/s/{token}", data=full_answers(survey)).status_code
        )
    )
    submit.start()
    submit.join(timeout=1.5)
    waited = submit.is_alive()  # blocked on the cycle's row, not answered yet
    (closing.commit if close_commits else closing.rollback)()
    closer.close()
    submit.join(timeout=10)
    assert waited and not submit.is_alive()
    assert results == ([410] if close_commits else [303])
    assert _count(session, Response) == (0 if close_commits else 1)
