"""Logic: which questions a customer is shown, given the answers before them.

A question may carry a condition on one EARLIER question (``show_if_code``): shown only when
that question was shown, answered, and its answer meets ``show_if_op`` / ``show_if_value``
(a score at most / at least / equal to a number, or one of some options chosen). A question
that is not shown is never required and never stored: its "answer" is *not shown*, which the
analysis keeps apart from *not answered*.

Without JavaScript a form whose condition depends on an answer on the same page is split into
``steps``: each step's questions depend only on answers of earlier steps, so the server knows
what to show next. With JavaScript the whole form is one page and a small script shows and
hides the follow-ups at once (``client_condition`` gives it what to compare).

Plain functions over the survey's questions (ORM ``Question`` or the form's frozen copies):
no database, no request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..models import QuestionType, ShowIf

SCORED = (QuestionType.RATING, QuestionType.NPS)
CHOICES = (QuestionType.SINGLE, QuestionType.MULTIPLE)

# code -> score (int), chosen option codes (frozenset) or text
Answers = Mapping[str, Any]


class _Option(Protocol):
    id: int
    code: str


class QuestionLike(Protocol):
    id: int
    code: str
    type: str
    show_if_code: str | None
    show_if_op: str | None
    show_if_value: str | None
    matrix_group: str | None
    options: Sequence[_Option]


def visible(question: QuestionLike, answers: Answers) -> bool:
    """Whether ``question`` is shown, given the answers (by code) of the questions shown
    before it. A condition on a question that was not shown or not answered is not met."""
    if not question.show_if_code:
        return True
    given = answers.get(question.show_if_code)
    if given is None:
        return False
    op, wanted = question.show_if_op, question.show_if_value or ""
    if op == ShowIf.CHOSEN:
        chosen = given if isinstance(given, frozenset) else frozenset()
        return bool(chosen & set(wanted.split()))
    if not isinstance(given, int):
        return False
    try:
        limit = int(wanted)
    except ValueError:
        return False
    if op == ShowIf.AT_MOST:
        return given <= limit
    if op == ShowIf.AT_LEAST:
        return given >= limit
    return op == ShowIf.EQUALS and given == limit


def as_answer(question: QuestionLike, value: Any) -> Any:
    """A checked answer (score, option id, option ids or text) as conditions read it: scores
    and texts as they are, choices as the frozenset of the chosen options' codes."""
    if question.type in CHOICES:
        codes = {option.id: option.code for option in question.options}
        ids = value if isinstance(value, list | tuple | set | frozenset) else [value]
        return frozenset(codes[i] for i in ids if i in codes)
    return value


def hidden_answered(questions: Sequence[QuestionLike], values: Mapping[int, Any]) -> list[str]:
    """Codes of the questions that have an answer in ``values`` (question id -> answer) but
    would not have been shown given the answers before them (in ``questions``' order)."""
    answers: dict[str, Any] = {}
    hidden = []
    for question in questions:
        if question.id not in values:
            continue
        if not visible(question, answers):
            hidden.append(question.code)
            continue
        answers[question.code] = as_answer(question, values[question.id])
    return hidden


def validate_visibility(questions: Sequence[QuestionLike], values: Mapping[int, Any]) -> None:
    """Refuse answers to questions that were not shown (``HiddenAnswer`` names them)."""
    hidden = hidden_answered(questions, values)
    if hidden:
        raise HiddenAnswer(hidden)


class HiddenAnswer(ValueError):
    """Answers were given to questions the customer was not shown; nothing was stored."""

    @property
    def codes(self) -> list[str]:
        return list(self.args[0])


def steps(questions: Sequence[QuestionLike]) -> list[tuple[QuestionLike, ...]]:
    """The questions split into pages for a form without JavaScript: a new step starts at a
    question whose condition depends on a question of the current step. A matrix's rows stay
    together. A form without such conditions is one step."""
    result: list[list[QuestionLike]] = [[]]
    for question in questions:
        current = result[-1]
        in_current = {q.code for q in current}
        group_continues = (
            current and question.matrix_group and current[-1].matrix_group == question.matrix_group
        )
        if question.show_if_code in in_current and not group_continues:
            result.append([])
        result[-1].append(question)
    return [tuple(step) for step in result if step]


@dataclass(frozen=True)
class Unit:
    """What the form shows as one question: a question, or the rows of one matrix. A follow-up
    (a unit with a condition) has no number of its own, so the numbers never skip."""

    questions: tuple[QuestionLike, ...]
    number: int | None
    step: int  # 1-based
    show_if: tuple[str, str, str] | None  # see client_condition

    @property
    def first(self) -> QuestionLike:
        return self.questions[0]

    @property
    def is_matrix(self) -> bool:
        return bool(self.first.matrix_group) and self.first.type == QuestionType.RATING


