"""The service desk's work on tickets: the queue, a ticket with its history, and changes.

Every change writes one entry of the ticket's history (``ticket_events``) naming the agent,
and moves ``updated_at``. Functions take the caller's session and never commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select

from bot.chat_input import plain_text
from bot.db.models import (
    Agent,
    Member,
    Service,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)

QUEUE_PAGE_SIZE = 100
"""Tickets shown on one page of the queue."""
MAX_QUEUE_PAGE_SIZE = 500
"""Most tickets one API call returns."""
MAX_SEARCH_LENGTH = 200
"""Longest free-text filter; longer input is cut."""
MAX_NOTE_LENGTH = 10_000
"""Longest note an agent may add."""


class DeskError(ValueError):
    """A change the desk refuses; the message tells the agent why, in German."""


@dataclass(frozen=True)
class QueueFilter:
    """What the agent narrowed the queue to; ``None`` means any."""

    member: str | None = None
    category: str | None = None
    priority: int | None = None
    status: TicketStatus | None = None
    text: str | None = None


@dataclass(frozen=True)
class QueuePage:
    tickets: list[Ticket]
    total: int


def queue(
    filters: QueueFilter,
    *,
    session: Session,
    limit: int = QUEUE_PAGE_SIZE,
    offset: int = 0,
) -> QueuePage:
    """Tickets matching ``filters``, most urgent first, and within a priority oldest first."""
    query = _filtered(select(Ticket), filters)
    total = session.scalar(_filtered(select(func.count(Ticket.id)), filters))
    tickets = session.scalars(
        query.options(selectinload(Ticket.member), selectinload(Ticket.assignee))
        .order_by(Ticket.priority, Ticket.created_at, Ticket.id)
        .limit(min(limit, MAX_QUEUE_PAGE_SIZE))
        .offset(offset)
    )
    return QueuePage(tickets=list(tickets), total=int(total or 0))


def _without_nul(value: str | None) -> str | None:
    """``value`` without NUL characters, which PostgreSQL refuses in any string."""
    return value.replace("\x00", "") if value else value


def _filtered(query: Select, filters: QueueFilter) -> Select:
    filters = replace(
        filters,
        member=_without_nul(filters.member),
        category=_without_nul(filters.category),
        text=_without_nul(filters.text),
    )
    if filters.member:
        query = query.join(Member, Ticket.member_id == Member.id).where(
            Member.key == filters.member
        )
    if filters.category:
        query = query.where(Ticket.category == filters.category)
    if filters.priority is not None:
        query = query.where(Ticket.priority == filters.priority)
    if filters.status is not None:
        query = query.where(Ticket.status == filters.status)
    text = (filters.text or "").strip()[:MAX_SEARCH_LENGTH]
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                *(
                    column.ilike(pattern, escape="\\")
                    for column in (
                        Ticket.number,
                        Ticket.title,
                        Ticket.description,
                        Ticket.details,
                        Ticket.reporter_name,
                    )
                )
            )
        )
    return query


def ticket_by_number(number: str, *, session: Session) -> Ticket | None:
    """The ticket ``number`` (exactly as stored, e.g. ``KSM-2026-00042``) with its history."""
    if "\x00" in number:
        return None
    return session.scalars(
        select(Ticket)
        .where(Ticket.number == number)
        .options(
            selectinload(Ticket.events),
            selectinload(Ticket.member),
            selectinload(Ticket.assignee),
        )
    ).one_or_none()


def members(*, session: Session) -> list[Member]:
    """The members to filter the queue by, by name."""
    return list(session.scalars(select(Member).order_by(Member.name)))


def categories(*, session: Session) -> list[Service]:
    """The service catalogue, whose keys are the ticket categories, in catalogue order."""
    return list(session.scalars(select(Service).order_by(Service.position, Service.key)))


def change_status(
    ticket: Ticket, status: TicketStatus, *, actor: str, now: dt.datetime, session: Session
) -> TicketEvent | None:
    """Set the status and record who changed it from what; no entry if nothing changes."""
    if ticket.status == status:
        return None
    event = TicketEvent(
        at=now,
        actor=actor,
        kind=TicketEventKind.STATUS,
        old_value=ticket.status.value,
        new_value=status.value,
    )
    ticket.status = status
    return _record(ticket, event, now=now, session=session)


def assign(
    ticket: Ticket, assignee: Agent | None, *, actor: str, now: dt.datetime, session: Session
) -> TicketEvent | None:
    """Give the ticket to ``assignee`` (``None``: to nobody); no entry if nothing changes."""
    if ticket.assignee_id == (assignee.id if assignee else None):
        return None
    event = TicketEvent(
        at=now,
        actor=actor,
        kind=TicketEventKind.ASSIGNED,
        old_value=ticket.assignee.name if ticket.assignee else None,
        new_value=assignee.name if assignee else None,
        text=assignee.display_name if assignee else None,
    )
    ticket.assignee = assignee
    return _record(ticket, event, now=now, session=session)


def add_note(
    ticket: Ticket,
    text: str,
    *,
    public: bool,
    actor: str,
    now: dt.datetime,
    session: Session,
) -> TicketEvent:
    """Add a note: internal ones are for the desk only, public ones also for the reporter."""
    text = plain_text(text).strip()
    if not text:
        raise DeskError("Die Notiz ist leer.")
    if len(text) > MAX_NOTE_LENGTH:
        raise DeskError(f"Die Notiz darf höchstens {MAX_NOTE_LENGTH} Zeichen lang sein.")
    kind = TicketEventKind.PUBLIC_NOTE if public else TicketEventKind.INTERNAL_NOTE
    event = TicketEvent(at=now, actor=actor, kind=kind, text=text)
    return _record(ticket, event, now=now, session=session)


def _record(
    ticket: Ticket, event: TicketEvent, *, now: dt.datetime, session: Session
) -> TicketEvent:
    ticket.events.append(event)
    ticket.updated_at = now
    session.flush()
    return event
