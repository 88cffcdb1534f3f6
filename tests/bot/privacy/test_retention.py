"""`python -m bot privacy purge`: old conversations deleted, finished old tickets masked."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot import limits
from bot.cli import main
from bot.db import session as db_session
from bot.db.models import LoginFailure, TicketStatus
from bot.privacy.retention import parse_age
from bot.web import lockout
from tests.bot.privacy.conftest import finish, stored_events, ticket
from tests.utils.tickets import open_ticket

OLD = dt.timedelta(days=120)
RECENT = dt.timedelta(days=2)


@pytest.mark.parametrize(
    ("text", "age"),
    [("90d", dt.timedelta(days=90)), ("12h", dt.timedelta(hours=12)), (" 2W", dt.timedelta(14))],
)
def test_ages_are_read_in_days_hours_and_weeks(text, age):
    assert parse_age(text) == age


@pytest.mark.parametrize("text", ["", "90", "0d", "-5d", "90 Tage", "1.5d", "d", "9999999d"])
def test_nonsense_ages_are_refused(text):
    with pytest.raises(ValueError, match="ungültige Dauer"):
        parse_age(text)


def test_purge_refuses_a_nonsense_age_in_german_with_exit_code_2(privacy_db, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["privacy", "purge", "--older-than", "bald"])
    assert exited.value.code == 2
    assert "ungültige Dauer 'bald'" in capsys.readouterr().err


def test_conversation_without_a_recent_event_is_deleted_entirely(tracker, capsys):
    tracker.session_start("old", ago=OLD)
    tracker.user("old", "Mein Drucker streikt", "report_fault", ago=OLD)
    tracker.session_start("old", ago=dt.timedelta(days=95))
    tracker.user("old", "Danke", "thank", ago=dt.timedelta(days=95))
    tracker.session_start("new", ago=RECENT)
    tracker.user("new", "Hallo", "greet", ago=RECENT)
    tracker.session.commit()

    assert main(["privacy", "purge"]) == 0

    assert {sender for sender, _, _ in stored_events()} == {"new"}
    assert "1 Gespräch(e) gelöscht, 0 alte Sitzung(en)" in capsys.readouterr().out


def test_old_sessions_go_and_the_current_session_stays_whole(tracker, capsys):
    tracker.session_start("a", ago=OLD)
    tracker.user("a", "Wie ist die Hotline?", "contact_servicedesk", ago=OLD)
    tracker.bot("a", "030 23125 100", ago=OLD)
    tracker.session_start("a", ago=dt.timedelta(days=100))
    tracker.user("a", "Danke", "thank", ago=dt.timedelta(days=100))
    tracker.session_start("a", {"member": "grabow"}, ago=dt.timedelta(hours=1))
    tracker.user("a", "Seit wann ist Grabow dabei?", "member_since", ago=dt.timedelta(hours=1))
    tracker.session.commit()
    current = stored_events()[-5:]

    assert main(["privacy", "purge"]) == 0

    assert stored_events() == current
    assert current[0] == ("a", "slot", None)  # the new session's start metadata stays with it
    assert current[1] == ("a", "action", "action_session_start")
    assert "0 Gespräch(e) gelöscht, 2 alte Sitzung(en)" in capsys.readouterr().out


def test_a_session_still_going_across_the_cutoff_is_kept(tracker):
    tracker.session_start("a", ago=OLD)
    tracker.user("a", "Frage", "help", ago=OLD)
    tracker.user("a", "Noch eine Frage", "help", ago=RECENT)
    tracker.session.commit()
    before = stored_events()

    assert main(["privacy", "purge"]) == 0

    assert stored_events() == before


def test_finished_old_tickets_are_masked_others_untouched(privacy_db, capsys):
    closed = open_ticket(
        reporter_name="Erika Beispiel",
        reporter_contact="erika.beispiel@grabow.example",
        conversation_id="conv-1",
        description="Drucker defekt, Frau Beispiel erreichbar unter 03871 123456",
        excerpt="Nutzer: Erika Beispiel, erika.beispiel@grabow.example",
    )
    solved = open_ticket(reporter_sub="u-1", conversation_id="conv-2")
    still_open = open_ticket(reporter_name="Max Beispiel", conversation_id="conv-3")
    recently_closed = open_ticket(reporter_name="Max Beispiel", conversation_id="conv-4")
    finish(closed, TicketStatus.GESCHLOSSEN, ago=OLD)
    finish(solved, TicketStatus.GELOEST, ago=OLD)
    finish(still_open, TicketStatus.IN_BEARBEITUNG, ago=OLD)
    finish(recently_closed, TicketStatus.GESCHLOSSEN, ago=RECENT)

    assert main(["privacy", "purge"]) == 0

    masked = ticket(closed)
    assert (masked.reporter_name, masked.reporter_contact, masked.conversation_id) == (
        None,
        None,
        None,
    )
    assert masked.description == "Drucker defekt, Frau ‹Name› erreichbar unter ‹Telefon›"
    assert masked.excerpt == "Nutzer: ‹Name›, ‹E-Mail›"
    assert masked.status is TicketStatus.GESCHLOSSEN
    assert (
        masked.events[-1].text == "Personenbezogene Daten entfernt (Aufbewahrungsfrist abgelaufen)."
    )
    assert ticket(solved).reporter_sub is None
    assert ticket(still_open).reporter_name == "Max Beispiel"
    assert ticket(recently_closed).conversation_id == "conv-4"
    out = capsys.readouterr().out
    assert "Keine Gesprächsverläufe gespeichert" in out
    assert "2 Ticket(s) anonymisiert" in out


def test_new_employee_name_is_masked_in_title_and_details(privacy_db):
    details = "Name: Jana Neumann\nOrganisationseinheit: Bürgeramt"
    number = open_ticket(
        title="Neue Mitarbeiterin / neuer Mitarbeiter: Jana Neumann ab 1. März 2027",
        description=details,
        details=details,
        conversation_id="conv-5",
    )
    finish(number, TicketStatus.GESCHLOSSEN, ago=OLD)

    main(["privacy", "purge"])

    masked = ticket(number)
    assert masked.title == "Neue Mitarbeiterin / neuer Mitarbeiter: ‹Name› ab 1. März 2027"
    assert masked.details == "Name: ‹Name›\nOrganisationseinheit: Bürgeramt"


def test_second_purge_changes_nothing(tracker, capsys):
    tracker.session_start("a", ago=OLD)
    tracker.session_start("a", ago=RECENT)
    tracker.session_start("b", ago=OLD)
    tracker.session.commit()
    number = open_ticket(conversation_id="conv-1")
    finish(number, TicketStatus.GESCHLOSSEN, ago=OLD)
    main(["privacy", "purge"])
    after_first = (stored_events(), ticket(number).description, len(ticket(number).events))
    capsys.readouterr()

    assert main(["privacy", "purge"]) == 0

    assert (stored_events(), ticket(number).description, len(ticket(number).events)) == after_first
    out = capsys.readouterr().out
    assert (
        "0 Gespräch(e) gelöscht, 0 alte Sitzung(en) laufender Gespräche gelöscht, 0 Ticket(s)"
        in out
    )


def test_older_than_applies_to_conversations_and_tickets(tracker):
    tracker.session_start("a", ago=dt.timedelta(days=10))
    tracker.session.commit()
    number = open_ticket(conversation_id="conv-1")
    finish(number, TicketStatus.GESCHLOSSEN, ago=dt.timedelta(days=10))

    main(["privacy", "purge"])
    assert stored_events() and ticket(number).conversation_id == "conv-1"

    main(["privacy", "purge", "--older-than", "7d"])
    assert not stored_events() and ticket(number).conversation_id is None


def test_failed_logins_whose_lock_is_over_are_forgotten(privacy_db, capsys):
    now = dt.datetime.now(dt.timezone.utc)
    with db_session.transaction() as session:
        for name, at in (("alt", now - dt.timedelta(days=1)), ("frisch", now)):
            for _ in range(limits.LOGIN_FAILURES_BEFORE_LOCK):
                lockout.record_failure(lockout.hold(name, session=session), now=at)
    assert main(["privacy", "purge"]) == 0
    assert "1 abgelaufene Anmeldefehlversuch(e) gelöscht" in capsys.readouterr().out
    with db_session.transaction() as session:
        remaining = session.scalars(select(LoginFailure.name_hash)).all()
    assert remaining == [lockout.name_hash("frisch")]
