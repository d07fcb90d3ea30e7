"""In a real browser: the provider administrator brings October's breach register up to date
and records an incident; the client acknowledges the entries and disputes one with a comment;
the provider answers; the client acknowledges after the talk; the provider settles the month,
after which only a correction can change it. Screenshots of the statement page and its PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest

from surveyapp.breaches.register import record_payment
from surveyapp.breaches.terms import apply_preset
from surveyapp.models import AuditEvent, BreachEntry

from ..factories import PASSWORD, make_contract, make_organization, make_ticket, make_user
from .a11y import axe_serious, nu_errors
from .conftest import ARTIFACTS, DESKTOP, screenshot

pytestmark = pytest.mark.browser
MONTH = "2026-10"


@pytest.fixture
def ledger(session):
    provider = make_organization(session, "provider", name="华信联合客户服务有限公司")
    client_org = make_organization(session, name="明远家电")
    contract = make_contract(session, provider=provider, client=client_org, number="HX-BR-1",
                             title="客户服务合同", monthly_fee="20000.00")  # fmt: skip
    admin = make_user(session, "provider_admin", provider, name="管理员")
    client_user = make_user(session, "client_viewer", client_org, name="客户")
    apply_preset(session, contract, "standard", admin)
    for n, hours in enumerate([30, 26, 40, 50], start=1):
        received = datetime(2026, 10, 8 + n, 2, tzinfo=UTC)
        make_ticket(session, contract, external_id=f"INQ-{n}", received_at=received,
                    first_reply_at=received + timedelta(hours=hours))  # fmt: skip
    received = datetime(2026, 10, 20, 2, tzinfo=UTC)
    make_ticket(session, contract, kind="complaint", external_id="CMP-1", received_at=received,
                resolved_at=received + timedelta(hours=60))  # fmt: skip
    record_payment(session, contract, MONTH, date(2026, 10, 16), "20000.00", admin)
    return {"contract": contract, "admin": admin, "client": client_user}


@pytest.fixture
def csp_free_page(browser, page_errors):
    """Pages like ``new_page``'s, with the CSP bypassed so axe-core's script can be injected."""
    contexts = []

    def make():
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN", bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and page_errors.append(msg.text))
        page.on("pageerror", lambda exc: page_errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


def _sign_in(page, base, user):
    page.goto(f"{base}/sign-in")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def _click(page, selector):
    """Submit a form by its button and wait for the page the redirect leads to."""
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state("networkidle")


def test_acknowledge_dispute_answer_settle_and_correct_in_the_browser(
    app, live_server, session, csp_free_page, page_errors, ledger
):
    contract = ledger["contract"]
    url = f"{live_server}/contracts/{contract.id}/breaches/{MONTH}"

    admin = csp_free_page()
    _sign_in(admin, live_server, ledger["admin"])
    admin.goto(url)
    _click(admin, "form[action$='/derive'] button")
    # 4 late inquiries, 1 late complaint, the month without a survey, the fee paid late
    assert admin.locator("article[data-entry]").count() == 7
    admin.select_option("#kind", "confidentiality")
    admin.fill("#responsible", "夜班二组")
    admin.fill("#occurred_on", "2026-10-21")
    admin.fill("#description", "通话清单误存于共享盘，已当日删除。")
    admin.fill("#evidence", "内部复核 IR-7")
    _click(admin, "form[action$='/entries'] button")
    assert admin.locator(".flash-error").count() == 0, admin.locator(".flash-error").inner_text()
    assert admin.locator("article[data-entry]").count() == 8

    client = csp_free_page()
    _sign_in(client, live_server, ledger["client"])
    client.goto(f"{live_server}/portal/contracts/{contract.id}")
    _click(client, f"a[href='/contracts/{contract.id}/breaches/']")
    client.goto(url)
    disputed = client.locator("article[data-entry='ticket:INQ-3']")
    disputed.locator("textarea").fill("该客户要求次日回电，并非超时。")
    _click(client, "article[data-entry='ticket:INQ-3'] button[value=dispute]")
    while client.locator("article[data-status=open] button[value=acknowledge]").count():
        _click(client, "article[data-status=open] button[value=acknowledge] >> nth=0")
    assert client.locator("article[data-status=disputed]").count() == 1
    assert client.locator("form[action$='/settle']").count() == 0  # not the client's to settle
    pages = {"client-review.html": client.content()}  # before axe adds its script
    assert axe_serious(client) == []

    admin.goto(url)
    _click(admin, "form[action$='/settle'] button")
    assert admin.locator(".flash-error").count() == 1  # a dispute is still open
    admin.locator("article[data-entry='ticket:INQ-3'] textarea").fill(
        "工单记录显示首次回复在 40 小时后，客户未要求延后。"
    )
    _click(admin, "article[data-entry='ticket:INQ-3'] button[value=answer]")

    client.goto(url)
    assert "40 小时后" in client.locator("article[data-entry='ticket:INQ-3']").inner_text()
    _click(client, "article[data-entry='ticket:INQ-3'] button[value=acknowledge]")

    admin.goto(url)
    _click(admin, "form[action$='/settle'] button")
    assert admin.locator("[data-settled]").count() == 1
    assert admin.locator("article[data-status=settled]").count() == 8
    assert admin.locator("article button[value=waive]").count() == 0  # locked
    incident = admin.locator("article[data-entry^='recorded:']")
    incident.locator("summary").click()
    incident.locator("input[name=amount]").fill("-10000.00")
    incident.locator("input[name=reason]").fill("协商后减半。")
    _click(admin, "article[data-entry^='recorded:'] form[action$='/correct'] button")
    assert admin.locator("article[data-entry^='correction:']").count() == 1
    # standard preset: inquiries 3 and 4 beyond the tolerance of 2 (200.00 each), the complaint
    # within it, no survey (5 % of the fee: 1 000.00), the incident 20 000.00 less the
    # correction; the fee due Tuesday 13 October (National Day and its make-up Saturday) and
    # paid on the 16th: 3 days at 0.05 % a day
    assert admin.locator("[data-provider-total]").inner_text() == "¥11,400.00"
    assert admin.locator("[data-client-total]").inner_text() == "¥30.00"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot(admin, "breach-statement-admin")
    pages["admin-settled.html"] = admin.content()
    assert axe_serious(admin) == []
    admin.goto(f"{live_server}/dashboard/")
    assert "¥11,400.00" in admin.locator("[data-exposure]").inner_text()
    screenshot(admin, "breach-exposure-portfolio")
    admin.goto(f"{live_server}/contracts/{contract.id}/breaches/terms")
    pages["terms.html"] = admin.content()
    assert axe_serious(admin) == []
    errors = nu_errors(pages)
    assert errors == [], "\n".join(errors)

    client.goto(url)
    assert client.locator("article[data-entry^='correction:'] button[value=acknowledge]").count()
    screenshot(client, "breach-statement-client")
    with client.expect_download() as download:
        client.click("a[href$='statement.pdf']")
    pdf = ARTIFACTS / "breach-statement.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf),
                        str(ARTIFACTS / "breach-statement-pdf")], check=True)  # fmt: skip

    actions = {a for (a,) in session.query(AuditEvent.action)}
    assert {"breach_register.derived", "breach_entry.recorded", "breach_entry.dispute",
            "breach_entry.acknowledge", "breach_entry.answer", "breach_month.settled",
            "breach_entry.corrected", "breach_statement.download"} <= actions  # fmt: skip
    assert session.query(BreachEntry).filter_by(status="settled").count() == 8
    assert page_errors == []
