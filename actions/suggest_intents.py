"""Fallback in two layers.

1. The NLU is unsure (``nlu_fallback``): "Meinten Sie …?" with the two most likely intents
   as buttons whose titles and payloads are readable German questions (``suggestions.yml``).
   When it knew none of the words (``rasa_server.unknown_words``) its guesses mean nothing:
   then a request to say it in other words.
2. Still not understood right after that: an honest answer with what the assistant can do
   and how to reach the service desk.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import Events, KsmAction, previous_action
from bot.nlu.vocabulary import FALLBACK_REASON_KEY, UNKNOWN_WORDS
from bot.settings import PROJECT_ROOT

SUGGESTIONS_FILE = PROJECT_ROOT / "suggestions.yml"
CANNOT_HELP = "utter_cannot_help"
UTTER_UNKNOWN_WORDS = "utter_unknown_words"
MAX_SUGGESTIONS = 2


@lru_cache(maxsize=1)
def suggestions() -> dict[str, str]:
    """Intent (or ``faq/topic``) → the question its button shows and sends."""
    data = yaml.safe_load(SUGGESTIONS_FILE.read_text(encoding="utf-8")) or {}
    return {str(intent): str(question) for intent, question in data["suggestions"].items()}


class ActionSuggestIntents(KsmAction):
    def name(self) -> str:
        return "action_suggest_intents"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        if previous_action(tracker) == self.name():
            guesses = []
        elif has_unknown_words(tracker):
            dispatcher.utter_message(response=UTTER_UNKNOWN_WORDS)
            return []
        else:
            guesses = likely_intents(tracker)
        if not guesses:
            dispatcher.utter_message(response=CANNOT_HELP)
            return []
        questions = suggestions()
        dispatcher.utter_message(
            text="Ich bin nicht sicher, ob ich Sie richtig verstanden habe. Meinten Sie:",
            buttons=[{"title": questions[i], "payload": questions[i]} for i in guesses],
        )
        return []


def has_unknown_words(tracker: Tracker) -> bool:
    """Whether the NLU fell back because it knew none of the message's words."""
    message = tracker.latest_message or {}
    return message.get(FALLBACK_REASON_KEY) == UNKNOWN_WORDS


def likely_intents(tracker: Tracker) -> list[str]:
    """The most likely intents that have a suggestion, best first; FAQs by topic."""
    message = tracker.latest_message or {}
    ranking = message.get("intent_ranking") or []
    known = suggestions()
    found: list[str] = []
    for entry in ranking:
        intent = entry.get("name")
        if intent == "faq":
            intent = _faq_topic(message)
        if intent in known and intent not in found:
            found.append(intent)
        if len(found) == MAX_SUGGESTIONS:
            break
    return found


def _faq_topic(message: dict[str, Any]) -> str | None:
    selector = (message.get("response_selector") or {}).get("faq") or {}
    ranking = selector.get("ranking") or []
    return ranking[0].get("intent_response_key") if ranking else None
