"""The NLU falls back on messages none of whose words it was trained on, and only on those."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.settings import PROJECT_ROOT
from rasa_server.unknown_words import UnknownWordsClassifier

EXAMPLES = {
    "faq": ["Der Drucker druckt nicht", "Ich habe mein Passwort vergessen"],
    "onboarding_status": ["Wann werden wir umgestellt?", "Wie weit ist die Migration?"],
}
DIET_SAYS = {"name": "faq", "confidence": 0.99}


@pytest.fixture
def tokenizer() -> WhitespaceTokenizer:
    return WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


@pytest.fixture
def resource() -> Resource:
    return Resource("unknown_words")


@pytest.fixture
def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


@pytest.fixture
def trained(
    tokenizer: WhitespaceTokenizer,
    storage: LocalModelStorage,
    resource: Resource,
    context: ExecutionContext,
) -> UnknownWordsClassifier:
    data = TrainingData(
        [
            Message.build(text=text, intent=intent)
            for intent, texts in EXAMPLES.items()
            for text in texts
        ],
        lookup_tables=[{"name": "member", "elements": ["Grabow", "Lübz"]}],
    )
    tokenizer.process_training_data(data)
    classifier = UnknownWordsClassifier.create({}, storage, resource, context)
    classifier.train(data)
    return classifier


def classify(
    classifier: UnknownWordsClassifier, tokenizer: WhitespaceTokenizer, text: str
) -> Message:
    message = Message(
        data={"text": text, "intent": dict(DIET_SAYS), "intent_ranking": [dict(DIET_SAYS)]}
    )
    tokenizer.process([message])
    return classifier.process([message])[0]


@pytest.mark.parametrize("text", ["xqzv blorp wuggel", "asdf", "blorp!!! 123"])
def test_nonsense_falls_back_and_says_why(trained, tokenizer, text):
    message = classify(trained, tokenizer, text)
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert [entry["name"] for entry in message.get("intent_ranking")] == ["nlu_fallback", "faq"]
    assert message.as_dict(only_output_properties=True)["nlu_fallback_reason"] == "unknown_words"


@pytest.mark.parametrize(
    "text",
    [
        "Drucker kaputt",
        "pasword vergesen",
        "Wie weit ist Luebz?",
        "Grabow",
        "12345",
        "🙂",
        "/greet",
    ],
)
def test_known_words_typos_numbers_and_payloads_keep_their_intent(trained, tokenizer, text):
    message = classify(trained, tokenizer, text)
    assert message.get("intent") == DIET_SAYS
    assert message.get("nlu_fallback_reason") is None


def test_a_fallback_of_the_fallback_classifier_gets_the_reason_once(trained, tokenizer):
    message = Message(
        data={
            "text": "xqzv",
            "intent": {"name": "nlu_fallback", "confidence": 0.55},
            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.55}, DIET_SAYS],
        }
    )
    tokenizer.process([message])
    trained.process([message])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert [entry["name"] for entry in message.get("intent_ranking")] == ["nlu_fallback", "faq"]
    assert message.get("nlu_fallback_reason") == "unknown_words"


def test_a_fallback_of_the_fallback_classifier_on_known_words_stays(trained, tokenizer):
    unsure = {"name": "nlu_fallback", "confidence": 0.55}
    message = Message(
        data={"text": "Drucker?", "intent": dict(unsure), "intent_ranking": [unsure, DIET_SAYS]}
    )
    tokenizer.process([message])
    trained.process([message])
    assert message.get("intent") == unsure
    assert message.get("nlu_fallback_reason") is None


def test_the_vocabulary_is_stored_with_the_model(trained, tokenizer, storage, resource, context):
    loaded = UnknownWordsClassifier.load({}, storage, resource, context)
    assert loaded.vocabulary == trained.vocabulary
    assert classify(loaded, tokenizer, "xqzv").get("intent")["name"] == "nlu_fallback"


def test_a_model_without_vocabulary_never_falls_back(tokenizer, storage, context):
    loaded = UnknownWordsClassifier.load({}, storage, Resource("missing"), context)
    assert classify(loaded, tokenizer, "xqzv").get("intent") == DIET_SAYS


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_project_pipeline_runs_it_after_the_intent_classifiers():
    """Rasa checks the pipeline only when it trains; this checks it in seconds.

    Rasa's recipe imports its whole core (tracker stores, pyparsing, pkg_resources), whose
    deprecation warnings are not this project's; hence the imports here and the filter.
    """
    from rasa.engine import validation
    from rasa.engine.recipes.recipe import Recipe
    from rasa.shared.utils.io import read_model_configuration

    config = read_model_configuration(PROJECT_ROOT / "config.yml")
    recipe = Recipe.recipe_for_name(config.get("recipe"))
    model = recipe.graph_config_for_recipe(config, {})
    validation.validate(model)
    names = [step["name"] for step in config["pipeline"]]
    assert names.index("rasa_server.unknown_words.UnknownWordsClassifier") > names.index(
        "FallbackClassifier"
    )
