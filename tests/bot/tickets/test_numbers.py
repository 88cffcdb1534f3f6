import pytest

from bot.tickets.numbers import TicketNumber, parse_ticket_number


@pytest.mark.parametrize(
    "typed",
    [
        "KSM-2026-00017",
        "ksm-2026-00017",
        "ksm 2026 17",
        "KSM 2026-17",
        "KSM2026/17",
        "ksm_2026_0017",
        "Wie ist der Stand von KSM-2026-00017?",
        "Ticket 17",
        "ticket #17",
        "Vorgang 00017",
    ],
)
def test_loose_forms_name_the_same_ticket(typed):
    assert parse_ticket_number(typed, current_year=2026) == TicketNumber(2026, 17)


def test_number_prints_in_the_official_form():
    assert str(TicketNumber(2026, 42)) == "KSM-2026-00042"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "17",
        "KSM-26-17",
        "KSM-2026-000000",
        "Ticket null",
        "KSM-2026-00000",
        "DROP TABLE tickets; --",
        "x" * 10_000,
    ],
)
def test_malformed_numbers_are_not_ticket_numbers(typed):
    assert parse_ticket_number(typed, current_year=2026) is None
