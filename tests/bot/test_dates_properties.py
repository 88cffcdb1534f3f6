"""Properties of German dates: any text gives a real day or none, typed days read back."""

import datetime as dt

from hypothesis import example, given
from hypothesis import strategies as st

from bot.dates import MAX_TEXT_LENGTH, parse_german_date
from tests.utils.hostile import hostile_examples, user_text

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
todays = st.dates(dt.date(2000, 1, 1), dt.date(2098, 12, 31))
days = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))


@given(text=user_text, today=todays)
@hostile_examples(today=dt.date(2026, 11, 25))
def test_any_text_gives_a_day_or_none(text, today):
    day = parse_german_date(text, today=today)

    assert day is None or type(day) is dt.date
    if len(text) > MAX_TEXT_LENGTH:
        assert day is None


@given(day=days, today=todays, zero_padded=st.booleans(), year_digits=st.sampled_from([2, 4]))
# "1.1.25" gave 2125: the day-month pattern never matched a year, dateparser read it instead.
@example(day=dt.date(2025, 1, 1), today=dt.date(2026, 11, 25), zero_padded=False, year_digits=2)
def test_a_date_with_its_year_reads_back_as_itself(day, today, zero_padded, year_digits):
    year = f"{day.year}" if year_digits == 4 else f"{day.year % 100:02d}"
    typed = f"{day:%d.%m.}{year}" if zero_padded else f"{day.day}.{day.month}.{year}"

    assert parse_german_date(typed, today=today) == day


@given(today=todays, ahead=st.integers(0, 364), words=st.sampled_from(["", "am ", "ab dem "]))
def test_a_day_and_month_is_the_next_such_day(today, ahead, words):
    day = today + dt.timedelta(days=ahead)
    if (day.month, day.day) == (2, 29):
        day += dt.timedelta(days=1)

    parsed = parse_german_date(f"{words}{day.day}.{day.month}.", today=today)

    assert parsed == day


@given(today=todays, month=st.integers(1, 12), day=st.integers(1, 31))
def test_a_day_and_month_without_year_never_lies_in_the_past(today, month, day):
    parsed = parse_german_date(f"{day}.{month}.", today=today)

    assert parsed is None or today <= parsed <= today + dt.timedelta(days=366)
    assert parsed is None or (parsed.day, parsed.month) == (day, month)


@given(
    today=todays,
    weekday=st.integers(0, 6),
    word=st.sampled_from(["", "nächsten ", "naechsten ", "am kommenden ", "ab "]),
    case=st.sampled_from([str, str.lower, str.upper]),
)
def test_a_weekday_is_the_next_such_day_after_today(today, weekday, word, case):
    parsed = parse_german_date(case(f"{word}{WEEKDAYS[weekday]}"), today=today)

    assert parsed is not None
    assert parsed.weekday() == weekday
    assert today < parsed <= today + dt.timedelta(days=7)
