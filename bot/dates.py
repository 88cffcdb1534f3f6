"""Dates as German users type them: "1.3.", "nächsten Montag", "am 2. Februar", "morgen".

``dateparser`` understands most forms; the small layer here removes the words around a date
("am", "ab dem", "nächsten") that it trips over, and reads day-month dates without a year as
the next such day.
"""

from __future__ import annotations

import datetime as dt
import re

import dateparser

_AROUND = re.compile(
    r"\b(am|ab|dem|den|der|zum|bis|ab dem|nächsten|nachsten|naechsten|kommenden|diesen|"
    r"fängt|faengt|fangt|beginnt|startet|an|er|sie|los|geht|es|erst|schon|bereits)\b",
    re.IGNORECASE,
)
# The year is optional; the text has lost its trailing dot ("1.3." is "1.3" here).
_DAY_MONTH = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})(?:\.(\d{2}|\d{4}))?$")
_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            ("montag",),
            ("dienstag",),
            ("mittwoch",),
            ("donnerstag",),
            ("freitag",),
            ("samstag", "sonnabend"),
            ("sonntag",),
        )
    )
    for name in names
}
MAX_TEXT_LENGTH = 60


def parse_german_date(text: str, *, today: dt.date) -> dt.date | None:
    """The day ``text`` names, counting from ``today``; future days win over past ones."""
    if len(text) > MAX_TEXT_LENGTH:
        return None
    core = " ".join(_AROUND.sub(" ", text.replace(",", " ")).split()).strip(" .!?")
    if not core:
        return None
    day_month = _DAY_MONTH.match(core)
    if day_month:
        return _day_month(day_month, today)
    weekday = _WEEKDAYS.get(core.casefold())
    if weekday is not None:
        return today + dt.timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    parsed = dateparser.parse(
        core,
        languages=["de"],
        settings={
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
            "RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)),
            "REQUIRE_PARTS": ["day"],
        },
    )
    return parsed.date() if parsed else None


def _day_month(match: re.Match[str], today: dt.date) -> dt.date | None:
    day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
    try:
        if year:
            return dt.date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        candidate = dt.date(today.year, month, day)
        return candidate if candidate >= today else dt.date(today.year + 1, month, day)
    except ValueError:
        return None
