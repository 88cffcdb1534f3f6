"""The assistant's notion of "now": always in the configured time zone (Europe/Berlin)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.settings import get_settings


def now() -> dt.datetime:
    return dt.datetime.now(ZoneInfo(get_settings().timezone))


def today() -> dt.date:
    return now().date()
