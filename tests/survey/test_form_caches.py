"""What the survey form keeps in process memory: only what derives from frozen versions and files.

The blank questions are rendered once per survey version and language; WTForms' catalog is read
once per language. Pages built from them must equal pages rendered afresh.
"""

from __future__ import annotations

from babel import Locale

from surveyapp.survey.forms import wtforms_catalog


def _questions_part(html: str) -> str:
    """The page between the form's hidden fields and its send button (no token, no CSRF)."""
    start = html.index('name="started" type="hidden"')
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


def test_the_wtforms_catalog_is_read_once_per_language(client, invite):
    wtforms_catalog.cache_clear()
    for _ in range(3):
        _, token = invite()
        client.get(f"/s/{token}")
    assert wtforms_catalog.cache_info().misses == 1
    chinese = wtforms_catalog(Locale.parse("zh_CN"))
    assert chinese.gettext("This field is required.") != "This field is required."
