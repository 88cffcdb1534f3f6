"""Opening the confirmed ticket: the only place a form's answers are written.

The idempotency key comes from the conversation and the id of the confirming message, so an
action call that Rasa retries for the same event returns the ticket already opened instead of
opening a second one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import Events, KsmAction, in_session, reporter_identity
from actions.ticket_form import clean_text, reset_ticket_slots
from bot import clock
from bot.db import queries
from bot.db.models import TicketKind
from bot.formatting import german_date
from bot.identity import Identity
from bot.tickets.new_employee import lead_time_kept
from bot.tickets.priority import PRIORITY_NAMES, Impact, Urgency
from bot.tickets.service import TicketDraft, create_ticket

EXCERPT_MESSAGES = 20
TITLE_LENGTH = 80
NEW_EMPLOYEE_CATEGORY = "arbeitsplatz"


def idempotency_key(tracker: Tracker) -> str:
    message_id = (tracker.latest_message or {}).get("message_id") or ""
    source = f"{tracker.sender_id}\x00{message_id}\x00{len(tracker.events)}"
    if message_id:
        source = f"{tracker.sender_id}\x00{message_id}"
    return hashlib.sha256(source.encode()).hexdigest()


def conversation_excerpt(tracker: Tracker, limit: int = EXCERPT_MESSAGES) -> str:
    """The last messages of the conversation, as the service desk reads them."""
    lines = []
    for event in tracker.events:
        if event.get("event") == "user" and event.get("text"):
            lines.append(f"Nutzer: {clean_text(str(event['text']), 500)}")
        elif event.get("event") == "bot" and event.get("text"):
            lines.append(f"Assistent: {clean_text(str(event['text']), 500)}")
    return "\n".join(lines[-limit:])


class OpenTicketAction(KsmAction, ABC):
    """Base of the two submit actions. Abstract, so rasa-sdk does not register it."""

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        if tracker.get_slot("ticket_confirmed") is not True:
            return reset_ticket_slots()
        identity = reporter_identity(tracker)
        now = clock.now()

        def work(session: Any) -> tuple[str, int]:
            member_key = tracker.get_slot("member")
            member = queries.member_by_key(member_key, session=session) if member_key else None
            ticket = create_ticket(
                self.draft(tracker, identity, member=member), now=now, session=session
            )
            return ticket.number, ticket.priority

        number, priority = await in_session(work)
        dispatcher.utter_message(
            response=self.opened_response,
            ticket=number,
            priority=f"{priority} ({PRIORITY_NAMES[priority]})",
        )
        self.after_opening(dispatcher, tracker, now.date())
        return reset_ticket_slots()

    opened_response = "utter_ticket_opened"

    def reporter(self, tracker: Tracker, identity: Identity | None) -> dict[str, Any]:
        if identity is not None:
            return {"reporter_sub": identity.sub, "reporter_name": identity.name}
        return {
            "reporter_name": tracker.get_slot("contact_name"),
            "reporter_contact": tracker.get_slot("contact_reach"),
        }

    def common(self, tracker: Tracker, identity: Identity | None, member: Any) -> dict[str, Any]:
        return {
            "member": member,
            "conversation_id": tracker.sender_id,
            "idempotency_key": idempotency_key(tracker),
            "excerpt": conversation_excerpt(tracker),
            **self.reporter(tracker, identity),
        }

    @abstractmethod
    def draft(self, tracker: Tracker, identity: Identity | None, *, member: Any) -> TicketDraft:
        """The ticket the confirmed answers describe."""

    def after_opening(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, today: dt.date
    ) -> None:
        """Anything to say after the ticket number."""


class ActionOpenFaultTicket(OpenTicketAction):
    def name(self) -> str:
        return "action_open_fault_ticket"

    def draft(self, tracker: Tracker, identity: Identity | None, *, member: Any) -> TicketDraft:
        description = str(tracker.get_slot("fault_description") or "")
        return TicketDraft(
            kind=TicketKind.STOERUNG,
            category=str(tracker.get_slot("fault_category")),
            title=description[:TITLE_LENGTH],
            description=description,
            impact=Impact(int(tracker.get_slot("fault_impact"))),
            urgency=Urgency(int(tracker.get_slot("fault_urgency"))),
            **self.common(tracker, identity, member),
        )


class ActionOpenNewEmployeeTicket(OpenTicketAction):
    opened_response = "utter_new_employee_ticket_opened"

    def name(self) -> str:
        return "action_open_new_employee_ticket"

    def draft(self, tracker: Tracker, identity: Identity | None, *, member: Any) -> TicketDraft:
        start = dt.date.fromisoformat(str(tracker.get_slot("start_date")))
        name = str(tracker.get_slot("employee_name"))
        kept = lead_time_kept(start, today=clock.today())
        details = [
            f"Name: {name}",
            f"Organisationseinheit: {tracker.get_slot('org_unit')}",
            f"Arbeitsbeginn: {german_date(start)}",
            f"Ausstattung: {tracker.get_slot('equipment')}",
        ]
        if tracker.get_slot("fachverfahren_access"):
            details.append(f"Fachverfahren: {tracker.get_slot('fachverfahren_access')}")
        details.append(f"Vorlauf von 10 Arbeitstagen eingehalten: {'ja' if kept else 'nein'}")
        return TicketDraft(
            kind=TicketKind.ANTRAG,
            category=NEW_EMPLOYEE_CATEGORY,
            title=f"Neue Mitarbeiterin / neuer Mitarbeiter: {name} ab {german_date(start)}"[:200],
            description="\n".join(details),
            impact=Impact.PERSON,
            urgency=Urgency.CAN_WAIT if kept else Urgency.RESTRICTED,
            details="\n".join(details),
            **self.common(tracker, identity, member),
        )

    def after_opening(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, today: dt.date
    ) -> None:
        start = dt.date.fromisoformat(str(tracker.get_slot("start_date")))
        if not lead_time_kept(start, today=today):
            dispatcher.utter_message(response="utter_new_employee_late_reminder")
