"""question_reach: a follow-up's denominator is those shown it; "not shown" is not "not
answered". By hand-built frames, then from responses stored through the intake step."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from analysis.load import read_reach_inputs
from analysis.reach import question_reach
from surveyapp.cycles.calendar import month_of
from surveyapp.extensions import db
from surveyapp.models import Invitation, utcnow
from surveyapp.survey.intake import accept_response

from ..factories import make_contract, make_cycle, make_invitation, make_logic_survey_version

CONDITIONS = pd.DataFrame(
    {
        "survey_version_id": [1, 1, 1, 1, 2],
        "question_code": ["OVERALL", "WRONG", "CHANNEL", "CALLBACK", "OVERALL"],
        "show_if_code": [None, "OVERALL", None, "CHANNEL", None],
        "show_if_op": [None, "le", None, "in", None],
        "show_if_value": [None, "2", None, "phone", None],
    }
)


def _reach(responses, answers) -> pd.DataFrame:
    return question_reach(pd.DataFrame(responses), CONDITIONS, pd.DataFrame(answers))


def test_a_follow_up_counts_only_those_shown_it():
    responses = {"response_id": [1, 2, 3, 4], "month": "2026-11", "survey_version_id": [1, 1, 1, 2]}
    answers = {
        "response_id": [1, 1, 2, 3, 4, 1, 3],
        "question_code": ["OVERALL", "WRONG", "OVERALL", "OVERALL", "OVERALL", "CHANNEL",
                          "CHANNEL"],
        "value": [1, None, 2, 5, 4, None, None],
        "option_code": [None, None, None, None, None, "phone", "online"],
    }  # fmt: skip
    reach = _reach(responses, answers).set_index("question_code")
    assert reach.loc["OVERALL", ["respondents", "shown", "answered"]].tolist() == [4, 4, 4]
    # response 4's version has no follow-up: not a respondent of it at all
    assert reach.loc["WRONG", ["respondents", "shown", "not_shown", "answered", "not_answered"]
                     ].tolist() == [3, 2, 1, 1, 1]  # fmt: skip
    assert reach.loc["WRONG", "answer_rate"] == 50.0  # 1 of the 2 shown, not 1 of 3
    assert reach.loc["CALLBACK", ["shown", "answered"]].tolist() == [1, 0]
    assert reach.loc["CHANNEL", ["shown", "not_answered"]].tolist() == [3, 1]


def test_nobody_shown_gives_no_rate_rather_than_zero():
    responses = {"response_id": [1], "month": "2026-11", "survey_version_id": [1]}
    answers = {
        "response_id": [1],
        "question_code": ["OVERALL"],
        "value": [5],
        "option_code": [None],
    }
    reach = _reach(responses, answers).set_index("question_code")
    assert reach.loc["WRONG", "shown"] == 0 and pd.isna(reach.loc["WRONG", "answer_rate"])


def test_reach_of_responses_stored_through_the_intake(app, session):
    contract = make_contract(session)
    version = make_logic_survey_version(session, contract.provider)
    now = utcnow()
    month = month_of(now, contract.timezone)
    cycle = make_cycle(
        session, contract, version, month=month,
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=13),
    )  # fmt: skip
    ids = {q.code: q.id for q in version.questions}
    phone = next(q for q in version.questions if q.code == "CHANNEL").options[0].id
    given = [
        {"OVERALL": 1, "WRONG": "太慢", "SPEED": 1, "MANNER": 2, "NPS": 2},
        {"OVERALL": 2, "WRONG": "没人理", "SPEED": 2, "MANNER": 2, "CHANNEL": phone, "NPS": 5},
        {"OVERALL": 5, "SPEED": 5, "MANNER": 5, "CHANNEL": phone, "CALLBACK": "上午", "NPS": 10},
    ]
    invitations = [make_invitation(session, cycle)[0].id for _ in given]
    with app.app_context():
        for invitation_id, answers in zip(invitations, given, strict=True):
            values = {ids[code]: value for code, value in answers.items()}
            found = db.session.get(Invitation, invitation_id)
            accept_response(db.session, found, values, now=utcnow(), locale="zh_CN")
        with db.engine.connect() as conn:
            reach = question_reach(*read_reach_inputs(conn, contract.id, [month]))
    reach = reach.set_index("question_code")
    assert reach.loc["WRONG", ["shown", "answered", "not_shown"]].tolist() == [2, 2, 1]
    assert reach.loc["CALLBACK", ["shown", "answered", "not_shown"]].tolist() == [2, 1, 1]
    assert reach.loc["SPEED", ["respondents", "answered"]].tolist() == [3, 3]
