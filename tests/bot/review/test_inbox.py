"""The review inbox: the messages worth a trainer's time, grouped by what the model guessed."""

from __future__ import annotations

import datetime as dt

from bot.review.conversations import Conversation, UserTurn
from bot.review.inbox import inbox

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)


def turn(text: str, intent: str, confidence: float, **fields) -> UserTurn:
    ranking = fields.pop("ranking", ((intent, confidence),))
    return UserTurn(text, NOW, intent, confidence, ranking, **fields)


def fallback(text: str, *ranking: tuple[str, float]) -> UserTurn:
    return turn(
        text, "nlu_fallback", 0.55, ranking=(("nlu_fallback", 0.55), *ranking), fell_back=True
    )


def conversation(*turns: UserTurn, names: set[str] | None = None) -> Conversation:
    return Conversation("c", list(turns), names or set())


def test_fallbacks_and_uncertain_messages_are_grouped_by_suggested_intent():
    groups = inbox(
        [
            conversation(
                fallback("drucker macht nix", ("faq", 0.4), ("report_fault", 0.3)),
                turn("wann kommt der techniker", "ticket_status", 0.62),
                turn("Hallo", "greet", 0.99),
                fallback("asdf"),
            ),
            conversation(turn("wann kommt der Techniker?", "ticket_status", 0.58)),
        ],
        threshold=0.7,
    )
    assert [(g.suggested_intent, g.count) for g in groups] == [
        ("ticket_status", 2),
        ("faq", 1),
        ("unbekannt", 1),
    ]
    [message] = groups[0].messages
    assert message.text == "wann kommt der techniker"
    assert message.count == 2
    assert message.confidence == 0.58
    assert groups[1].messages[0].fell_back


def test_the_faq_suggestion_names_the_topic_also_after_a_fallback():
    uncertain = turn("toner alle", "faq", 0.6, faq_topic="faq/printer_not_printing")
    not_understood = fallback("drucker?? toner??", ("faq", 0.5))
    not_understood.faq_topic = "faq/printer_not_printing"
    [group] = inbox([conversation(uncertain, not_understood)])
    assert group.suggested_intent == "faq/printer_not_printing"
    assert group.count == 2


def test_form_answers_buttons_feedback_and_known_sentences_are_left_out():
    groups = inbox(
        [
            conversation(
                turn("Papierstau im 2. OG", "faq", 0.3, in_form=True),
                turn("/inform_member", "inform_member", 0.2),
                turn("naja", "feedback_unhelpful", 0.4),
                turn("Ich habe mein Passwort vergessen!", "faq", 0.6),
                turn("Wirklich neu hier", "greet", 0.6),
            )
        ],
        known={"ich habe mein passwort vergessen"},
        feedback_intents={"feedback_unhelpful"},
    )
    assert [m.text for g in groups for m in g.messages] == ["Wirklich neu hier"]


def test_messages_are_masked_before_they_are_grouped():
    groups = inbox(
        [
            conversation(
                turn("Max Mustermann braucht Zugang, max@grabow.de", "faq", 0.5),
                names={"Max Mustermann"},
            ),
            conversation(
                turn("Erika Musterfrau braucht Zugang, e@amt.de", "faq", 0.4),
                names={"Erika Musterfrau"},
            ),
        ]
    )
    [group] = groups
    [message] = group.messages
    assert message.text == "<Name> braucht Zugang, <E-Mail>"
    assert message.count == 2


def test_a_confident_message_is_not_in_the_inbox_unless_the_dialogue_fell_back():
    confident = turn("Und jetzt?", "help", 0.9)
    assert inbox([conversation(confident)]) == []
    confident.fell_back = True
    assert [g.suggested_intent for g in inbox([conversation(confident)])] == ["help"]
