"""survey.logic as plain functions: which questions are shown, and the steps without JavaScript."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from surveyapp.survey.logic import (
    WHOLE_FORM,
    HiddenAnswer,
    asked_until,
    form_page,
    hidden_answered,
    next_step,
    posted_step,
    steps,
    units,
    validate_visibility,
    visible,
)


def q(qid, code, kind="rating", show_if=None, matrix=None, options=()):
    op, value = (show_if[1], show_if[2]) if show_if else (None, None)
    return SimpleNamespace(
        id=qid, code=code, type=kind, show_if_code=show_if[0] if show_if else None,
        show_if_op=op, show_if_value=value, matrix_group=matrix,
        options=[SimpleNamespace(id=qid * 10 + i, code=c) for i, c in enumerate(options)],
    )  # fmt: skip


OVERALL = q(1, "OVERALL")
WRONG = q(2, "WRONG", "text", ("OVERALL", "le", "2"))
A = q(3, "A", matrix="M")
B = q(4, "B", matrix="M")
CHANNEL = q(5, "CHANNEL", "single", options=("phone", "online"))
CALLBACK = q(6, "CALLBACK", "text", ("CHANNEL", "in", "phone"))
NPS = q(7, "NPS", "nps")
DETRACTOR = q(8, "WHY", "text", ("NPS", "le", "6"))
QUESTIONS = [OVERALL, WRONG, A, B, CHANNEL, CALLBACK, NPS, DETRACTOR]


@pytest.mark.parametrize(
    ("question", "answers", "shown"),
    [
        (OVERALL, {}, True),
        (WRONG, {"OVERALL": 1}, True),
        (WRONG, {"OVERALL": 2}, True),
        (WRONG, {"OVERALL": 3}, False),
        (WRONG, {}, False),  # not answered (or not shown): the condition is not met
        (CALLBACK, {"CHANNEL": frozenset({"phone"})}, True),
        (CALLBACK, {"CHANNEL": frozenset({"online"})}, False),
        (DETRACTOR, {"NPS": 6}, True),
        (DETRACTOR, {"NPS": 7}, False),
        (q(9, "X", "text", ("NPS", "ge", "9")), {"NPS": 9}, True),
        (q(9, "X", "text", ("NPS", "eq", "0")), {"NPS": 1}, False),
    ],
)
def test_a_question_is_shown_only_when_its_condition_is_met(question, answers, shown):
    assert visible(question, answers) is shown


def test_a_follow_up_of_a_follow_up_is_hidden_with_its_source():
    deeper = q(10, "DEEPER", "single", ("WRONG", "in", "x"))
    assert hidden_answered([OVERALL, WRONG, deeper], {1: 5, 10: 100}) == ["DEEPER"]


def test_answers_to_hidden_questions_are_named_and_refused():
    values = {1: 4, 2: "太慢了", 5: 51, 6: "下午", 7: 9}
    assert hidden_answered(QUESTIONS, values) == ["WRONG", "CALLBACK"]
    with pytest.raises(HiddenAnswer) as refused:
        validate_visibility(QUESTIONS, values)
    assert refused.value.codes == ["WRONG", "CALLBACK"]
    validate_visibility(QUESTIONS, {1: 1, 2: "太慢了", 5: 50, 6: "下午", 7: 3, 8: "贵"})


def test_the_form_splits_into_steps_where_a_condition_reads_the_same_page():
    assert [[x.code for x in step] for step in steps(QUESTIONS)] == [
        ["OVERALL"],
        ["WRONG", "A", "B", "CHANNEL"],
        ["CALLBACK", "NPS"],
        ["WHY"],
    ]
    assert len(steps([OVERALL, A, B, NPS])) == 1  # no logic: one page as before


def test_a_matrix_is_one_numbered_unit_of_rows():
    found = units(QUESTIONS)
    assert [[x.code for x in u.questions] for u in found][2] == ["A", "B"]
    assert found[2].is_matrix and found[2].number == 2 and found[3].number == 3
    assert found[1].number is None  # a follow-up: no number of its own
    assert found[1].show_if == ("q-OVERALL", "le", "2")
    assert found[4].show_if == ("q-CHANNEL", "in", "50")  # the option's id, as the form posts


def test_the_next_step_skips_steps_with_nothing_to_show():
    assert next_step(QUESTIONS, 1, {"OVERALL": 5}) == 2
    assert next_step(QUESTIONS, 3, {"OVERALL": 5, "NPS": 9}) is None
    assert next_step(QUESTIONS, 3, {"OVERALL": 5, "NPS": 2}) == 4
    assert next_step(QUESTIONS, WHOLE_FORM, {}) is None


def test_a_page_carries_earlier_steps_and_shows_only_what_applies():
    page = form_page(QUESTIONS, 3, {"OVERALL": 5, "CHANNEL": frozenset({"online"})})
    assert [x.code for x in page.carried] == ["OVERALL", "WRONG", "A", "B", "CHANNEL"]
    assert [u.first.code for u in page.shown] == ["NPS"]
    assert [u.first.code for u in page.later] == ["WHY"] and not page.is_last
    first = form_page(QUESTIONS, WHOLE_FORM)
    assert first.step == 1 and [u.first.code for u in first.shown] == ["OVERALL"]


@pytest.mark.parametrize(
    ("posted", "step"), [({}, WHOLE_FORM), ({"step": "0"}, 0), ({"step": "2"}, 2),
                         ({"step": "99"}, 4), ({"step": "-1"}, 0), ({"step": "x"}, 0)],
)  # fmt: skip
def test_the_posted_step_is_clamped_and_defaults_to_the_whole_form(posted, step):
    assert posted_step(QUESTIONS, posted) == step
    assert len(asked_until(QUESTIONS, step)) == (8 if step in (0, 4) else 5)
