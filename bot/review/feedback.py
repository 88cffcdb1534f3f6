"""What users said about the assistant's answers through the two feedback buttons.

The buttons send the intents ``feedback_helpful`` and ``feedback_unhelpful``. The answer
they judge is the one to the user's previous message in the same conversation; it is
counted under that message's topic (the FAQ topic, or the intent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.review.conversations import Conversation, UserTurn
from bot.review.masking import mask

HELPFUL = "feedback_helpful"
UNHELPFUL = "feedback_unhelpful"
FEEDBACK_INTENTS = frozenset({HELPFUL, UNHELPFUL})
CONTEXT_INTENTS = frozenset({"inform_member"})
"""Answers to "Zu welcher Verwaltung gehören Sie?": the question judged is the one before."""
UNKNOWN_TOPIC = "unbekannt"


@dataclass
class TopicFeedback:
    topic: str
    helpful: int = 0
    unhelpful: int = 0
    questions: list[str] = field(default_factory=list)
    """The (masked) questions whose answers did not help, each once."""

    @property
    def total(self) -> int:
        return self.helpful + self.unhelpful


def feedback_by_topic(conversations: Iterable[Conversation]) -> list[TopicFeedback]:
    """Feedback counts per topic, the topics with the most unhelpful answers first."""
    topics: dict[str, TopicFeedback] = {}
    for conversation in conversations:
        question: UserTurn | None = None
        voted = False
        for turn in conversation.turns:
            if turn.intent in CONTEXT_INTENTS and question is not None:
                continue
            if turn.intent not in FEEDBACK_INTENTS:
                question, voted = turn, False
                continue
            if voted:
                continue  # one vote per answer
            voted = True
            topic = (question.topic if question else None) or UNKNOWN_TOPIC
            counts = topics.setdefault(topic, TopicFeedback(topic))
            if turn.intent == HELPFUL:
                counts.helpful += 1
            else:
                counts.unhelpful += 1
                if question is not None and not question.text.startswith("/"):
                    text = mask(" ".join(question.text.split()), conversation.names)
                    if text not in counts.questions:
                        counts.questions.append(text)
            question = None
    return sorted(topics.values(), key=lambda t: (-t.unhelpful, t.helpful, t.topic))
