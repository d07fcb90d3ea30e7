"""The page around the questions: who asks, share card, language switch and drafts, guided
errors, labelled scales, progress and deadline (issue #22)."""

from __future__ import annotations

import re
import struct
import zlib
from datetime import UTC, datetime

from sqlalchemy import func, select

from surveyapp.cycles.lifecycle import close_cycle
from surveyapp.models import Response, ResponseDraft, Survey, utcnow
from surveyapp.survey.branding import logo_kind, store_logo

from ..factories import make_user
from .conftest import full_answers


def png(width: int = 64, height: int = 32) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg(width: int = 40, height: int = 30) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def webp(width: int = 50, height: int = 20) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    data = b"\x2f" + bits.to_bytes(4, "little") + b"\x00" * 8
    return (
        b"RIFF"
        + struct.pack("<I", 4 + 8 + len(data))
        + b"WEBPVP8L"
        + struct.pack("<I", len(data))
        + data
    )


def test_a_logo_is_known_by_its_magic_bytes_and_header_size():
    assert logo_kind(png(64, 32)) == ("image/png", 64, 32)
    assert logo_kind(jpeg(40, 30)) == ("image/jpeg", 40, 30)
    assert logo_kind(webp(50, 20)) == ("image/webp", 50, 20)


def test_a_file_that_is_not_a_small_png_jpeg_or_webp_is_refused():
    import pytest

    from surveyapp.survey.branding import LogoRefused

    for data in (
        b"",
        b"GIF89a" + b"\x00" * 40,
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        png(8, 8),
        png(4000, 20),
        png() + b"\x00" * (256 * 1024),
    ):
        with pytest.raises(LogoRefused):
            logo_kind(data)


def test_the_first_screen_names_client_and_provider_in_title_and_share_card(
    client, session, survey, invite
):
    contract = survey.cycle.contract
    contract.client.name, contract.provider.name = "华兴商贸", "启明客服"
    session.commit()
    _, token = invite()
    html = client.get(f"/s/{token}").text
    assert "本调查由启明客服受华兴商贸委托开展" in html
    assert re.search(r"<title>[^<]+ · 华兴商贸</title>", html)
    assert re.search(r'<meta property="og:title" content="[^"]+ · 华兴商贸">', html)
    assert '<meta property="og:description" content="本调查由启明客服受华兴商贸委托开展">' in html
    assert re.search(
        r'<meta property="og:image" content="http://localhost/static/img/survey-icon.png">', html
    )
    assert 'rel="icon" type="image/png"' in html and 'href="data:,"' not in html
    assert "/sign-in" not in html and "/dashboard" not in html


