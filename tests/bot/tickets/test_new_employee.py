import datetime as dt

import pytest

from bot.tickets.new_employee import (
    Equipment,
    EquipmentAnswer,
    latest_request_day,
    lead_time_kept,
    parse_equipment,
    working_days_before,
)


@pytest.mark.parametrize("equipment", list(Equipment))
def test_every_equipment_button_is_understood(equipment):
    assert parse_equipment(equipment.value).items == (equipment,)


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Notebook und Diensthandy", (Equipment.COMPUTER, Equipment.MOBILE)),
        ("PC, Telefon, Handy", (Equipment.COMPUTER, Equipment.PHONE, Equipment.MOBILE)),
        (
            "einen Laptop und Zugang zu Einwohnerwesen",
            (Equipment.COMPUTER, Equipment.FACHVERFAHREN),
        ),
        ("ein Mobiltelefon", (Equipment.MOBILE,)),
    ],
)
def test_several_items_are_read_from_one_answer(text, items):
    assert parse_equipment(text).items == items


def test_fertig_and_nichts_are_understood():
    assert parse_equipment("Fertig") == EquipmentAnswer(done=True)
    assert parse_equipment("nichts") == EquipmentAnswer(nothing=True)
    assert not parse_equipment("ein Pony").understood


def test_working_days_skip_weekends_and_mv_holidays():
    # Thu 24.12. to Mon 4.1.: 24., 28., 29., 30., 31.12. (25./26.12. and 1.1. are holidays)
    assert working_days_before(dt.date(2027, 1, 4), today=dt.date(2026, 12, 24)) == 5


def test_reformation_day_is_a_holiday_in_mecklenburg_vorpommern():
    # Fri 30.10.2026 and Mon 2.11.: Sat 31.10. is Reformationstag anyway, so 1 day.
    assert working_days_before(dt.date(2026, 11, 2), today=dt.date(2026, 10, 30)) == 1
    # 2025: Reformationstag is a Friday and not a working day.
    assert working_days_before(dt.date(2025, 11, 3), today=dt.date(2025, 10, 30)) == 1


def test_ten_working_days_keep_the_lead_time_nine_do_not():
    monday = dt.date(2026, 11, 30)
    two_weeks_later = dt.date(2026, 12, 14)
    assert lead_time_kept(two_weeks_later, today=monday)
    assert not lead_time_kept(two_weeks_later, today=monday + dt.timedelta(days=1))


def test_latest_request_day_is_ten_working_days_before_the_start():
    assert latest_request_day(dt.date(2026, 12, 14)) == dt.date(2026, 11, 30)
    # Over Christmas and New Year: 4.1.2027 needs the request by 17.12.2026.
    assert latest_request_day(dt.date(2027, 1, 4)) == dt.date(2026, 12, 17)
