"""A message's batch laid out from its features is the batch Rasa's model data gives DIET."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.model_data import FeatureSignature

from rasa_server.speedups import model_data
from tests.utils.rasa_models import rasa_batch, same_batch

RASA_PREDICT = DIETClassifier._predict


@pytest.fixture(autouse=True)
def applied(monkeypatch):
    """The speedup applied; Rasa's own prediction back in place after the test."""
    monkeypatch.setattr(DIETClassifier, "_predict", DIETClassifier._predict)
    monkeypatch.setattr(model_data, "_rasa_predict", None)
    model_data.apply()


@pytest.fixture
def diet(tmp_path) -> DIETClassifier:
    return DIETClassifier.create(
        {**DIETClassifier.get_default_config(), "constrain_similarities": True},
        LocalModelStorage(tmp_path),
        Resource("diet"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def matrix(rows: int, columns: int, seed: int, form: str = "coo") -> Any:
    return scipy.sparse.random(
        rows, columns, density=0.2, format=form, random_state=seed, dtype=np.float64
    )


def message(*features: tuple[str, Any, str]) -> Message:
    result = Message(data={TEXT: "Mein Drucker druckt nicht"})
    for kind, values, origin in features:
        result.add_features(Features(values, kind, TEXT, origin))
    return result


@pytest.mark.parametrize("tokens", [1, 4, 17])
@pytest.mark.parametrize("form", ["coo", "csr"])
def test_the_batch_is_rasa_s(diet, tokens, form):
    msg = message(
        (FEATURE_TYPE_SEQUENCE, matrix(tokens, 30, seed=tokens, form=form), "words"),
        (FEATURE_TYPE_SENTENCE, matrix(1, 30, seed=tokens + 1, form=form), "words"),
        (FEATURE_TYPE_SEQUENCE, matrix(tokens, 50, seed=tokens + 2, form=form), "chars"),
        (FEATURE_TYPE_SENTENCE, matrix(1, 50, seed=tokens + 3, form=form), "chars"),
        (FEATURE_TYPE_SEQUENCE, matrix(tokens, 7, seed=tokens + 4, form=form), "lexical"),
    )

    same_batch(model_data.message_batch(msg, []), rasa_batch(diet, msg))


def test_only_the_featurizers_asked_for_count(diet):
    diet.component_config["featurizers"] = ["words"]
    msg = message(
        (FEATURE_TYPE_SEQUENCE, matrix(3, 30, seed=1), "words"),
        (FEATURE_TYPE_SENTENCE, matrix(1, 30, seed=2), "words"),
        (FEATURE_TYPE_SEQUENCE, matrix(3, 50, seed=3), "chars"),
        (FEATURE_TYPE_SENTENCE, matrix(1, 50, seed=4), "chars"),
    )

    same_batch(model_data.message_batch(msg, ["words"]), rasa_batch(diet, msg))


@pytest.mark.parametrize(
    "features",
    [
        [],  # nothing to predict from: Rasa predicts nothing
        [(FEATURE_TYPE_SEQUENCE, matrix(3, 30, seed=1), "words")],  # no sentence features
        [(FEATURE_TYPE_SENTENCE, matrix(1, 30, seed=1), "words")],  # no sequence features
        [
            (FEATURE_TYPE_SEQUENCE, matrix(3, 30, seed=1), "words"),
            (FEATURE_TYPE_SENTENCE, matrix(1, 30, seed=2), "words"),
            (FEATURE_TYPE_SEQUENCE, np.ones((3, 8)), "dense"),
        ],
        [
            (FEATURE_TYPE_SEQUENCE, matrix(0, 30, seed=1), "words"),
            (FEATURE_TYPE_SENTENCE, matrix(1, 30, seed=2), "words"),
        ],
    ],
    ids=["none", "sequence only", "sentence only", "dense features", "no tokens"],
)
def test_other_features_are_left_to_rasa(features):
    assert model_data.message_batch(message(*features), []) is None


def signature(*sparse: bool) -> dict[str, dict[str, list[FeatureSignature]]]:
    keys = ["mask", "sentence", "sequence", "sequence_lengths"]
    return {
        TEXT: {
            key: [FeatureSignature(is_sparse, 10, 3)]
            for key, is_sparse in zip(keys, sparse, strict=False)
        }
    }


class Model:
    def __init__(self, predict_data_signature: Any) -> None:
        self.predict_data_signature = predict_data_signature
        self.batches: list[tuple[Any, ...]] = []

    def _rasa_predict(self, batch_in: tuple[Any, ...]) -> dict[str, Any]:
        self.batches.append(batch_in)
        return {"i_scores": np.zeros((1, 2))}


def test_a_model_with_the_project_s_input_fits():
    assert model_data.fits(Model(signature(False, True, True, False)))


@pytest.mark.parametrize(
    "predict_signature",
    [
        signature(False, False, True, False),  # dense sentence features
        signature(False, True, True),  # no sequence lengths
        {**signature(False, True, True, False), "label": {}},
        {TEXT: {**signature(False, True, True, False)[TEXT], "extra": []}},
        None,
    ],
)
def test_other_models_take_rasa_s_way(predict_signature):
    assert not model_data.fits(Model(predict_signature))


def words() -> Message:
    """A message with the sparse sequence and sentence features of one featurizer."""
    return message(
        (FEATURE_TYPE_SEQUENCE, matrix(3, 30, seed=1), "words"),
        (FEATURE_TYPE_SENTENCE, matrix(1, 30, seed=2), "words"),
    )


@pytest.fixture
def rasa_way(monkeypatch) -> list[Message]:
    """The messages Rasa's own ``_predict`` was asked for (it answers nothing here)."""
    asked: list[Message] = []
    monkeypatch.setattr(model_data, "_rasa_predict", lambda component, msg: asked.append(msg))
    return asked


def test_a_fitting_model_predicts_from_the_laid_out_batch(diet, rasa_way):
    diet.model = Model(signature(False, True, True, False))
    msg = words()

    assert diet._predict(msg) == {"i_scores": pytest.approx(np.zeros((1, 2)))}
    same_batch(diet.model.batches[0], rasa_batch(diet, msg))
    assert rasa_way == []

    diet._predict(message((FEATURE_TYPE_SEQUENCE, np.ones((3, 8)), "dense")))
    assert len(rasa_way) == 1


def test_a_model_of_another_input_takes_rasa_s_way(diet, rasa_way):
    diet.model = Model(signature(False, False, True, False))
    msg = words()

    diet._predict(msg)

    assert rasa_way == [msg]
    assert diet.model.batches == []


def test_the_second_component_gets_the_batch_laid_out_for_the_first(monkeypatch):
    msg = words()
    first = model_data.message_batch(msg, [])
    laid_out: list[Message] = []
    monkeypatch.setattr(model_data, "lay_out", lambda m, featurizers: laid_out.append(m))

    assert model_data.message_batch(msg, []) is first
    assert laid_out == []
    model_data.message_batch(msg, ["words"])  # other featurizers, another batch
    assert laid_out == [msg]


def test_features_added_since_give_a_new_batch(diet):
    msg = words()
    model_data.message_batch(msg, [])
    msg.add_features(Features(matrix(3, 9, seed=3), FEATURE_TYPE_SEQUENCE, TEXT, "later"))

    same_batch(model_data.message_batch(msg, []), rasa_batch(diet, msg))
