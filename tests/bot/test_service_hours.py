import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from bot.service_hours import desk_status

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class Hours:
    weekday: int
    opens: dt.time
    closes: dt.time


HOURS = [Hours(day, dt.time(7), dt.time(16)) for day in range(4)] + [
    Hours(4, dt.time(7), dt.time(13))
]


def at(year, month, day, hour, minute):
    return dt.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def test_open_on_a_weekday_within_hours():
    status = desk_status(at(2026, 11, 24, 10, 0), HOURS)
    assert status.is_open and status.closes_at == at(2026, 11, 24, 16, 0)


@pytest.mark.parametrize(
    ("now", "opens_next"),
    [
        (at(2026, 11, 24, 6, 59), at(2026, 11, 24, 7, 0)),
        (at(2026, 11, 24, 16, 0), at(2026, 11, 25, 7, 0)),
        (at(2026, 11, 27, 13, 0), at(2026, 11, 30, 7, 0)),
        (at(2026, 11, 29, 12, 0), at(2026, 11, 30, 7, 0)),
    ],
)
def test_closed_outside_hours_with_the_next_opening(now, opens_next):
    status = desk_status(now, HOURS)
    assert not status.is_open and status.opens_next == opens_next and status.holiday is None


def test_closed_on_a_public_holiday_in_mv_and_over_christmas():
    status = desk_status(at(2026, 12, 25, 10, 0), HOURS)
    assert not status.is_open
    assert status.holiday == "Erster Weihnachtstag"
    assert status.opens_next == at(2026, 12, 28, 7, 0)


def test_reformationstag_is_a_holiday_in_mv():
    status = desk_status(at(2027, 10, 31, 10, 0), HOURS)  # a Sunday: no hours anyway
    assert status.holiday is None
    assert desk_status(at(2025, 10, 31, 10, 0), HOURS).holiday == "Reformationstag"
