"""`python -m bot privacy export|delete --user`: a person's access and erasure requests."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.db import session as db_session
from bot.db.models import Ticket
from bot.identity import Identity, create_user_token
from bot.tickets.desk import add_note
from tests.bot.privacy.conftest import NOW, SECRET, stored_events, ticket
from tests.utils.tickets import open_ticket

ANNA = Identity(sub="u-4711", name="Anna Schmidt", member="grabow")
BERND = Identity(sub="u-0815", name="Bernd Meier", member="grabow")


def token_for(identity: Identity, *, secret: str = SECRET, hours: float = 8) -> str:
    lifetime = dt.timedelta(hours=hours)
    return create_user_token(identity, secret, now=NOW - dt.timedelta(days=30), lifetime=lifetime)


@pytest.fixture
def people(tracker):
    """Anna's conversations (one by message token, one by session metadata), Bernd's, an
    anonymous one, one with a forged token for Anna, and a ticket each."""
    tracker.session_start("anna-1")
    tracker.user(
        "anna-1", "Drucker kaputt", "report_fault", metadata={"user_token": token_for(ANNA)}
    )
    tracker.bot("anna-1", "Das nehme ich auf.")
    tracker.session_start("anna-2", {"user_token": token_for(ANNA), "member": "grabow"})
    tracker.user("anna-2", "Wie ist die Hotline?", "contact_servicedesk")
    tracker.session_start("bernd")
    tracker.user("bernd", "Hallo", "greet", metadata={"user_token": token_for(BERND)})
    tracker.session_start("anonymous")
    tracker.user("anonymous", "Hallo", "greet")
    tracker.session_start("forged")
    forged = token_for(ANNA, secret="another-secret-" + "x" * 32)
    tracker.user("forged", "Ich bin Anna", "greet", metadata={"user_token": forged})
    tracker.session.commit()
    return {
        "anna": open_ticket(
            reporter_sub=ANNA.sub, reporter_name=ANNA.name, conversation_id="anna-1"
        ),
        "bernd": open_ticket(
            reporter_sub=BERND.sub, reporter_name=BERND.name, conversation_id="bernd"
        ),
        "anonymous": open_ticket(reporter_name="Max Beispiel", conversation_id="anonymous"),
    }


def test_export_holds_the_persons_tickets_and_conversations_only(people, capsys):
    assert main(["privacy", "export", "--user", ANNA.sub]) == 0

    captured = capsys.readouterr()
    exported = json.loads(captured.out)
    assert [t["nummer"] for t in exported["tickets"]] == [people["anna"]]
    assert exported["tickets"][0]["name"] == "Anna Schmidt"
    assert [c["gespraech"] for c in exported["gespraeche"]] == ["anna-1", "anna-2"]
    said = [e.get("text") for e in exported["gespraeche"][0]["verlauf"] if e.get("von")]
    assert said == ["Drucker kaputt", "Das nehme ich auf."]
    assert "user_token" not in captured.out
    assert "Bernd" not in captured.out and "Ich bin Anna" not in captured.out
    assert "1 Ticket(s), 2 Gespräch(e)" in captured.err


def test_export_to_a_file_is_utf8_json_with_the_public_history(people, tmp_path, capsys):
    with db_session.transaction() as session:
        anna = session.scalars(select(Ticket).where(Ticket.number == people["anna"])).one()
        add_note(
            anna, "Techniker kommt morgen", public=True, actor="emuster", now=NOW, session=session
        )
        add_note(
            anna, "Nervt ein bisschen", public=False, actor="emuster", now=NOW, session=session
        )
    target = tmp_path / "auskunft.json"

    assert main(["privacy", "export", "--user", ANNA.sub, "--output", str(target)]) == 0

    text = target.read_text(encoding="utf-8")
    history = json.loads(text)["tickets"][0]["verlauf"]
    assert [(e["art"], e["text"]) for e in history] == [
        ("created", None),
        ("public_note", "Techniker kommt morgen"),
    ]
    assert "seit heute früh" in text  # not escaped
    assert "1 Ticket(s), 2 Gespräch(e)" in capsys.readouterr().out


def test_without_a_secret_only_tickets_are_exported(people, environment, capsys):
    environment.delenv("KSM_IDENTITY_SECRET")

    assert main(["privacy", "export", "--user", ANNA.sub]) == 0

    captured = capsys.readouterr()
    exported = json.loads(captured.out)
    assert exported["gespraeche"] == []
    assert len(exported["tickets"]) == 1
    assert "Gespräche lassen sich niemandem zuordnen" in captured.err


def test_delete_removes_the_persons_conversations_and_masks_their_tickets(people, capsys):
    assert main(["privacy", "delete", "--user", ANNA.sub, "--yes"]) == 0

    assert {sender for sender, _, _ in stored_events()} == {"bernd", "anonymous", "forged"}
    masked = ticket(people["anna"])
    assert (masked.reporter_sub, masked.reporter_name, masked.conversation_id) == (None, None, None)
    assert ticket(people["bernd"]).reporter_name == "Bernd Meier"
    assert ticket(people["anonymous"]).conversation_id == "anonymous"
    out = capsys.readouterr().out
    assert "2 Gespräch(e) gelöscht, 1 Ticket(s) anonymisiert" in out
    assert "Die Tickets bleiben als Vorgänge des Servicedesks erhalten" in out


def test_delete_asks_first_and_a_no_changes_nothing(people, monkeypatch, capsys):
    before = stored_events()
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))

    assert main(["privacy", "delete", "--user", ANNA.sub]) == 1

    assert stored_events() == before
    assert ticket(people["anna"]).reporter_sub == ANNA.sub
    assert "Abgebrochen, nichts geändert." in capsys.readouterr().out


def test_delete_goes_ahead_after_a_yes(people, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("ja\n"))

    assert main(["privacy", "delete", "--user", ANNA.sub]) == 0

    assert ticket(people["anna"]).reporter_sub is None
    assert "anna-1" not in {sender for sender, _, _ in stored_events()}


def test_delete_of_someone_unknown_says_nothing_is_stored(people, capsys):
    before = stored_events()

    assert main(["privacy", "delete", "--user", "u-unbekannt", "--yes"]) == 0

    assert stored_events() == before
    assert "Zu 'u-unbekannt' ist nichts gespeichert." in capsys.readouterr().out
