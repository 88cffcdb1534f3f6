"""Rasa's models trace their train step once: weights and optimizer slots exist before Keras
traces it."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    FEATURE_TYPE_SEQUENCE,
    INTENT,
    TEXT,
)
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.data_generator import RasaDataGenerator
from rasa.utils.tensorflow.models import RasaModel

from rasa_server import training

# Keras draws its layers' initial weights with an argument Python 3.10 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:non-integer arguments to randrange")

INTENTS = ("greet", "report_fault", "thank")


@pytest.fixture
def patched(monkeypatch):
    """``training`` applied; Rasa's ``fit`` back in place after the test."""
    monkeypatch.setattr(RasaModel, "fit", RasaModel.fit)
    monkeypatch.setattr(training, "_keras_fit", None)
    training.apply()


def examples(count: int) -> TrainingData:
    rng = np.random.default_rng(7)
    messages = []
    for number in range(count):
        tokens = int(rng.integers(1, 9))
        message = Message(data={TEXT: f"Satz {number}", INTENT: INTENTS[number % len(INTENTS)]})
        for kind, rows in ((FEATURE_TYPE_SEQUENCE, tokens), (FEATURE_TYPE_SENTENCE, 1)):
            values = scipy.sparse.random(rows, 40, density=0.3, format="coo", random_state=rng)
            message.add_features(Features(values, kind, TEXT, "words"))
        messages.append(message)
    return TrainingData(training_examples=messages)


def train(tmp_path, **config) -> DIETClassifier:
    diet = DIETClassifier.create(
        {
            **DIETClassifier.get_default_config(),
            "entity_recognition": False,
            "constrain_similarities": True,
            "number_of_transformer_layers": 1,
            "transformer_size": 16,
            "batch_size": [8, 16],
            "epochs": 3,
            "random_seed": 1,
            "evaluate_every_number_of_epochs": -1,
            **config,
        },
        LocalModelStorage(tmp_path),
        Resource("diet"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    diet.train(examples(40))
    return diet


def test_the_train_step_is_traced_once(tmp_path, patched):
    diet = train(tmp_path)

    assert diet.model.train_function.experimental_get_tracing_count() == 1


def test_rasa_alone_traces_it_twice(tmp_path):
    """What the patch removes: without it, the first step's new variables force a retrace."""
    diet = train(tmp_path)

    assert diet.model.train_function.experimental_get_tracing_count() == 2


def test_the_weights_built_first_are_the_ones_trained(tmp_path, patched):
    diet = train(tmp_path, epochs=40)

    parsed = [diet.process([message])[0] for message in examples(40).training_examples[:9]]
    hits = sum(m.get(INTENT)["name"] == INTENTS[i % len(INTENTS)] for i, m in enumerate(parsed))
    assert hits == 9


class Batches(RasaDataGenerator):
    def __len__(self) -> int:
        return 1


@pytest.mark.parametrize(
    ("built", "expected"), [(True, ["fit"]), (False, ["build", "fit"])], ids=["built", "new"]
)
def test_only_an_optimizer_without_slots_is_built_first(patched, monkeypatch, built, expected):
    model = SimpleNamespace(optimizer=SimpleNamespace(_built=built))
    calls = []
    monkeypatch.setattr(training, "build", lambda model, data: calls.append("build"))
    monkeypatch.setattr(training, "_keras_fit", lambda model, data, **kwargs: calls.append("fit"))

    training.fit(model, Batches(model_data=None, batch_size=1), epochs=1)

    assert calls == expected
