"""Two providers with a survey each, and the editor's form as a browser would post it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from surveyapp.models import AuditEvent, Question, QuestionOption, Survey, SurveyVersion
from surveyapp.survey_versions.forms import Row, rows_of
from surveyapp.survey_versions.versioning import VersionTexts

from ..factories import make_contract, make_survey_version, make_user


@dataclass
class Provider:
    contract: object
    version: SurveyVersion
    admin: object
    analyst: object


@pytest.fixture
def providers(session):
    made = []
    for _ in range(2):
        contract = make_contract(session)
        version = make_survey_version(session, contract.provider)
        contract.survey_id = version.survey_id
        made.append(
            Provider(
                contract,
                version,
                make_user(session, "provider_admin", contract.provider, locale="en"),
                make_user(session, "provider_analyst", contract.provider, locale="en"),
            )
        )
    session.commit()
    return made


def form_of(rows: list[Row], texts: VersionTexts, **extra) -> dict[str, str]:
    """The editor's fields for ``rows`` as the page names them."""
    form = {"rows": str(len(rows)), **{k: v for k, v in texts.__dict__.items()}}
    for i, row in enumerate(rows):
        p = f"q-{i}-"
        for name in ("position", "code", "type", "text_zh", "text_en", "options", "dimension",
                     "show_if_code", "show_if_op", "show_if_value", "matrix_group",
                     "matrix_text_zh", "matrix_text_en"):  # fmt: skip
            form[p + name] = getattr(row, name)
        form[p + "clause_ref"] = row.clause_ref
        for flag in ("required", "remove", "existing"):
            if getattr(row, flag):
                form[p + flag] = "1"
    return form | extra


def version_form(version: SurveyVersion, **extra) -> dict[str, str]:
    return form_of(rows_of(version), VersionTexts.of(version), **extra)


def counts(session) -> dict[str, int]:
    """Rows of every table a survey step writes (to show that nothing was stored)."""
    models = (Survey, SurveyVersion, Question, QuestionOption, AuditEvent)
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in models}
