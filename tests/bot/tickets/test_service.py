"""Opening tickets on SQLite and PostgreSQL: numbers, priority, idempotency, concurrency."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

from bot.db import queries
from bot.db import session as db_session
from bot.db.models import TicketKind, TicketStatus
from bot.tickets.numbers import TicketNumber, parse_ticket_number
from bot.tickets.priority import Impact, Urgency
from bot.tickets.service import TicketDraft, create_ticket, ticket_by_number

NOW = dt.datetime(2026, 11, 25, 10, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def _draft(**changes):
    values = {
        "kind": TicketKind.STOERUNG,
        "category": "drucker",
        "title": "Drucker druckt nicht",
        "description": "Der Drucker im 2. OG druckt seit heute früh nicht.",
        "impact": Impact.GROUP,
        "urgency": Urgency.RESTRICTED,
        **changes,
    }
    return TicketDraft(**values)


def _create(draft, now=NOW):
    with db_session.transaction() as session:
        ticket = create_ticket(draft, now=now, session=session)
        return ticket.number, ticket.priority


def test_first_ticket_of_a_year_is_number_one_and_numbers_count_up(db_url):
    assert _create(_draft())[0] == "KSM-2026-00001"
    assert _create(_draft())[0] == "KSM-2026-00002"
    assert _create(_draft(), now=NOW.replace(year=2027, month=1, day=4))[0] == "KSM-2027-00001"


def test_ticket_is_opened_complete_with_priority_and_history(seeded):
    with db_session.transaction() as session:
        grabow = queries.member_by_key("grabow", session=session)
        ticket = create_ticket(
            _draft(
                member=grabow,
                reporter_name="Erika Muster",
                reporter_contact="erika@grabow.example",
                excerpt="Nutzer: Drucker spinnt",
            ),
            now=NOW,
            session=session,
        )
        number = ticket.number
    with db_session.transaction() as session:
        stored = ticket_by_number(TicketNumber(2026, 1), session=session)
        assert stored is not None
        assert stored.number == number
        assert (stored.status, stored.priority, stored.member.key) == (
            TicketStatus.NEU,
            3,
            "grabow",
        )
        assert stored.excerpt == "Nutzer: Drucker spinnt"
        assert [(e.kind.value, e.actor, e.new_value) for e in stored.events] == [
            ("created", "Assistent", "neu")
        ]


def test_suspected_phishing_is_at_least_priority_two(db_url):
    assert (
        _create(_draft(category="sicherheit", impact=Impact.PERSON, urgency=Urgency.CAN_WAIT))[1]
        == 2
    )


def test_a_retried_creation_for_the_same_event_returns_the_first_ticket(db_url):
    first = _create(_draft(idempotency_key="conversation-1:1732530000.123"))
    again = _create(_draft(idempotency_key="conversation-1:1732530000.123"))
    other = _create(_draft(idempotency_key="conversation-1:1732530099.456"))
    assert first == again
    assert other[0] == "KSM-2026-00002"


def test_parallel_creations_never_share_a_number(db_url):
    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(lambda _: _create(_draft())[0], range(40)))
    assert len(set(numbers)) == 40
    assert sorted(numbers) == [f"KSM-2026-{n:05d}" for n in range(1, 41)]


def test_parallel_retries_of_one_event_open_one_ticket(db_url):
    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = set(
            pool.map(lambda _: _create(_draft(idempotency_key="same-event"))[0], range(16))
        )
    assert len(numbers) == 1


def test_markup_and_control_characters_are_stored_as_plain_text(db_url):
    number, _ = _create(
        _draft(
            title="<script>alert(1)</script>",
            description='Fehler\x00 bei <img src=x onerror="alert(2)"> seit\x1b heute',
            reporter_name="<b>Erika</b>",
            reporter_contact="erika@example.org<br>",
            excerpt="Nutzer: <a href='javascript:alert(3)'>hier</a>",
        )
    )
    with db_session.transaction() as session:
        stored = ticket_by_number(parse_ticket_number(number, current_year=2026), session=session)
        fields = [
            stored.title,
            stored.description,
            stored.reporter_name,
            stored.reporter_contact,
            stored.excerpt,
        ]
    assert not any(char in field for field in fields for char in "<>\x00\x1b")
    assert stored.title == "‹script›alert(1)‹/script›"
    assert stored.description == 'Fehler bei ‹img src=x onerror="alert(2)"› seit heute'


def test_sql_looking_text_is_stored_literally_and_changes_nothing_else(db_url):
    attack = "'); DROP TABLE tickets; -- \" OR 1=1; DELETE FROM members WHERE ''='"
    first, _ = _create(_draft(title=attack, description=attack, reporter_name=attack))
    second, _ = _create(_draft())
    with db_session.transaction() as session:
        stored = ticket_by_number(parse_ticket_number(first, current_year=2026), session=session)
        assert (stored.title, stored.description, stored.reporter_name) == (attack,) * 3
        assert (
            ticket_by_number(parse_ticket_number(second, current_year=2026), session=session)
            is not None
        )
