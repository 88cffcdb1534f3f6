"""Predictions through the traced graph called directly are Rasa's predictions."""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np
import pytest
import tensorflow as tf
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.utils.tensorflow.models import RasaModel

from rasa_server.speedups import prediction

# Keras draws its layers' initial weights with an argument Python 3.10 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:non-integer arguments to randrange")

RASA_PREDICT = RasaModel._rasa_predict


@pytest.fixture(autouse=True)
def applied(monkeypatch):
    """The speedup applied; Rasa's own prediction back in place after the test."""
    monkeypatch.setattr(RasaModel, "_rasa_predict", RasaModel._rasa_predict)
    monkeypatch.setattr(prediction, "_rasa_predict", None)
    prediction.apply()


class Toy(RasaModel):
    """A small model with Rasa's prediction machinery: a dense layer over a padded sequence."""

    def __init__(self) -> None:
        super().__init__(random_seed=7)
        self.dense = tf.keras.layers.Dense(3)

    def batch_predict(self, batch_in: Any) -> dict[str, Any]:
        features, mask, ids = batch_in
        projected = self.dense(features)
        return {
            "scores": tf.nn.softmax(tf.reduce_sum(projected * mask, axis=1)),
            "ids": ids * 2,
            DIAGNOSTIC_DATA: {"projected": projected, "empty": tf.zeros((0,))},
        }


def batch(sequence_length: int, features: int = 4, dtype: Any = np.float32) -> tuple[Any, ...]:
    rng = np.random.default_rng(sequence_length)
    return (
        rng.normal(size=(1, sequence_length, features)).astype(dtype),
        np.ones((1, sequence_length, 1), dtype=np.float32),
        np.arange(sequence_length, dtype=np.int64),
    )


def same(mine: Any, theirs: Any) -> None:
    assert type(mine) is type(theirs)
    if isinstance(theirs, dict):
        assert mine.keys() == theirs.keys()
        for key in theirs:
            same(mine[key], theirs[key])
    elif theirs is None:
        assert mine is None
    else:
        np.testing.assert_array_equal(mine, theirs)
        assert mine.dtype == theirs.dtype


def test_predictions_are_rasa_s_for_every_sequence_length():
    model = Toy()
    first = model._rasa_predict(batch(5))  # the first call takes Rasa's way and traces
    same(first, RASA_PREDICT(model, batch(5)))

    for length in (5, 1, 2, 9, 30):
        same(model._rasa_predict(batch(length)), RASA_PREDICT(model, batch(length)))
    assert model.__dict__["_ksm_predict_call"].step is model._tf_predict_step


def outcome(predict: Any, model: Toy, batch_in: tuple[Any, ...]) -> Any:
    try:
        return predict(model, batch_in)
    except Exception as error:  # noqa: BLE001 - the failure is the outcome compared
        return type(error)


@pytest.mark.parametrize(
    "unlike",
    [
        batch(4, features=5),  # another feature size than the graph was traced with
        batch(4, dtype=np.float64),  # Rasa converts it
        batch(4)[:2],
    ],
)
def test_a_batch_unlike_the_traced_one_is_handled_as_by_rasa(unlike):
    model = Toy()
    model._rasa_predict(batch(3))

    theirs = outcome(RASA_PREDICT, model, unlike)
    mine = outcome(RasaModel._rasa_predict, model, unlike)

    if isinstance(theirs, type):
        assert mine is theirs
    else:
        same(mine, theirs)


@pytest.mark.parametrize("device", [None, "/CPU:0"])
def test_the_tensors_are_tensorflow_s_and_where_it_puts_them(device):
    model = Toy()
    model._rasa_predict(batch(3))
    model._rasa_predict(batch(3))
    call = model.__dict__["_ksm_predict_call"]

    with contextlib.nullcontext() if device is None else tf.device(device):
        mine = call.tensors(batch(4))
        arrays = zip(batch(4), mine, strict=True)
        theirs = [tf.convert_to_tensor(array, dtype=t.dtype) for array, t in arrays]

    for tensor, expected in zip(mine, theirs, strict=True):
        assert (tensor.dtype, tensor.shape, tensor.device) == (
            expected.dtype,
            expected.shape,
            expected.device,
        )
        np.testing.assert_array_equal(tensor.numpy(), expected.numpy())
