"""What the survey form keeps in process memory: only what derives from frozen versions and files.

The blank page and its questions are rendered once per survey version and language. Pages
built from them must equal pages rendered afresh, and each link's page carries its own token
and signed form key (its CSRF token, formkey.py).
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from surveyapp.models import Response

from ..conftest import make_app
from ..factories import make_user
from .conftest import full_answers

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _questions_part(html: str) -> str:
    """The page between the form's hidden key and its send button (no token, no key)."""
    start = html.index('name="csrf_token" type="hidden"')
    start = html.index(">", start) + 1
    return html[start : html.index('<button type="submit"')]


def test_a_second_blank_form_shows_the_same_questions_as_the_first(app, client, invite):
    _, first = invite()
    _, second = invite()
    fresh = client.get(f"/s/{first}").text
    kept = client.get(f"/s/{second}").text
    assert _questions_part(kept) == _questions_part(fresh)
    assert len(app.extensions["survey_blank_questions"]) == 1


def test_the_kept_questions_equal_a_rendering_from_scratch(app, client, invite):
    _, first = invite()
    _, second = invite()
    client.get(f"/s/{first}")
    kept = client.get(f"/s/{second}").text
    app.extensions["survey_blank_questions"].clear()
    fresh = client.get(f"/s/{second}").text
    assert _questions_part(kept) == _questions_part(fresh)


def test_each_language_keeps_its_own_questions(client, invite):
    _, chinese = invite()
    _, english = invite(locale="en")
    _, chinese_again = invite()
    assert "回复速度" in client.get(f"/s/{chinese}").text
    english_page = client.get(f"/s/{english}").text
    assert "Speed of reply" in english_page and "回复速度" not in english_page
    page = client.get(f"/s/{chinese_again}").text
    assert "回复速度" in page and "Speed of reply" not in page


def test_a_form_with_errors_is_not_served_from_the_kept_questions(client, survey, invite):
    _, token = invite()
    client.get(f"/s/{token}")
    refused = client.post(f"/s/{token}", data={"q-RESP": "4"})
    assert refused.status_code == 400
    assert 'value="4" checked' in refused.text and 'aria-invalid="true"' in refused.text


def test_a_kept_page_carries_the_links_own_token_and_form_key(
    database_url, session, survey, invite
):
    _, first = invite()
    _, second = invite()
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    one, other = app.test_client(), app.test_client()
    fresh = one.get(f"/s/{first}").text
    kept = other.get(f"/s/{second}").text
    assert len(app.extensions["survey_blank_pages"]) == 1
    assert first not in kept and kept.count(second) == fresh.count(first) >= 2
    assert CSRF_RE.search(kept).group(1) != CSRF_RE.search(fresh).group(1)
    assert kept.replace(second, first) != fresh  # only the two values differ:
    kept = kept.replace(CSRF_RE.search(kept).group(1), CSRF_RE.search(fresh).group(1))
    assert kept.replace(second, first) == fresh


def test_the_form_key_of_a_kept_page_submits_its_own_link_only(
    database_url, session, survey, invite
):
    _, first = invite()
    _, second = invite()
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    one, other = app.test_client(), app.test_client()
    first_key = CSRF_RE.search(one.get(f"/s/{first}").text).group(1)
    kept = CSRF_RE.search(other.get(f"/s/{second}").text).group(1)
    refused = one.post(f"/s/{second}", data={**full_answers(survey), "csrf_token": first_key})
    assert refused.status_code == 400
    accepted = one.post(f"/s/{second}", data={**full_answers(survey), "csrf_token": kept})
    assert accepted.status_code == 303
    assert session.scalar(select(func.count(Response.id))) == 1


def test_a_page_with_a_query_string_or_for_a_signed_in_user_is_not_kept(
    app, client, session, invite, sign_in
):
    _, token = invite()
    assert client.get(f"/s/{token}?utm=mail").status_code == 200
    assert "survey_blank_pages" not in app.extensions
    sign_in(make_user(session, "provider_admin"))
    page = client.get(f"/s/{token}").text
    assert "survey_blank_pages" not in app.extensions
    assert "Sign out" not in page and "退出" not in page  # the survey never links to staff pages
