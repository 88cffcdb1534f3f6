"""Opening the confirmed ticket, retries, cancelling, and the status for the reporter only."""

from actions.cancel_ticket import ActionCancelTicket
from actions.open_ticket import ActionOpenFaultTicket, ActionOpenNewEmployeeTicket
from actions.ticket_status import ActionTicketStatus
from bot.db import session as db_session
from bot.db.models import TicketKind
from bot.identity import Identity
from bot.tickets.numbers import TicketNumber
from bot.tickets.service import ticket_by_number
from tests.actions.forms import form_tracker, user_token

CONFIRMED_FAULT = {
    "fault_description": "Ich habe auf einen Link in einer Phishing-Mail geklickt",
    "member": "grabow",
    "fault_category": "sicherheit",
    "fault_impact": 3,
    "fault_urgency": 3,
    "contact_name": "Anna Schmidt",
    "contact_reach": "03871 1234",
    "ticket_confirmed": True,
}


def confirmed(slots=CONFIRMED_FAULT, **kwargs):
    tracker = form_tracker("fault_form", "Ja", requested=None, slots=slots, **kwargs)
    tracker.active_loop = {}
    return tracker


def stored(sequence=1):
    with db_session.transaction() as session:
        ticket = ticket_by_number(TicketNumber(2026, sequence), session=session)
        assert ticket is not None
        return {
            "kind": ticket.kind,
            "category": ticket.category,
            "priority": ticket.priority,
            "member": ticket.member.key if ticket.member else None,
            "reporter_sub": ticket.reporter_sub,
            "reporter_name": ticket.reporter_name,
            "reporter_contact": ticket.reporter_contact,
            "excerpt": ticket.excerpt,
            "details": ticket.details,
        }


async def test_confirmed_fault_opens_a_ticket_with_number_and_priority(seeded, at, form_run):
    at(2026, 11, 25, 10, 0)
    slots = await form_run(ActionOpenFaultTicket(), confirmed())
    message = form_run.dispatcher.messages[0]
    assert message["response"] == "utter_ticket_opened"
    assert (message["ticket"], message["priority"]) == ("KSM-2026-00001", "2 (hoch)")
    ticket = stored()
    assert (ticket["kind"], ticket["category"], ticket["priority"]) == (
        TicketKind.STOERUNG,
        "sicherheit",
        2,
    )
    assert (ticket["reporter_name"], ticket["reporter_contact"]) == ("Anna Schmidt", "03871 1234")
    assert "Nutzer: Ja" in ticket["excerpt"]
    assert slots["fault_description"] is None and slots["ticket_confirmed"] is None
    assert "member" not in slots


async def test_retried_call_for_the_same_message_opens_no_second_ticket(seeded, at, form_run):
    at(2026, 11, 25, 10, 0)
    await form_run(ActionOpenFaultTicket(), confirmed(message_id="m-7"))
    await form_run(ActionOpenFaultTicket(), confirmed(message_id="m-7"))
    numbers = [m["ticket"] for m in form_run.dispatcher.messages]
    assert numbers == ["KSM-2026-00001", "KSM-2026-00001"]


async def test_signed_in_reporter_is_stored_by_identity(seeded, at, identity_secret, form_run):
    at(2026, 11, 25, 10, 0)
    slots = {k: v for k, v in CONFIRMED_FAULT.items() if not k.startswith("contact")}
    await form_run(ActionOpenFaultTicket(), confirmed(slots, metadata={"user_token": user_token()}))
    ticket = stored()
    assert (ticket["reporter_sub"], ticket["reporter_name"]) == ("u-4711", "Anna Schmidt")


async def test_unconfirmed_form_opens_nothing(seeded, at, form_run):
    at(2026, 11, 25, 10, 0)
    await form_run(
        ActionOpenFaultTicket(), confirmed({**CONFIRMED_FAULT, "ticket_confirmed": None})
    )
    assert form_run.dispatcher.messages == []
    with db_session.transaction() as session:
        assert ticket_by_number(TicketNumber(2026, 1), session=session) is None


async def test_late_new_employee_request_is_opened_with_the_reminder(seeded, at, form_run):
    at(2026, 11, 25, 10, 0)
    slots = {
        "employee_name": "Lena Vogt",
        "member": "parchimer-umland",
        "org_unit": "Bauamt",
        "start_date": "2026-12-01",
        "equipment": "PC oder Notebook, Zugänge zu Fachverfahren",
        "fachverfahren_access": "Einwohnerwesen",
        "contact_name": "Anna Schmidt",
        "contact_reach": "a.schmidt@grabow.example",
        "ticket_confirmed": True,
    }
    await form_run(ActionOpenNewEmployeeTicket(), confirmed(slots))
    assert form_run.responses == [
        "utter_new_employee_ticket_opened",
        "utter_new_employee_late_reminder",
    ]
    ticket = stored()
    assert ticket["kind"] is TicketKind.ANTRAG
    assert "Fachverfahren: Einwohnerwesen" in ticket["details"]
    assert "Vorlauf von 10 Arbeitstagen eingehalten: nein" in ticket["details"]


async def test_cancel_forgets_the_answers(seeded, form_run):
    slots = await form_run(ActionCancelTicket(), confirmed())
    assert form_run.responses == ["utter_ticket_cancelled"]
    assert slots["fault_description"] is None


async def _status(form_run, text, **kwargs):
    tracker = form_tracker("", text, "ticket_status", requested=None, **kwargs)
    tracker.active_loop = {}
    await form_run(ActionTicketStatus(), tracker)
    return form_run.texts[-1]


async def test_status_of_own_ticket_typed_loosely(seeded, at, identity_secret, form_run):
    at(2026, 11, 25, 10, 0)
    token = {"user_token": user_token()}
    await form_run(ActionOpenFaultTicket(), confirmed(metadata=token))
    text = await _status(form_run, "was ist mit ksm 2026 1", metadata=token)
    assert text.startswith("Ticket KSM-2026-00001 (Störung:")
    assert "Status: neu" in text


async def test_status_of_someone_elses_ticket_is_not_found(seeded, at, identity_secret, form_run):
    at(2026, 11, 25, 10, 0)
    await form_run(ActionOpenFaultTicket(), confirmed(metadata={"user_token": user_token()}))
    other = {"user_token": user_token(Identity(sub="u-0815", member="grabow"))}
    text = await _status(form_run, "Status Ticket 1", metadata=other)
    assert text.startswith("Ein Ticket KSM-2026-00001 habe ich unter Ihren Tickets nicht gefunden")
    assert "Phishing" not in text


async def test_anonymous_ticket_status_only_in_the_same_conversation(seeded, at, form_run):
    at(2026, 11, 25, 10, 0)
    await form_run(ActionOpenFaultTicket(), confirmed(sender_id="c-1"))
    assert "Status: neu" in await _status(form_run, "KSM-2026-00001", sender_id="c-1")
    assert "nicht gefunden" in await _status(form_run, "KSM-2026-00001", sender_id="c-2")


async def test_status_without_number_asks_for_it(seeded, at, form_run):
    at(2026, 11, 25, 10, 0)
    text = await _status(form_run, "Wie weit ist mein Ticket?")
    assert text.startswith("Nennen Sie mir bitte die Ticketnummer, zum Beispiel KSM-2026-00017.")
