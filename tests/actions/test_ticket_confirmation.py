"""The summary before a ticket is opened, and correcting a field."""

from actions.ask_ticket_confirmed import ActionAskTicketConfirmed
from tests.actions.forms import form_tracker, user_token

FAULT_SLOTS = {
    "fault_description": "Der Drucker im Bürgerbüro druckt nicht",
    "member": "grabow",
    "fault_category": "drucker",
    "fault_impact": 2,
    "fault_urgency": 2,
    "contact_name": "Anna Schmidt",
    "contact_reach": "03871 1234",
}

ASKING_CONFIRMATION = {**FAULT_SLOTS, "requested_slot": "ticket_confirmed"}
"""The form has just asked for confirmation after the slot the user answered."""


async def test_summary_shows_every_answer_in_plain_words(seeded, form_run):
    await form_run(
        ActionAskTicketConfirmed(),
        form_tracker(
            "fault_form", "Anna Schmidt", requested="contact_name", slots=ASKING_CONFIRMATION
        ),
    )
    text = form_run.texts[0]
    for line in (
        "Beschreibung: Der Drucker im Bürgerbüro druckt nicht",
        "Verwaltung: Stadt Grabow",
        "Bereich: Drucker und Multifunktionsgeräte",
        "Betroffen: mehrere Kolleginnen und Kollegen",
        "Dringlichkeit: Ich kann eingeschränkt arbeiten",
        "Ihr Name: Anna Schmidt",
        "Telefon oder E-Mail: 03871 1234",
    ):
        assert line in text
    assert [b["title"] for b in form_run.buttons] == [
        "Ja, so absenden",
        "Etwas ändern",
        "Abbrechen",
    ]


async def test_signed_in_reporter_is_named_from_the_token(seeded, identity_secret, form_run):
    await form_run(
        ActionAskTicketConfirmed(),
        form_tracker(
            "fault_form",
            "Es kann warten",
            requested="fault_urgency",
            slots=ASKING_CONFIRMATION,
            metadata={"user_token": user_token()},
        ),
    )
    assert "Gemeldet von: Anna Schmidt (angemeldet)" in form_run.texts[0]
    assert "Telefon oder E-Mail" not in form_run.texts[0]


async def test_change_without_a_field_offers_the_fields(seeded, form_run):
    tracker = form_tracker(
        "fault_form", "Etwas ändern", requested="ticket_confirmed", slots=FAULT_SLOTS
    )
    await form_run(ActionAskTicketConfirmed(), tracker)
    assert form_run.texts == ["Was möchten Sie ändern?"]
    payloads = [b["payload"] for b in form_run.buttons]
    assert "Dringlichkeit ändern" in payloads
    assert "Telefon oder E-Mail ändern" in payloads
    assert payloads[-1] == "/cancel"
