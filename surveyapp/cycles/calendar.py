"""Month boundaries and survey windows in the contract's time zone (Asia/Shanghai by default).

A survey month is named ``YYYY-MM``. Its cycle opens on the contract's open day at 09:00 local
time and stays open for the contract's number of days.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
OPENING_TIME = time(9, 0)


def parse_month(month: str) -> tuple[int, int]:
    match = MONTH_RE.match(month)
    if not match:
        raise ValueError(f"{month!r} is not a month in the form YYYY-MM")
    return int(match.group(1)), int(match.group(2))


def shift_month(month: str, months: int) -> str:
    year, mon = parse_month(month)
    index = year * 12 + (mon - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_of(instant: datetime, tz: str) -> str:
    local = instant.astimezone(ZoneInfo(tz))
    return f"{local.year:04d}-{local.month:02d}"


def month_bounds(month: str, tz: str) -> tuple[datetime, datetime]:
    """The month's first and the next month's first instant (local midnight), in UTC."""
    year, mon = parse_month(month)
    zone = ZoneInfo(tz)
    start = datetime(year, mon, 1, tzinfo=zone)
    ny, nm = parse_month(shift_month(month, 1))
    end = datetime(ny, nm, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def cycle_window(month: str, tz: str, open_day: int, open_days: int) -> tuple[datetime, datetime]:
    """When a month's cycle opens and closes, as aware UTC datetimes."""
    year, mon = parse_month(month)
    opens_local = datetime.combine(date(year, mon, open_day), OPENING_TIME, tzinfo=ZoneInfo(tz))
    opens = opens_local.astimezone(UTC)
    return opens, opens + timedelta(days=open_days)
