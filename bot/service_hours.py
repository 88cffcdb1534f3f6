"""Whether the service desk is open at a given moment, and when it opens next.

Opening hours are weekly intervals in the desk's local time (Europe/Berlin); on public
holidays in Mecklenburg-Vorpommern the desk is closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from bot.workdays import public_holiday

LOOKAHEAD_DAYS = 21
"""How far ahead to look for the next opening (covers Christmas and New Year)."""


class Interval(Protocol):
    weekday: int
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class DeskStatus:
    """The desk at one moment: open until ``closes_at``, or closed until ``opens_next``."""

    is_open: bool
    closes_at: dt.datetime | None = None
    opens_next: dt.datetime | None = None
    holiday: str | None = None
    """Why a weekday with opening hours is closed today."""


def desk_status(now: dt.datetime, hours: Iterable[Interval]) -> DeskStatus:
    """The status at ``now`` (an aware datetime in the desk's time zone)."""
    intervals = sorted(hours, key=lambda interval: (interval.weekday, interval.opens))
    holiday = public_holiday(now.date())
    if holiday is None:
        for interval in intervals:
            if interval.weekday == now.weekday() and interval.opens <= now.time() < interval.closes:
                return DeskStatus(True, closes_at=_at(now.date(), interval.closes, now))
    elif not any(interval.weekday == now.weekday() for interval in intervals):
        holiday = None
    return DeskStatus(False, opens_next=_next_opening(now, intervals), holiday=holiday)


def _next_opening(now: dt.datetime, intervals: list[Interval]) -> dt.datetime | None:
    for offset in range(LOOKAHEAD_DAYS):
        day = now.date() + dt.timedelta(days=offset)
        if public_holiday(day) is not None:
            continue
        for interval in intervals:
            opening = _at(day, interval.opens, now)
            if interval.weekday == day.weekday() and opening > now:
                return opening
    return None


def _at(day: dt.date, time: dt.time, like: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=like.tzinfo)
