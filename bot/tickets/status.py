"""A ticket's status as its reporter may see it, and nobody else.

A ticket opened with a valid identity belongs to that ``sub``; an anonymous one to the
conversation it was opened in. Anyone else gets the same answer as for a number that does not
exist, so numbers cannot be probed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Ticket, TicketEvent, TicketEventKind
from bot.formatting import german_date
from bot.tickets.numbers import TicketNumber
from bot.tickets.priority import PRIORITY_NAMES


@dataclass(frozen=True)
class Viewer:
    """Who asks: the identity's ``sub`` if the token was valid, and the conversation."""

    sub: str | None
    conversation_id: str


@dataclass(frozen=True)
class TicketStatusView:
    number: str
    kind: str
    title: str
    status: str
    priority: int
    last_change: dt.datetime
    public_note: str | None


def may_see(ticket: Ticket, viewer: Viewer) -> bool:
    if ticket.reporter_sub is not None:
        return viewer.sub == ticket.reporter_sub
    return ticket.conversation_id is not None and ticket.conversation_id == viewer.conversation_id


def ticket_status(
    number: TicketNumber, viewer: Viewer, *, session: Session
) -> TicketStatusView | None:
    """The status of ticket ``number`` if ``viewer`` reported it, else ``None``."""
    ticket = session.scalars(select(Ticket).where(Ticket.number == str(number))).one_or_none()
    if ticket is None or not may_see(ticket, viewer):
        return None
    note = session.scalars(
        select(TicketEvent.text)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == TicketEventKind.PUBLIC_NOTE)
        .order_by(TicketEvent.id.desc())
        .limit(1)
    ).first()
    return TicketStatusView(
        number=ticket.number,
        kind=ticket.kind.value,
        title=ticket.title,
        status=ticket.status.value,
        priority=ticket.priority,
        last_change=ticket.updated_at,
        public_note=note,
    )


def own_open_tickets(viewer: Viewer, *, session: Session, limit: int = 5) -> list[Ticket]:
    """The viewer's most recent tickets (by identity, else from this conversation)."""
    owner = (
        Ticket.reporter_sub == viewer.sub
        if viewer.sub
        else (Ticket.reporter_sub.is_(None)) & (Ticket.conversation_id == viewer.conversation_id)
    )
    return list(
        session.scalars(select(Ticket).where(owner).order_by(Ticket.id.desc()).limit(limit)).all()
    )


def render_status(view: TicketStatusView, *, timezone: str) -> str:
    """The status answer the user reads."""
    changed = view.last_change
    if changed.tzinfo is None:
        changed = changed.replace(tzinfo=dt.timezone.utc)
    local = changed.astimezone(ZoneInfo(timezone))
    text = (
        f"Ticket {view.number} ({view.kind}: {view.title})\n"
        f"- Status: {view.status}\n"
        f"- Priorität: {view.priority} ({PRIORITY_NAMES[view.priority]})\n"
        f"- Letzte Änderung: {german_date(local.date())}, {local:%H:%M} Uhr"
    )
    if view.public_note:
        text += f"\n- Letzte Nachricht des Servicedesks: {view.public_note}"
    return text
