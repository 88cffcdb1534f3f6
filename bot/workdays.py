"""Public holidays in Mecklenburg-Vorpommern."""

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
