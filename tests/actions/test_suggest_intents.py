"""Fallback: "Meinten Sie …?" with two readable guesses, then an honest answer."""

import re

import yaml

from actions.suggest_intents import ActionSuggestIntents, suggestions
from bot.settings import PROJECT_ROOT
from tests.actions.conftest import bot_action, tracker_for, user

ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]+\)")
NOT_SUGGESTED = {
    "greet",
    "goodbye",
    "thank",
    "out_of_scope",
    "inform_member",
    "faq",
    "cancel",
    "feedback_helpful",
    "feedback_unhelpful",
}


def _fallback(text, ranking, history=None, **extra):
    return tracker_for(text, "nlu_fallback", intent_ranking=ranking, history=history, **extra)


async def test_two_best_guesses_are_offered_as_readable_questions(run):
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "onboarding_status", "confidence": 0.41},
        {"name": "greet", "confidence": 0.2},
        {"name": "milestone_date", "confidence": 0.3},
    ]
    await run(ActionSuggestIntents(), _fallback("umstellung?", ranking))
    assert run.texts == ["Ich bin nicht sicher, ob ich Sie richtig verstanden habe. Meinten Sie:"]
    assert run.buttons == [
        {
            "title": "Wie weit ist die Migration?",
            "payload": "Wie weit ist die Migration?",
        },
        {
            "title": "Wann stellt ihr bei uns die Arbeitsplätze um?",
            "payload": "Wann stellt ihr bei uns die Arbeitsplätze um?",
        },
    ]


async def test_faq_guess_names_the_topic_the_response_selector_found(run):
    ranking = [
        {"name": "faq", "confidence": 0.4},
        {"name": "contact_servicedesk", "confidence": 0.3},
    ]
    selector = {
        "faq": {"ranking": [{"intent_response_key": "faq/password_forgotten", "confidence": 0.7}]}
    }
    await run(ActionSuggestIntents(), _fallback("pw weg", ranking, response_selector=selector))
    assert [b["title"] for b in run.buttons] == [
        "Ich habe mein Passwort vergessen",
        "Wie lautet die Telefonnummer vom Servicedesk?",
    ]


async def test_second_miss_in_a_row_gets_an_honest_answer_with_the_hotline(run):
    history = [user("blub", "nlu_fallback"), *bot_action("action_suggest_intents")]
    await run(
        ActionSuggestIntents(),
        _fallback("blabla", [{"name": "help", "confidence": 0.3}], history=history),
    )
    assert run.responses == ["utter_cannot_help"]
    assert run.buttons == []


async def test_unknown_words_get_a_request_to_rephrase_not_guesses(run):
    ranking = [
        {"name": "nlu_fallback", "confidence": 1.0},
        {"name": "faq", "confidence": 0.98},
        {"name": "help", "confidence": 0.01},
    ]
    tracker = _fallback("xqzv blorp wuggel", ranking, nlu_fallback_reason="unknown_words")
    await run(ActionSuggestIntents(), tracker)
    assert run.responses == ["utter_unknown_words"]
    assert run.buttons == []


async def test_unknown_words_twice_in_a_row_get_the_honest_answer(run):
    history = [user("blorp", "nlu_fallback"), *bot_action("action_suggest_intents")]
    tracker = _fallback(
        "wuggel",
        [{"name": "nlu_fallback", "confidence": 1.0}, {"name": "faq", "confidence": 0.9}],
        history=history,
        nlu_fallback_reason="unknown_words",
    )
    await run(ActionSuggestIntents(), tracker)
    assert run.responses == ["utter_cannot_help"]


async def test_nothing_to_suggest_gets_the_honest_answer(run):
    await run(ActionSuggestIntents(), _fallback("asdf", [{"name": "greet", "confidence": 0.3}]))
    assert run.responses == ["utter_cannot_help"]


def _training_examples():
    examples: dict[str, set[str]] = {}
    for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                lines = [
                    ANNOTATION.sub(r"\1", line.strip()[2:])
                    for line in block["examples"].splitlines()
                    if line.strip().startswith("- ")
                ]
                examples.setdefault(block["intent"], set()).update(lines)
    return examples


def test_every_suggestion_is_a_training_example_of_its_intent():
    examples = _training_examples()
    for intent, question in suggestions().items():
        assert question in examples.get(intent, set()), (intent, question)


def test_every_intent_worth_suggesting_has_a_suggestion():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    faq_topics = {intent for intent in _training_examples() if intent.startswith("faq/")}
    wanted = (set(domain["intents"]) - NOT_SUGGESTED) | faq_topics
    assert wanted == set(suggestions())
