"""What breaches cost under the contract's terms, in exact yuan.

Every amount is a :class:`~decimal.Decimal` rounded to the fen (0.01 yuan) with ROUND_HALF_UP,
the rounding of Chinese commercial practice: 0.005 becomes 0.01. Rounding happens once per
breach and once per cap; sums of rounded amounts are exact.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from ..models import BreachTerm

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def money(value: Decimal | int | str) -> Decimal:
    """``value`` in yuan to the fen, ROUND_HALF_UP."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def tolerance(term: BreachTerm | None, tickets_of_kind: int) -> int:
    """How many breaches of the month cost nothing: a count, or a share of the month's tickets
    of that kind rounded down (2 % of 120 tickets is 2)."""
    if term is None:
        return 0
    if term.tolerance_percent is not None:
        share = Decimal(tickets_of_kind) * term.tolerance_percent / HUNDRED
        return int(share.to_integral_value(rounding=ROUND_FLOOR))
    return term.tolerance_count or 0


def per_breach(term: BreachTerm | None, monthly_fee: Decimal) -> Decimal:
    """One breach beyond the tolerance: a fixed amount or a share of the monthly fee."""
    if term is None:
        return ZERO
    if term.fee_percent is not None:
        return money(monthly_fee * term.fee_percent / HUNDRED)
    return money(term.amount or 0)


def late_payment(term: BreachTerm | None, unpaid: Decimal, days_late: int) -> Decimal:
    """Interest on the unpaid fee: ``daily_percent`` % per calendar day late."""
    if term is None or term.daily_percent is None or days_late <= 0:
        return ZERO
    return money(unpaid * term.daily_percent / HUNDRED * days_late)


def monthly_cap(term: BreachTerm | None, monthly_fee: Decimal) -> Decimal | None:
    """The most the kind can cost in a month (the lower of the amount and the fee share)."""
    if term is None:
        return None
    caps = []
    if term.cap_amount is not None:
        caps.append(money(term.cap_amount))
    if term.cap_fee_percent is not None:
        caps.append(money(monthly_fee * term.cap_fee_percent / HUNDRED))
    return min(caps) if caps else None


def capped(total: Decimal, cap: Decimal | None) -> Decimal:
    return total if cap is None else min(total, cap)
