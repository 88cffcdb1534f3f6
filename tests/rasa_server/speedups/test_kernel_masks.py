"""Randomly connected layers masked once predict exactly as Rasa's, which mask in every call."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from rasa.utils.tensorflow.layers import RandomlyConnectedDense
from rasa.utils.tensorflow.models import RasaModel

from rasa_server.speedups import kernel_masks
from tests.utils.rasa_models import variable_writes

# Keras draws its layers' initial weights with an argument Python 3.10 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:non-integer arguments to randrange")


@pytest.fixture(autouse=True)
def applied(monkeypatch):
    """The speedup applied; Rasa's own layer and loading back in place after the test."""
    monkeypatch.setattr(RandomlyConnectedDense, "call", RandomlyConnectedDense.call)
    monkeypatch.setattr(RasaModel, "load", RasaModel.__dict__["load"])
    monkeypatch.setattr(kernel_masks, "_rasa_call", None)
    monkeypatch.setattr(kernel_masks, "_rasa_load", None)
    kernel_masks.apply()


class Toy(RasaModel):
    """Two randomly connected layers behind Rasa's prediction machinery."""

    def __init__(self) -> None:
        super().__init__(random_seed=7)
        self.hidden = RandomlyConnectedDense(units=16, density=0.3, activation="relu")
        self.scores = RandomlyConnectedDense(units=4, density=0.5)

    def batch_predict(self, batch_in: Any) -> dict[str, Any]:
        (features,) = batch_in
        return {"scores": self.scores(self.hidden(features))}


def features(rows: int, seed: int) -> tuple[np.ndarray]:
    return (np.random.default_rng(seed).normal(size=(rows, 8)).astype(np.float32),)


def trained() -> Toy:
    """A built Toy whose kernels carry weights where their masks are zero, as after training.

    A training step changes masked weights too; Rasa zeroes them again in the next call.
    """
    model = Toy()
    model.batch_predict(features(1, seed=0))
    rng = np.random.default_rng(42)
    for layer in (model.hidden, model.scores):
        layer.kernel.assign(rng.normal(size=layer.kernel.shape).astype(np.float32))
        assert np.count_nonzero(layer.kernel.numpy() * (1 - layer.kernel_mask.numpy()))
    return model


def test_masked_once_the_predictions_are_rasa_s_bit_for_bit():
    rasa_s, masked = trained(), trained()

    assert kernel_masks.mask_kernels(masked) == 2
    for rows, seed in [(1, 1), (5, 2), (3, 3), (1, 4)]:
        theirs = rasa_s._rasa_predict(features(rows, seed))
        mine = masked._rasa_predict(features(rows, seed))
        np.testing.assert_array_equal(mine["scores"], theirs["scores"])
    for layer, rasa_layer in [(masked.hidden, rasa_s.hidden), (masked.scores, rasa_s.scores)]:
        np.testing.assert_array_equal(layer.kernel.numpy(), rasa_layer.kernel.numpy())


def test_the_prediction_graph_of_a_masked_model_writes_no_weights():
    rasa_s, masked = trained(), trained()
    kernel_masks.mask_kernels(masked)
    rasa_s._rasa_predict(features(2, seed=1))
    masked._rasa_predict(features(2, seed=1))

    assert variable_writes(rasa_s) == 2
    assert variable_writes(masked) == 0


def test_layers_not_built_yet_are_left_to_rasa():
    model = Toy()

    assert kernel_masks.mask_kernels(model) == 0
    model._rasa_predict(features(2, seed=1))
    assert variable_writes(model) == 2


class Loading:
    """Stands in for the load that ``kernel_masks`` wraps; records what it and the model got."""

    def __init__(self) -> None:
        self.predict_example: Any = "not called"
        self.inference: list[tuple[Any, bool]] = []

    def __call__(self, cls: Any, model_file: str, data_example: Any, predict_example: Any,
                 finetune_mode: bool, *args: Any, **kwargs: Any) -> Toy:  # fmt: skip
        self.predict_example = predict_example
        model = trained()

        def run_inference(example: Any) -> None:
            self.inference.append((example, bool(model.hidden.__dict__.get(kernel_masks.MASKED))))

        model.run_inference = run_inference
        return model


def test_a_model_loaded_for_prediction_is_masked_before_its_graph_is_traced(monkeypatch):
    loading = Loading()
    monkeypatch.setattr(kernel_masks, "_rasa_load", loading)

    model = Toy.load("model.tf_model", "data example", "predict example")

    assert loading.predict_example is None  # the wrapped load traces nothing
    assert loading.inference == [("predict example", True)]
    assert model.scores.__dict__[kernel_masks.MASKED]


def test_a_model_loaded_for_further_training_keeps_rasa_s_masking(monkeypatch):
    loading = Loading()
    monkeypatch.setattr(kernel_masks, "_rasa_load", loading)

    model = Toy.load("model.tf_model", "data example", "predict example", finetune_mode=True)

    assert loading.predict_example == "predict example"
    assert loading.inference == []
    assert kernel_masks.MASKED not in model.hidden.__dict__
    assert kernel_masks.MASKED not in model.scores.__dict__


def test_a_compiled_model_is_masked_too():
    """Rasa's own load compiles the model and trains it one step before loading the weights."""
    import tensorflow as tf

    rasa_s, masked = trained(), trained()
    masked.compile(optimizer=tf.keras.optimizers.Adam())

    assert kernel_masks.mask_kernels(masked) == 2
    theirs = rasa_s._rasa_predict(features(3, seed=5))
    mine = masked._rasa_predict(features(3, seed=5))
    np.testing.assert_array_equal(mine["scores"], theirs["scores"])
    assert variable_writes(masked) == 0
