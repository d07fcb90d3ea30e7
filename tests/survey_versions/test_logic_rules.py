"""Logic and matrices in survey versions: checked on save (an EARLIER question of a kind the
condition can compare; a matrix of consecutive ratings), copied into a new version when the
old one is frozen, and set through the editor's form without JavaScript."""

from __future__ import annotations

from dataclasses import replace

import pytest

from surveyapp.survey_versions.forms import rows_of
from surveyapp.survey_versions.standard import guided_questions
from surveyapp.survey_versions.versioning import (
    QuestionEdit,
    VersionRuleError,
    as_edits,
    check_version,
    edit_survey,
)

from ..factories import (
    make_contract,
    make_cycle,
    make_logic_survey_version,
    make_survey_version,
    make_user,
)
from .conftest import form_of

LANGS = ("zh", "en")


def _edits(**changes) -> list[QuestionEdit]:
    """The guided standard questionnaire with changes to one question: code=dict(...)."""
    edits = guided_questions()
    return [replace(e, **changes.get(e.code, {})) for e in edits]


def _refused(edits) -> str:
    with pytest.raises(VersionRuleError) as refused:
        check_version(_texts(), edits, LANGS)
    return refused.value.message


def _texts():
    from surveyapp.survey_versions.versioning import VersionTexts

    return VersionTexts("问卷", "Survey")


def test_the_guided_standard_questionnaire_passes_its_own_rules():
    check_version(_texts(), guided_questions(), LANGS)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"RESP": {"show_if_code": "NPS", "show_if_op": "le", "show_if_value": "6"}}, "earlier"),
        ({"WRONG": {"show_if_code": "WRONG"}}, "earlier"),  # itself
        ({"WRONG": {"show_if_code": "NOPE"}}, "earlier"),
        ({"WRONG": {"show_if_value": "6"}}, "from 1 to 5"),  # a rating is 1..5
        ({"WRONG": {"show_if_op": "in"}}, "from 1 to 5"),  # "one of" needs a choice question
        ({"COMMENT": {"show_if_code": "CHANNEL", "show_if_op": "in", "show_if_value": "fax"}},
         "option codes"),
        ({"COMMENT": {"show_if_code": "WRONG", "show_if_op": "eq", "show_if_value": "1"}},
         "not a text"),
        ({"KNOW": {"show_if_code": "RESP", "show_if_op": "le", "show_if_value": "2"}},
         "matrix cannot"),
    ],
)  # fmt: skip
def test_a_condition_must_read_an_earlier_question_of_a_compatible_kind(changes, words):
    assert words in _refused(_edits(**changes))


def test_a_matrix_is_two_or_more_consecutive_ratings_with_a_heading():
    assert "follow one another" in _refused(_edits(NPS={"matrix_group": "SERVICE"}))
    assert "two or more rating" in _refused(_edits(NPS={"matrix_group": "X"}))
    assert "heading" in _refused(_edits(RESP={"matrix_text_en": ""}))


def test_a_frozen_version_keeps_its_logic_and_the_new_version_copies_it(session):
    contract = make_contract(session)
    version = make_logic_survey_version(session, contract.provider)
    admin = make_user(session, "provider_admin", contract.provider)
    make_cycle(session, contract, version)
    edits = [replace(e, text_zh=e.text_zh + "？") for e in as_edits(version)]
    saved = edit_survey(session, version, edits, admin)
    session.commit()
    assert saved.id != version.id
    logic = [(q.code, q.show_if_code, q.show_if_op, q.show_if_value, q.matrix_group,
              q.matrix_text_zh) for q in saved.questions]  # fmt: skip
    assert logic == [(q.code, q.show_if_code, q.show_if_op, q.show_if_value, q.matrix_group,
                      q.matrix_text_zh) for q in version.questions]  # fmt: skip
    assert ("WRONG", "OVERALL", "le", "2", None, None) in logic


def test_the_editor_sets_a_condition_and_a_matrix(client, session, sign_in):
    contract = make_contract(session)
    version = make_survey_version(session, contract.provider)
    admin = make_user(session, "provider_admin", contract.provider, locale="en")
    session.commit()
    sign_in(admin)
    rows = rows_of(version)
    blank = len(version.questions)
    rows[blank] = replace(
        rows[blank],
        code="WHY",
        type="text",
        text_zh="为什么",
        text_en="Why?",
        required=False,
        show_if_code="NPS",
        show_if_op="le",
        show_if_value="6",
    )
    rows[blank + 1] = replace(
        rows[blank + 1],
        code="EXTRA",
        type="rating",
        dimension="courtesy",
        text_zh="礼貌",
        text_en="Polite",
        matrix_group="M",
        matrix_text_zh="请评价",
        matrix_text_en="Rate",
    )
    rows[blank + 2] = replace(rows[blank + 2], code="EXTRA2", type="rating", dimension="courtesy",
                              text_zh="耐心", text_en="Patient", matrix_group="M")  # fmt: skip
    from surveyapp.survey_versions.versioning import VersionTexts

    saved = client.post(
        f"/surveys/{version.survey_id}/versions/1/edit",
        data=form_of(rows, VersionTexts.of(version)),
    )
    assert saved.status_code == 302
    session.refresh(version)
    by_code = {q.code: q for q in version.questions}
    assert (by_code["WHY"].show_if_code, by_code["WHY"].show_if_op) == ("NPS", "le")
    assert by_code["EXTRA2"].matrix_group == "M" and by_code["EXTRA2"].matrix_text_en == "Rate"
    page = client.get(f"/surveys/{version.survey_id}/versions/1/edit").text
    assert (
        'name="q-5-show_if_code" value="NPS"' in page and '<details class="q-logic" open>' in page
    )

    rows = rows_of(version)
    rows[5] = replace(rows[5], show_if_code="COMMENT", show_if_op="eq", show_if_value="1")
    refused = client.post(
        f"/surveys/{version.survey_id}/versions/1/edit",
        data=form_of(rows, VersionTexts.of(version)),
    )
    assert refused.status_code == 400 and "not a text" in refused.text
