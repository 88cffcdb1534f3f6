"""Working days in Mecklenburg-Vorpommern: Monday to Friday without public holidays."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv="MV", years=year, language="de")


def public_holiday(day: dt.date) -> str | None:
    """The German name of the public holiday in MV on ``day``, or ``None``."""
    name = _holidays(day.year).get(day)
    return None if name is None else str(name)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and public_holiday(day) is None
