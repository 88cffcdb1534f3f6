"""The nightly purge: old conversations deleted, personal data of old tickets removed.

How long is "old" comes from ``bot.limits`` (``CONVERSATION_RETENTION``,
``CLOSED_TICKET_RETENTION``) unless the operator names an age (``--older-than 90d``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.privacy import conversations, tickets
from bot.review.conversations import has_tracker_store
from bot.web import lockout

PURGE_REASON = "Aufbewahrungsfrist abgelaufen"
_AGE = re.compile(r"(?P<amount>\d{1,5})\s*(?P<unit>[dhw])")
_UNITS = {"h": dt.timedelta(hours=1), "d": dt.timedelta(days=1), "w": dt.timedelta(weeks=1)}


def parse_age(text: str) -> dt.timedelta:
    """An age as operators write it: ``90d``, ``12h``, ``2w``; at least one hour.

    Raises:
        ValueError: with a German message saying what is accepted.
    """
    match = _AGE.fullmatch(text.strip().lower())
    if match is None or int(match["amount"]) < 1:
        raise ValueError(
            f"ungültige Dauer {text!r}: eine ganze Zahl ab 1 mit d (Tage), h (Stunden) "
            "oder w (Wochen), z. B. 90d"
        )
    return int(match["amount"]) * _UNITS[match["unit"]]


@dataclass(frozen=True)
class PurgeSummary:
    tracker_store: bool
    """Whether Rasa's tracker store exists here at all."""
    conversations: int
    """Conversations deleted entirely."""
    sessions: int
    """Old sessions deleted from conversations that are still going."""
    tickets: int
    """Tickets whose personal data was removed."""
    login_failures: int = 0
    """Records of failed helpdesk logins that no longer count (they hold a hashed name)."""

    def render(self) -> str:
        """The German summary the operator reads."""
        lines = []
        if not self.tracker_store:
            lines.append("Keine Gesprächsverläufe gespeichert (Tabelle 'events' fehlt).")
        lines.append(
            f"{self.conversations} Gespräch(e) gelöscht, {self.sessions} alte Sitzung(en) "
            f"laufender Gespräche gelöscht, {self.tickets} Ticket(s) anonymisiert, "
            f"{self.login_failures} abgelaufene Anmeldefehlversuch(e) gelöscht."
        )
        return "\n".join(lines)


def purge(
    *,
    now: dt.datetime,
    conversation_age: dt.timedelta,
    ticket_age: dt.timedelta,
    session: Session,
) -> PurgeSummary:
    """Delete old conversations and mask tickets finished long ago, in one transaction.

    Conversations go when their newest event is older than ``conversation_age`` (old
    sessions of conversations still going, likewise); tickets are masked when they were
    finished and last changed longer than ``ticket_age`` ago. Failed helpdesk logins whose
    lock is over are forgotten too.
    """
    stored = has_tracker_store(session)
    deleted = sessions = 0
    if stored:
        cutoff = now - conversation_age
        deleted = conversations.delete_stale_conversations(cutoff, session=session)
        sessions = conversations.delete_old_sessions(cutoff, session=session)
    expired = tickets.expired_tickets(now - ticket_age, session=session)
    for ticket in expired:
        tickets.mask_ticket(ticket, reason=PURGE_REASON, now=now)
    login_failures = lockout.forget_expired(now=now, session=session)
    session.flush()
    return PurgeSummary(stored, deleted, sessions, len(expired), login_failures)
