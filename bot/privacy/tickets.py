"""Removing personal data from tickets, which themselves stay as the service desk's records.

A ticket names its reporter (``reporter_name``, ``reporter_contact``, ``reporter_sub``), links
to the conversation it came from (``conversation_id``) and quotes people in its texts: the
description, the details and title of a new-employee request ("Name: …"), the conversation
excerpt and the notes in its history. Masking empties the reporter fields and the link and
runs the texts through the review's masking (e-mail addresses, telephone numbers, the names
the ticket itself gives), so the record of what was wrong and what was done survives.

Masked tickets are recognised without a marker column: every ticket the assistant opens has
a ``conversation_id``, and masking empties it together with the reporter fields, so "has any
of these four" is exactly "not masked yet". The nightly purge selects only those, and a
second run finds nothing to do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from bot.chat_input import plain_text
from bot.db.models import Ticket, TicketEvent, TicketEventKind, TicketStatus
from bot.review.masking import mask

FINISHED = (TicketStatus.GESCHLOSSEN, TicketStatus.GELOEST)
"""Tickets whose personal data expires. ``gelöst`` counts too: nothing moves a solved ticket
on to ``geschlossen`` by itself, and one left solved would otherwise keep its reporter for
ever. The clock runs from the last change, so a ticket reopened or noted on starts again."""
ACTOR = "Datenschutz"
"""The actor named in the history for the masking."""
MASKED_NOTE = "Personenbezogene Daten entfernt ({reason})."
TITLE_LENGTH = 200
_NAMED_PERSON = re.compile(r"^Name: (?P<name>.+)$", re.MULTILINE)
"""The line of a new-employee request that names the new colleague."""

_NOT_MASKED = or_(
    Ticket.reporter_sub.is_not(None),
    Ticket.reporter_name.is_not(None),
    Ticket.reporter_contact.is_not(None),
    Ticket.conversation_id.is_not(None),
)


def expired_tickets(cutoff: dt.datetime, *, session: Session) -> Sequence[Ticket]:
    """Finished tickets unchanged since before ``cutoff`` that still hold personal data."""
    return session.scalars(
        select(Ticket)
        .where(Ticket.status.in_(FINISHED), Ticket.updated_at < cutoff, _NOT_MASKED)
        .options(selectinload(Ticket.events))
        .order_by(Ticket.id)
    ).all()


def tickets_of(sub: str, *, session: Session) -> Sequence[Ticket]:
    """Every ticket ``sub`` reported while signed in, oldest first."""
    return session.scalars(
        select(Ticket)
        .where(Ticket.reporter_sub == sub)
        .options(selectinload(Ticket.events))
        .order_by(Ticket.id)
    ).all()


def mask_ticket(ticket: Ticket, *, reason: str, now: dt.datetime) -> None:
    """Remove the personal data of ``ticket`` and say so in an internal note.

    ``updated_at`` stays: it is the last change to the case, which the queue sorts by and
    from which the retention period runs.
    """
    names = {ticket.reporter_name or ""}
    for text in (ticket.details, ticket.description):
        names.update(match["name"].strip() for match in _NAMED_PERSON.finditer(text or ""))
    names.discard("")
    ticket.title = _masked(ticket.title, names)[:TITLE_LENGTH]
    ticket.description = _masked(ticket.description, names)
    ticket.details = _mask_optional(ticket.details, names)
    ticket.excerpt = _mask_optional(ticket.excerpt, names)
    for event in ticket.events:
        event.text = _mask_optional(event.text, names)
    ticket.reporter_sub = None
    ticket.reporter_name = None
    ticket.reporter_contact = None
    ticket.conversation_id = None
    ticket.events.append(
        TicketEvent(
            at=now,
            actor=ACTOR,
            kind=TicketEventKind.INTERNAL_NOTE,
            text=MASKED_NOTE.format(reason=reason),
        )
    )


def _masked(text: str, names: set[str]) -> str:
    """``text`` masked, as plain text.

    The placeholders' angle brackets become ‹ and ›, as in everything the ticket service
    stores (``bot.tickets.service``).
    """
    return plain_text(mask(text, names))


def _mask_optional(text: str | None, names: set[str]) -> str | None:
    return None if text is None else _masked(text, names)
