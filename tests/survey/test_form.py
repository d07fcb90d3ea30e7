"""The public form: rendering, language, validation with answers kept, status pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from surveyapp.models import Answer, Invitation, Response, utcnow

from .conftest import full_answers


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_the_form_shows_every_question_in_chinese_by_default(client, invite):
    _, token = invite()
    page = client.get(f"/s/{token}")
    assert page.status_code == 200
    html = page.text
    assert 'lang="zh-CN"' in html
    for text in ("回复速度", "推荐意愿", "渠道", "原因", "意见"):
        assert text in html
    assert html.count('type="radio" name="q-RESP"') == 5
    assert html.count('type="radio" name="q-NPS"') == 11
    assert '<fieldset class="question" id="q-RESP"' in html and "<legend" in html
    assert '<label class="qtext" for="q-COMMENT"' in html
    assert "<script>" not in html  # only static/js/survey.js, an enhancement: no inline code
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_the_form_follows_the_invitations_language(client, invite):
    _, token = invite(locale="en")
    html = client.get(f"/s/{token}").text
    assert 'lang="en"' in html and "Speed of reply" in html and "required" in html


def test_the_language_switch_overrides_the_invitations_language(client, invite):
    _, token = invite(locale="en")
    switched = client.get(f"/language/zh_CN?next=/s/{token}")
    assert switched.status_code == 302 and switched.location.endswith(f"/s/{token}")
    assert "回复速度" in client.get(f"/s/{token}").text


def test_opening_the_form_records_the_first_open_only(client, session, invite):
    invitation, token = invite()
    client.get(f"/s/{token}")
    session.refresh(invitation)
    first = invitation.opened_at
    assert first is not None
    client.get(f"/s/{token}")
    session.refresh(invitation)
    assert invitation.opened_at == first


def test_only_the_opened_time_commits_without_waiting_for_the_disk(client, app, invite, survey):
    """PostgreSQL: the GET's UPDATE sets synchronous_commit off for its transaction alone (in
    the same statement); the submit's transaction keeps the durable commit."""
    from sqlalchemy import event

    from surveyapp.extensions import db

    _, token = invite()
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    at_commit: list[str] = []

    def before_commit(connection):  # the setting as the commit will see it
        at_commit.append(connection.exec_driver_sql("SHOW synchronous_commit").scalar())

    event.listen(engine, "commit", before_commit)
    try:
        assert client.get(f"/s/{token}").status_code == 200
        opened = list(at_commit)
        at_commit.clear()
        assert client.get(f"/s/{token}").status_code == 200  # opened before: nothing written
        assert client.post(f"/s/{token}", data=full_answers(survey)).status_code == 303
    finally:
        event.remove(engine, "commit", before_commit)
    assert opened == ["off"]
    assert at_commit and set(at_commit) == {"on"}
    with engine.connect() as connection:  # SET LOCAL ended with its transaction
        assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"


def test_a_full_submit_stores_the_response_and_shows_thanks(client, session, survey, invite):
    invitation, token = invite()
    client.get(f"/s/{token}")
    posted = client.post(f"/s/{token}", data=full_answers(survey))
    assert posted.status_code == 303 and posted.location.endswith(f"/s/{token}/thanks")
    assert "谢谢" in client.get(posted.location).text
    response = session.scalar(select(Response))
    assert response.invitation_id == invitation.id and response.locale == "zh_CN"
    assert response.seconds_taken is not None and response.seconds_taken >= 0
    rows = session.execute(
        select(Answer.question_code, Answer.value, Answer.option_id, Answer.text_value).order_by(
            Answer.id
        )
    ).all()
    topics = survey.option_ids("TOPICS")
    assert rows == [
        ("RESP", 4, None, None),
        ("NPS", 9, None, None),
        ("CHANNEL", None, survey.option_ids("CHANNEL")[1], None),
        ("TOPICS", None, topics[0], None),
        ("TOPICS", None, topics[1], None),
        ("COMMENT", None, None, "回复很快 👍"),
    ]
    session.refresh(invitation)
    assert invitation.responded_at == response.submitted_at


def test_optional_questions_may_stay_empty(client, session, survey, invite):
    _, token = invite()
    data = full_answers(survey, **{"q-CHANNEL": None, "q-TOPICS": None, "q-COMMENT": "   "})
    assert client.post(f"/s/{token}", data=data).status_code == 303
    assert {row for row in session.scalars(select(Answer.question_code))} == {"RESP", "NPS"}


def test_a_missing_required_answer_reshows_the_form_with_answers_kept(
    client, session, survey, invite
):
    _, token = invite(locale="en")
    data = full_answers(survey, **{"q-RESP": None, "q-COMMENT": "keep me <b>"})
    page = client.post(f"/s/{token}", data=data)
    assert page.status_code == 400
    html = page.text
    assert 'id="q-RESP-error"' in html and "Please answer this question." in html
    assert 'aria-describedby="q-RESP-error"' in html
    assert 'value="9" checked' in html  # the NPS answer is kept
    assert "keep me &lt;b&gt;" in html
    assert _count(session, Response) == 0


def test_a_second_visit_after_answering_says_already_answered(client, survey, invite):
    _, token = invite()
    client.post(f"/s/{token}", data=full_answers(survey))
    page = client.get(f"/s/{token}")
    assert page.status_code == 200 and "已经回答" in page.text


def test_an_unknown_or_cut_off_link_says_how_to_get_a_new_one_and_nothing_about_tokens(
    client, invite
):
    _, token = invite()
    pages = [client.get(f"/s/{bad}") for bad in ("x" * 32, "short", "a" * 43, token[:30], "")]
    pages.append(client.get("/s/../../etc/passwd"))
    for page in pages[:-1]:
        assert page.status_code == 404
        assert "链接可能不完整" in page.text and "新的链接" in page.text
        assert "令牌" not in page.text and "token" not in page.text.lower()
        assert "/sign-in" not in page.text and "登录" not in page.text
    assert len({page.text for page in pages[:-1]}) == 1  # well formed or not: the same page
    assert pages[-1].status_code == 404


def test_a_closed_cycle_shows_the_closed_page_with_410(client, session, survey, invite):
    _, token = invite()
    survey.cycle.status = "closed"
    session.commit()
    page = client.get(f"/s/{token}")
    assert page.status_code == 410 and "已结束" in page.text
    assert client.post(f"/s/{token}", data=full_answers(survey)).status_code == 410
    assert _count(session, Response) == 0


def test_an_expired_link_shows_the_closed_page(client, session, survey, invite):
    invitation, token = invite()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    session.commit()
    assert client.get(f"/s/{token}").status_code == 410


def test_no_ip_address_or_user_agent_is_stored(client, session, survey, invite):
    _, token = invite()
    client.post(
        f"/s/{token}",
        data=full_answers(survey),
        headers={"User-Agent": "UA-MARKER-123"},
        environ_base={"REMOTE_ADDR": "203.0.113.77"},
    )
    columns = {c.name for model in (Response, Answer, Invitation) for c in model.__table__.columns}
    assert not {"ip", "ip_address", "user_agent", "remote_addr"} & columns
    for model in (Response, Answer, Invitation):
        for row in session.execute(select(model.__table__)).all():
            assert "203.0.113.77" not in repr(row) and "UA-MARKER-123" not in repr(row)
