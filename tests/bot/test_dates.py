import datetime as dt

import pytest

from bot.dates import parse_german_date

WEDNESDAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.3.", dt.date(2027, 3, 1)),
        ("am 15.12.", dt.date(2026, 12, 15)),
        ("1.3.2027", dt.date(2027, 3, 1)),
        ("01.02.27", dt.date(2027, 2, 1)),
        ("nächsten Montag", dt.date(2026, 11, 30)),
        ("naechsten montag", dt.date(2026, 11, 30)),
        ("kommenden Mittwoch", dt.date(2026, 12, 2)),
        ("Freitag", dt.date(2026, 11, 27)),
        ("am 2. Februar", dt.date(2027, 2, 2)),
        ("15. Dezember", dt.date(2026, 12, 15)),
        ("am 7. Januar 2027", dt.date(2027, 1, 7)),
        ("morgen", dt.date(2026, 11, 26)),
        ("in zwei Wochen", dt.date(2026, 12, 9)),
        ("Sie fängt am 1.3. an", dt.date(2027, 3, 1)),
    ],
)
def test_german_dates_are_read_from_today(text, expected):
    assert parse_german_date(text, today=WEDNESDAY) == expected


@pytest.mark.parametrize("text", ["", "quatsch", "31.2.", "irgendwann", "x" * 500, "<b>1.3.</b>"])
def test_what_is_no_date_gives_none(text):
    assert parse_german_date(text, today=WEDNESDAY) is None


def test_a_day_month_date_already_past_this_year_means_next_year():
    assert parse_german_date("1.11.", today=WEDNESDAY) == dt.date(2027, 11, 1)
