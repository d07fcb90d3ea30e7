"""The editor: several questions added, edited, reordered and removed in one save; bad input
is refused with a message naming the question, and nothing is stored."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from surveyapp.models import AuditEvent, Survey, SurveyVersion
from surveyapp.survey_versions.forms import rows_of
from surveyapp.survey_versions.versioning import VersionTexts

from ..factories import make_contract, make_cycle
from .conftest import counts, form_of


def _one_post_of_many_changes(version):
    """Add two, move COMMENT first, remove TOPICS, reword RESP: one form."""
    rows = rows_of(version)  # RESP NPS CHANNEL TOPICS COMMENT + 3 blanks
    rows[0] = replace(rows[0], text_en="How fast did we answer?")
    rows[3] = replace(rows[3], remove=True)
    rows[4] = replace(rows[4], position="0")
    rows[5] = replace(
        rows[5],
        code="KNOW",
        type="rating",
        dimension="professional_knowledge",
        text_zh="专业知识",
        text_en="Knowledge",
    )
    rows[6] = replace(
        rows[6],
        code="VISIT",
        type="single",
        text_zh="是否上门",
        text_en="Did we visit?",
        options="yes | 是 | Yes\nno | 否 | No",
        required=False,
    )
    return form_of(rows, VersionTexts.of(version))


def test_one_save_adds_two_reorders_removes_and_edits_an_unused_version_in_place(
    client, session, sign_in, providers
):
    p = providers[0]
    sign_in(p.admin)
    url = f"/surveys/{p.version.survey_id}/versions/1/edit"
    response = client.post(url, data=_one_post_of_many_changes(p.version))
    assert response.status_code == 302 and response.location.endswith("/versions/1")
    session.refresh(p.version)
    assert [q.code for q in p.version.questions] == [
        "COMMENT", "RESP", "NPS", "CHANNEL", "KNOW", "VISIT"
    ]  # fmt: skip
    resp = p.version.questions[1]
    assert resp.text_en == "How fast did we answer?" and resp.text_zh == "回复速度"
    know = p.version.questions[4]
    assert know.dimension == "professional_knowledge" and know.clause_ref == "二(2)"
    assert [o.code for o in p.version.questions[5].options] == ["yes", "no"]
    assert len(p.version.survey.versions) == 1


def test_one_save_on_a_used_version_makes_a_new_version_and_leaves_other_contracts_alone(
    client, session, sign_in, providers
):
    p = providers[0]
    make_cycle(session, p.contract, p.version)  # month surveyed with v1: frozen
    other = make_contract(session, provider=p.contract.provider, survey_id=p.version.survey_id)
    old = [(q.code, q.text_en) for q in p.version.questions]
    sign_in(p.admin)
    url = f"/surveys/{p.version.survey_id}/versions/1/edit"
    response = client.post(url, data=_one_post_of_many_changes(p.version))
    assert response.status_code == 302 and response.location.endswith("/versions/2")
    session.expire_all()
    v1, v2 = session.scalars(
        select(SurveyVersion)
        .where(SurveyVersion.survey_id == p.version.survey_id)
        .order_by(SurveyVersion.number)
    ).all()
    assert [(q.code, q.text_en) for q in v1.questions] == old  # the used version never changes
    assert {q.code for q in v2.questions} >= {"RESP", "NPS", "CHANNEL", "COMMENT"}
    assert [q.code for q in v2.questions][:2] == ["COMMENT", "RESP"]
    assert session.get(type(other), other.id).survey_id == p.version.survey_id
    assert providers[1].version.survey.versions == [providers[1].version]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.edit"))
    assert event.organization_id == p.contract.provider_id and event.details["to_version"] == 2


def test_more_rows_shows_the_form_again_with_blank_rows_and_saves_nothing(
    client, session, sign_in, providers
):
    p = providers[0]
    sign_in(p.admin)
    before = counts(session)
    form = _one_post_of_many_changes(p.version) | {"more": "1"}
    response = client.post(f"/surveys/{p.version.survey_id}/versions/1/edit", data=form)
    assert response.status_code == 200
    assert 'name="rows" value="11"' in response.text and "Did we visit?" in response.text
    assert counts(session) == before


BAD = {
    "a choice question with one option": (
        {"q-5-code": "PICK", "q-5-type": "single", "q-5-text_zh": "选", "q-5-text_en": "Pick",
         "q-5-options": "a | 甲 | A"},
        "PICK: a choice question needs at least two options",
    ),
    "a rating without a dimension": (
        {"q-5-code": "SPEED", "q-5-type": "rating", "q-5-text_zh": "速度", "q-5-text_en": "Speed"},
        "SPEED: a rating question needs the dimension it measures",
    ),
    "a duplicate code": (
        {"q-5-code": "NPS", "q-5-type": "text", "q-5-text_zh": "再问", "q-5-text_en": "Again"},
        "NPS: the code NPS is used twice",
    ),
    "no English text in a bilingual survey": (
        {"q-1-text_en": "  "},
        "NPS: write its text in English",
    ),
    "bad code characters": (
        {"q-5-code": "交付 speed", "q-5-type": "text", "q-5-text_zh": "交付", "q-5-text_en": "x"},
        "交付 speed: a code is 1 to 40 letters, digits or _",
    ),
}  # fmt: skip


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_bad_input_is_refused_with_a_message_naming_the_question_and_nothing_stored(
    client, session, sign_in, providers, bad
):
    fields, message = bad
    p = providers[0]
    sign_in(p.admin)
    rows = rows_of(p.version)
    form = form_of(rows, VersionTexts.of(p.version), **{"q-0-text_en": "Changed"}) | fields
    before = counts(session)
    response = client.post(f"/surveys/{p.version.survey_id}/versions/1/edit", data=form)
    assert response.status_code == 400
    assert message in response.text.replace("&#39;", "'")
    assert counts(session) == before
    session.refresh(p.version)
    assert p.version.questions[0].text_en == "Speed of reply"
    assert 'value="Changed"' in response.text or ">Changed<" in response.text  # input kept


def test_a_chinese_only_survey_needs_only_chinese_texts(client, session, sign_in, providers):
    p = providers[0]
    survey = session.get(Survey, p.version.survey_id)
    survey.languages = "zh"
    session.commit()
    sign_in(p.admin)
    rows = [replace(r, text_en="") for r in rows_of(p.version)]
    texts = VersionTexts("测试问卷", "", "", "")
    response = client.post(f"/surveys/{survey.id}/versions/1/edit", data=form_of(rows, texts))
    assert response.status_code == 302
    session.refresh(p.version)
    assert all(q.text_en == "" for q in p.version.questions)
    page = client.get(f"/surveys/{survey.id}/versions/1/edit").text
    assert 'name="q-0-text_zh"' in page and 'name="q-0-text_en"' not in page
