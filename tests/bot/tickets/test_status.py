"""Ticket status for its reporter only, on SQLite and PostgreSQL."""

import datetime as dt
from zoneinfo import ZoneInfo

from bot.db import session as db_session
from bot.db.models import TicketEvent, TicketEventKind, TicketKind, TicketStatus
from bot.tickets.numbers import TicketNumber
from bot.tickets.priority import Impact, Urgency
from bot.tickets.service import TicketDraft, create_ticket, ticket_by_number
from bot.tickets.status import Viewer, own_open_tickets, render_status, ticket_status

NOW = dt.datetime(2026, 11, 25, 10, 30, tzinfo=ZoneInfo("Europe/Berlin"))
FIRST = TicketNumber(2026, 1)


def _open(**changes):
    draft = TicketDraft(
        kind=TicketKind.STOERUNG,
        category="drucker",
        title="Drucker druckt nicht",
        description="Der Drucker im 2. OG druckt nicht.",
        impact=Impact.GROUP,
        urgency=Urgency.RESTRICTED,
        **changes,
    )
    with db_session.transaction() as session:
        return create_ticket(draft, now=NOW, session=session).number


def _status(viewer, number=FIRST):
    with db_session.transaction() as session:
        return ticket_status(number, viewer, session=session)


def test_reporter_with_identity_sees_status_and_last_public_note(db_url):
    _open(reporter_sub="u-1", conversation_id="c-1")
    later = NOW + dt.timedelta(hours=2)
    with db_session.transaction() as session:
        ticket = ticket_by_number(FIRST, session=session)
        ticket.status = TicketStatus.IN_BEARBEITUNG
        ticket.updated_at = later
        ticket.events += [
            TicketEvent(at=later, actor="A", kind=TicketEventKind.PUBLIC_NOTE, text="Toner kommt"),
            TicketEvent(at=later, actor="A", kind=TicketEventKind.INTERNAL_NOTE, text="intern"),
        ]
    view = _status(Viewer(sub="u-1", conversation_id="another-conversation"))
    assert view is not None
    text = render_status(view, timezone="Europe/Berlin")
    assert "Status: in Bearbeitung" in text
    assert "Letzte Änderung: 25.11.2026, 12:30 Uhr" in text
    assert "Toner kommt" in text
    assert "intern" not in text


def test_someone_else_gets_nothing_as_for_an_unknown_number(db_url):
    _open(reporter_sub="u-1", conversation_id="c-1")
    assert _status(Viewer(sub="u-2", conversation_id="c-1")) is None
    assert _status(Viewer(sub=None, conversation_id="c-1")) is None
    assert _status(Viewer(sub="u-1", conversation_id="c-1"), TicketNumber(2026, 2)) is None


def test_anonymous_ticket_is_visible_in_its_conversation_only(db_url):
    _open(conversation_id="c-anon")
    assert _status(Viewer(sub=None, conversation_id="c-anon")) is not None
    assert _status(Viewer(sub=None, conversation_id="c-other")) is None
    assert _status(Viewer(sub="u-1", conversation_id="c-other")) is None


def test_own_tickets_are_listed_newest_first(db_url):
    _open(reporter_sub="u-1")
    _open(reporter_sub="u-2")
    _open(reporter_sub="u-1")
    with db_session.transaction() as session:
        numbers = [t.number for t in own_open_tickets(Viewer("u-1", "c"), session=session)]
    assert numbers == ["KSM-2026-00003", "KSM-2026-00001"]
