"""The service desk's queue and changes, on SQLite and PostgreSQL."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.db import session as db_session
from bot.db.models import TicketEventKind, TicketStatus
from bot.tickets import desk
from bot.tickets.priority import Impact, Urgency
from bot.web import accounts
from tests.utils.tickets import MONDAY, open_ticket

LATER = dt.datetime(2026, 11, 25, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def _numbers(**filters):
    with db_session.transaction() as session:
        page = desk.queue(desk.QueueFilter(**filters), session=session)
        return [t.number for t in page.tickets], page.total


def test_queue_is_most_urgent_first_and_oldest_first_within_a_priority(seeded):
    low = open_ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)  # 3+3-1 → 4
    new_high = open_ticket(impact=Impact.GROUP, urgency=Urgency.BLOCKED, at=MONDAY.replace(hour=11))
    old_high = open_ticket(impact=Impact.GROUP, urgency=Urgency.BLOCKED, at=MONDAY.replace(hour=8))
    critical = open_ticket(impact=Impact.ORGANISATION, urgency=Urgency.BLOCKED)

    assert _numbers() == ([critical, old_high, new_high, low], 4)


def test_queue_filters_by_member_category_priority_status_and_text(seeded):
    grabow = open_ticket(member="grabow", title="Drucker in Grabow")
    schwerin_vpn = open_ticket(member="schwerin", category="homeoffice", title="VPN bricht ab")
    phishing = open_ticket(
        category="sicherheit", title="Verdächtige Mail", urgency=Urgency.CAN_WAIT
    )
    with db_session.transaction() as session:
        ticket = desk.ticket_by_number(phishing, session=session)
        desk.change_status(
            ticket, TicketStatus.IN_BEARBEITUNG, actor="Erika", now=LATER, session=session
        )

    assert _numbers(member="grabow") == ([grabow], 1)
    assert _numbers(category="homeoffice") == ([schwerin_vpn], 1)
    assert _numbers(priority=2) == ([phishing], 1)
    assert _numbers(status=TicketStatus.IN_BEARBEITUNG) == ([phishing], 1)
    assert _numbers(text="vpn") == ([schwerin_vpn], 1)
    assert _numbers(text=grabow) == ([grabow], 1)
    assert _numbers(member="grabow", category="homeoffice") == ([], 0)


def test_free_text_wildcards_are_taken_literally(seeded):
    percent = open_ticket(title="Kontingent 100% belegt")
    open_ticket(title="Kontingent 1000 belegt")
    assert _numbers(text="100%") == ([percent], 1)
    assert _numbers(text="_") == ([], 0)


def test_status_change_records_old_and_new_status_and_the_agent(seeded):
    number = open_ticket()
    with db_session.transaction() as session:
        ticket = desk.ticket_by_number(number, session=session)
        event = desk.change_status(
            ticket, TicketStatus.WARTET, actor="Erika Muster", now=LATER, session=session
        )
        assert event is not None
        assert (
            desk.change_status(
                ticket, TicketStatus.WARTET, actor="Erika Muster", now=LATER, session=session
            )
            is None
        )
    with db_session.transaction() as session:
        ticket = desk.ticket_by_number(number, session=session)
        assert ticket.status == TicketStatus.WARTET
        assert ticket.updated_at == LATER
        assert [(e.kind, e.actor, e.old_value, e.new_value) for e in ticket.events][1:] == [
            (TicketEventKind.STATUS, "Erika Muster", "neu", "wartet auf Rückmeldung")
        ]


def test_public_and_internal_notes_are_kept_apart(seeded):
    number = open_ticket()
    with db_session.transaction() as session:
        ticket = desk.ticket_by_number(number, session=session)
        desk.add_note(
            ticket, "Toner bestellt.", public=True, actor="Erika", now=LATER, session=session
        )
        desk.add_note(
            ticket,
            "  Nutzer ist ungeduldig.  ",
            public=False,
            actor="Erika",
            now=LATER,
            session=session,
        )
    with db_session.transaction() as session:
        events = desk.ticket_by_number(number, session=session).events
        assert [(e.kind, e.text) for e in events[1:]] == [
            (TicketEventKind.PUBLIC_NOTE, "Toner bestellt."),
            (TicketEventKind.INTERNAL_NOTE, "Nutzer ist ungeduldig."),
        ]


def test_an_empty_or_overlong_note_is_refused(seeded):
    number = open_ticket()
    with db_session.transaction() as session:
        ticket = desk.ticket_by_number(number, session=session)
        with pytest.raises(desk.DeskError, match="leer"):
            desk.add_note(ticket, "   ", public=False, actor="Erika", now=LATER, session=session)
        with pytest.raises(desk.DeskError, match="höchstens"):
            desk.add_note(
                ticket,
                "x" * (desk.MAX_NOTE_LENGTH + 1),
                public=False,
                actor="E",
                now=LATER,
                session=session,
            )


def test_assignment_is_recorded_and_can_be_undone(seeded):
    number = open_ticket()
    with db_session.transaction() as session:
        agent = accounts.create_agent(
            "jonas",
            "ein-langes-passwort",
            display_name="Jonas Beispiel",
            now=LATER,
            session=session,
        )
        ticket = desk.ticket_by_number(number, session=session)
        desk.assign(ticket, agent, actor="Erika", now=LATER, session=session)
        assert desk.assign(ticket, agent, actor="Erika", now=LATER, session=session) is None
        desk.assign(ticket, None, actor="Erika", now=LATER, session=session)
    with db_session.transaction() as session:
        ticket = desk.ticket_by_number(number, session=session)
        assert ticket.assignee is None
        assert [(e.kind, e.old_value, e.new_value, e.text) for e in ticket.events[1:]] == [
            (TicketEventKind.ASSIGNED, None, "jonas", "Jonas Beispiel"),
            (TicketEventKind.ASSIGNED, "jonas", None, None),
        ]


def test_an_unknown_number_finds_no_ticket(seeded):
    with db_session.transaction() as session:
        assert desk.ticket_by_number("KSM-2026-99999", session=session) is None


def test_nul_characters_find_nothing_and_are_dropped_from_notes(seeded):
    number = open_ticket()
    assert _numbers(text="\x00") == ([number], 1)
    assert _numbers(member="\x00grabow") == ([], 0)
    with db_session.transaction() as session:
        assert desk.ticket_by_number("KSM\x00", session=session) is None
        ticket = desk.ticket_by_number(number, session=session)
        event = desk.add_note(ticket, "a\x00b", public=False, actor="E", now=LATER, session=session)
        assert event.text == "ab"
