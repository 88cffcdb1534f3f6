"""NLU fallback for messages none of whose words the assistant was trained on.

The ``FallbackClassifier`` falls back when DIET is unsure; DIET is often sure of
nonsense ("xqzv blorp wuggel" as an FAQ question with confidence 0.99). This component
comes after it in ``config.yml``: when not one word of a message is known
(``bot.nlu.vocabulary``), the intent becomes ``nlu_fallback`` and the message's parse data
says why (``nlu_fallback_reason: unknown_words``), so that ``action_suggest_intents`` asks
the user to rephrase instead of guessing. DIET's ranking stays below the fallback, as the
``FallbackClassifier`` leaves it, for the review inbox and for ``rasa test nlu``, which
scores the intent under the fallback.

Messages without words (numbers, emoji) and ``/intent`` payloads are left as they are.
The vocabulary is learnt in training and stored with the model.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.vocabulary import FALLBACK_REASON_KEY, UNKNOWN_WORDS, Vocabulary, words

logger = logging.getLogger(__name__)

VOCABULARY_FILE = "vocabulary.json"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnknownWordsClassifier(GraphComponent, IntentClassifier):
    """Predicts ``nlu_fallback`` for a message that has words and knows none of them.

    When the ``FallbackClassifier`` fell back already, its fallback is replaced: the reason
    decides what the user is told.
    """

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    def __init__(
        self, model_storage: ModelStorage, resource: Resource, vocabulary: Vocabulary
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnknownWordsClassifier:
        return cls(model_storage, resource, Vocabulary(frozenset()))

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> UnknownWordsClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                known = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except (ValueError, OSError):
            logger.warning("Kein Wortschatz im Modell: unbekannte Wörter werden nicht erkannt.")
            known = []
        return cls(model_storage, resource, Vocabulary(frozenset(known)))

    def train(self, training_data: TrainingData) -> Resource:
        self.vocabulary = Vocabulary.of(training_texts(training_data))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(
                json.dumps(sorted(self.vocabulary.known), ensure_ascii=False), encoding="utf-8"
            )
        logger.info("Wortschatz: %d Wörter", len(self.vocabulary))
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if self.is_unknown(message):
                fallback = {
                    INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                    PREDICTED_CONFIDENCE_KEY: 1.0,
                }
                ranking = [
                    entry
                    for entry in message.get(INTENT_RANKING_KEY) or []
                    if entry.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME
                ]
                message.data[INTENT] = fallback
                message.data[INTENT_RANKING_KEY] = [dict(fallback), *ranking]
                message.set(FALLBACK_REASON_KEY, UNKNOWN_WORDS, add_to_output=True)
        return messages

    def is_unknown(self, message: Message) -> bool:
        """Whether ``message`` has words and the vocabulary knows none of them."""
        text = message.get(TEXT) or ""
        if not self.vocabulary or text.startswith("/"):
            return False
        lemmas = " ".join(token.lemma or "" for token in message.get(TOKENS_NAMES[TEXT]) or [])
        found = list(dict.fromkeys(words(text) + words(lemmas)))
        return bool(found) and not self.vocabulary.knows_any(found)


def training_texts(training_data: TrainingData) -> list[str]:
    """Everything in the training data a user could say.

    Examples and their lemmas, entity values and synonyms, lookup tables, and the responses
    users answer to.
    """
    texts: list[str] = []
    for example in training_data.training_examples:
        texts.append(example.get(TEXT) or "")
        texts.extend(token.lemma or "" for token in example.get(TOKENS_NAMES[TEXT]) or [])
    for synonym, value in training_data.entity_synonyms.items():
        texts += [synonym, value]
    for table in training_data.lookup_tables:
        elements = table.get("elements")
        if isinstance(elements, list):
            texts.extend(str(element) for element in elements)
    for variations in training_data.responses.values():
        texts.extend(str(variation.get(TEXT) or "") for variation in variations)
    return texts