def test_a_logo_uploaded_by_the_provider_admin_is_on_the_survey_and_served_from_our_origin(
    client, session, survey, invite, sign_in
):
    contract = survey.cycle.contract
    admin = make_user(session, "provider_admin", organization=contract.provider)
    sign_in(admin)
    from io import BytesIO

    page = client.post(
        f"/contracts/{contract.id}/survey-page",
        data={"action": "logo", "logo": (BytesIO(png()), "logo.png")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 303
    client.post("/sign-out")
    _, token = invite()
    html = client.get(f"/s/{token}").text
    src = re.search(r'<img class="survey-logo" src="(/s/logo/[0-9a-f]{64})"', html).group(1)
    assert f'<meta property="og:image" content="http://localhost{src}">' in html
    served = client.get(src)
    assert served.status_code == 200 and served.data == png()
    assert served.headers["Content-Type"] == "image/png"
    assert "immutable" in served.headers["Cache-Control"]
    assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_a_logo_upload_that_is_not_an_image_is_refused_with_a_message(
    client, session, survey, sign_in
):
    from io import BytesIO

    contract = survey.cycle.contract
    sign_in(make_user(session, "provider_admin", organization=contract.provider))
    page = client.post(
        f"/contracts/{contract.id}/survey-page",
        data={"action": "logo", "logo": (BytesIO(b"<script>alert(1)</script>"), "logo.png")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 400 and "PNG、JPEG 或 WebP" in page.text
    assert client.get("/s/logo/" + "0" * 64).status_code == 404


def test_only_the_provider_admin_sets_the_logo_and_rating_style(client, session, survey, sign_in):
    contract = survey.cycle.contract
    sign_in(make_user(session, "provider_analyst", organization=contract.provider))
    assert client.get(f"/contracts/{contract.id}/survey-page").status_code == 403
    client.post("/sign-out")
    sign_in(make_user(session, "provider_admin"))  # another provider's admin
    assert client.get(f"/contracts/{contract.id}/survey-page").status_code == 404


def test_every_rating_point_has_a_visible_word_and_the_chosen_style(
    client, session, survey, invite, sign_in
):
    _, token = invite()
    html = client.get(f"/s/{token}").text
    for word in ("非常不满意", "不满意", "一般", "满意", "非常满意"):
        assert f'<span class="pt-word">{word}</span>' in html
    assert "0 = 完全不可能" in html and "10 = 非常可能" in html
    contract = survey.cycle.contract
    sign_in(make_user(session, "provider_admin", organization=contract.provider))
    client.post(
        f"/contracts/{contract.id}/survey-page", data={"action": "style", "scale_style": "faces"}
    )
    assert session.get(Survey, contract.survey_id).scale_style == "faces"
    client.post("/sign-out")
    _, other = invite()
    assert 'class="scale scale-rating scale-faces"' in client.get(f"/s/{other}").text


def test_the_closing_time_is_shown_in_the_contracts_time_zone_and_language(
    client, session, survey, invite
):
    survey.cycle.closes_at = datetime(2030, 12, 15, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    session.commit()
    _, token = invite()
    assert "2030年12月15日星期日 09:00" in client.get(f"/s/{token}").text
    _, english = invite(locale="en")
    assert "Sunday, December 15, 2030 09:00" in client.get(f"/s/{english}").text


def test_the_current_language_is_marked_in_chinese_and_english(client, invite):
    _, token = invite()
    assert (
        '<span class="lang-now" aria-current="true" lang="zh-CN">中文</span>'
        in client.get(f"/s/{token}").text
    )
    _, english = invite(locale="en")
    assert (
        '<span class="lang-now" aria-current="true" lang="en">English</span>'
        in client.get(f"/s/{english}").text
    )


def test_switching_language_keeps_the_answers_and_stores_nothing(client, session, survey, invite):
    _, token = invite()
    client.get(f"/s/{token}")
    page = client.post(f"/s/{token}", data={"q-RESP": "2", "q-COMMENT": "还行", "language": "en"})
    assert page.status_code == 200 and 'lang="en"' in page.text
    assert 'value="2" checked' in page.text and ">还行</textarea>" in page.text
    assert "field-error" not in page.text  # switching is not sending
    assert session.scalar(select(func.count(Response.id))) == 0
    assert 'lang="en"' in client.get(f"/s/{token}").text  # and the choice is kept


def test_a_draft_is_kept_shown_again_and_never_counted_as_a_response(
    client, session, survey, invite
):
    invitation, token = invite()
    client.get(f"/s/{token}")
    saved = client.post(
        f"/s/{token}", data={"q-RESP": "3", "q-COMMENT": "明天再写", "intent": "save"}
    )
    assert saved.status_code == 200 and "您的回答已保存" in saved.text
    assert session.scalar(select(func.count(Response.id))) == 0
    draft = session.scalar(
        select(ResponseDraft).where(ResponseDraft.invitation_id == invitation.id)
    )
    assert draft.answers == {"q-RESP": ["3"], "q-COMMENT": ["明天再写"]}
    again = client.get(f"/s/{token}").text
    assert 'value="3" checked' in again and ">明天再写</textarea>" in again and "已恢复" in again


def test_the_draft_is_deleted_when_the_response_is_stored(client, session, survey, invite):
    invitation, token = invite()
    client.post(f"/s/{token}", data={"q-RESP": "3", "intent": "save"})
    assert client.post(f"/s/{token}", data=full_answers(survey)).status_code == 303
    session.expire_all()
    assert session.scalar(select(func.count(ResponseDraft.id))) == 0
    assert session.scalar(select(func.count(Response.id))) == 1


def test_closing_the_month_discards_its_drafts(client, session, survey, invite):
    _, token = invite()
    client.post(f"/s/{token}", data={"q-RESP": "3", "intent": "save"})
    assert session.scalar(select(func.count(ResponseDraft.id))) == 1
    close_cycle(session, survey.cycle, now=utcnow())
    assert session.scalar(select(func.count(ResponseDraft.id))) == 0


def test_a_refused_form_lands_on_its_first_error_with_a_short_summary(client, survey, invite):
    _, token = invite()
    page = client.post(f"/s/{token}", data=full_answers(survey, **{"q-RESP": None, "q-NPS": None}))
    assert page.status_code == 400
    html = page.text
    assert re.search(r'<p class="field-error" tabindex="-1" autofocus id="q-RESP-error">', html)
    assert html.count("autofocus") == 1
    summary = re.search(r"<div class=\"error-summary\".*?</div>", html, re.S).group(0)
    assert '<a href="#q-RESP">第 1 题</a>、<a href="#q-NPS">第 2 题</a>' in summary, summary
    assert "请回答此题。" in html


def test_a_logo_stored_by_the_step_function_serves_once_per_digest(session, survey):
    contract = survey.cycle.contract
    admin = make_user(session, "provider_admin", organization=contract.provider)
    first = store_logo(session, contract, png(), actor=admin)
    second = store_logo(session, contract, jpeg(), actor=admin)
    assert first.contract_id == second.contract_id and second.content_type == "image/jpeg"
