"""n-gram counts built from the vocabulary are the matrices Rasa's featurizer builds."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ACTION_NAME, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer

from rasa_server.speedups import count_vectors
from tests.utils.rasa_models import same_coo, same_count_features

RASA_CREATE_FEATURES = CountVectorsFeaturizer._create_features

TRAINING_TEXTS = [
    "Der Drucker im Bürgerbüro druckt nicht mehr",
    "Ich habe mein Passwort vergessen",
    "Wie komme ich von zu Hause ins VPN?",
    "Seit wann betreut uns die KSM? Seit 2019",
    "Störung melden, bitte: Stoerung Drucker 3. OG",
]
WORDS = st.text(
    alphabet=st.sampled_from(list("aäbcdeörsßtuüvzDSÜ0123 -_.?")), min_size=1, max_size=14
)


@pytest.fixture(autouse=True)
def applied(monkeypatch):
    """The speedup applied; Rasa's own method back in place after the test."""
    monkeypatch.setattr(CountVectorsFeaturizer, "_create_features", RASA_CREATE_FEATURES)
    monkeypatch.setattr(count_vectors, "_rasa_create_features", None)
    count_vectors.apply()


def trained(storage: Path, analyzer: str, **config: Any) -> CountVectorsFeaturizer:
    """A featurizer trained on ``TRAINING_TEXTS``."""
    featurizer = CountVectorsFeaturizer.create(
        {**CountVectorsFeaturizer.get_default_config(), "analyzer": analyzer, **config},
        LocalModelStorage(storage),
        Resource(f"count_vectors_{analyzer}"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    messages = [Message(data={TEXT: text, INTENT: "frage"}) for text in TRAINING_TEXTS]
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    tokenizer.process_training_data(TrainingData(messages))
    featurizer.train(TrainingData(messages))
    return featurizer


ANALYZERS = {
    "word": {},
    "char_wb": {"min_ngram": 2, "max_ngram": 5},
    "char": {"min_ngram": 1, "max_ngram": 3},
}


@pytest.fixture(scope="module")
def featurizers(tmp_path_factory) -> dict[str, CountVectorsFeaturizer]:
    return {
        analyzer: trained(tmp_path_factory.mktemp(analyzer), analyzer, **config)
        for analyzer, config in ANALYZERS.items()
    }


@pytest.fixture
def word_featurizer(tmp_path) -> CountVectorsFeaturizer:
    return trained(tmp_path, "word")


def rasa_s(vectorizer: CountVectorizer, documents: list[str]) -> Any:
    matrix = vectorizer.transform(documents)
    matrix.sort_indices()
    return matrix.tocoo()


@pytest.mark.parametrize("analyzer", ANALYZERS)
@settings(max_examples=60, deadline=None)
@given(tokens=st.lists(WORDS, min_size=1, max_size=12))
def test_counts_are_the_transform_rasa_uses(featurizers, analyzer, tokens):
    vectorizer = featurizers[analyzer].vectorizers[TEXT]
    same_coo(count_vectors.counts(vectorizer, tokens), rasa_s(vectorizer, tokens))
    sentence = [" ".join(tokens)]
    same_coo(count_vectors.counts(vectorizer, sentence), rasa_s(vectorizer, sentence))


@pytest.mark.parametrize("analyzer", ANALYZERS)
@pytest.mark.parametrize(
    "tokens",
    [
        ["druckt", "nicht"],
        ["drucker", "drucker", "Drucker", "DRUCKER"],
        ["unbekannt", "xyz"],
        ["seit", "2019", "3."],
        [],
    ],
)
def test_the_featurizer_s_sequence_and_sentence_features_are_rasa_s(featurizers, analyzer, tokens):
    featurizer = featurizers[analyzer]
    same_count_features(
        count_vectors.create_features(featurizer, TEXT, [tokens]),
        RASA_CREATE_FEATURES(featurizer, TEXT, [tokens]),
    )


def test_attributes_without_sentence_features_get_none_as_with_rasa(word_featurizer):
    featurizer = word_featurizer
    featurizer.vectorizers[ACTION_NAME] = featurizer.vectorizers[TEXT]
    mine = count_vectors.create_features(featurizer, ACTION_NAME, [["drucker"]])
    theirs = RASA_CREATE_FEATURES(featurizer, ACTION_NAME, [["drucker"]])
    same_coo(mine[0][0], theirs[0][0])
    assert mine[1] == theirs[1] == [None]


@pytest.mark.parametrize("change", ["binary", "subclass", "untrained"])
def test_other_vectorizers_take_rasa_s_way(word_featurizer, change):
    featurizer = word_featurizer
    vectorizer = featurizer.vectorizers[TEXT]
    if change == "binary":
        vectorizer.binary = True
    elif change == "subclass":
        vectorizer.__class__ = type("Special", (CountVectorizer,), {})
    else:
        featurizer.vectorizers[TEXT] = CountVectorizer()
    with mock.patch.object(count_vectors, "_rasa_create_features", return_value=([], [])) as rasa:
        assert count_vectors.create_features(featurizer, TEXT, [["drucker"]]) == ([], [])
    rasa.assert_called_once_with(featurizer, TEXT, [["drucker"]])


def test_a_missing_vectorizer_takes_rasa_s_way(word_featurizer):
    featurizer = word_featurizer
    del featurizer.vectorizers[INTENT]
    assert count_vectors.create_features(featurizer, INTENT, [["frage"]]) == ([None], [None])
    assert RASA_CREATE_FEATURES(featurizer, INTENT, [["frage"]]) == ([None], [None])
