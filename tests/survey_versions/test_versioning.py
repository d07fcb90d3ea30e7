"""Survey versions: unused versions change in place; versions in use are frozen and fork."""

import pytest
from sqlalchemy import func, select

from surveyapp.models import AuditEvent, SurveyVersion
from surveyapp.survey_versions.versioning import (
    QuestionEdit,
    VersionRuleError,
    as_edits,
    edit_survey,
    is_frozen,
)

from ..factories import make_contract, make_cycle, make_survey_version, make_user
from .conftest import version_form


@pytest.fixture
def setup(session):
    contract = make_contract(session)
    version = make_survey_version(session, contract.provider)
    admin = make_user(session, "provider_admin", contract.provider)
    return contract, version, admin


def _reworded(version, code="RESP", text="新的措辞"):
    return [
        QuestionEdit(**{**e.__dict__, "text_zh": text}) if e.code == code else e
        for e in as_edits(version)
    ]


def test_an_unused_version_is_edited_in_place(session, setup):
    _, version, admin = setup
    assert not is_frozen(session, version)
    saved = edit_survey(session, version, _reworded(version), admin)
    session.commit()
    assert saved.id == version.id
    assert session.scalar(select(func.count()).select_from(SurveyVersion)) == 1
    assert next(q for q in saved.questions if q.code == "RESP").text_zh == "新的措辞"


def test_a_version_used_by_a_cycle_is_frozen_and_an_edit_makes_a_new_version(session, setup):
    contract, version, admin = setup
    make_cycle(session, contract, version)
    old_texts = [q.text_zh for q in version.questions]
    saved = edit_survey(session, version, _reworded(version), admin)
    session.commit()
    assert saved.number == version.number + 1 and saved.id != version.id
    session.refresh(version)
    assert [q.text_zh for q in version.questions] == old_texts  # the answered version never changes
    assert [q.code for q in saved.questions] == [
        q.code for q in version.questions
    ]  # codes stay stable
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.edit"))
    assert event.details["from_version"] == 1 and event.details["to_version"] == 2


def test_removing_and_adding_questions_keeps_the_other_codes(session, setup):
    _, version, admin = setup
    edits = [e for e in as_edits(version) if e.code != "TOPICS"]
    edits.append(
        QuestionEdit(
            code="KNOW",
            type="rating",
            text_zh="专业知识",
            text_en="Knowledge",
            dimension="professional_knowledge",
            clause_ref="二(2)",
        )
    )
    saved = edit_survey(session, version, edits, admin)
    assert [q.code for q in saved.questions] == ["RESP", "NPS", "CHANNEL", "COMMENT", "KNOW"]
    assert [q.position for q in saved.questions] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    "bad",
    [
        lambda edits: edits + [edits[0]],  # duplicate code
        lambda edits: [QuestionEdit(**{**edits[0].__dict__, "type": "slider"})],
        lambda edits: [QuestionEdit(**{**edits[0].__dict__, "text_en": "  "})],
        lambda edits: [
            QuestionEdit(
                code="C", type="single", text_zh="x", text_en="x", options=(("a", "A", "A"),)
            )
        ],
        lambda edits: [],
    ],
)
def test_broken_edits_are_refused(session, setup, bad):
    _, version, admin = setup
    with pytest.raises(VersionRuleError):
        edit_survey(session, version, bad(as_edits(version)), admin)


def test_the_editor_page_forks_a_version_in_use(client, session, sign_in, setup):
    contract, version, admin = setup
    make_cycle(session, contract, version)
    sign_in(admin)
    url = f"/surveys/{version.survey_id}/versions/1/edit"
    assert client.get(url).status_code == 200
    response = client.post(
        url, data=version_form(version, **{"q-0-text_en": "How fast did we reply?"})
    )
    assert response.status_code == 302 and response.location.endswith("/versions/2")
    v2 = session.scalar(select(SurveyVersion).where(SurveyVersion.number == 2))
    assert next(q for q in v2.questions if q.code == "RESP").text_en == "How fast did we reply?"


def test_the_editor_page_refuses_a_bad_option_line_and_saves_nothing(
    client, session, sign_in, setup
):
    _, version, admin = setup
    sign_in(admin)
    response = client.post(
        f"/surveys/{version.survey_id}/versions/1/edit",
        data=version_form(version, **{"q-2-options": "phone only"}),
    )
    assert response.status_code == 400 and "code | 中文 | English" in response.text
    session.refresh(version)
    assert [o.code for o in version.questions[2].options] == ["phone", "online"]


def test_analysts_read_surveys_but_cannot_edit(client, session, sign_in, setup):
    contract, version, _ = setup
    sign_in(make_user(session, "provider_analyst", contract.provider))
    assert client.get("/surveys/").status_code == 200
    assert client.get(f"/surveys/{version.survey_id}/versions/1").status_code == 200
    assert (
        client.post(
            f"/surveys/{version.survey_id}/versions/1/edit", data=version_form(version)
        ).status_code
        == 403
    )


def test_another_providers_survey_is_a_404(client, session, sign_in, setup):
    _, version, _ = setup
    sign_in(make_user(session, "provider_admin"))
    assert client.get(f"/surveys/{version.survey_id}/versions/1").status_code == 404
    assert client.get(f"/surveys/{version.survey_id}/versions/1/edit").status_code == 404
