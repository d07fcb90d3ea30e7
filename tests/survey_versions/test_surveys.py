"""Surveys: created three ways, renamed, retired, previewed; scoped to their provider."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select

from surveyapp.models import Answer, AuditEvent, Response, Survey, utcnow
from surveyapp.survey_versions.forms import rows_of
from surveyapp.survey_versions.standard import standard_questions
from surveyapp.survey_versions.surveys import surveys_available_to
from surveyapp.survey_versions.versioning import VersionTexts

from ..factories import make_contract, make_cycle, make_invitation
from .conftest import counts, form_of


def _new_survey(session, provider_id: int, name: str) -> Survey:
    return session.scalar(
        select(Survey).where(Survey.provider_id == provider_id, Survey.name == name)
    )


def test_a_survey_from_scratch_starts_empty_and_takes_questions_in_the_editor(
    client, session, sign_in, providers
):
    p = providers[0]
    sign_in(p.admin)
    response = client.post(
        "/surveys/new",
        data={"how": "scratch", "name": "Repairs", "languages": "en", "title_en": "Repairs"},
    )
    survey = _new_survey(session, p.contract.provider_id, "Repairs")
    assert response.location.endswith(f"/surveys/{survey.id}/versions/1/edit")
    version = survey.versions[0]
    assert survey.languages == "en" and version.title_en == "Repairs" and version.questions == []
    assert survey not in session.scalars(surveys_available_to(survey.provider_id)).all()
    rows = rows_of(version)
    rows[0] = replace(rows[0], code="FIXED", type="rating", dimension="problem_solving",
                      text_en="Was it fixed?")  # fmt: skip
    client.post(
        f"/surveys/{survey.id}/versions/1/edit",
        data=form_of(rows, VersionTexts("", "Repairs")),
    )
    session.refresh(version)
    assert [q.code for q in version.questions] == ["FIXED"]
    assert survey in session.scalars(surveys_available_to(survey.provider_id)).all()


def test_a_survey_from_the_standard_questionnaire_with_one_question_added(
    client, session, sign_in, providers
):
    p = providers[0]
    sign_in(p.admin)
    client.post("/surveys/new", data={"how": "standard", "name": "月度", "languages": "zh,en"})
    survey = _new_survey(session, p.contract.provider_id, "月度")
    version = survey.versions[0]
    assert [q.code for q in version.questions] == [q.code for q in standard_questions()]
    rows = rows_of(version)
    blank = len(version.questions)
    rows[blank] = replace(rows[blank], code="DELIVERY", type="rating", dimension="overall",
                          text_zh="送货", text_en="Delivery")  # fmt: skip
    response = client.post(
        f"/surveys/{survey.id}/versions/1/edit", data=form_of(rows, VersionTexts.of(version))
    )
    assert response.status_code == 302
    session.refresh(version)
    assert len(version.questions) == 12 and version.questions[-1].code == "DELIVERY"
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.create"))
    assert event.organization_id == p.contract.provider_id and event.details["how"] == "standard"


def test_a_chinese_only_standard_survey_has_no_english_texts(client, session, sign_in, providers):
    sign_in(providers[0].admin)
    client.post("/surveys/new", data={"how": "standard", "name": "中文", "languages": "zh"})
    version = _new_survey(session, providers[0].contract.provider_id, "中文").versions[0]
    assert version.title_en == "" and all(q.text_en == "" for q in version.questions)
    assert all(o.label_en == "" for q in version.questions for o in q.options)


def test_a_copy_takes_the_latest_versions_questions(client, session, sign_in, providers):
    p = providers[0]
    sign_in(p.admin)
    response = client.post(
        "/surveys/new", data={"how": "copy", "source": p.version.survey_id, "name": "Copy"}
    )
    assert response.status_code == 302
    copy = _new_survey(session, p.contract.provider_id, "Copy")
    assert copy.id != p.version.survey_id and len(copy.versions) == 1
    assert [q.code for q in copy.versions[0].questions] == [q.code for q in p.version.questions]


def test_bad_new_survey_input_stores_nothing(client, session, sign_in, providers):
    sign_in(providers[0].admin)
    before = counts(session)
    for data, message in [
        ({"how": "standard", "name": " ", "languages": "zh,en"}, "Give the survey a name"),
        ({"how": "scratch", "name": "X", "languages": "en"}, "title in English"),
        ({"how": "standard", "name": "X", "languages": "fr"}, "Choose the survey"),
    ]:
        response = client.post("/surveys/new", data=data)
        assert response.status_code == 400 and message in response.text.replace("&#39;", "'")
    assert counts(session) == before


def test_a_provider_admin_cannot_see_edit_copy_or_retire_another_providers_survey(
    client, session, sign_in, providers
):
    mine, theirs = providers
    sign_in(mine.admin)
    sid = theirs.version.survey_id
    for url in (
        f"/surveys/{sid}/versions/1",
        f"/surveys/{sid}/versions/1/edit",
        f"/surveys/{sid}/versions/1/preview",
        f"/surveys/{sid}/settings",
    ):
        assert client.get(url).status_code == 404, url
    before = counts(session)
    assert client.post(f"/surveys/{sid}/retire").status_code == 404
    assert client.post(f"/surveys/{sid}/settings", data={"name": "x"}).status_code == 404
    copy = client.post("/surveys/new", data={"how": "copy", "source": sid, "name": "Stolen"})
    assert copy.status_code == 404
    edit = client.post(f"/surveys/{sid}/versions/1/edit", data={"rows": "0"})
    assert edit.status_code == 404
    assert counts(session) == before
    assert session.get(Survey, sid).retired_at is None
    listed = client.get("/surveys/").text
    assert f"/surveys/{sid}/" not in listed and f"/surveys/{mine.version.survey_id}/" in listed


def test_analysts_preview_but_cannot_create_rename_or_retire(client, session, sign_in, providers):
    p = providers[0]
    sign_in(p.analyst)
    sid = p.version.survey_id
    assert client.get(f"/surveys/{sid}/versions/1/preview").status_code == 200
    assert client.post("/surveys/new", data={"how": "standard", "name": "x"}).status_code == 403
    assert client.post(f"/surveys/{sid}/settings", data={"name": "x"}).status_code == 403
    assert client.post(f"/surveys/{sid}/retire").status_code == 403


def test_rename_and_change_languages(client, session, sign_in, providers):
    p = providers[0]
    sign_in(p.admin)
    sid = p.version.survey_id
    response = client.post(f"/surveys/{sid}/settings", data={"name": "新名", "languages": "zh"})
    assert response.status_code == 302
    survey = session.get(Survey, sid)
    session.refresh(survey)
    assert (survey.name, survey.languages) == ("新名", "zh")
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.rename"))
    assert event.details["name"] == {"from": "Test survey", "to": "新名"}


def test_retiring_keeps_the_survey_of_contracts_that_chose_it_and_warns(
    client, session, sign_in, providers
):
    p = providers[0]
    sign_in(p.admin)
    sid = p.version.survey_id
    provider_id = p.contract.provider_id
    assert [s.id for s in session.scalars(surveys_available_to(provider_id))] == [sid]
    response = client.post(f"/surveys/{sid}/retire", follow_redirects=True)
    assert p.contract.number in response.text  # the warning names the contract still using it
    session.expire_all()
    assert session.get(Survey, sid).retired_at is not None
    assert session.get(type(p.contract), p.contract.id).survey_id == sid
    assert list(session.scalars(surveys_available_to(provider_id))) == []
    assert [s.id for s in session.scalars(surveys_available_to(provider_id, keep_id=sid))] == [sid]
    client.post(f"/surveys/{sid}/reinstate")
    session.expire_all()
    assert session.get(Survey, sid).retired_at is None


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_the_preview_shows_the_customers_form_and_stores_nothing(
    client, session, sign_in, providers
):
    p = providers[0]
    sign_in(p.admin)
    url = f"/surveys/{p.version.survey_id}/versions/1/preview"
    page = client.get(url + "?lang=en").text
    assert "answers are not stored" in page and "Speed of reply" in page
    assert 'type="radio" name="q-RESP"' in page and 'action="/s/' not in page
    before = (_count(session, Response), _count(session, Answer), counts(session))
    checked = client.post(url + "?lang=en", data={"q-RESP": "4", "q-NPS": "9"})
    assert checked.status_code == 200 and "would be accepted" in checked.text
    missing = client.post(url + "?lang=en", data={"q-RESP": "4"})
    assert missing.status_code == 400 and "Please answer this question" in missing.text
    assert (_count(session, Response), _count(session, Answer), counts(session)) == before


def test_a_chinese_only_survey_is_shown_in_chinese_to_an_english_customer(
    client, session, providers
):
    p = providers[0]
    survey = session.get(Survey, p.version.survey_id)
    survey.languages = "zh"
    p.version.title_en = ""
    for q in p.version.questions:
        q.text_en = ""
        for o in q.options:
            o.label_en = ""
    session.commit()
    now = utcnow()
    from datetime import timedelta

    from surveyapp.cycles.calendar import month_of

    cycle = make_cycle(
        session,
        p.contract,
        p.version,
        month=month_of(now, p.contract.timezone),
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=13),
    )
    _, token = make_invitation(session, cycle, locale="en")
    page = client.get(f"/s/{token}").text
    for text in ("测试问卷", "回复速度", "推荐意愿", "电话", "意见"):
        assert text in page, text
    other = make_contract(session, provider=p.contract.provider)
    assert other.survey_id is None
