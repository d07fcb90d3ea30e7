"""Reading the survey editor's form into QuestionEdit objects (plain function, tested)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..models import SurveyVersion
from .versioning import QuestionEdit, VersionRuleError

MAX_QUESTIONS = 60


def _options(text: str) -> tuple[tuple[str, str, str], ...]:
    """One option per line: ``code | 中文 | English``."""
    options = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not all(parts):
            raise VersionRuleError(f"option line {line.strip()!r}: write code | 中文 | English")
        options.append((parts[0], parts[1], parts[2]))
    return tuple(options)


def parse_editor(form: Mapping[str, str], version: SurveyVersion) -> list[QuestionEdit]:
    """Existing questions (kept unless marked for removal) in order, then the new one if filled."""
    edits: list[QuestionEdit] = []
    for question in version.questions:
        prefix = f"q-{question.code}-"
        if form.get(prefix + "remove"):
            continue
        edits.append(
            QuestionEdit(
                code=question.code,
                type=question.type,
                dimension=question.dimension,
                clause_ref=question.clause_ref,
                max_length=question.max_length,
                text_zh=form.get(prefix + "text_zh", ""),
                text_en=form.get(prefix + "text_en", ""),
                required=bool(form.get(prefix + "required")),
                options=_options(form.get(prefix + "options", "")) if question.options else (),
            )
        )
    new_code = form.get("new-code", "").strip()
    if new_code:
        edits.append(
            QuestionEdit(
                code=new_code[:40],
                type=form.get("new-type", ""),
                text_zh=form.get("new-text_zh", ""),
                text_en=form.get("new-text_en", ""),
                required=bool(form.get("new-required")),
                dimension=form.get("new-dimension") or None,
                clause_ref=form.get("new-clause_ref") or None,
                options=_options(form.get("new-options", "")),
            )
        )
    if len(edits) > MAX_QUESTIONS:
        raise VersionRuleError(f"at most {MAX_QUESTIONS} questions")
    return edits


def options_text(options: Sequence) -> str:
    return "\n".join(f"{o.code} | {o.label_zh} | {o.label_en}" for o in options)
