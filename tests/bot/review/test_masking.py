"""Personal data never reaches the trainer: addresses, numbers and names become placeholders."""

import pytest

from bot.review.masking import mask


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mail an max.mustermann@grabow.de geht nicht", "Mail an <E-Mail> geht nicht"),
        ("bitte an m_k+it@amt-pu.example.org", "bitte an <E-Mail>"),
        ("ruft mich an unter 03871 123456", "ruft mich an unter <Telefon>"),
        ("Handy: 0171/1234567 bitte", "Handy: <Telefon> bitte"),
        ("+49 385 1234-567 ist meine Nummer", "<Telefon> ist meine Nummer"),
        ("Durchwahl 4711, Zimmer 12", "Durchwahl <Telefon>, Zimmer 12"),
        ("Tel.: 12-34", "Tel.: <Telefon>"),
        ("Frau Müller-Lüdenscheidt kann nicht drucken", "Frau <Name> kann nicht drucken"),
        ("für Herrn Dr. Schulz einen Zugang", "für Herrn <Name> einen Zugang"),
    ],
)
def test_contact_details_and_addressed_people_are_masked(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Wie ist der Stand von KSM-2026-00017?",
        "Ticket 17 vom 1.3.2026",
        "Seit 2019 bei der KSM, Raum 0815",
        "Drucker im 2. OG, Gerät PRN-0042",
        "Der Termin ist am 01.12.",
    ],
)
def test_ticket_numbers_dates_and_room_numbers_stay_readable(text):
    assert mask(text) == text


def test_names_given_in_the_conversation_are_masked_in_full_and_in_parts():
    names = {"Max Mustermann", "Frau Erika Musterfrau"}
    assert (
        mask("ist der Zugang für Max Mustermann schon da? Und für mustermann?", names)
        == "ist der Zugang für <Name> schon da? Und für <Name>?"
    )
    assert mask("Erika fragt nach ihrem Laptop", names) == "<Name> fragt nach ihrem Laptop"
    assert mask("Frau Musterfrau hat kein Netz", names) == "Frau <Name> hat kein Netz"


def test_salutations_and_short_or_numeric_slot_values_are_not_names():
    names = {"Frau", "Al", "0171 1234567", "max@example.org"}
    assert mask("Frau am Empfang, Al Capone", names) == "Frau am Empfang, Al Capone"


def test_names_inside_other_words_are_kept():
    assert mask("Der Drucker druckt", {"Druck"}) == "Der Drucker druckt"
