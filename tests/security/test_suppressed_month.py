"""Issue 19 item 7: a closed month with 1 to 4 responses (under the suppression threshold) is
answered without an error by every page, export and API answer a client (and the provider)
can ask for."""

from __future__ import annotations

from datetime import timedelta

import pytest

from surveyapp.api_tokens.service import create_token
from surveyapp.cycles.lifecycle import close_cycle
from surveyapp.models import Answer, Question, Report

from ..factories import (
    make_contract,
    make_cycle,
    make_invitation,
    make_response,
    make_survey_version,
    make_ticket,
    make_user,
)

MONTH = "2026-10"


def closed_month(session, n: int, comment: str = "回复很慢", overall: int | None = None):
    """A contract whose month 2026-10 is closed (aggregates stored) with ``n`` responses, the
    month before with 6, so trends and month-over-month figures have a neighbour."""
    contract = make_contract(session)
    version = make_survey_version(session, contract.provider)
    contract.survey_id = version.survey_id
    version.questions.append(
        Question(position=9, code="OVERALL", type="rating", dimension="overall",
                 text_zh="总体满意度", text_en="Overall")
    )  # fmt: skip
    session.commit()
    comment_q = next(q for q in version.questions if q.code == "COMMENT")
    make_ticket(session, contract, kind="complaint")
    for month, count in (("2026-09", 6), (MONTH, n)):
        cycle = make_cycle(session, contract, version, month=month)
        for i in range(count):
            invitation, _ = make_invitation(session, cycle)
            response = make_response(
                session,
                invitation,
                values={"RESP": 1 + i % 5, "OVERALL": overall or 5 - i % 3, "NPS": i},
            )
            response.answers.append(
                Answer(question_id=comment_q.id, contract_id=contract.id, month=month,
                       question_code="COMMENT", kind="text", text_value=comment)
            )  # fmt: skip
        session.commit()
        close_cycle(session, cycle, now=cycle.closes_at + timedelta(minutes=1))
        session.commit()
    return contract


def _client_urls(c: int) -> list[str]:
    return [
        "/portal/",
        f"/portal/contracts/{c}",
        f"/portal/contracts/{c}?month={MONTH}",
        f"/contracts/{c}",
        f"/contracts/{c}/reports/",
        f"/exports/contracts/{c}/metrics.csv",
        f"/exports/contracts/{c}/metrics.xlsx",
    ]


def _staff_urls(c: int) -> list[str]:
    return [
        f"/dashboard/contracts/{c}",
        f"/dashboard/contracts/{c}?month={MONTH}",
        "/dashboard/",
        f"/contracts/{c}/cycles/",
        f"/contracts/{c}/cycles/{MONTH}",
        f"/exports/contracts/{c}/responses.csv?month={MONTH}",
        f"/exports/contracts/{c}/responses.xlsx?month={MONTH}",
        *_client_urls(c)[3:],
    ]


def _api_urls(c: int) -> list[str]:
    base = f"/api/v1/contracts/{c}"
    return [
        "/api/v1/contracts",
        base,
        f"{base}/cycles",
        f"{base}/metrics",
        f"{base}/metrics?month={MONTH}",
        f"{base}/action-items",
        f"{base}/tickets",
    ]


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_every_client_page_export_and_api_answer_handles_a_suppressed_month(
    client, session, sign_in, n
):
    contract = closed_month(session, n)
    sign_in(make_user(session, "client_viewer", contract.client))
    for url in _client_urls(contract.id):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, (url, response.status_code)
    _token, secret = create_token(session, contract.client, "portal")
    for url in _api_urls(contract.id):
        response = client.get(url, headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200, (url, response.status_code, response.text[:300])


@pytest.mark.parametrize("n", [1, 4])
def test_every_staff_page_export_and_api_answer_handles_a_suppressed_month(
    client, session, sign_in, n
):
    contract = closed_month(session, n)
    sign_in(make_user(session, "provider_analyst", contract.provider))
    for url in _staff_urls(contract.id):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    _token, secret = create_token(session, contract.provider, "staff")
    for url in [
        *_api_urls(contract.id),
        f"/api/v1/contracts/{contract.id}/responses?month={MONTH}",
    ]:
        response = client.get(url, headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200, (url, response.status_code, response.text[:300])


def test_a_report_of_a_suppressed_month_builds_and_downloads(client, session, sign_in):
    contract = closed_month(session, 2)
    admin = make_user(session, "provider_admin", contract.provider)
    sign_in(admin)
    built = client.post(f"/contracts/{contract.id}/reports/{MONTH}/build", data={"locale": "zh_CN"})
    assert built.status_code in (200, 302), built.status_code

    report = session.query(Report).one()
    client.post("/sign-out")
    sign_in(make_user(session, "client_viewer", contract.client))
    download = client.get(f"/contracts/{contract.id}/reports/{report.id}.pdf")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")


def test_a_client_never_sees_the_nps_composition_of_fewer_than_5_answers(client, session, sign_in):
    import json
    import re

    contract = closed_month(session, 3)  # NPS answers 0, 1, 2: 100 % detractors
    sign_in(make_user(session, "client_viewer", contract.client))
    page = client.get(f"/portal/contracts/{contract.id}?month={MONTH}").text
    figure = json.loads(
        re.search(r'<script type="application/json" id="fig-nps">(.*?)</script>', page, re.S)[1]
    )
    shown = [v for trace in figure.get("data", []) for v in (trace.get("x") or []) if v]
    assert shown == [], shown
