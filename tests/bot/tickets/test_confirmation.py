import pytest

from bot.tickets.confirmation import (
    FAULT_FIELDS,
    NEW_EMPLOYEE_FIELDS,
    Confirmation,
    Decision,
    parse_confirmation,
)


@pytest.mark.parametrize("text", ["Ja", "ja, Ticket anlegen", "passt so", "Stimmt", "OK"])
def test_yes_confirms(text):
    assert parse_confirmation(text, FAULT_FIELDS) == Confirmation(Decision.CONFIRM)


@pytest.mark.parametrize("text", ["Nein", "Etwas ändern", "das stimmt nicht", "korrigieren"])
def test_no_or_change_without_a_field_asks_which(text):
    assert parse_confirmation(text, FAULT_FIELDS) == Confirmation(Decision.CHANGE)


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("Dringlichkeit ändern", "fault_urgency"),
        ("nein, die Beschreibung ist falsch", "fault_description"),
        ("Telefonnummer ändern", None),
        ("Telefon ändern", "contact_reach"),
    ],
)
def test_a_named_field_is_the_one_to_change(text, slot):
    assert parse_confirmation(text, FAULT_FIELDS) == Confirmation(Decision.CHANGE, slot)


def test_every_field_label_names_its_field():
    for field_set in (FAULT_FIELDS, NEW_EMPLOYEE_FIELDS):
        for field in field_set.values():
            answer = parse_confirmation(f"{field.words[0]} ändern", field_set)
            assert answer == Confirmation(Decision.CHANGE, field.slot)


@pytest.mark.parametrize("text", ["", "hmm", "Wie ist die Hotline?", "🙂"])
def test_other_answers_are_none(text):
    assert parse_confirmation(text, FAULT_FIELDS) is None