def client_condition(
    question: QuestionLike, by_code: Mapping[str, QuestionLike]
) -> tuple[str, str, str] | None:
    """``(field name, op, values)`` for the form's script: the source question's field, the
    comparison, and a number or the chosen options' ids (the values the form posts)."""
    source = by_code.get(question.show_if_code or "")
    if source is None or not question.show_if_op:
        return None
    value = question.show_if_value or ""
    if question.show_if_op == ShowIf.CHOSEN:
        ids = {option.code: option.id for option in source.options}
        value = " ".join(str(ids[code]) for code in value.split() if code in ids)
    return f"q-{source.code}", question.show_if_op, value


def units(questions: Sequence[QuestionLike]) -> list[Unit]:
    """The questions as the form numbers them: consecutive rating rows of one matrix group
    are one unit; each unit knows its step and its condition."""
    by_code = {q.code: q for q in questions}
    step_of = {q.code: n for n, step in enumerate(steps(questions), start=1) for q in step}
    grouped: list[list[QuestionLike]] = []
    for question in questions:
        previous = grouped[-1][-1] if grouped else None
        if (
            previous is not None
            and question.matrix_group
            and question.type == QuestionType.RATING
            and previous.matrix_group == question.matrix_group
            and previous.type == QuestionType.RATING
        ):
            grouped[-1].append(question)
        else:
            grouped.append([question])
    numbered, number = [], 0
    for group in grouped:
        condition = client_condition(group[0], by_code)
        number += condition is None
        numbered.append(
            Unit(tuple(group), None if condition else number, step_of[group[0].code], condition)
        )
    return numbered


@dataclass(frozen=True)
class FormPage:
    """One page of the form: the step shown, the units on it (those whose condition is met),
    the earlier steps' questions whose answers ride along in hidden fields, and the later
    steps' units (in the page but hidden; the script shows them when JavaScript runs)."""

    step: int
    last_step: int
    carried: tuple[QuestionLike, ...]
    shown: tuple[Unit, ...]
    later: tuple[Unit, ...]

    @property
    def is_last(self) -> bool:
        return self.step >= self.last_step


def form_page(
    questions: Sequence[QuestionLike], step: int, answers: Answers | None = None
) -> FormPage:
    """The page for ``step`` given the answers (by code) of the earlier steps; step 1 of a form
    with no answers is the blank form. ``WHOLE_FORM`` shows as step 1 (the script takes over)."""
    all_units = units(questions)
    last = max((unit.step for unit in all_units), default=1)
    step = min(max(step, 1), last)
    answers = answers or {}
    return FormPage(
        step=step,
        last_step=last,
        carried=tuple(q for unit in all_units if unit.step < step for q in unit.questions),
        shown=tuple(
            unit
            for unit in all_units
            if unit.step == step and (step == 1 or visible(unit.first, answers))
        ),
        later=tuple(unit for unit in all_units if unit.step > step),
    )


def asked_until(questions: Sequence[QuestionLike], step: int) -> list[QuestionLike]:
    """The questions of steps 1..``step`` (what a post of that step answers); all of them
    for ``WHOLE_FORM``."""
    if step == WHOLE_FORM:
        return list(questions)
    return [q for part in steps(questions)[:step] for q in part]


WHOLE_FORM = 0


def posted_step(questions: Sequence[QuestionLike], formdata: Mapping[str, str]) -> int:
    """The step a post answers: its ``step`` field, clamped to the form's steps; ``WHOLE_FORM``
    (0) when the field is 0 or missing: the script's post of the whole form, or a client that
    knows no steps."""
    last = len(steps(questions))
    raw = formdata.get("step", "")
    if not raw.isdigit() or len(raw) > 3 or int(raw) == WHOLE_FORM:
        return WHOLE_FORM
    return min(max(int(raw), 1), last)


def next_step(questions: Sequence[QuestionLike], step: int, answers: Answers) -> int | None:
    """The step after ``step`` that shows at least one question given ``answers``; None when
    no later step has anything to show (the form is complete, as is a ``WHOLE_FORM`` post)."""
    if step == WHOLE_FORM:
        return None
    parts = steps(questions)
    for number in range(step + 1, len(parts) + 1):
        if any(visible(q, answers) for q in parts[number - 1]):
            return number
    return None
