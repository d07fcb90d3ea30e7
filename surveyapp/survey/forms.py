"""The survey form: answers read and checked question by question (CSRF: formkey.py).

``read_answers(questions, formdata)`` is a plain function: it returns the parsed answers and one
clear message per field that is missing or invalid, so the view can show the form again with
the customer's answers kept. Field names are ``q-<question code>``; choices are sent as option
ids. Nothing here trusts the browser: a score of 3.5, an option of another question, a NUL byte
or a megabyte of text are all refused with a message.

Logic (``logic.py``): a question whose condition is not met by the answers before it was not
shown, so it is never required and whatever was posted for it is dropped (``hidden``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ..models import Question, QuestionType
from .logic import as_answer, visible

DEFAULT_TEXT_LIMIT = 2000
INTEGER_RE = re.compile(r"^-?\d{1,3}$")
SCALES = {QuestionType.RATING: (1, 5), QuestionType.NPS: (0, 10)}


def field_name(question: Question) -> str:
    return f"q-{question.code}"


def text_limit(question: Question) -> int:
    return question.max_length or DEFAULT_TEXT_LIMIT


@dataclass
class ReadAnswers:
    """``values``: question id -> int score, option id, list of option ids, or text."""

    values: dict[int, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field name -> message
    hidden: list[str] = field(default_factory=list)  # codes of questions not shown
    given: dict[str, Any] = field(default_factory=dict)  # code -> answer as conditions read it

    @property
    def ok(self) -> bool:
        return not self.errors


def read_answers(questions: Sequence[Question], formdata: MultiDict) -> ReadAnswers:
    result = ReadAnswers()
    given = result.given
    for question in questions:
        name = field_name(question)
        if not visible(question, given):
            result.hidden.append(question.code)
            continue
        raw = [v for v in formdata.getlist(name) if v.strip()]
        try:
            value = _read_one(question, raw)
        except ValueError as exc:
            result.errors[name] = str(exc.args[0])
            continue
        if value is None:
            if question.required:
                result.errors[name] = str(_l("Please answer this question."))
            continue
        result.values[question.id] = value
        given[question.code] = as_answer(question, value)
    return result


def _read_one(question: Question, raw: list[str]) -> Any:
    kind = question.type
    if not raw:
        return None
    if kind in SCALES:
        low, high = SCALES[kind]
        message = _l("Choose a whole number from %(low)s to %(high)s.", low=low, high=high)
        if len(raw) > 1:
            raise ValueError(_l("Choose only one answer."))
        text = raw[0].strip()
        if not INTEGER_RE.match(text) or not low <= int(text) <= high:
            raise ValueError(message)
        return int(text)
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        known = {str(option.id): option.id for option in question.options}
        if any(value.strip() not in known for value in raw):
            raise ValueError(_l("Choose from the options shown."))
        chosen = list(dict.fromkeys(known[value.strip()] for value in raw))
        if kind == QuestionType.SINGLE:
            if len(chosen) > 1:
                raise ValueError(_l("Choose only one answer."))
            return chosen[0]
        return chosen
    if kind == QuestionType.TEXT:
        if len(raw) > 1:
            raise ValueError(_l("Send one text only."))
        text = raw[0]
        if "\x00" in text:
            raise ValueError(_l("The text contains characters that are not allowed."))
        limit = text_limit(question)
        if len(text) > limit:
            raise ValueError(
                _l("Please keep it to %(limit)s characters (now %(n)s).", limit=limit, n=len(text))
            )
        return text
    raise ValueError(_l("This question cannot be answered."))
