"""Every page, read from the app's URL map, through axe-core and the Nu HTML checker.

Signed in as each role (and anonymous for the public pages), in Chinese and English, at 1366
and 390 px (axe-core at both widths in both languages): no serious or critical
axe-core violation (WCAG 2.1 AA), no Nu HTML checker error (on the HTML as served), and no
page that scrolls sideways at 390 or 360 px. The pages come from ``app.url_map``: every GET
rule is walked or listed in NOT_HTML with its reason, and a URL parameter without a demo row
in PARAMS fails the walk, so a new page cannot be missed.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from surveyapp.demo import DEMO_PASSWORD
from surveyapp.extensions import db

from .a11y import axe_serious, nu_errors

pytestmark = pytest.mark.browser

WIDTHS = (1366, 390)
LOCALES = ("zh_CN", "en")
# axe-core at both widths in both languages (about two and a half minutes on an idle two-core
# machine); the sideways-scroll check runs at 390 and 360 px in both.
AXE_WIDTHS = {"zh_CN": WIDTHS, "en": WIDTHS}
ROLES = {
    "provider_admin": "admin@huaxin.example",
    "provider_analyst": "analyst@huaxin.example",
    "client_viewer": "client@mingyuan.example",
}

# GET endpoints that answer with something other than an HTML page.
NOT_HTML = {
    "static": "files (CSS, JavaScript, fonts)",
    "auth.set_language": "a redirect that stores the language (the walk uses it to switch)",
    "cycles.qr": "a QR code image (SVG or PNG)",
    "cycles.links_download": "a CSV file of links",
    "exports.metrics": "a CSV or XLSX export",
    "exports.responses": "a CSV or XLSX export",
    "reports.download": "a PDF file",
    "api.openapi_document": "JSON (the API's description)",
    "api.list_contracts": "JSON API",
    "api.get_contract": "JSON API",
    "api.list_cycles": "JSON API",
    "api.list_metrics": "JSON API",
    "api.list_action_items": "JSON API",
    "api.list_responses": "JSON API",
    "api.list_tickets": "JSON API",
    "api.get_ticket": "JSON API",
    "api.list_sla": "JSON API",
    "api.list_breaches": "JSON API",
    "api.sla_satisfaction_figures": "JSON API",
    "breaches.statement_pdf": "a PDF file",
    "tickets.sla_export": "a CSV export",
    "survey.logo": "the contract's logo image",
}

# What the reader must never see: a placeholder left unformatted (``%(month)s``, ``%%``) or an
# internal code (a question code such as COMMENT, a column such as response_id).
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
CODES = re.compile(r"\b(?:COMMENT|response_id|customer_id|contract_id)\b")
CODES_ARE_THE_SUBJECT = ("/surveys/",)  # the survey editor and history mapping name codes

# URL parameter -> the key of the demo row (in ``rows``) that fills it. A new parameter name
# needs an entry here; the walk fails without one.
PARAMS = {
    "contract_id": "contract",
    "month": "month",
    "item_id": "action_item",
    "report_id": "report",
    "token_id": "api_token",
    "case_id": "case",
    "survey_id": "survey",
    "number": "survey_version_number",
    "upload_id": "upload",
    "client_id": "client",
    "user_id": "user",
    "token": "survey_token",
}
# Endpoints walked more than once, with other rows: endpoint -> list of row overrides.
VARIANTS = {
    "cycles.show": [{"month": "open_month"}],
    "dashboard.contract": [{"month": "open_month"}],  # the open month: where its month page is
    "survey.show": [{"token": "survey_token_en"}, {"token": "closed_token"}],
    "survey.thanks": [{"token": "answered_token"}],
    "survey.opt_out_page": [{"token": "survey_token_en"}],
    "auth.set_password": [{"token": "x" * 43}],
}
# Endpoints whose own row differs from the default one.
OWN_ROWS = {"survey.thanks": {"token": "answered_token"}}


@pytest.fixture(scope="module")
def rows(demo_app):
    """Real demo rows for every URL parameter, plus what the demo lacks: an open month with
    personal links, a follow-up case, a stored report, an API token and a history upload."""
    from surveyapp.api_tokens.service import create_token
    from surveyapp.cycles.calendar import month_of, shift_month
    from surveyapp.cycles.lifecycle import open_cycle
    from surveyapp.cycles.links import Links
    from surveyapp.followup.cases import open_cases
    from surveyapp.history import uploads
    from surveyapp.history.formats import read_table
    from surveyapp.models import (
        ActionItem,
        Contract,
        Cycle,
        Invitation,
        Organization,
        Report,
        Response,
        SurveyVersion,
        User,
        utcnow,
    )
    from surveyapp.survey.tokens import token_hash

    with demo_app.app_context():
        session = db.session
        contract = session.scalar(select(Contract).where(Contract.number == "HX-2025-001"))
        admin = session.scalar(select(User).where(User.email == ROLES["provider_admin"]))
        analyst = session.scalar(select(User).where(User.email == ROLES["provider_analyst"]))
        provider = session.get(Organization, admin.organization_id)
        closed = session.scalar(
            select(Cycle).where(Cycle.contract_id == contract.id).order_by(Cycle.month.desc())
        )
        links = Links(secret=demo_app.config["SECRET_KEY"], base_url="http://x")
        open_month = shift_month(month_of(utcnow(), contract.timezone), 1)
        cycle = open_cycle(session, contract, open_month, now=utcnow(), links=links).cycle
        invitations = {
            locale: session.scalars(
                select(Invitation)
                .where(Invitation.cycle_id == cycle.id, Invitation.locale == locale)
                .order_by(Invitation.id)
            ).first()
            for locale in ("zh_CN", "en")
        }
        # A customer who answered last month: give that invitation a token the walk knows.
        answered = session.scalars(
            select(Invitation)
            .where(Invitation.cycle_id == closed.id, Invitation.responded_at.is_not(None))
            .order_by(Invitation.id)
        ).first()
        answered_token = links.token(answered.cycle_id, answered.customer_id)
        answered.token_hash = token_hash(answered_token)
        case = None
        for response_id in session.scalars(
            select(Response.id).where(Response.cycle_id == closed.id).order_by(Response.id)
        ):
            case = open_cases(session, response_id, utcnow(), may_contact=True)
            if case is not None:
                break
        assert case is not None, "no demo response of last month opens a follow-up case"
        report = Report(
            cycle_id=closed.id, contract_id=contract.id, month=closed.month, locale="zh_CN",
            version=1, sha256=hashlib.sha256(b"%PDF").hexdigest(), size_bytes=4,
            inputs_version="x", content=b"%PDF", created_at=datetime(2026, 11, 2, tzinfo=UTC),
        )  # fmt: skip
        session.add(report)
        session.commit()
        token, _secret = create_token(session, provider, "walk")
        version = session.scalar(
            select(SurveyVersion).where(SurveyVersion.survey_id == contract.survey_id)
        )
        upload = uploads.save(
            demo_app.instance_path, read_table("月份,满意度\n2025-01,5\n".encode()),
            contract_id=contract.id, user_id=admin.id, filename="history.csv", preset="generic",
            encoding="utf-8", version_id=version.id, origin="history.csv",
        )  # fmt: skip
        item = session.scalar(
            select(ActionItem).where(ActionItem.contract_id == contract.id).order_by(ActionItem.id)
        )
        found = {
            "contract": contract.id,
            "month": closed.month,
            "open_month": open_month,
            "action_item": item.id,
            "report": report.id,
            "api_token": token.id,
            "case": case.id,
            "survey": contract.survey_id,
            "survey_version_number": version.number,
            "upload": upload.id,
            "client": contract.client_id,
            "user": analyst.id,
            "survey_token": links.token(cycle.id, invitations["zh_CN"].customer_id),
            "survey_token_en": links.token(cycle.id, invitations["en"].customer_id),
            "closed_token": answered_token,
            "answered_token": answered_token,
        }
        session.commit()
        db.session.remove()
    assert all(value is not None for value in found.values()), found
    return found


def _urls(app, rows) -> dict[str, list[str]]:
    """Who -> the HTML pages they may open (``None`` key: anonymous visitors)."""
    by_role: dict[str | None, list[str]] = {None: [], **{role: [] for role in ROLES}}
    missing = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in NOT_HTML:
                continue
            unknown = sorted(name for name in rule.arguments if name not in PARAMS)
            if unknown:
                missing.append(f"{rule.endpoint} ({rule.rule}): no demo row for {unknown}")
                continue
            base = {name: PARAMS[name] for name in rule.arguments}
            base.update(OWN_ROWS.get(rule.endpoint, {}))
            urls = []
            for override in [{}, *VARIANTS.get(rule.endpoint, [])]:
                keys = {**base, **override}
                args = {name: rows.get(key, key) for name, key in keys.items()}
                urls.append(rule.build(args)[1])
            roles = app.view_functions[rule.endpoint].access_roles
            for who in [None] if roles is None else sorted(roles):
                for url in dict.fromkeys(urls):
                    by_role[str(who) if who else None].append(url)
    assert missing == [], "pages the walk cannot fill in:\n" + "\n".join(missing)
    return by_role


def _sign_in(page, base: str, email: str | None) -> None:
    if email is None:
        return
    page.goto(f"{base}/sign-in")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    assert "/sign-in" not in page.url, f"{email} could not sign in"


def test_every_page_is_accessible_for_every_role_locale_and_width(
    browser, demo_app, demo_server, rows
):
    from .conftest import _local_only

    pages = _urls(demo_app, rows)
    assert len(pages["provider_admin"]) > 30, pages
    axe_found: list[str] = []
    sideways: list[str] = []
    failed: list[str] = []
    html: dict[str, str] = {}
    codes: list[str] = []
    walked = 0
    seconds: dict[str, float] = {}
    only = os.environ.get("A11Y_WALK_ONLY")  # e.g. "provider_admin:zh_CN", to retry one part
    for who, urls in pages.items():
        for locale in LOCALES:
            if only and only != f"{who or 'anonymous'}:{locale}":
                continue
            context = browser.new_context(
                viewport={"width": WIDTHS[0], "height": 900}, bypass_csp=True
            )  # axe-core is injected as an inline script
            context.route("**/*", _local_only)
            page = context.new_page()
            _sign_in(page, demo_server, ROLES.get(who) if who else None)
            page.goto(f"{demo_server}/language/{locale}")
            for url in urls:
                started = time.monotonic()
                where = f"{who or 'anonymous'} {locale} {url}"
                page.set_viewport_size({"width": WIDTHS[0], "height": 900})
                answer = page.goto(demo_server + url)
                page.wait_for_load_state("load")
                kind = (answer.headers.get("content-type") or "") if answer else ""
                if answer is None or not kind.startswith("text/html"):
                    failed.append(f"{where}: not an HTML page ({kind})")
                    continue
                if answer.status >= 500:
                    failed.append(f"{where}: HTTP {answer.status}")
                html[where] = answer.text()  # the page as served, for the Nu checker
                text = page.inner_text("body")
                leftover = PLACEHOLDER.findall(text)
                if not url.startswith(CODES_ARE_THE_SUBJECT) and "/history/" not in url:
                    leftover += CODES.findall(text)
                if leftover:
                    codes.append(f"{where}: {sorted(set(leftover))}")
                for width in AXE_WIDTHS[locale]:  # the same page, reflowed (charts follow)
                    if width != WIDTHS[0]:
                        page.set_viewport_size({"width": width, "height": 844})
                        page.wait_for_timeout(50)
                    walked += 1
                    axe_found += [f"{where} {width}px: {v}" for v in axe_serious(page)]
                for narrow in (390, 360):
                    page.set_viewport_size({"width": narrow, "height": 844})
                    wide = page.evaluate(
                        "() => [document.scrollingElement.scrollWidth, innerWidth]"
                    )
                    if wide[0] > wide[1]:
                        sideways.append(f"{where} at {narrow}px: {wide[0]} > {wide[1]}")
                seconds[where] = time.monotonic() - started
            context.close()
    checker = nu_errors(html)
    print(f"\nwalked {walked} page views ({len(html)} distinct pages through the Nu checker)")
    slowest = sorted(seconds.items(), key=lambda kv: -kv[1])[:5]
    print("slowest:", ", ".join(f"{where} {s:.1f}s" for where, s in slowest))
    for title, found in [
        ("not pages", failed), ("axe-core", axe_found), ("sideways", sideways),
        ("placeholders and internal codes", codes),
        ("Nu HTML checker", checker),
    ]:  # fmt: skip
        print(f"{title}: {len(found)}")
        for line in found:
            print("  ", line)
    assert failed == []
    assert codes == []
    assert axe_found == []
    assert sideways == []
    assert checker == []
