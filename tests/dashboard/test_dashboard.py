"""Provider dashboards over the demo data (read only: the demo is built once for the module)."""

import json
import re

import pytest
from sqlalchemy import event, select

import analysis
from surveyapp.extensions import db
from surveyapp.models import Contract

MONTH = "2026-10"


@pytest.fixture(scope="module")
def admin(demo_app):
    from surveyapp.demo import DEMO_PASSWORD

    client = demo_app.test_client()
    client.post("/sign-in", data={"email": "admin@huaxin.example", "password": DEMO_PASSWORD})
    return client


@pytest.fixture(scope="module")
def contract_ids(demo_app):
    with demo_app.app_context():
        return dict(db.session.execute(select(Contract.number, Contract.id)).all())


def _overall_csat(demo_app, contract_id, month=MONTH):
    with demo_app.app_context(), db.engine.connect() as conn:
        result = analysis.monthly_analysis(conn, contract_id, month)
    return float(result.scores.set_index("dimension").loc["overall", "csat"])


def _cells(page: str, number: str) -> list[str]:
    """First word of each cell after the contract number in that contract's row."""
    row = page.split(f">{number}</a>")[1].split("</tr>")[0]
    texts = [
        re.sub(r"<[^>]+>", " ", cell).split()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    return [words[0] if words else "" for words in texts]


def test_the_portfolio_lists_every_contract_with_the_latest_months_csat(
    admin, demo_app, contract_ids
):
    page = admin.get("/dashboard/").text
    assert f'<option value="{MONTH}" selected>' in page
    for number, contract_id in contract_ids.items():
        expected = f"{_overall_csat(demo_app, contract_id):.1f}%"
        assert _cells(page, number)[0] == expected, number


def test_the_portfolio_sorts_by_a_column(admin):
    page = admin.get(f"/dashboard/?month={MONTH}&sort=csat&order=desc").text
    numbers = re.findall(r'class="nowrap">(HX-2025-\d+)</a>', page)
    csats = [float(_cells(page, n)[0].rstrip("%")) for n in numbers]
    assert len(numbers) == 3 and csats == sorted(csats, reverse=True)
    ascending = re.findall(
        r'class="nowrap">(HX-2025-\d+)</a>',
        admin.get(f"/dashboard/?month={MONTH}&sort=csat&order=asc").text,
    )
    assert ascending == list(reversed(numbers))


def test_the_portfolio_has_a_heatmap_and_sparklines(admin):
    page = admin.get("/dashboard/").text
    assert (
        json.loads(page.split('id="fig-heatmap">')[1].split("</script>")[0])["data"][0]["type"]
        == "heatmap"
    )
    assert page.count("<polyline points=") == 3


def test_an_unknown_month_is_a_404(admin, contract_ids):
    assert admin.get("/dashboard/?month=2019-01").status_code == 404
    assert (
        admin.get(f"/dashboard/contracts/{contract_ids['HX-2025-001']}?month=2019-01").status_code
        == 404
    )


def test_the_contract_dashboard_carries_every_chart_and_the_clause_table(admin, contract_ids):
    page = admin.get(f"/dashboard/contracts/{contract_ids['HX-2025-001']}?month={MONTH}").text
    for name in ("trend", "scores", "nps", "funnel", "drivers", "sla"):
        figure = json.loads(page.split(f'id="fig-{name}">')[1].split("</script>")[0])
        assert figure["data"], name
    for ref in ("一(1)", "一(2)", "二(2)", "二(3)", "四"):
        assert f'<td class="nowrap">{ref}</td>' in page
    assert "响应速度" in page  # the one set of dimension names (surveyapp/dimensions.py)


def test_the_contract_dashboard_headlines_equal_the_analysis(admin, demo_app, contract_ids):
    contract_id = contract_ids["HX-2025-002"]
    page = admin.get(f"/dashboard/contracts/{contract_id}?month={MONTH}").text
    headline = page.split('class="kpi-value">')[1].split("</div>")[0]
    assert headline == f"{_overall_csat(demo_app, contract_id):.1f}%"


def test_comment_examples_never_show_phone_numbers_or_e_mail_addresses(admin, contract_ids):
    # The demo's examples need not include its e-mail comment, so the proof that removing
    # either half of the masking goes red is tests/security/test_masking.py (planted comment).
    for month in ("2026-08", "2026-09", MONTH):
        for contract_id in contract_ids.values():
            page = admin.get(f"/dashboard/contracts/{contract_id}?month={month}").text
            text = re.sub(r"<script.*?</script>", "", page, flags=re.S)
            assert not re.search(r"(?<![\d.])1[3-9]\d{9}(?!\d)", text)
            # every address (the demo comment's is zhang.wei@example.com), but staff's own
            addresses = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)
            assert all(a.endswith("@huaxin.example") for a in addresses), addresses


def test_the_dashboard_lists_the_contracts_action_items(admin, contract_ids):
    page = admin.get(f"/dashboard/contracts/{contract_ids['HX-2025-001']}").text
    assert "below_target" not in page  # titles, not keys
    assert "已完成" in page and "待确认" in page


def test_the_dashboard_speaks_english_on_request(admin, contract_ids):
    admin.get("/language/en")
    try:
        page = admin.get(f"/dashboard/contracts/{contract_ids['HX-2025-001']}").text
        assert "Dimensions against the contract" in page and "Responsiveness" in page
    finally:
        admin.get("/language/zh_CN")


def test_the_pages_query_count_does_not_grow_with_the_contracts(admin, demo_app, contract_ids):
    """The overview reads each table once for all contracts (no lazy load per contract): with
    the demo's 3 contracts a per-contract load of targets, client and provider would add 9."""
    statements = []

    def count(*args):
        statements.append(args[2])

    with demo_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert admin.get("/dashboard/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 14, "\n".join(s.split("FROM")[0][:80] for s in statements)
    assert not any("FROM dimension_targets" in s and "IN" not in s for s in statements)
