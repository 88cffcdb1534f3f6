import pytest

from bot.tickets.fault import (
    IMPACT_CHOICES,
    URGENCY_CHOICES,
    describes_fault,
    looks_like_phishing,
    parse_impact,
    parse_urgency,
)
from bot.tickets.priority import Impact, Urgency


@pytest.mark.parametrize(("impact", "title"), IMPACT_CHOICES.items())
def test_every_impact_button_is_understood(impact, title):
    assert parse_impact(title) is impact


@pytest.mark.parametrize(("urgency", "title"), URGENCY_CHOICES.items())
def test_every_urgency_button_is_understood(urgency, title):
    assert parse_urgency(title) is urgency


@pytest.mark.parametrize(
    ("text", "impact"),
    [
        ("nur bei mir", Impact.PERSON),
        ("ich allein", Impact.PERSON),
        ("die ganze Abteilung", Impact.GROUP),
        ("ein paar Kollegen", Impact.GROUP),
        ("alle im Rathaus", Impact.ORGANISATION),
        ("die gesamte Verwaltung", Impact.ORGANISATION),
    ],
)
def test_typed_impact_is_understood(text, impact):
    assert parse_impact(text) is impact


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("es ist nicht dringend", Urgency.CAN_WAIT),
        ("hat Zeit bis nächste Woche", Urgency.CAN_WAIT),
        ("geht nur eingeschraenkt", Urgency.RESTRICTED),
        ("sehr langsam", Urgency.RESTRICTED),
        ("ich kann gar nichts machen", Urgency.BLOCKED),
        ("dringend!", Urgency.BLOCKED),
    ],
)
def test_typed_urgency_is_understood(text, urgency):
    assert parse_urgency(text) is urgency


@pytest.mark.parametrize("text", ["", "vielleicht", "🙂", "Wie ist die Hotline?"])
def test_unplaceable_answers_are_none(text):
    assert parse_impact(text) is None
    assert parse_urgency(text) is None


@pytest.mark.parametrize(
    "text",
    ["Ich möchte eine Störung melden", "Ticket aufmachen bitte", "Problem", "ich hab ein problem"],
)
def test_a_bare_wish_to_report_is_no_description(text):
    assert not describes_fault(text)


@pytest.mark.parametrize(
    "text",
    ["Mein Drucker druckt nicht", "Internet geht seit heute früh nicht", "Outlook stürzt ab"],
)
def test_saying_what_is_wrong_is_a_description(text):
    assert describes_fault(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ich habe auf einen Link in einer Phishing-Mail geklickt",
        "verdächtige E-Mail mit Anhang geöffnet",
        "Ich glaube mein PC hat einen Virus",
    ],
)
def test_phishing_and_security_incidents_are_recognised(text):
    assert looks_like_phishing(text)


def test_an_ordinary_fault_is_not_phishing():
    assert not looks_like_phishing("Mein Drucker druckt nicht")
