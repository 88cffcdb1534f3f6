"""The status of a ticket by its number, also typed loosely ("ksm 2026 17", "Ticket 17").

Only the reporter learns anything: the same identity (``sub``) or, for an anonymous ticket,
the same conversation. Everyone else hears that the ticket was not found.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import Events, KsmAction, Reply, in_session, latest_question, reporter_identity
from bot import clock
from bot.settings import get_settings
from bot.tickets.numbers import parse_ticket_number
from bot.tickets.status import Viewer, own_open_tickets, render_status, ticket_status

ASK_NUMBER = (
    "Nennen Sie mir bitte die Ticketnummer, zum Beispiel KSM-{year}-00017. "
    "Sie steht in der Bestätigung, die Sie beim Anlegen bekommen haben."
)
NOT_FOUND = (
    "Ein Ticket {number} habe ich unter Ihren Tickets nicht gefunden. Bitte prüfen Sie die "
    "Nummer. Ich kann nur Tickets zeigen, die Sie selbst gemeldet haben."
)
OWN_TICKETS = "Ihre letzten Tickets:"


class ActionTicketStatus(KsmAction):
    def name(self) -> str:
        return "action_ticket_status"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        today = clock.today()
        number = parse_ticket_number(latest_question(tracker).text, current_year=today.year)
        identity = reporter_identity(tracker)
        viewer = Viewer(sub=identity.sub if identity else None, conversation_id=tracker.sender_id)

        def work(session: Session) -> Reply:
            if number is None:
                own = own_open_tickets(viewer, session=session)
                if not own:
                    return Reply(ASK_NUMBER.format(year=today.year))
                buttons = [
                    {"title": f"{t.number}: {t.title[:40]}", "payload": f"Status {t.number}"}
                    for t in own
                ]
                return Reply(OWN_TICKETS, buttons)
            view = ticket_status(number, viewer, session=session)
            if view is None:
                return Reply(NOT_FOUND.format(number=number))
            return Reply(render_status(view, timezone=get_settings().timezone))

        (await in_session(work)).send(dispatcher)
        return []
