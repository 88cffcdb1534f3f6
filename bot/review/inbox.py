"""The messages a trainer should look at: fallbacks and uncertain intents, by suggestion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.nlu.examples import normalized
from bot.review.conversations import Conversation, user_turns
from bot.review.masking import mask

DEFAULT_THRESHOLD = 0.70
"""Messages classified with less confidence than this go to the inbox (fallbacks always)."""
NO_SUGGESTION = "unbekannt"


@dataclass
class Uncertain:
    """One distinct message (after masking), however often it was sent."""

    text: str
    suggested_intent: str
    confidence: float
    """The lowest confidence it was given."""
    fell_back: bool
    count: int = 1


@dataclass(frozen=True)
class InboxGroup:
    suggested_intent: str
    messages: tuple[Uncertain, ...]

    @property
    def count(self) -> int:
        return sum(message.count for message in self.messages)


def inbox(
    conversations: Iterable[Conversation],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    known: set[str] = frozenset(),  # type: ignore[assignment]
    feedback_intents: Iterable[str] = (),
) -> list[InboxGroup]:
    """Uncertain messages grouped by suggested intent, largest group first.

    Left out: button payloads (``/intent``), answers to a ticket form's questions (they are
    free text by design), feedback, and sentences ``known`` from the training or test data.
    """
    skipped = set(feedback_intents)
    found: dict[str, Uncertain] = {}
    for conversation, turn in user_turns(list(conversations)):
        if turn.text.startswith("/") or turn.in_form or turn.intent in skipped:
            continue
        if not (turn.fell_back or turn.confidence < threshold):
            continue
        text = mask(" ".join(turn.text.split()), conversation.names)
        key = normalized(text)
        if not key or key in known or normalized(turn.text) in known:
            continue
        suggestion = turn.suggested_intent or NO_SUGGESTION
        if turn.faq_topic and turn.faq_topic.startswith(f"{suggestion}/"):
            suggestion = turn.faq_topic
        seen = found.get(key)
        if seen is None:
            found[key] = Uncertain(text, suggestion, turn.confidence, turn.fell_back)
        else:
            seen.count += 1
            seen.fell_back |= turn.fell_back
            seen.confidence = min(seen.confidence, turn.confidence)
    groups: dict[str, list[Uncertain]] = {}
    for message in found.values():
        groups.setdefault(message.suggested_intent, []).append(message)
    return sorted(
        (
            InboxGroup(intent, tuple(sorted(messages, key=lambda m: (-m.count, m.confidence))))
            for intent, messages in groups.items()
        ),
        key=lambda group: (-group.count, group.suggested_intent),
    )
