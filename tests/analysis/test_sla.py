from datetime import UTC, datetime

import pandas as pd
import pytest

from analysis.sla import sla_compliance


def ts(text):
    return pd.Timestamp(text, tz="UTC") if text else pd.NaT


def tickets(rows):
    frame = pd.DataFrame(
        rows, columns=["external_id", "kind", "received_at", "first_reply_at", "resolved_at"]
    )
    for column in ("received_at", "first_reply_at", "resolved_at"):
        frame[column] = frame[column].map(ts)
    return frame


NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
ROWS = [
    # inquiries of November: replied after 2 h, 20 h, 30 h (late); one never replied (open, past)
    ("i1", "inquiry", "2026-11-02 00:00", "2026-11-02 02:00", None),
    ("i2", "inquiry", "2026-11-03 00:00", "2026-11-03 20:00", None),
    ("i3", "inquiry", "2026-11-04 00:00", "2026-11-05 06:00", None),
    ("i4", "inquiry", "2026-11-05 00:00", None, None),
    # received 30 Nov 20:00 UTC = 1 Dec 04:00 in Shanghai: December, still inside its 24 h
    ("i5", "inquiry", "2026-11-30 20:00", None, None),
    # complaints of November: solved in 10 h and exactly 48 h (on time)
    ("c1", "complaint", "2026-11-10 00:00", "2026-11-10 01:00", "2026-11-10 10:00"),
    ("c2", "complaint", "2026-11-11 00:00", "2026-11-11 01:00", "2026-11-13 00:00"),
]


def test_inquiry_compliance_counts_late_and_open_past_deadline_as_breaches():
    report = sla_compliance(tickets(ROWS), now=NOW, months=["2026-11", "2026-12"])
    november = report.month("2026-11", "inquiry")
    assert (november.n, november.met, november.breaches, november.pending) == (4, 2, 2, 0)
    assert november.compliance.value == 50
    # replied times 2, 20, 30 h: median 20, p90 = 20 + 0.8 * (30 - 20) = 28 (linear)
    assert (november.median_hours, november.p90_hours) == pytest.approx((20, 28))


def test_complaint_solved_exactly_at_48_hours_is_on_time():
    complaints = sla_compliance(tickets(ROWS), now=NOW, months=["2026-11"]).month(
        "2026-11", "complaint"
    )
    assert (complaints.n, complaints.met, complaints.compliance.value) == (2, 2, 100)


def test_ticket_belongs_to_its_local_month_and_is_pending_inside_its_deadline():
    december = sla_compliance(tickets(ROWS), now=NOW, months=["2026-12"]).month(
        "2026-12", "inquiry"
    )
    assert (december.n, december.pending) == (0, 1)


def test_breach_list_names_each_breached_ticket():
    breaches = sla_compliance(tickets(ROWS), now=NOW).breaches.set_index("external_id")
    assert sorted(breaches.index) == ["i3", "i4"]
    assert breaches.loc["i3", "hours_over"] == pytest.approx(6)
    assert bool(breaches.loc["i4", "still_open"])


def test_contract_hours_are_honoured():
    report = sla_compliance(tickets(ROWS), now=NOW, months=["2026-11"], inquiry_hours=36)
    assert report.month("2026-11", "inquiry").met == 3


def test_month_without_tickets_has_no_compliance_figure():
    empty = sla_compliance(tickets([]), now=NOW, months=["2026-11"]).month("2026-11", "inquiry")
    assert empty.n == 0 and empty.compliance.empty


def test_the_share_by_contract_equals_each_contracts_own_compliance():
    import numpy as np
    import pandas as pd

    from analysis.sla import sla_compliance, sla_share_by_contract

    rng = np.random.default_rng(11)
    start = pd.Timestamp("2026-10-01", tz="UTC")
    n = 400
    received = start + pd.to_timedelta(rng.uniform(0, 24 * 28, n), unit="h")
    taken = pd.to_timedelta(rng.uniform(0, 80, n), unit="h")
    frame = pd.DataFrame({
        "external_id": [f"T{i}" for i in range(n)],
        "kind": rng.choice(["inquiry", "complaint"], n),
        "received_at": received,
        "first_reply_at": (received + taken / 3).where(rng.random(n) > 0.05),
        "resolved_at": (received + taken).where(rng.random(n) > 0.1),
        "contract_id": rng.choice([1, 2, 3], n),
    })  # fmt: skip
    hours = {1: (24, 48), 2: (12, 36), 3: (24, 72)}
    frame["inquiry_hours"] = frame["contract_id"].map(lambda c: hours[c][0])
    frame["complaint_hours"] = frame["contract_id"].map(lambda c: hours[c][1])
    now = pd.Timestamp("2026-10-29", tz="UTC").to_pydatetime()
    shares = sla_share_by_contract(frame, now).set_index("contract_id")
    for contract, (inquiry, complaint) in hours.items():
        own = frame[frame["contract_id"] == contract]
        table = sla_compliance(own, now=now, inquiry_hours=inquiry, complaint_hours=complaint).table
        assert shares.loc[contract, "met"] == table["met"].sum()
        assert shares.loc[contract, "breaches"] == table["breaches"].sum()
        assert shares.loc[contract, "pending"] == table["pending"].sum()
        expected = 100 * table["met"].sum() / (table["met"].sum() + table["breaches"].sum())
        assert shares.loc[contract, "compliance"] == pytest.approx(expected)
