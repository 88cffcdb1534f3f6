"""Tickets through the running assistant: the forms end to end, identity, status, cancel."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import create_engine, text

from bot.identity import Identity, create_user_token
from tests.e2e.conftest import IDENTITY_SECRET, Assistant

pytestmark = pytest.mark.e2e

TICKET = re.compile(r"KSM-\d{4}-\d{5}")


def token(sub: str = "u-4711", member: str = "grabow") -> dict[str, str]:
    identity = Identity(sub=sub, name="Anna Schmidt", member=member)
    now = dt.datetime.now(dt.timezone.utc)
    signed = create_user_token(identity, IDENTITY_SECRET, now=now, lifetime=dt.timedelta(hours=1))
    return {"user_token": signed}


def tickets(assistant: Assistant) -> list[tuple[str, str, int, str | None, str | None]]:
    engine = create_engine(assistant.database_url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT number, category, priority, reporter_sub, reporter_contact "
                "FROM tickets ORDER BY id"
            )
        ).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def test_anonymous_fault_report_with_side_question_and_correction(running):
    say = lambda text: running.say("e2e-fault-1", text)  # noqa: E731
    assert "Beschreiben Sie bitte kurz" in say("Ich möchte eine Störung melden")
    assert "Für welche Verwaltung ist das?" in say(
        "Der Drucker im Bürgerbüro druckt seit heute früh nicht mehr"
    )
    assert "Wer ist betroffen?" in say('/inform_member{"member": "grabow"}')
    side = say("Wie ist die Telefonnummer vom Servicedesk?")
    assert "0385 99 99 99" in side
    assert "Wer ist betroffen?" in side
    assert "Wie sehr behindert Sie das" in say("mehrere Kolleginnen und Kollegen")
    assert "Wie ist Ihr Name?" in say("Ich kann eingeschränkt arbeiten")
    summary = say("Anna Schmidt, 03871 1234")
    assert "Bereich: Drucker und Multifunktionsgeräte" in summary
    assert "Dringlichkeit: Ich kann eingeschränkt arbeiten" in summary
    assert "Wie sehr behindert Sie das" in say("Dringlichkeit ändern")
    assert "Dringlichkeit: Es kann warten" in say("Es kann warten")
    assert tickets(running) == [] or all(t[4] != "03871 1234" for t in tickets(running))

    opened = say("Ja")
    assert "wurde angelegt, Priorität 4 (niedrig)" in opened
    number = TICKET.search(opened).group(0)
    assert (number, "drucker", 4, None, "03871 1234") in tickets(running)

    status = running.say("e2e-fault-1", f"Wie ist der Stand von {number}?")
    assert "Status: neu" in status
    stranger = running.say("e2e-someone-else", f"Wie ist der Stand von {number}?")
    assert "nicht gefunden" in stranger
    assert "Drucker" not in stranger


def test_signed_in_user_is_not_asked_for_member_or_contact(running):
    metadata = token(sub="u-e2e-1")
    first = running.say(
        "e2e-fault-2",
        "Ich habe auf einen Link in einer Phishing-Mail geklickt, bitte als Störung aufnehmen",
        metadata,
    )
    assert "Sicherheitsvorfall" in first
    assert "Wer ist betroffen?" in first
    running.say("e2e-fault-2", "nur ich", metadata)
    summary = running.say("e2e-fault-2", "Ich kann gar nicht arbeiten", metadata)
    assert "Gemeldet von: Anna Schmidt (angemeldet)" in summary
    assert "Verwaltung: Stadt Grabow" in summary
    opened = running.say("e2e-fault-2", "Ja", metadata)
    assert "Priorität 2 (hoch)" in opened
    number = TICKET.search(opened).group(0)
    assert (number, "sicherheit", 2, "u-e2e-1", None) in tickets(running)
    # Another conversation of the same signed-in user sees it; another user does not.
    assert "Status: neu" in running.say("e2e-fault-2b", f"Status {number}", metadata)
    assert "nicht gefunden" in running.say("e2e-fault-2c", f"Status {number}", token("u-other"))


def test_new_employee_request_cancelled_writes_nothing(running):
    before = tickets(running)
    say = lambda text: running.say("e2e-new-1", text, {"member": "parchimer-umland"})  # noqa: E731
    assert "Wie heißt die neue Kollegin" in say(
        "Wir bekommen eine neue Kollegin, bitte Arbeitsplatz einrichten"
    )
    assert "Organisationseinheit" in say("Lena Vogt")
    assert "erste Arbeitstag" in say("Bauamt")
    assert "Was braucht die neue Person?" in say("am 2. Februar")
    assert "nichts gespeichert" in say("abbrechen")
    assert tickets(running) == before
