"""Survey versions: a version in use is frozen, so an edit makes a new version.

Month-to-month trends compare answers by the questions' stable codes; a version that a cycle
has used (or that has responses) must never change under the answers given to it. Editing it
copies it into version n + 1 with the changes applied; codes stay as they were.

A version's logic and matrices are part of it (``QuestionEdit.show_if_*`` and ``matrix_*``) and
are copied and frozen with it. A condition may only look at an EARLIER question of a kind it can
compare (a score for at most / at least / equals, a choice for "one of these chosen"); a matrix
is a run of consecutive rating questions with the same group code, each row with its own code,
dimension and clause, so every analysis reads its rows as it reads single ratings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .. import audit
from ..dimensions import DIMENSIONS
from ..models import (
    Cycle,
    Question,
    QuestionOption,
    QuestionType,
    Response,
    ShowIf,
    Survey,
    SurveyVersion,
    User,
)

CODE_RE = re.compile(r"^[A-Za-z0-9_]{1,40}$")
CHOICES = (QuestionType.SINGLE, QuestionType.MULTIPLE)
MAX_QUESTIONS = 60
LANGUAGE_NAMES = {"zh": _l("Chinese"), "en": _l("English")}


class VersionRuleError(ValueError):
    """An edit that would break the survey (duplicate code, unknown type, no options...).

    Its message is a lazy translation: the page shows it in the reader's language.
    """

    @property
    def message(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class QuestionEdit:
    """The wanted state of one question; ``code`` identifies it across versions."""

    code: str
    type: str
    text_zh: str
    text_en: str
    required: bool = True
    dimension: str | None = None
    clause_ref: str | None = None
    max_length: int | None = None
    options: tuple[tuple[str, str, str], ...] = field(default=())  # (code, zh, en)
    show_if_code: str | None = None  # shown only when this earlier question's answer...
    show_if_op: str | None = None  # ...is at most / at least / equal to (ShowIf)...
    show_if_value: str | None = None  # ...this number, or one of these option codes
    matrix_group: str | None = None  # consecutive ratings with one group code: one matrix
    matrix_text_zh: str = ""  # the matrix's heading (read from its first row)
    matrix_text_en: str = ""


@dataclass(frozen=True)
class VersionTexts:
    """A version's title and introduction; a survey's missing language stays empty."""

    title_zh: str
    title_en: str
    intro_zh: str = ""
    intro_en: str = ""

    @classmethod
    def of(cls, version: SurveyVersion) -> VersionTexts:
        return cls(version.title_zh, version.title_en, version.intro_zh, version.intro_en)

    def check(self, languages: Sequence[str]) -> None:
        for lang in languages:
            title = getattr(self, f"title_{lang}").strip()
            if not title or len(title) > 200:
                raise VersionRuleError(
                    _l(
                        "Write the survey's title in %(language)s (at most 200 characters).",
                        language=LANGUAGE_NAMES[lang],
                    )
                )


def is_frozen(session: Session, version: SurveyVersion) -> bool:
    """Frozen once marked, used by a cycle, or answered."""
    if version.frozen_at is not None:
        return True
    used = select(exists().where(Cycle.survey_version_id == version.id))
    answered = select(exists().where(Response.survey_version_id == version.id))
    return bool(session.scalar(used) or session.scalar(answered))


def _check(questions: Sequence[QuestionEdit], languages: Sequence[str]) -> None:
    """Refuse an edit that would break the survey; each message names the question."""
    if not questions:
        raise VersionRuleError(_l("A survey needs at least one question."))
    if len(questions) > MAX_QUESTIONS:
        raise VersionRuleError(_l("A survey has at most %(n)s questions.", n=MAX_QUESTIONS))
    seen: set[str] = set()
    for number, q in enumerate(questions, start=1):
        name = q.code or f"#{number}"
        if not CODE_RE.match(q.code):
            raise VersionRuleError(
                _l(
                    "Question %(q)s: a code is 1 to 40 letters, digits or _ (no spaces).",
                    q=name,
                )
            )
        if q.code in seen:
            raise VersionRuleError(
                _l("Question %(q)s: the code %(code)s is used twice.", q=name, code=q.code)
            )
        seen.add(q.code)
        if q.type not in set(QuestionType):
            raise VersionRuleError(_l("Question %(q)s: choose a question type.", q=name))
        for lang in languages:
            text = getattr(q, f"text_{lang}").strip()
            if not text or len(text) > 1000:
                raise VersionRuleError(
                    _l(
                        "Question %(q)s: write its text in %(language)s (at most 1000 characters).",
                        q=name,
                        language=LANGUAGE_NAMES[lang],
                    )
                )
        if q.type == QuestionType.RATING and q.dimension not in DIMENSIONS:
            raise VersionRuleError(
                _l("Question %(q)s: a rating question needs the dimension it measures.", q=name)
            )
        if q.clause_ref and len(q.clause_ref) > 20:
            raise VersionRuleError(
                _l("Question %(q)s: a clause reference has at most 20 characters.", q=name)
            )
        if q.type in CHOICES:
            _check_options(name, q.options, languages)
    _check_logic(questions)
    _check_matrices(questions, languages)


SCORES = {QuestionType.RATING: (1, 5), QuestionType.NPS: (0, 10)}


def _check_logic(questions: Sequence[QuestionEdit]) -> None:
    """Each condition looks at an earlier question of a kind it can compare."""
    earlier: dict[str, QuestionEdit] = {}
    for number, q in enumerate(questions, start=1):
        name = q.code or f"#{number}"
        if q.show_if_code:
            source = earlier.get(q.show_if_code)
            if source is None:
                raise VersionRuleError(
                    _l(
                        "Question %(q)s: a condition can only use an earlier question "
                        "(%(code)s is not before it).",
                        q=name,
                        code=q.show_if_code,
                    )
                )
            _check_condition(name, q, source)
            if q.matrix_group:
                raise VersionRuleError(
                    _l("Question %(q)s: a row of a matrix cannot have a condition.", q=name)
                )
        earlier[q.code] = q


def _check_condition(name: str, q: QuestionEdit, source: QuestionEdit) -> None:
    value = (q.show_if_value or "").strip()
    if source.type in SCORES:
        low, high = SCORES[source.type]
        if q.show_if_op not in (ShowIf.AT_MOST, ShowIf.AT_LEAST, ShowIf.EQUALS) or not (
            re.fullmatch(r"\d{1,2}", value) and low <= int(value) <= high
        ):
            raise VersionRuleError(
                _l(
                    "Question %(q)s: after a score, a condition is “at most”, “at least” or "
                    "“equals” a whole number from %(low)s to %(high)s.",
                    q=name,
                    low=low,
                    high=high,
                )
            )
    elif source.type in CHOICES:
        known = {code for code, _, _ in source.options}
        codes = value.split()
        if q.show_if_op != ShowIf.CHOSEN or not codes or not set(codes) <= known:
            raise VersionRuleError(
                _l(
                    "Question %(q)s: after a choice question, a condition is “one of” its "
                    "option codes (%(codes)s).",
                    q=name,
                    codes=" ".join(code for code, _, _ in source.options),
                )
            )
    else:
        raise VersionRuleError(
            _l(
                "Question %(q)s: a condition can use a rating, an NPS or a choice question, "
                "not a text.",
                q=name,
            )
        )


def _check_matrices(questions: Sequence[QuestionEdit], languages: Sequence[str]) -> None:
    """A matrix: at least two consecutive rating rows, its heading in each language."""
    runs: list[list[QuestionEdit]] = []
    previous: QuestionEdit | None = None
    for q in questions:
        if q.matrix_group and previous is not None and previous.matrix_group == q.matrix_group:
            runs[-1].append(q)
        elif q.matrix_group:
            runs.append([q])
        previous = q
    seen: set[str] = set()
    for run in runs:
        group = run[0].matrix_group or ""
        if group in seen:
            raise VersionRuleError(
                _l("Matrix %(group)s: its rows must follow one another.", group=group)
            )
        seen.add(group)
        if not CODE_RE.match(group):
            raise VersionRuleError(
                _l(
                    "Matrix %(group)s: a group code is 1 to 40 letters, digits or _.",
                    group=group[:40],
                )
            )
        if len(run) < 2 or any(q.type != QuestionType.RATING for q in run):
            raise VersionRuleError(
                _l("Matrix %(group)s: a matrix is two or more rating (1–5) rows.", group=group)
            )
        for lang in languages:
            heading = getattr(run[0], f"matrix_text_{lang}").strip()
            if not heading or len(heading) > 1000:
                raise VersionRuleError(
                    _l(
                        "Matrix %(group)s: write its heading in %(language)s on its first row.",
                        group=group,
                        language=LANGUAGE_NAMES[lang],
                    )
                )


def _check_options(name: str, options: Sequence[tuple[str, str, str]], languages) -> None:
    if len(options) < 2:
        raise VersionRuleError(
            _l("Question %(q)s: a choice question needs at least two options.", q=name)
        )
    if len({o[0] for o in options}) != len(options):
        raise VersionRuleError(_l("Question %(q)s: each option needs its own code.", q=name))
    for code, zh, en in options:
        labels = {"zh": zh, "en": en}
        if not CODE_RE.match(code) or any(
            not labels[lang].strip() or len(labels[lang]) > 200 for lang in languages
        ):
            raise VersionRuleError(
                _l(
                    "Question %(q)s, option %(option)s: write code | 中文 | English "
                    "(a code of letters, digits or _, a label in each language of the survey).",
                    q=name,
                    option=code or "?",
                )
            )


def _question(position: int, edit: QuestionEdit) -> Question:
    question = Question(
        position=position,
        code=edit.code,
        type=edit.type,
        dimension=edit.dimension if edit.type == QuestionType.RATING else None,
        clause_ref=(edit.clause_ref or "").strip()
        or (DIMENSIONS[edit.dimension][0] if edit.type == QuestionType.RATING else None),
        text_zh=edit.text_zh.strip(),
        text_en=edit.text_en.strip(),
        required=edit.required,
        max_length=(edit.max_length or 2000) if edit.type == QuestionType.TEXT else None,
        show_if_code=edit.show_if_code or None,
        show_if_op=edit.show_if_op if edit.show_if_code else None,
        show_if_value=" ".join((edit.show_if_value or "").split()) if edit.show_if_code else None,
        matrix_group=edit.matrix_group or None,
    )
    if edit.type in CHOICES:
        question.options = [
            QuestionOption(position=i, code=code, label_zh=zh.strip(), label_en=en.strip())
            for i, (code, zh, en) in enumerate(edit.options)
        ]
    return question


def build_version(
    survey: Survey, number: int, texts: VersionTexts, questions: Sequence[QuestionEdit]
) -> SurveyVersion:
    """A new version of ``survey`` with ``questions`` in their order (checked by the caller)."""
    version = SurveyVersion(survey=survey, number=number)
    _fill(version, texts, questions)
    return version


def _fill(version: SurveyVersion, texts: VersionTexts, questions: Sequence[QuestionEdit]) -> None:
    for name in ("title_zh", "title_en", "intro_zh", "intro_en"):
        setattr(version, name, getattr(texts, name).strip())
    built = [_question(i, q) for i, q in enumerate(questions)]
    heading: dict[str, tuple[str, str]] = {}
    for edit, question in zip(questions, built, strict=True):
        if question.matrix_group:
            zh, en = heading.setdefault(
                question.matrix_group, (edit.matrix_text_zh.strip(), edit.matrix_text_en.strip())
            )
            question.matrix_text_zh, question.matrix_text_en = zh, en
    version.questions.extend(built)


def check_version(
    texts: VersionTexts, questions: Sequence[QuestionEdit], languages: Sequence[str]
) -> None:
    """The rules every saved version meets (VersionRuleError with the first problem)."""
    texts.check(languages)
    _check(questions, languages)


def as_edits(version: SurveyVersion) -> list[QuestionEdit]:
    """The version's questions as edits (what an editor starts from)."""
    return [
        QuestionEdit(
            code=q.code,
            type=q.type,
            text_zh=q.text_zh,
            text_en=q.text_en,
            required=q.required,
            dimension=q.dimension,
            clause_ref=q.clause_ref,
            max_length=q.max_length,
            options=tuple((o.code, o.label_zh, o.label_en) for o in q.options),
            show_if_code=q.show_if_code,
            show_if_op=q.show_if_op,
            show_if_value=q.show_if_value,
            matrix_group=q.matrix_group,
            matrix_text_zh=q.matrix_text_zh or "",
            matrix_text_en=q.matrix_text_en or "",
        )
        for q in version.questions
    ]


def edit_survey(
    session: Session,
    version: SurveyVersion,
    questions: Sequence[QuestionEdit],
    actor: User,
    texts: VersionTexts | None = None,
) -> SurveyVersion:
    """Apply an edit: in place while the version is unused, else as a new version."""
    texts = texts or VersionTexts.of(version)
    check_version(texts, questions, version.survey.language_codes)
    if is_frozen(session, version):
        latest = max(v.number for v in version.survey.versions)
        target = build_version(version.survey, latest + 1, texts, questions)
        session.add(target)
    else:
        target = version
        target.questions.clear()
        session.flush()
        _fill(target, texts, questions)
    session.flush()
    audit.record(
        session,
        "survey.edit",
        actor=actor,
        subject=target,
        organization_id=version.survey.provider_id,
        details={
            "survey_id": version.survey_id,
            "from_version": version.number,
            "to_version": target.number,
            "codes": [q.code for q in questions],
        },
    )
    return target
