"""Working days on the Chinese calendar, with public holidays and their make-up working days.

Clause 三 has Party B pay the monthly fee within the first working days of each month. Which
days are working days is decided each year by the State Council (holidays, and weekend days
worked instead); the maintained ``chinese-calendar`` package ships those decisions. It knows
only the years it ships: a later year is refused with :class:`UnknownCalendarYear` rather than
guessed from weekdays.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


class UnknownCalendarYear(LookupError):
    """The installed ``chinese-calendar`` has no holiday data for this year (update it)."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError as error:
        raise UnknownCalendarYear(day.year) from error


def nth_working_day(year: int, month: int, n: int) -> date:
    """The ``n``-th working day of the month (1-based), make-up days counted."""
    if not 1 <= year <= 9999:
        raise UnknownCalendarYear(year)
    day, seen = date(year, month, 1), 0
    while True:
        if is_working_day(day):
            seen += 1
            if seen == n:
                return day
        day += timedelta(days=1)
