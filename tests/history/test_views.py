"""The upload → mapping → preview → confirm pages."""

import io
import re
from pathlib import Path

from sqlalchemy import func, select

from surveyapp.models import Response
from tests.factories import make_user

from .exports import responses, wjx_csv

VALUE_MAP = "非常满意 = 5\n满意 = 4\n一般 = 3\n不满意 = 2\n非常不满意 = 1"
WJX_CHOICES = {"col-0": "id", "col-1": "date", "col-6": "q:RESP", "col-7": "q:NPS",
               "col-8": "q:CHANNEL", "col-9": "q:COMMENT"}  # fmt: skip


def upload(client, world, data: bytes, name: str = "wjx.csv"):
    contract = world["contract"]
    return client.post(
        f"/contracts/{contract.id}/history/",
        data={"file": (io.BytesIO(data), name), "preset": "", "encoding": "",
              "version": world["version"].id},
        content_type="multipart/form-data",
    )  # fmt: skip


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Response))


def test_upload_proposes_a_mapping_previews_and_imports_on_confirm(
    app, client, session, world, sign_in
):
    sign_in(world["admin"])
    response = upload(client, world, wjx_csv(responses(24), "gbk"))
    assert response.status_code == 302
    page_url = response.location
    page = client.get(page_url).text
    assert re.search(r'<option value="q:RESP" selected>', page)
    assert re.search(r'<option value="date" selected>', page)
    assert '5、您的手机号</label> <span class="badge"' in page  # flagged

    preview = client.post(page_url, data={**WJX_CHOICES, "value_map": VALUE_MAP})
    assert preview.status_code == 200
    assert "2025-01" in preview.text and "24" in preview.text
    assert count(session) == 0

    done = client.post(page_url + "/confirm", data={})
    assert done.status_code == 302 and "/dashboard/contracts/" in done.location
    assert count(session) == 24
    upload_id = page_url.rsplit("/", 1)[1]
    assert not list(Path(app.instance_path, "history-uploads").glob(f"{upload_id}.*"))


def test_a_bad_row_is_shown_with_line_and_column_and_nothing_is_stored(
    client, session, world, sign_in
):
    sign_in(world["admin"])
    lines = wjx_csv(responses(5), "gbk").decode("gbk").split("\r\n")
    cells = lines[2].split(",")
    cells[6] = "还行"
    lines[2] = ",".join(cells)
    data = "\r\n".join(lines).encode("gbk")
    page_url = upload(client, world, data).location
    client.post(page_url, data={**WJX_CHOICES, "value_map": VALUE_MAP})
    refused = client.post(page_url + "/confirm", data={})
    assert refused.status_code == 400
    assert "Nothing was imported" in refused.text or "没有导入" in refused.text
    assert "1、回复速度" in refused.text
    assert count(session) == 0
    accepted = client.post(page_url + "/confirm", data={"skip_bad_rows": "y"})
    assert accepted.status_code == 302
    assert count(session) == 5  # the row keeps its other answers; the bad cell is left out


def test_another_users_upload_is_404(client, session, world, sign_in):
    sign_in(world["admin"])
    page_url = upload(client, world, wjx_csv(responses(2), "gbk")).location
    client.post("/sign-out")
    sign_in(make_user(session, "provider_admin", world["provider"]))
    assert client.get(page_url).status_code == 404
    assert client.get(page_url[:-3] + "../x").status_code == 404


def test_a_file_that_is_not_csv_or_xlsx_is_refused(client, world, sign_in):
    sign_in(world["admin"])
    response = upload(client, world, b"\xff\xfe\x00\x00binary\x00", "x.csv")
    assert response.status_code == 400


def test_option_columns_of_one_question_preview_as_one_answer(client, session, world, sign_in):
    sign_in(world["admin"])
    data = (
        b"id,submitdate,RESP,TOPICS[SQ001],TOPICS[SQ002]\n"
        b"1,2025-03-01 10:00:00,A4,Y,Y\n"
        b"2,2025-03-02 10:00:00,A5,,Y\n"
    )
    page_url = upload(client, world, data, name="limesurvey.csv").location
    page = client.get(page_url).text
    assert len(re.findall(r'<option value="q:TOPICS" selected>', page)) == 2
    choices = {"col-0": "id", "col-1": "date", "col-2": "q:RESP", "col-3": "q:TOPICS",
               "col-4": "q:TOPICS"}  # fmt: skip
    preview = client.post(page_url, data={**choices, "value_map": "A4 = 4\nA5 = 5"})
    assert preview.status_code == 200
    header = re.search(r'<table class="data preview">.*?</thead>', preview.text, re.S).group(0)
    assert header.count(">TOPICS<") == 1
    assert "Billing / Repair" in preview.text or "账单 / 维修" in preview.text


def test_the_upload_asks_for_the_source_and_proposes_the_wjx_survey_number(
    app, client, session, world, sign_in
):
    from surveyapp.history import uploads

    sign_in(world["admin"])
    page_url = upload(client, world, wjx_csv(responses(2), "gbk"), "234274756_2_满意度_2_2.csv")
    found = uploads.load(app.instance_path, page_url.location.rsplit("/", 1)[1],
                         world["contract"].id, world["admin"].id)  # fmt: skip
    assert found.origin == "wjx-234274756"
    contract = world["contract"]
    named = client.post(
        f"/contracts/{contract.id}/history/",
        data={"file": (io.BytesIO(wjx_csv(responses(2), "gbk")), "a.csv"), "preset": "",
              "encoding": "", "version": world["version"].id, "origin": "Feb survey"},
        content_type="multipart/form-data",
    )  # fmt: skip
    found = uploads.load(app.instance_path, named.location.rsplit("/", 1)[1], contract.id,
                         world["admin"].id)  # fmt: skip
    assert found.origin == "Feb-survey"
    assert "wjx-234274756" not in client.get(named.location).text
