"""Opening tickets: unique numbers under concurrency, idempotent creation, history.

What the user wrote is stored as plain text (``bot.chat_input.plain_text``): without control
characters and with ``<`` and ``>`` as look-alike quotation marks, so that no page, export or
mail client that shows a ticket can take it for markup, even one that forgets to escape.

Numbers come from one counter row per year, incremented with ``UPDATE … SET last_sequence =
last_sequence + 1`` as the first write of the transaction: PostgreSQL locks the row until
commit, SQLite the whole database, so two parallel creations never share a number. A number
whose transaction rolls back is not given out again either; gaps are allowed, reuse is not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.chat_input import plain_text
from bot.db.models import (
    Member,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketEventKind,
    TicketKind,
    TicketStatus,
)
from bot.tickets.numbers import TicketNumber
from bot.tickets.priority import Impact, Urgency, priority

ASSISTANT = "Assistent"
"""The actor named in the history for what the assistant did."""


@dataclass(frozen=True)
class TicketDraft:
    """Everything the conversation collected, confirmed by the user."""

    kind: TicketKind
    category: str
    title: str
    description: str
    impact: Impact
    urgency: Urgency
    member: Member | None = None
    reporter_sub: str | None = None
    reporter_name: str | None = None
    reporter_contact: str | None = None
    conversation_id: str | None = None
    idempotency_key: str | None = None
    excerpt: str | None = None
    details: str | None = None


def next_number(year: int, *, session: Session) -> TicketNumber:
    """Take the next ticket number of ``year`` (inside the caller's transaction)."""
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    session.execute(
        update(TicketCounter)
        .where(TicketCounter.year == year)
        .values(last_sequence=TicketCounter.last_sequence + 1)
    )
    sequence = session.scalar(select(TicketCounter.last_sequence).where(TicketCounter.year == year))
    if sequence is None:
        session.execute(
            insert(TicketCounter)
            .values(year=year, last_sequence=0)
            .on_conflict_do_nothing(index_elements=["year"])
        )
        return next_number(year, session=session)
    return TicketNumber(year, int(sequence))


def create_ticket(draft: TicketDraft, *, now: dt.datetime, session: Session) -> Ticket:
    """Open a ticket for ``draft``; the same ``idempotency_key`` returns the first ticket."""
    if draft.idempotency_key:
        existing = _by_idempotency_key(draft.idempotency_key, session=session)
        if existing is not None:
            return existing
    number = next_number(now.year, session=session)
    ticket = Ticket(
        number=str(number),
        kind=draft.kind,
        status=TicketStatus.NEU,
        category=draft.category,
        priority=priority(draft.impact, draft.urgency, draft.category),
        impact=int(draft.impact),
        urgency=int(draft.urgency),
        member=draft.member,
        title=_plain(draft.title),
        description=_plain(draft.description),
        details=_plain(draft.details),
        reporter_sub=draft.reporter_sub,
        reporter_name=_plain(draft.reporter_name),
        reporter_contact=_plain(draft.reporter_contact),
        conversation_id=draft.conversation_id,
        idempotency_key=draft.idempotency_key,
        excerpt=_plain(draft.excerpt),
        created_at=now,
        updated_at=now,
    )
    ticket.events.append(
        TicketEvent(at=now, actor=ASSISTANT, kind=TicketEventKind.CREATED, new_value="neu")
    )
    savepoint = session.begin_nested()
    session.add(ticket)
    try:
        session.flush()
    except IntegrityError:
        savepoint.rollback()
        existing = (
            _by_idempotency_key(draft.idempotency_key, session=session)
            if draft.idempotency_key
            else None
        )
        if existing is None:
            raise
        return existing
    savepoint.commit()
    return ticket


def _plain(text: str | None) -> str | None:
    return None if text is None else plain_text(text)


def ticket_by_number(number: TicketNumber, *, session: Session) -> Ticket | None:
    return session.scalars(select(Ticket).where(Ticket.number == str(number))).one_or_none()


def _by_idempotency_key(key: str, *, session: Session) -> Ticket | None:
    return session.scalars(select(Ticket).where(Ticket.idempotency_key == key)).one_or_none()
