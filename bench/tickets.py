"""After a load run: was every ticket the users were told about opened, and only once?"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import create_engine, select

from bot.db.models import Ticket


@dataclass(frozen=True)
class TicketCheck:
    told: int
    """Conversations that ended with a ticket number."""
    stored: int
    """Tickets in the database from benchmark conversations."""
    lost: tuple[str, ...]
    """Numbers a user was told that the database does not hold for that conversation."""
    duplicated: tuple[str, ...]
    """Conversations with more than one ticket."""

    @property
    def ok(self) -> bool:
        return not self.lost and not self.duplicated


def check_tickets(database_url: str, told: list[tuple[str, str]]) -> TicketCheck:
    """Compare what the users were told, (sender id, number), with the ``tickets`` table."""
    engine = create_engine(database_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(Ticket.conversation_id, Ticket.number).where(
                    Ticket.conversation_id.like("bench-%")
                )
            ).all()
    finally:
        engine.dispose()
    stored = {(str(sender), str(number)) for sender, number in rows}
    per_conversation = Counter(str(sender) for sender, _ in rows)
    return TicketCheck(
        told=len(told),
        stored=len(rows),
        lost=tuple(number or sender for sender, number in told if (sender, number) not in stored),
        duplicated=tuple(sorted(sender for sender, n in per_conversation.items() if n > 1)),
    )
