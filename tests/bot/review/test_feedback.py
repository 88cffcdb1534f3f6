"""Feedback counts per answered topic, with the unhelpful answers first."""

from __future__ import annotations

import datetime as dt

from bot.review.conversations import Conversation, UserTurn
from bot.review.feedback import feedback_by_topic

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)


def turn(text: str, intent: str, faq: str | None = None) -> UserTurn:
    return UserTurn(text, NOW, intent, 0.9, ((intent, 0.9),), faq_topic=faq)


HELPED = turn("/feedback_helpful", "feedback_helpful")
DID_NOT_HELP = turn("/feedback_unhelpful", "feedback_unhelpful")


def test_counts_per_topic_and_unhelpful_topics_first():
    printer = turn("Drucker druckt nicht", "faq", "faq/printer_not_printing")
    vpn = turn("VPN geht nicht", "faq", "faq/vpn_homeoffice")
    team = turn("Wer ist unser Kundenteam?", "customer_team")
    found = feedback_by_topic(
        [
            Conversation("a", [printer, HELPED, vpn, DID_NOT_HELP, team, HELPED]),
            Conversation("b", [vpn, DID_NOT_HELP, printer, DID_NOT_HELP]),
        ]
    )
    assert [(f.topic, f.helpful, f.unhelpful) for f in found] == [
        ("faq/vpn_homeoffice", 0, 2),
        ("faq/printer_not_printing", 1, 1),
        ("customer_team", 1, 0),
    ]
    assert found[0].questions == ["VPN geht nicht"]


def test_one_vote_per_answer_and_the_question_text_is_masked():
    question = turn("Frau Schulz kann nicht drucken, 0171 1234567", "faq", "faq/printer")
    [topic] = feedback_by_topic(
        [Conversation("a", [question, DID_NOT_HELP, DID_NOT_HELP], names={"Schulz"})]
    )
    assert (topic.topic, topic.unhelpful) == ("faq/printer", 1)
    assert topic.questions == ["Frau <Name> kann nicht drucken, <Telefon>"]


def test_naming_the_member_in_between_keeps_the_original_question():
    question = turn("Seit wann sind wir dabei?", "member_since")
    answer_to_ask = turn("Grabow", "inform_member")
    [topic] = feedback_by_topic([Conversation("a", [question, answer_to_ask, HELPED])])
    assert topic.topic == "member_since"


def test_feedback_without_a_question_is_counted_as_unknown():
    [topic] = feedback_by_topic([Conversation("a", [DID_NOT_HELP])])
    assert (topic.topic, topic.unhelpful, topic.questions) == ("unbekannt", 1, [])
