"""Bad input: each gives a clear 4xx and stores nothing; good unusual text is kept exactly."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from surveyapp.models import Answer, Response

from ..conftest import make_app
from .conftest import full_answers


def _stored(session) -> tuple[int, int]:
    session.expire_all()
    return (
        session.scalar(select(func.count()).select_from(Response)),
        session.scalar(select(func.count()).select_from(Answer)),
    )


@pytest.mark.parametrize("score", ["0", "6", "-1", "11", "3.5", "abc", "", " ", "4 ", "04x", "1e1"])
def test_an_out_of_range_rating_is_refused_with_a_message(client, session, survey, invite, score):
    _, token = invite(locale="en")
    page = client.post(f"/s/{token}", data=full_answers(survey, **{"q-RESP": score}))
    if score == "4 ":  # surrounding spaces are harmless
        assert page.status_code == 303
        return
    assert page.status_code == 400
    expected = (
        "Please answer this question."
        if not score.strip()
        else "Choose a whole number from 1 to 5."
    )
    assert re.search(r'id="q-RESP-error">' + re.escape(expected), page.text)
    assert _stored(session) == (0, 0)


@pytest.mark.parametrize("score", ["-1", "11", "3.5", "abc", "100"])
def test_an_out_of_range_nps_is_refused(client, session, survey, invite, score):
    _, token = invite(locale="en")
    page = client.post(f"/s/{token}", data=full_answers(survey, **{"q-NPS": score}))
    assert page.status_code == 400 and "Choose a whole number from 0 to 10." in page.text
    assert _stored(session) == (0, 0)


def test_two_values_for_one_scale_are_refused(client, session, survey, invite):
    _, token = invite(locale="en")
    page = client.post(f"/s/{token}", data=full_answers(survey, **{"q-RESP": ["4", "5"]}))
    assert page.status_code == 400 and "Choose only one answer." in page.text
    assert _stored(session) == (0, 0)


@pytest.mark.parametrize("field", ["q-CHANNEL", "q-TOPICS"])
def test_unknown_option_ids_are_refused(client, session, survey, invite, field):
    _, token = invite(locale="en")
    other_question = survey.option_ids("TOPICS" if field == "q-CHANNEL" else "CHANNEL")[0]
    for bad in ["999999", str(other_question), "abc", "-1"]:
        page = client.post(f"/s/{token}", data=full_answers(survey, **{field: bad}))
        assert page.status_code == 400 and "Choose from the options shown." in page.text
    assert _stored(session) == (0, 0)


def test_two_options_for_a_single_choice_are_refused(client, session, survey, invite):
    _, token = invite(locale="en")
    page = client.post(
        f"/s/{token}",
        data=full_answers(survey, **{"q-CHANNEL": [str(i) for i in survey.option_ids("CHANNEL")]}),
    )
    assert page.status_code == 400 and "Choose only one answer." in page.text


def test_missing_everything_names_each_required_question(client, session, survey, invite):
    _, token = invite(locale="en")
    page = client.post(f"/s/{token}", data={})
    assert page.status_code == 400
    assert 'id="q-RESP-error"' in page.text and 'id="q-NPS-error"' in page.text
    assert 'id="q-COMMENT-error"' not in page.text
    assert _stored(session) == (0, 0)


def test_a_megabyte_of_text_is_refused(client, session, survey, invite):
    _, token = invite(locale="en")
    for text in ("a" * (1024 * 1024), "长" * (1024 * 1024)):
        page = client.post(f"/s/{token}", data=full_answers(survey, **{"q-COMMENT": text}))
        # Within the request size limit the form says how long the text may be; beyond it the
        # server refuses the body with 413 before reading it.
        if page.status_code == 400:
            assert "Please keep it to 2000 characters" in page.text
        else:
            assert page.status_code == 413 and "larger than this site accepts" in page.text
    assert _stored(session) == (0, 0)


def test_text_over_the_questions_limit_is_refused_and_kept(client, session, survey, invite):
    _, token = invite(locale="en")
    page = client.post(f"/s/{token}", data=full_answers(survey, **{"q-COMMENT": "长" * 2001}))
    assert page.status_code == 400 and "Please keep it to 2000 characters (now 2001)." in page.text
    assert "长" * 2001 in page.text
    assert _stored(session) == (0, 0)


def test_text_at_the_limit_is_accepted(client, session, survey, invite):
    _, token = invite()
    assert (
        client.post(
            f"/s/{token}", data=full_answers(survey, **{"q-COMMENT": "字" * 2000})
        ).status_code
        == 303
    )


def test_nul_bytes_are_refused(client, session, survey, invite):
    _, token = invite(locale="en")
    page = client.post(f"/s/{token}", data=full_answers(survey, **{"q-COMMENT": "bad\x00text"}))
    assert page.status_code == 400 and "characters that are not allowed" in page.text
    assert "\x00" not in page.text
    assert _stored(session) == (0, 0)


def test_emoji_and_chinese_text_are_kept_exactly(client, session, survey, invite):
    _, token = invite()
    text = "服务很好👍🏽，但是物流太慢了😡！\r\n第二行 — «quotes» & <tags>\u200d👨‍👩‍👧"
    assert (
        client.post(f"/s/{token}", data=full_answers(survey, **{"q-COMMENT": text})).status_code
        == 303
    )
    assert (
        session.scalar(select(Answer.text_value).where(Answer.question_code == "COMMENT")) == text
    )


def test_a_forged_csrf_token_is_refused(database_url, session, survey, invite):
    _, token = invite(locale="en")
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    form = client.get(f"/s/{token}")
    real = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.text).group(1)
    for forged in ["", "forged", real[:-2] + "xx"]:
        page = client.post(f"/s/{token}", data={**full_answers(survey), "csrf_token": forged})
        # in the invitation's language (English here), before anything is read or stored
        assert page.status_code == 400 and "The form has expired" in page.text
    assert _stored(session) == (0, 0)
    ok = client.post(f"/s/{token}", data={**full_answers(survey), "csrf_token": real})
    assert ok.status_code == 303
    assert _stored(session) == (1, 6)


def test_the_form_key_of_another_invitation_is_refused(database_url, session, survey, invite):
    """The survey form's CSRF token is the invitation's own signed key (formkey.py): a key
    shown on one link's form does not submit another link."""
    _, mine = invite()
    _, other = invite()
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    key = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(f"/s/{mine}").text
    ).group(1)
    refused = client.post(f"/s/{other}", data={**full_answers(survey), "csrf_token": key})
    assert refused.status_code == 400 and "表单已过期" in refused.text
    assert _stored(session) == (0, 0)


def test_the_survey_form_works_without_cookies(database_url, session, survey, invite):
    """No cookie is set by the form, and none is needed to submit it: a browser that refuses
    cookies (some in-app browsers) can answer."""
    _, token = invite()
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client(use_cookies=False)
    page = client.get(f"/s/{token}")
    assert "Set-Cookie" not in page.headers
    key = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    posted = client.post(f"/s/{token}", data={**full_answers(survey), "csrf_token": key})
    assert posted.status_code == 303
    assert _stored(session) == (1, 6)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_wrong_method_is_405(client, session, survey, invite, method):
    _, token = invite()
    assert getattr(client, method)(f"/s/{token}", data=full_answers(survey)).status_code == 405
    assert _stored(session) == (0, 0)


def test_a_post_to_an_unknown_token_is_404(client, session, survey, invite):
    invite()
    assert client.post("/s/" + "A" * 32, data=full_answers(survey)).status_code == 404
    assert _stored(session) == (0, 0)
