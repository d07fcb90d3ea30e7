"""Accessibility fixes that a page walk cannot see: the current language is marked in
Chinese too, and no two statuses share one Chinese word."""

from flask_babel import force_locale

from surveyapp.labels import STATUS_LABELS

from .factories import make_contract, make_cycle, make_organization, make_user


def test_the_current_language_is_marked_in_chinese_and_in_english(client, session, sign_in):
    admin = make_user(session, "provider_admin", make_organization(session, "provider"))
    sign_in(admin)
    chinese = client.get("/contracts/").text
    assert '<strong aria-current="true" lang="zh-CN">中文</strong>' in chinese
    client.get("/language/en")
    english = client.get("/contracts/").text
    assert '<strong aria-current="true" lang="en">English</strong>' in english


def test_no_two_statuses_share_a_chinese_word(app):
    with app.test_request_context(), force_locale("zh_CN"):
        chinese = {code: str(label) for code, label in STATUS_LABELS.items()}
    assert chinese["open"] == "待处理" and chinese["in_progress"] == "进行中"
    assert len(set(chinese.values())) == len(chinese), chinese


def test_the_open_months_dashboard_address_says_where_the_month_page_is(
    client, session, sign_in
):
    provider = make_organization(session, "provider")
    contract = make_contract(session, provider=provider)
    make_cycle(session, contract, month="2026-11", status="open")
    sign_in(make_user(session, "provider_analyst", provider))
    page = client.get(f"/dashboard/contracts/{contract.id}?month=2026-11")
    assert page.status_code == 404
    month_page = f"/contracts/{contract.id}/cycles/2026-11"
    assert f'<a href="{month_page}">月度页面</a>' in page.text
    assert client.get(f"/dashboard/contracts/{contract.id}?month=2026-05").status_code == 404
