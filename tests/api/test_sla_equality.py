"""The SLA figures from tickets pushed through the API equal those from the same tickets in CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone

import pandas as pd

import analysis
from surveyapp.extensions import db
from surveyapp.models import Contract
from surveyapp.tickets.importing import import_tickets

from ..factories import make_contract

FIELDS = ["external_id", "kind", "received_at", "first_reply_at", "resolved_at", "channel"]
OFFSETS = [timezone(timedelta(hours=8)), UTC, timezone(timedelta(hours=-5))]


def _tickets() -> list[dict]:
    """Inquiries and complaints over about two months: on time, late, open, pending."""
    start = (datetime.now(UTC) - timedelta(days=62)).replace(microsecond=0)
    rows = []
    for n in range(60):
        kind = "complaint" if n % 4 == 0 else "inquiry"
        received = (start + timedelta(hours=23 * n)).astimezone(OFFSETS[n % 3])
        took = timedelta(hours=[2, 20, 30, 50, 70][n % 5])
        done = None if n % 7 == 0 else (received + took).isoformat()
        rows.append(
            {
                "external_id": f"HD-{n:03d}",
                "kind": kind,
                "received_at": received.isoformat(),
                "first_reply_at": done if kind == "inquiry" else received.isoformat(),
                "resolved_at": done if kind == "complaint" else None,
                "channel": "phone",
            }
        )
    return rows


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _sla(app, contract_id: int, now: datetime) -> analysis.SlaReport:
    with app.app_context():
        contract = db.session.get(Contract, contract_id)
        with db.engine.connect() as conn:
            frame = analysis.read_tickets(
                conn, contract_id, now - timedelta(days=400), now + timedelta(days=1)
            )
        return analysis.sla_compliance(
            frame, now, inquiry_hours=contract.inquiry_hours, timezone=contract.timezone
        )


def test_api_and_csv_give_identical_sla_compliance(app, api, world, session):
    rows = _tickets()
    via_csv = make_contract(session, provider=world.provider, number="CSV-1")
    pushed = api(
        "POST",
        "/tickets",
        world.provider_token,
        json={"tickets": [{**r, "contract_number": "A-1"} for r in rows]},
    )
    assert pushed.status_code == 200, pushed.text
    imported = import_tickets(session, via_csv, _csv(rows))
    assert imported.imported and imported.created == len(rows), imported.report.problems

    now = datetime.now(UTC)
    from_api = _sla(app, world.a.id, now)
    from_csv = _sla(app, via_csv.id, now)
    assert len(from_api.table) >= 4 and from_api.table["n"].sum() > 40
    assert from_api.table["breaches"].sum() > 0 and from_api.breaches["still_open"].any()
    pd.testing.assert_frame_equal(from_api.table, from_csv.table)
    pd.testing.assert_frame_equal(from_api.breaches, from_csv.breaches)


def test_the_sla_figures_are_readable_through_the_api_per_month_and_kind(app, api, world):
    rows = [{**r, "contract_number": "A-1"} for r in _tickets()]
    assert api("POST", "/tickets", world.provider_token, json={"tickets": rows}).status_code == 200
    body = api("GET", f"/contracts/{world.a.id}/sla?limit=200", world.client_token).get_json()
    table = _sla(app, world.a.id, datetime.now(UTC)).table
    assert len(body["data"]) == len(table) >= 4 and body["next"] is None
    for figure in body["data"]:
        row = table[(table["month"] == figure["month"]) & (table["kind"] == figure["kind"])].iloc[0]
        assert (figure["n"], figure["met"], figure["breaches"]) == (
            row["n"], row["met"], row["breaches"]
        )  # fmt: skip
        expected = None if pd.isna(row["compliance"]) else row["compliance"]
        assert figure["compliance"] == (None if expected is None else round(expected, 1))
        assert figure["clause_ref"] == ("一(1)" if figure["kind"] == "inquiry" else "一(2)")
    month = body["data"][0]["month"]
    one = api("GET", f"/contracts/{world.a.id}/sla?month={month}", world.provider_token)
    assert {f["kind"] for f in one.get_json()["data"]} == {"inquiry", "complaint"}
    assert {f["month"] for f in one.get_json()["data"]} == {month}
