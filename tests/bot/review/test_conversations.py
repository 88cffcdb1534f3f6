"""Reading user turns from Rasa's tracker store, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import datetime as dt
import json

from sqlalchemy import insert

from bot.db import session as db_session
from bot.review.conversations import events, has_tracker_store, read_conversations

WEEK_AGO = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=7)


def token_with_name(name: str) -> str:
    claims = base64.urlsafe_b64encode(json.dumps({"sub": "u1", "name": name}).encode())
    return f"eyJhbGciOiJIUzI1NiJ9.{claims.decode().rstrip('=')}.signature"


def read() -> list:
    with db_session.transaction() as session:
        return read_conversations(WEEK_AGO, session=session)


def test_a_database_without_rasa_has_no_tracker_store(db_url):
    with db_session.transaction() as session:
        assert not has_tracker_store(session)


def test_user_turns_carry_intent_confidence_ranking_and_faq_topic(tracker):
    tracker.user(
        "a",
        "Drucker druckt nicht",
        "faq",
        0.81,
        faq="faq/printer_not_printing",
        others=(("report_fault", 0.12),),
    )
    tracker.action("a", "utter_faq")
    tracker.user("a", "blorf", "out_of_scope", 0.31, others=(("greet", 0.2),))
    tracker.action("a", "action_suggest_intents")
    tracker.session.commit()

    [conversation] = read()
    first, second = conversation.turns
    assert (first.text, first.intent, first.confidence) == ("Drucker druckt nicht", "faq", 0.81)
    assert first.ranking == (("faq", 0.81), ("report_fault", 0.12))
    assert first.topic == "faq/printer_not_printing"
    assert not first.fell_back
    assert second.intent == "nlu_fallback"
    assert second.suggested_intent == "out_of_scope"
    assert second.fell_back


def test_a_dialogue_fallback_after_a_confident_intent_counts_as_fallback(tracker):
    tracker.user("a", "und dann?", "help", 0.9)
    tracker.action("a", "action_default_fallback")
    tracker.session.commit()
    [conversation] = read()
    assert conversation.turns[0].fell_back


def test_answers_to_form_questions_are_marked(tracker):
    tracker.user("a", "Drucker kaputt", "report_fault", 0.95)
    tracker.form("a", "fault_form")
    tracker.slot("a", "requested_slot", "fault_description")
    tracker.user("a", "Papierstau im 2. OG", "faq", 0.4)
    tracker.slot("a", "requested_slot", None)
    tracker.form("a", None)
    tracker.user("a", "Danke", "thank", 0.99)
    tracker.session.commit()
    [conversation] = read()
    assert [turn.in_form for turn in conversation.turns] == [False, True, False]


def test_names_from_forms_and_from_the_user_token_are_collected(tracker):
    tracker.slot("a", "session_started_metadata", {"user_token": token_with_name("Anna Schmidt")})
    tracker.user("a", "Hallo", "greet", metadata={"user_token": token_with_name("Anna Schmidt")})
    tracker.slot("a", "employee_name", "Max Mustermann")
    tracker.slot("a", "contact_reach", "0171 1234567")
    tracker.slot("a", "contact_name", None)
    tracker.user("a", "kaputt", "report_fault", metadata={"user_token": "not a token"})
    tracker.session.commit()
    [conversation] = read()
    assert conversation.names == {"Anna Schmidt", "Max Mustermann", "0171 1234567"}


def test_only_the_chosen_period_is_read_and_conversations_stay_apart(tracker):
    tracker.user("old", "vor einem Monat", "greet", ago=dt.timedelta(days=30))
    tracker.user("b", "zweites Gespräch", "greet")
    tracker.user("a", "erstes Gespräch", "greet")
    tracker.user("b", "noch mal b", "goodbye")
    tracker.session.commit()
    found = {c.sender_id: [t.text for t in c.turns] for c in read()}
    assert found == {"a": ["erstes Gespräch"], "b": ["zweites Gespräch", "noch mal b"]}


def test_unreadable_event_data_is_skipped_not_fatal(tracker):
    now = dt.datetime.now(dt.timezone.utc).timestamp()
    tracker.session.execute(
        insert(events).values(sender_id="x", type_name="user", timestamp=now, data="{broken")
    )
    tracker.user("x", "Hallo", "greet")
    tracker.session.commit()
    [conversation] = read()
    assert [turn.text for turn in conversation.turns] == ["Hallo"]
