"""A person's rights of access and erasure (Art. 15 and 17 DSGVO) for the assistant's data.

A person is known by the ``sub`` the intranet puts in its tokens. Their data is the tickets
they reported while signed in (``reporter_sub``) and the conversations in which their signed
token was sent. Without ``KSM_IDENTITY_SECRET`` no conversation can be attributed to anyone:
the client chooses the conversation id, so it proves nothing.

Erasure deletes the conversations and masks the tickets: a ticket is the service desk's
record of a fault or request and stays, without the person in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.db.models import Ticket, TicketEventKind
from bot.privacy import conversations, tickets
from bot.review.conversations import has_tracker_store

ERASURE_REASON = "Löschung auf Wunsch der Person"
PUBLIC_EVENTS = frozenset(
    {TicketEventKind.CREATED, TicketEventKind.STATUS, TicketEventKind.PUBLIC_NOTE}
)
"""The history a reporter may see: what the desk did and told them, not its internal notes."""


@dataclass(frozen=True)
class SubjectData:
    sub: str
    tickets: Sequence[Ticket]
    conversations: Sequence[str] | None
    """The person's conversation ids; ``None`` when none can be attributed (no secret)."""


def find(sub: str, *, secret: str | None, session: Session) -> SubjectData:
    """Everything stored about ``sub``."""
    found: list[str] | None = None
    if secret:
        found = []
        if has_tracker_store(session):
            found = conversations.conversations_of(sub, secret=secret, session=session)
    return SubjectData(sub, tickets.tickets_of(sub, session=session), found)


def describe(data: SubjectData) -> str:
    """What was found, in German: "2 Ticket(s), 1 Gespräch(e)"."""
    counts = f"{len(data.tickets)} Ticket(s)"
    if data.conversations is not None:
        counts += f", {len(data.conversations)} Gespräch(e)"
    return counts


def export(data: SubjectData, *, now: dt.datetime, session: Session) -> dict[str, Any]:
    """The copy of the person's data handed out on request, as JSON-ready values."""
    return {
        "benutzerkennung": data.sub,
        "erstellt": now.isoformat(),
        "tickets": [_ticket(ticket) for ticket in data.tickets],
        "gespraeche": [
            {
                "gespraech": sender_id,
                "verlauf": conversations.read_conversation(sender_id, session=session),
            }
            for sender_id in data.conversations or ()
        ],
    }


def _ticket(ticket: Ticket) -> dict[str, Any]:
    return {
        "nummer": ticket.number,
        "art": ticket.kind.value,
        "status": ticket.status.value,
        "bereich": ticket.category,
        "prioritaet": ticket.priority,
        "verwaltung": ticket.member.name if ticket.member else None,
        "titel": ticket.title,
        "beschreibung": ticket.description,
        "angaben": ticket.details,
        "gespraechsauszug": ticket.excerpt,
        "name": ticket.reporter_name,
        "kontakt": ticket.reporter_contact,
        "gespraech": ticket.conversation_id,
        "angelegt": ticket.created_at.isoformat(),
        "letzte_aenderung": ticket.updated_at.isoformat(),
        "verlauf": [
            {
                "zeit": event.at.isoformat(),
                "art": event.kind.value,
                "von": event.actor,
                "alt": event.old_value,
                "neu": event.new_value,
                "text": event.text,
            }
            for event in ticket.events
            if event.kind in PUBLIC_EVENTS
        ],
    }


def erase(data: SubjectData, *, now: dt.datetime, session: Session) -> tuple[int, int]:
    """Delete the person's conversations and mask their tickets; returns both counts."""
    deleted = conversations.delete_conversations(data.conversations or (), session=session)
    for ticket in data.tickets:
        tickets.mask_ticket(ticket, reason=ERASURE_REASON, now=now)
    session.flush()
    return deleted, len(data.tickets)
