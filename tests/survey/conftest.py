"""An open cycle with the five-question test survey and personal links."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from surveyapp.models import Cycle, Invitation, SurveyVersion

from ..factories import make_contract, make_invitation, make_open_cycle, make_survey_version


@dataclass
class Survey:
    cycle: Cycle
    version: SurveyVersion

    def option_ids(self, code: str) -> list[int]:
        question = next(q for q in self.version.questions if q.code == code)
        return [o.id for o in question.options]

    def question_id(self, code: str) -> int:
        return next(q.id for q in self.version.questions if q.code == code)


@pytest.fixture
def survey(session) -> Survey:
    contract = make_contract(session)
    version = make_survey_version(session, contract.provider)
    contract.survey_id = version.survey_id
    session.commit()
    cycle = make_open_cycle(session, contract, version)
    return Survey(cycle=cycle, version=version)


@pytest.fixture
def invite(session, survey):
    """Make an invitation in the open cycle; returns (invitation, token)."""

    def make(**kw) -> tuple[Invitation, str]:
        return make_invitation(session, survey.cycle, **kw)

    return make


def full_answers(survey: Survey, **overrides) -> dict:
    """Form data answering every question of the test survey."""
    data = {
        "q-RESP": "4",
        "q-NPS": "9",
        "q-CHANNEL": str(survey.option_ids("CHANNEL")[1]),
        "q-TOPICS": [str(i) for i in survey.option_ids("TOPICS")],
        "q-COMMENT": "回复很快 👍",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
