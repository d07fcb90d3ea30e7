"""The form with logic and a matrix, over HTTP and through the intake step: follow-ups shown
only when their condition is met (step by step without JavaScript, the whole form with it),
hidden questions never required and never stored, a matrix stored as one answer per row."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import Answer, Invitation, Response, utcnow
from surveyapp.survey.intake import accept_response
from surveyapp.survey.logic import HiddenAnswer

from ..factories import make_contract, make_invitation, make_logic_survey_version, make_open_cycle


@pytest.fixture
def logic(session):
    contract = make_contract(session)
    version = make_logic_survey_version(session, contract.provider)
    contract.survey_id = version.survey_id
    session.commit()
    cycle = make_open_cycle(session, contract, version)
    ids = {q.code: q.id for q in version.questions}
    phone = next(q for q in version.questions if q.code == "CHANNEL").options[0].id
    return cycle, ids, phone


def _stored(session) -> dict[str, object]:
    session.expire_all()
    rows = session.execute(select(Answer.question_code, Answer.value, Answer.text_value)).all()
    return {code: value if value is not None else text for code, value, text in rows}


def _step(html: str) -> str:
    return re.search(r'name="step" value="(\d+)"', html).group(1)


def test_without_javascript_a_low_rating_brings_its_follow_up_on_the_next_step(
    client, session, logic
):
    cycle, ids, _ = logic
    _, token = make_invitation(session, cycle)
    first = client.get(f"/s/{token}").text
    assert _step(first) == "1" and 'data-show-if="q-OVERALL"' in first
    assert 'data-later="1" hidden' in first  # later steps wait, hidden
    assert "下一页" in first

    second = client.post(f"/s/{token}", data={"step": "1", "q-OVERALL": "1"})
    assert second.status_code == 200 and _step(second.text) == "2"
    assert '<input type="hidden" name="q-OVERALL" value="1">' in second.text  # carried along
    assert 'id="q-WRONG"' in second.text and "data-later" not in second.text.split("q-WRONG")[0]

    refused = client.post(f"/s/{token}", data={"step": "2", "q-OVERALL": "1"})
    assert refused.status_code == 400 and 'id="q-WRONG-error"' in refused.text  # shown: required
    third = client.post(
        f"/s/{token}",
        data={"step": "2", "q-OVERALL": "1", "q-WRONG": "等了三天", "q-SPEED": "2",
              "q-MANNER": "4"},
    )  # fmt: skip
    assert third.status_code == 200 and _step(third.text) == "3"
    assert 'id="q-CALLBACK"' not in third.text  # no phone chosen: its follow-up is left out
    done = client.post(
        f"/s/{token}",
        data={"step": "3", "q-OVERALL": "1", "q-WRONG": "等了三天", "q-SPEED": "2",
              "q-MANNER": "4", "q-NPS": "3"},
    )  # fmt: skip
    assert done.status_code == 303
    assert _stored(session) == {
        "OVERALL": 1,
        "WRONG": "等了三天",
        "SPEED": 2,
        "MANNER": 4,
        "NPS": 3,
    }


def test_without_javascript_a_high_rating_skips_its_follow_up_and_stores_no_row_for_it(
    client, session, logic
):
    cycle, _, _ = logic
    _, token = make_invitation(session, cycle)
    second = client.post(f"/s/{token}", data={"step": "1", "q-OVERALL": "5"})
    assert second.status_code == 200 and _step(second.text) == "2"
    assert 'id="q-WRONG"' not in second.text.split('data-later="1"')[0]
    done = client.post(
        f"/s/{token}",
        data={"step": "2", "q-OVERALL": "5", "q-WRONG": "sent anyway", "q-SPEED": "5",
              "q-MANNER": "5"},
    )  # fmt: skip
    assert done.status_code == 200 and _step(done.text) == "3"
    stored = client.post(
        f"/s/{token}",
        data={"step": "3", "q-OVERALL": "5", "q-WRONG": "sent anyway", "q-SPEED": "5",
              "q-MANNER": "5", "q-NPS": "10"},
    )  # fmt: skip
    assert stored.status_code == 303
    assert _stored(session) == {"OVERALL": 5, "SPEED": 5, "MANNER": 5, "NPS": 10}


def test_the_whole_form_in_one_post_drops_hidden_answers_and_does_not_require_them(
    client, session, logic
):
    cycle, _, phone = logic
    _, token = make_invitation(session, cycle)
    done = client.post(
        f"/s/{token}",
        data={"step": "0", "q-OVERALL": "4", "q-WRONG": "", "q-SPEED": "3", "q-MANNER": "4",
              "q-CHANNEL": str(phone), "q-CALLBACK": "下午三点", "q-NPS": "8"},
    )  # fmt: skip
    assert done.status_code == 303  # WRONG is required when shown, but it was not shown
    assert _stored(session) == {
        "OVERALL": 4, "SPEED": 3, "MANNER": 4, "CHANNEL": None, "CALLBACK": "下午三点", "NPS": 8,
    }  # fmt: skip


def test_a_matrix_is_a_table_with_headers_and_is_stored_as_one_answer_per_row(
    client, session, logic
):
    cycle, ids, _ = logic
    _, token = make_invitation(session, cycle)
    html = client.get(f"/s/{token}").text
    assert '<table class="matrix-table">' in html
    assert html.count('<th scope="col"') == 5 and html.count('<th scope="row"') == 2
    assert 'aria-labelledby="q-SPEED-label m-SVC-c3"' in html
    client.post(
        f"/s/{token}",
        data={"q-OVERALL": "3", "q-SPEED": "2", "q-MANNER": "5", "q-NPS": "7"},
    )
    session.expire_all()
    rows = session.execute(
        select(Answer.question_code, Answer.question_id, Answer.kind, Answer.value).where(
            Answer.question_code.in_(["SPEED", "MANNER"])
        )
    ).all()
    assert sorted(rows) == [
        ("MANNER", ids["MANNER"], "rating", 5),
        ("SPEED", ids["SPEED"], "rating", 2),
    ]


def test_the_intake_step_refuses_an_answer_to_a_hidden_question(app, session, logic):
    cycle, ids, _ = logic
    invitation, _ = make_invitation(session, cycle)
    values = {ids["OVERALL"]: 5, ids["WRONG"]: "not asked", ids["SPEED"]: 4, ids["MANNER"]: 4,
              ids["NPS"]: 9}  # fmt: skip
    with app.app_context():
        found = db.session.get(Invitation, invitation.id)
        with pytest.raises(HiddenAnswer) as refused:
            accept_response(db.session, found, values, now=utcnow(), locale="zh_CN")
    assert refused.value.codes == ["WRONG"]
    assert session.scalar(select(func.count()).select_from(Response)) == 0
    assert session.scalar(select(func.count()).select_from(Answer)) == 0


def test_the_preview_follows_the_same_steps(client, session, sign_in, logic):
    from ..factories import make_user

    cycle, _, _ = logic
    admin = make_user(session, "provider_admin", cycle.contract.provider)
    sign_in(admin)
    url = f"/surveys/{cycle.survey_version.survey_id}/versions/1/preview"
    step2 = client.post(url, data={"step": "1", "q-OVERALL": "2"})
    assert step2.status_code == 200 and _step(step2.text) == "2"
    assert 'id="q-WRONG"' in step2.text.split('data-later="1"')[0]
