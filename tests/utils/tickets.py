"""Tickets opened through the ticket service, as the assistant opens them."""

import datetime as dt
from zoneinfo import ZoneInfo

from bot.db import queries
from bot.db import session as db_session
from bot.db.models import TicketKind
from bot.tickets.priority import Impact, Urgency
from bot.tickets.service import TicketDraft, create_ticket

MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def open_ticket(*, member=None, at=MONDAY, **changes):
    """Open a ticket through the ticket service; returns its number."""
    values = {
        "kind": TicketKind.STOERUNG,
        "category": "drucker",
        "title": "Drucker druckt nicht",
        "description": "Der Drucker im 2. OG druckt seit heute früh nicht.",
        "impact": Impact.GROUP,
        "urgency": Urgency.RESTRICTED,
        "reporter_name": "Max Beispiel",
        "excerpt": "Nutzer: Der Drucker druckt nicht.\nAssistent: Seit wann?",
        **changes,
    }
    with db_session.transaction() as session:
        if member:
            values["member"] = queries.member_by_key(member, session=session)
        return create_ticket(TicketDraft(**values), now=at, session=session).number
