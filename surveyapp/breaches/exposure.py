"""Breach exposure across the portfolio: per contract, what the month's register costs each
party (amount and count, and Party A's amount as a share of the monthly fee), with the trend
of the last six months, for the contracts with entries in those months. One query for the
entries (and one for the terms when there are entries), whatever the number of contracts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..cycles.calendar import month_of, shift_month
from ..models import BreachEntry, BreachKind, BreachTerm, Contract
from . import amounts
from .statement import kind_lines

TREND_MONTHS = 6


@dataclass(frozen=True)
class Exposure:
    contract: Contract
    month: str
    count: int
    provider_amount: Decimal
    client_amount: Decimal
    fee_share: Decimal | None  # Party A's amount in % of the monthly fee
    trend: tuple[tuple[str, Decimal], ...]  # (month, Party A's amount), oldest first

    @property
    def spark(self) -> str:
        """SVG polyline points (96 x 24) of the trend."""
        values = [v for _m, v in self.trend]
        top = max(values) or Decimal(1)
        step = 96 / max(len(values) - 1, 1)
        return " ".join(
            f"{i * step:.1f},{22 - float(v / top) * 20:.1f}" for i, v in enumerate(values)
        )


def portfolio_exposure(
    session: Session, contracts: list[Contract], month: str | None, now: datetime
) -> list[Exposure]:
    if not contracts:
        return []
    ids = [c.id for c in contracts]
    if month is None:  # before the first closed survey month: the latest month with entries
        latest = session.scalar(
            select(func.max(BreachEntry.month)).where(BreachEntry.contract_id.in_(ids))
        )
        month = latest or month_of(now, contracts[0].timezone)
    months = [shift_month(month, -k) for k in range(TREND_MONTHS - 1, -1, -1)]
    entries: dict[tuple[int, str], list[BreachEntry]] = defaultdict(list)
    for entry in session.scalars(
        select(BreachEntry).where(BreachEntry.contract_id.in_(ids), BreachEntry.month.in_(months))
    ):
        entries[(entry.contract_id, entry.month)].append(entry)
    if not entries:
        return []
    terms: dict[int, dict] = defaultdict(dict)
    for term in session.scalars(select(BreachTerm).where(BreachTerm.contract_id.in_(ids))):
        terms[term.contract_id][BreachKind(term.kind)] = term
    rows = []
    for contract in contracts:
        if not any(entries[(contract.id, m)] for m in months):
            continue  # no register in the window: nothing to show
        totals = {}
        for m in months:
            lines = kind_lines(entries[(contract.id, m)], terms[contract.id], contract.monthly_fee)
            a = sum((x.payable + x.corrections for x in lines if x.party == "provider"),
                    amounts.ZERO)  # fmt: skip
            b = sum((x.payable + x.corrections for x in lines if x.party == "client"),
                    amounts.ZERO)  # fmt: skip
            totals[m] = (a, b, sum(x.count for x in lines))
        a, b, count = totals[month]
        fee = contract.monthly_fee
        share = (a * 100 / fee).quantize(Decimal("0.1")) if fee > 0 else None
        rows.append(Exposure(contract, month, count, a, b, share,
                             tuple((m, totals[m][0]) for m in months)))  # fmt: skip
    return rows
