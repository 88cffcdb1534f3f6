"""The review inbox as text for the terminal: feedback first, then the uncertain messages."""

from __future__ import annotations

from collections.abc import Sequence

from bot.review.feedback import TopicFeedback
from bot.review.inbox import InboxGroup

MAX_QUESTIONS = 5
"""Unhelpful-answer questions shown per topic."""


def render(
    feedback: Sequence[TopicFeedback],
    groups: Sequence[InboxGroup],
    *,
    days: int,
    threshold: float,
    conversations: int,
) -> str:
    lines = [f"Prüfliste der letzten {days} Tage ({conversations} Gespräch(e))", ""]
    lines.append("Rückmeldungen zu Antworten (nicht hilfreich zuerst)")
    if not feedback:
        lines.append("  keine Rückmeldungen")
    else:
        lines.append(f"  {'Thema':<40} {'hilfreich':>9} {'nicht hilfreich':>15}")
        for topic in feedback:
            lines.append(f"  {topic.topic:<40} {topic.helpful:>9} {topic.unhelpful:>15}")
            for question in topic.questions[:MAX_QUESTIONS]:
                lines.append(f"      nicht geholfen bei: {question}")
            if len(topic.questions) > MAX_QUESTIONS:
                lines.append(f"      … und {len(topic.questions) - MAX_QUESTIONS} weitere")
    lines.append("")
    total = sum(group.count for group in groups)
    lines.append(
        f"Unsichere Nachrichten (Rückfall oder Konfidenz unter {threshold:.2f}): {total}, "
        "nach vermutetem Intent"
    )
    if not groups:
        lines.append("  keine")
    for group in groups:
        lines.append(f"  {group.suggested_intent} ({group.count})")
        for message in group.messages:
            marks = [f"{message.count}x"] if message.count > 1 else []
            marks.append(f"{message.confidence:.2f}")
            if message.fell_back:
                marks.append("Rückfall")
            lines.append(f"      {message.text}  [{', '.join(marks)}]")
    return "\n".join(lines)
