"""A provider's surveys: create (from scratch, from the standard questionnaire, as a copy),
rename, retire; and the list a contract chooses from.

Each step is a plain function over a session; the caller commits. Each is audited with the
provider as the organization. Questions are only ever saved through the version rules
(``versioning.check_version``), so a survey made here meets the same rules as an edited one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, select

from .. import audit
from ..models import (
    Contract,
    ContractStatus,
    Question,
    Survey,
    SurveyLanguages,
    SurveyVersion,
    User,
)
from . import standard
from .versioning import (
    QuestionEdit,
    VersionRuleError,
    VersionTexts,
    as_edits,
    build_version,
    check_version,
)


def provider_surveys(provider_id: int) -> Select[tuple[Survey]]:
    """Every survey of the provider, retired ones included (the lookup that scopes by tenant)."""
    return select(Survey).where(Survey.provider_id == provider_id).order_by(Survey.id)


def surveys_available_to(provider_id: int, keep_id: int | None = None) -> Select[tuple[Survey]]:
    """The surveys a contract of the provider may choose: not retired and with questions;
    ``keep_id`` (the contract's current survey) stays in the list even if retired since."""
    has_questions = exists().where(
        SurveyVersion.survey_id == Survey.id, Question.version_id == SurveyVersion.id
    )
    offered = Survey.retired_at.is_(None) & has_questions
    if keep_id is not None:
        offered = offered | (Survey.id == keep_id)
    return provider_surveys(provider_id).where(offered)


def _name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise VersionRuleError(_l("Give the survey a name (at most 200 characters)."))
    return name


def _languages(languages: str) -> str:
    if languages not in set(SurveyLanguages):
        raise VersionRuleError(_l("Choose the survey's languages."))
    return languages


def _new_survey(
    session,
    provider_id: int,
    name: str,
    languages: str,
    texts: VersionTexts,
    questions: Sequence[QuestionEdit],
    actor: User,
    how: str,
) -> Survey:
    survey = Survey(provider_id=provider_id, name=_name(name), languages=_languages(languages))
    texts.check(survey.language_codes)
    if questions:
        check_version(texts, questions, survey.language_codes)
    session.add(survey)
    session.add(build_version(survey, 1, texts, questions))
    session.flush()
    audit.record(
        session,
        "survey.create",
        actor=actor,
        subject=survey,
        organization_id=provider_id,
        details={"name": survey.name, "how": how, "codes": [q.code for q in questions]},
    )
    return survey


def create_survey(
    session, provider_id: int, name: str, languages: str, texts: VersionTexts, actor: User
) -> Survey:
    """From scratch: version 1 with its titles and no questions yet (the editor adds them)."""
    return _new_survey(session, provider_id, name, languages, texts, [], actor, "scratch")


def create_from_standard(
    session, provider_id: int, name: str, languages: str, actor: User, *, guided: bool = False
) -> Survey:
    """From the standard satisfaction questionnaire, in the chosen languages (the other
    language's texts are left out); ``guided``: its variant with a matrix and a follow-up
    question (``standard.guided_questions``)."""
    codes = SurveyLanguages(_languages(languages)).value.split(",")
    texts = VersionTexts(standard.TITLE_ZH, standard.TITLE_EN, standard.INTRO_ZH, standard.INTRO_EN)
    edits = standard.guided_questions() if guided else standard.standard_questions()
    texts, questions = _only(codes, texts, edits)
    how = "standard_guided" if guided else "standard"
    return _new_survey(session, provider_id, name, languages, texts, questions, actor, how)


def copy_survey(session, source: Survey, name: str, actor: User) -> Survey:
    """A new survey of the same provider with the source's latest version as version 1."""
    latest = source.versions[-1]
    survey = _new_survey(
        session,
        source.provider_id,
        name,
        source.languages,
        VersionTexts.of(latest),
        as_edits(latest),
        actor,
        f"copy of {source.id} v{latest.number}",
    )
    return survey


def rename_survey(session, survey: Survey, name: str, languages: str, actor: User) -> None:
    """Change the name (staff only see it) and the languages new versions are written in."""
    changes = audit.apply_changes(survey, {"name": _name(name), "languages": _languages(languages)})
    if changes:
        audit.record(
            session,
            "survey.rename",
            actor=actor,
            subject=survey,
            organization_id=survey.provider_id,
            details=changes,
        )


def contracts_using(session, survey: Survey) -> list[str]:
    """Numbers of the draft and active contracts that chose the survey."""
    return list(
        session.scalars(
            select(Contract.number)
            .where(
                Contract.survey_id == survey.id,
                Contract.status.in_([ContractStatus.DRAFT, ContractStatus.ACTIVE]),
            )
            .order_by(Contract.number)
        )
    )


def retire_survey(session, survey: Survey, actor: User, now: datetime) -> list[str]:
    """No longer offered for a contract. Contracts that chose it keep it (a signed contract's
    survey changes only by editing that contract); their numbers are returned for the warning.
    Retiring twice changes nothing."""
    still_using = contracts_using(session, survey)
    if survey.retired_at is None:
        survey.retired_at = now
        audit.record(
            session,
            "survey.retire",
            actor=actor,
            subject=survey,
            organization_id=survey.provider_id,
            details={"contracts_still_using": still_using},
        )
    return still_using


def reinstate_survey(session, survey: Survey, actor: User) -> None:
    """Offered for contracts again."""
    if survey.retired_at is not None:
        survey.retired_at = None
        audit.record(
            session,
            "survey.reinstate",
            actor=actor,
            subject=survey,
            organization_id=survey.provider_id,
        )


def _only(
    codes: Sequence[str], texts: VersionTexts, questions: Sequence[QuestionEdit]
) -> tuple[VersionTexts, list[QuestionEdit]]:
    """Texts and questions with the languages outside ``codes`` emptied."""

    def keep(lang: str, value: str) -> str:
        return value if lang in codes else ""

    texts = VersionTexts(
        keep("zh", texts.title_zh),
        keep("en", texts.title_en),
        keep("zh", texts.intro_zh),
        keep("en", texts.intro_en),
    )
    edits = [
        QuestionEdit(
            **{
                **q.__dict__,
                "text_zh": keep("zh", q.text_zh),
                "text_en": keep("en", q.text_en),
                "matrix_text_zh": keep("zh", q.matrix_text_zh),
                "matrix_text_en": keep("en", q.matrix_text_en),
                "options": tuple((c, keep("zh", z), keep("en", e)) for c, z, e in q.options),
            }
        )
        for q in questions
    ]
    return texts, edits
