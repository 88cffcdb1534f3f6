"""Bad input through the running assistant: every message gets a German answer, nothing
crashes, nothing reaches SQL unbound, and tickets hold no markup."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot import limits
from tests.e2e.conftest import Assistant

pytestmark = pytest.mark.e2e

TICKET = re.compile(r"KSM-\d{4}-\d{5}")
SQL = "'); DROP TABLE tickets; -- \" OR 1=1"
GERMAN = re.compile(r"\b(Sie|Ihre?|ich|ist|bitte|nicht|der|die|das|und|wer|wie|was|für)\b", re.I)


def post(assistant: Assistant, body: Any) -> tuple[int, list[str]]:
    """Send ``body`` as it is to the REST channel: the status and the texts answered."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{assistant.rasa_port}/webhooks/rest/webhook",
        data=body if isinstance(body, bytes) else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, answer = response.status, json.load(response)
    except urllib.error.HTTPError as error:
        status, answer = error.code, json.load(error)
    return status, [message.get("text", "") for message in answer]


def answer(assistant: Assistant, sender: str, message: Any, **extra: Any) -> str:
    status, texts = post(assistant, {"sender": sender, "message": message, **extra})
    assert status == 200, texts
    reply = "\n".join(texts)
    assert GERMAN.search(reply), f"no German answer to {message!r}: {reply!r}"
    return reply


def table_counts(assistant: Assistant) -> dict[str, int]:
    engine = create_engine(assistant.database_url, future=True)
    with engine.connect() as connection:
        counts = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608 - fixed names
            for table in ("members", "contacts", "services", "tickets", "agents")
        }
    engine.dispose()
    return counts


def stored_ticket(assistant: Assistant, number: str) -> dict[str, Any]:
    engine = create_engine(assistant.database_url, future=True)
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT title, description, reporter_name, reporter_contact, excerpt "
                "FROM tickets WHERE number = :number"
            ),
            {"number": number},
        ).one()
    engine.dispose()
    return dict(row._mapping)


def test_oversized_empty_emoji_and_control_character_messages_get_german_answers(running):
    status, texts = post(running, {"sender": "e2e-bad-1", "message": "Drucker " * 1250})
    assert status == 413
    assert f"höchstens {limits.MAX_MESSAGE_LENGTH} Zeichen" in texts[0]
    status, texts = post(running, {"sender": "e2e-bad-1", "message": ""})
    assert status == 200 and texts[0].startswith("Ihre Nachricht war leer.")
    answer(running, "e2e-bad-1", "🙂🙂🙂")
    answer(running, "e2e-bad-1", "🔥💻❓")
    reply = answer(running, "e2e-bad-1", "Wie erreiche ich\x00 den\x07 Servicedesk?\x1b[0m\u202e")
    assert "0385 99 99 99" in reply


@pytest.mark.parametrize(
    "body",
    [
        {"message": "Hallo"},
        {"sender": "a\x00b", "message": "Hallo"},
        {"sender": "x" * 500, "message": "Hallo"},
        {"sender": ["e2e"], "message": "Hallo"},
        {"sender": "e2e-bad-2", "message": {"text": "Hallo"}},
        ["e2e-bad-2", "Hallo"],
        b"kein JSON {",
    ],
)
def test_malformed_requests_are_refused_in_german_and_the_assistant_keeps_answering(running, body):
    status, texts = post(running, body)
    assert status == 400
    assert "Gesprächskennung" in texts[0] or "Textnachrichten" in texts[0]
    assert "0385 99 99 99" in answer(running, "e2e-bad-after", "Wie erreiche ich den Servicedesk?")


@pytest.mark.parametrize(
    "metadata",
    [
        "kein Objekt",
        ["user_token"],
        12,
        {"user_token": 12, "member": ["grabow"]},
        {"user_token": "x" * 5000},
        {"padding": "x" * (limits.MAX_METADATA_BYTES + 1)},
    ],
)
def test_metadata_of_the_wrong_type_or_size_is_ignored_and_the_question_answered(running, metadata):
    reply = answer(running, "e2e-bad-meta", "Wie erreiche ich den Servicedesk?", metadata=metadata)
    assert "0385 99 99 99" in reply
    assert "angemeldet" not in reply


@pytest.mark.parametrize(
    "question",
    [
        "Wie ist der Stand von KSM-20-1?",
        "Status von Ticket KSM-2026-9999999",
        "Stand von KSM-1999-00001",
        f"Stand von Ticket {SQL}",
    ],
)
def test_ticket_numbers_of_the_wrong_shape_are_answered_not_looked_up(running, question):
    reply = answer(running, "e2e-bad-number", question)
    assert "Ticketnummer" in reply or "nicht gefunden" in reply
    assert "Status:" not in reply


@pytest.mark.parametrize(
    "name", ["Hintertupfingen", "Robert'); DROP TABLE members;--", "<b>Grabow</b>", "🙂"]
)
def test_unknown_member_names_get_a_german_answer_and_change_nothing(running, name):
    before = table_counts(running)
    sender = f"e2e-bad-member-{len(name)}"
    reply = answer(running, sender, f"Ist {name} eigentlich auch Mitglied im Verbund?")
    assert "technischer Fehler" not in reply
    if name == "Hintertupfingen":
        assert "Stadt Grabow" in reply, "the members there are"
    assert table_counts(running) == before


def test_sql_and_markup_in_every_slot_of_a_fault_report_are_stored_as_plain_text(running):
    before = table_counts(running)
    sender = "e2e-bad-form"
    say = lambda message: answer(running, sender, message)  # noqa: E731
    say("Ich möchte eine Störung melden")
    say(f"<script>alert(1)</script> Der Drucker druckt nicht {SQL}")
    say(SQL)  # as the member: not one, so asked again
    say('/inform_member{"member": "grabow"}')
    say(f"{SQL} nur ich")
    say(f"<img src=x onerror=alert(2)> Ich kann eingeschränkt arbeiten {SQL}")
    refused = say(f"<b>Robert</b> {SQL}, 0385 1234")
    assert "Bitte nennen Sie nur Ihren Namen" in refused, "the name check refuses it in German"
    summary = say("Robert Tables, 0385 1234")
    assert "Ihr Name: Robert Tables" in summary
    assert "<script>alert(1)</script> Der Drucker" in summary, "shown as the user wrote it"
    opened = say("Ja")
    number = TICKET.search(opened).group(0)
    ticket = stored_ticket(running, number)
    for field, value in ticket.items():
        assert value is None or ("<" not in value and ">" not in value), field
    assert "DROP TABLE tickets" in ticket["description"]
    assert table_counts(running) == {**before, "tickets": before["tickets"] + 1}


def test_a_conversation_that_sends_too_fast_is_slowed_down_in_german(running):
    for _ in range(limits.MESSAGE_BURST):
        post(running, {"sender": "e2e-bad-fast", "message": " "})
    status, texts = post(running, {"sender": "e2e-bad-fast", "message": "Hallo"})
    assert status == 429
    assert texts[0].startswith("Sie schreiben schneller")
    assert "0385 99 99 99" in answer(running, "e2e-bad-slow", "Wie erreiche ich den Servicedesk?")


def test_after_all_of_it_every_server_still_runs(running):
    assert running.process is not None
    assert running.process.poll() is None, "python -m bot run stops when any server ends"
    with urllib.request.urlopen(f"{running.web_url}/health", timeout=10) as response:
        assert response.status == 200
    assert "0385 99 99 99" in answer(running, "e2e-bad-end", "Wie erreiche ich den Servicedesk?")
