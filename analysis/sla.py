"""SLA compliance from tickets: clauses 一(1) and 一(2), breaches under clause 五.

An inquiry meets its deadline when its first reply comes within the contract's inquiry hours
(24 by default) of its receipt; a complaint when it is resolved within the complaint hours
(48). A ticket still open after its deadline is a breach; one still open inside its deadline
is *pending* and counts in no share yet. Tickets belong to the month they were received in,
in the contract's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from .frames import TICKET_COLUMNS, require_columns
from .proportions import wilson_interval
from .results import Estimate, SlaMonth

__all__ = ["KINDS", "SLA_CLAUSES", "SlaReport", "sla_compliance", "sla_share_by_contract"]

KINDS = ("inquiry", "complaint")
SLA_CLAUSES = {"inquiry": "一(1)", "complaint": "一(2)"}
"""The contract template's clause for each ticket kind's deadline."""
_HOUR = pd.Timedelta(hours=1)


@dataclass(frozen=True)
class SlaReport:
    """Compliance per month and kind, as objects and as one frame, and the breaches.

    ``table`` has one row per ``month, kind`` with ``hours_allowed, n, met, breaches, pending,
    compliance, compliance_low, compliance_high, median_hours, p90_hours``. ``breaches`` has one
    row per breached ticket: ``month, kind, external_id, received_at, deadline, done_at,
    hours_taken, hours_allowed, hours_over, still_open``.
    """

    months: tuple[SlaMonth, ...]
    table: pd.DataFrame
    breaches: pd.DataFrame

    def month(self, month: str, kind: str) -> SlaMonth | None:
        return next((m for m in self.months if m.month == month and m.kind == kind), None)


def sla_compliance(
    tickets: pd.DataFrame,
    now: datetime,
    months: list[str] | None = None,
    inquiry_hours: int = 24,
    complaint_hours: int = 48,
    timezone: str = "Asia/Shanghai",
) -> SlaReport:
    """Per month and ticket kind: share within the contract's hours, times and breaches.

    ``now`` (aware) decides which open tickets are already past their deadline. ``months``
    lists the months to report (each gets a row even without tickets); by default the months
    the tickets fall in.
    """
    require_columns(tickets, TICKET_COLUMNS, "tickets")
    frame = tickets[list(TICKET_COLUMNS)].copy()
    inquiry = frame["kind"] == "inquiry"
    frame = _ticket_flags(frame, np.where(inquiry, inquiry_hours, complaint_hours), now)
    now_ts = pd.Timestamp(now).tz_convert("UTC")
    frame = frame.assign(month=_month_labels(frame["received_at"], timezone))
    table = _monthly_table(frame, months, {"inquiry": inquiry_hours, "complaint": complaint_hours})
    breaches = frame[frame["breach"]].assign(
        hours_over=((frame["done_at"].fillna(now_ts) - frame["deadline"]) / _HOUR)
    )
    breaches = breaches.sort_values(["month", "kind", "received_at"])[
        [
            "month",
            "kind",
            "external_id",
            "received_at",
            "deadline",
            "done_at",
            "hours_taken",
            "hours_allowed",
            "hours_over",
            "still_open",
        ]
    ].reset_index(drop=True)
    objects = tuple(
        SlaMonth(
            month=row.month,
            kind=row.kind,
            hours_allowed=int(row.hours_allowed),
            n=int(row.n),
            met=int(row.met),
            breaches=int(row.breaches),
            pending=int(row.pending),
            compliance=Estimate(
                row.compliance, row.compliance_low, row.compliance_high, int(row.n)
            ),
            median_hours=float(row.median_hours),
            p90_hours=float(row.p90_hours),
        )
        for row in table.itertuples(index=False)
    )
    return SlaReport(months=objects, table=table, breaches=breaches)


def _month_labels(instants: pd.Series, timezone: str) -> np.ndarray:
    """``'YYYY-MM'`` of each instant in ``timezone`` (each distinct month formatted once:
    ``strftime`` per ticket was a tenth of a dashboard's analysis)."""
    local = instants.dt.tz_convert(timezone)
    codes = local.dt.year.to_numpy(dtype="int64") * 12 + local.dt.month.to_numpy(dtype="int64") - 1
    unique, inverse = np.unique(codes, return_inverse=True)
    labels = np.array([f"{code // 12:04d}-{code % 12 + 1:02d}" for code in unique], dtype=object)
    return labels[inverse] if len(codes) else np.array([], dtype=object)


def _ticket_flags(frame: pd.DataFrame, hours: np.ndarray, now: datetime) -> pd.DataFrame:
    """Each ticket's deadline and whether it was met, breached or is still pending at ``now``."""
    for column in ("received_at", "first_reply_at", "resolved_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    now_ts = pd.Timestamp(now).tz_convert("UTC")
    inquiry = frame["kind"] == "inquiry"
    frame = frame.assign(
        hours_allowed=hours,
        deadline=frame["received_at"] + pd.to_timedelta(hours, unit="h"),
        done_at=frame["first_reply_at"].where(inquiry, frame["resolved_at"]),
    )
    frame = frame.assign(hours_taken=(frame["done_at"] - frame["received_at"]) / _HOUR)
    is_open = frame["done_at"].isna()
    return frame.assign(
        met=~is_open & (frame["done_at"] <= frame["deadline"]),
        breach=(~is_open & (frame["done_at"] > frame["deadline"]))
        | (is_open & (now_ts > frame["deadline"])),
        pending=is_open & (now_ts <= frame["deadline"]),
        still_open=is_open,
    )


def sla_share_by_contract(tickets: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """Compliance of inquiries and complaints together, per contract, in one pass.

    ``tickets`` holds :data:`~analysis.frames.TICKET_COLUMNS` plus ``contract_id``,
    ``inquiry_hours`` and ``complaint_hours`` (each ticket's own contract's hours), already
    restricted to the period wanted. Returns ``contract_id, n, met, breaches, pending,
    compliance`` (percent of met among met + breached; NaN with nothing decided), the same
    definitions as :func:`sla_compliance`, for portfolio views over many contracts.
    """
    require_columns(tickets, (*TICKET_COLUMNS, "contract_id", "inquiry_hours", "complaint_hours"),
                    "tickets")  # fmt: skip
    frame = tickets.copy()
    hours = np.where(frame["kind"] == "inquiry", frame["inquiry_hours"], frame["complaint_hours"])
    frame = _ticket_flags(frame, hours.astype(float), now)
    table = frame.groupby("contract_id").agg(
        met=("met", "sum"), breaches=("breach", "sum"), pending=("pending", "sum")
    )
    n = table["met"] + table["breaches"]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, 100 * table["met"] / n, np.nan)
    return table.assign(n=n, compliance=share).reset_index()[
        ["contract_id", "n", "met", "breaches", "pending", "compliance"]
    ]


def _monthly_table(
    frame: pd.DataFrame, months: list[str] | None, hours: dict[str, int]
) -> pd.DataFrame:
    if months is None:
        months = sorted(frame["month"].unique())
    # numpy over (month, kind) cells: the table has at most a few dozen cells, where pandas'
    # groupby and reindex cost more than the tickets' arithmetic
    kinds = list(KINDS)
    month_at = {m: i for i, m in enumerate(months)}
    kind_at = {k: i for i, k in enumerate(kinds)}
    month_index = np.fromiter((month_at.get(m, -1) for m in frame["month"]), int, len(frame))
    kind_index = np.fromiter((kind_at.get(k, -1) for k in frame["kind"]), int, len(frame))
    keep = (month_index >= 0) & (kind_index >= 0)
    cell = (month_index * len(kinds) + kind_index)[keep]
    size = len(months) * len(kinds)

    def total(column: str) -> np.ndarray:
        flags = frame[column].to_numpy(dtype=bool)[keep]
        return np.bincount(cell, weights=flags, minlength=size).astype("int64")

    taken = frame["hours_taken"].to_numpy(dtype=float)[keep]
    median, p90 = np.full(size, np.nan), np.full(size, np.nan)
    for index in np.unique(cell):
        found = taken[cell == index]
        found = found[~np.isnan(found)]
        if len(found):
            median[index], p90[index] = np.quantile(found, [0.5, 0.9])
    table = pd.DataFrame(
        {
            "month": np.repeat(np.array(months, dtype=object), len(kinds)),
            "kind": np.tile(np.array(kinds, dtype=object), len(months)),
            "met": total("met"),
            "breaches": total("breach"),
            "pending": total("pending"),
            "median_hours": median,
            "p90_hours": p90,
        }
    )
    table = table.assign(hours_allowed=table["kind"].map(hours))
    n = (table["met"] + table["breaches"]).to_numpy(dtype=float)
    low, high = wilson_interval(table["met"], n)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n > 0, 100 * table["met"] / n, np.nan)
    return table.assign(
        n=n.astype("int64"), compliance=share, compliance_low=100 * low, compliance_high=100 * high
    )[
        [
            "month",
            "kind",
            "hours_allowed",
            "n",
            "met",
            "breaches",
            "pending",
            "compliance",
            "compliance_low",
            "compliance_high",
            "median_hours",
            "p90_hours",
        ]
    ]
