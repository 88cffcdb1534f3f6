"""The faster event lookup and TensorFlow prediction give exactly what Rasa's functions give.

Each test compares ``rasa_server.speedups`` with Rasa's own function on the same input; the
trained model's DIET, ResponseSelector and TED are compared in ``tests/e2e``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any
from unittest import mock

import numpy as np
import pytest
import rasa.core.run
import scipy.sparse
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.shared.core.events import Event
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.utils.common import all_subclasses
from rasa.utils.tensorflow.models import RasaModel

from rasa_server import speedups

# Keras draws its layers' initial weights with an argument Python 3.10 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:non-integer arguments to randrange")


@pytest.fixture
def applied(monkeypatch) -> Iterator[None]:
    """The speedups applied; Rasa's own functions back in place after the test."""
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
    monkeypatch.setattr(RasaModel, "_rasa_predict", RasaModel._rasa_predict)
    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", rasa.core.run.load_agent_on_start)
    monkeypatch.setattr(speedups, "_rasa_resolve_by_type", None)
    monkeypatch.setattr(speedups, "_rasa_predict", None)
    monkeypatch.setattr(speedups, "_rasa_load_agent_on_start", None)
    monkeypatch.setattr(Message, "_combine_features", Message.__dict__["_combine_features"])
    monkeypatch.setattr(speedups, "_rasa_combine_features", None)
    monkeypatch.setattr(speedups, "_event_classes", {})
    speedups.apply()
    yield


RASA_RESOLVE = Event.resolve_by_type
RASA_PREDICT = RasaModel._rasa_predict
RASA_COMBINE = Message._combine_features
EVENT_NAMES = sorted({cls.type_name for cls in all_subclasses(Event)})


@pytest.mark.usefixtures("applied")
@pytest.mark.parametrize("name", EVENT_NAMES)
def test_each_event_name_resolves_to_rasa_s_class(name):
    for _ in range(2):  # looked up, then remembered
        assert Event.resolve_by_type(name) is RASA_RESOLVE(name)


@pytest.mark.usefixtures("applied")
def test_unknown_event_names_are_treated_as_by_rasa():
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")  # the default was not remembered


@pytest.mark.usefixtures("applied")
def test_stored_events_come_back_as_rasa_s_events():
    from rasa.shared.core.events import deserialise_events

    dumped: list[dict[str, Any]] = [
        {"event": "action", "name": "action_listen", "timestamp": 1.0},
        {"event": "slot", "name": "member", "value": "grabow", "timestamp": 2.0},
        {"event": "user", "text": "Hallo", "parse_data": {"intent": {"name": "greet"}}},
    ]
    events = deserialise_events(dumped)
    assert [type(e) for e in events] == [RASA_RESOLVE(d["event"]) for d in dumped]


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


@pytest.mark.usefixtures("applied")
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


@pytest.mark.usefixtures("applied")
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


@pytest.mark.usefixtures("applied")
async def test_what_the_model_loaded_is_frozen_for_the_garbage_collector(monkeypatch):
    loaded = {"weights": [object() for _ in range(1000)]}

    async def rasa_load(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return loaded

    monkeypatch.setattr(speedups, "_rasa_load_agent_on_start", rasa_load)
    try:
        agent = await rasa.core.run.load_agent_on_start("model.tar.gz", None, None, None, None)
        assert agent is loaded
        assert gc.get_freeze_count() >= 1000
        assert not any(loaded is tracked for tracked in gc.get_objects())
    finally:
        gc.unfreeze()


def sparse(rows: int, columns: int, density: float, dtype: Any, seed: int) -> Any:
    matrix = scipy.sparse.random(rows, columns, density=density, format="coo", random_state=seed)
    return (matrix * 10).astype(dtype)


@st.composite
def text_features(draw: Any) -> list[Features]:
    rows = draw(st.integers(1, 12))
    return [
        Features(
            sparse(
                rows,
                draw(st.integers(1, 40)),
                draw(st.sampled_from([0.0, 0.1, 0.5, 1.0])),
                draw(st.sampled_from([np.float32, np.float64, np.int64])),
                draw(st.integers(0, 1000)),
            ),
            "sequence",
            "text",
            name,
        )
        for name in draw(
            st.lists(
                st.sampled_from(["Regex", "Lexical", "Words", "Chars"]), min_size=1, max_size=4
            )
        )
    ]


def same_features(mine: Features, theirs: Features) -> None:
    assert (mine.type, mine.attribute, mine.origin) == (
        theirs.type,
        theirs.attribute,
        theirs.origin,
    )
    assert type(mine.features) is type(theirs.features)
    assert mine.features.shape == theirs.features.shape
    assert mine.features.dtype == theirs.features.dtype
    for part in ("data", "row", "col"):
        mine_part, their_part = getattr(mine.features, part), getattr(theirs.features, part)
        assert mine_part.dtype == their_part.dtype, part
        np.testing.assert_array_equal(mine_part, their_part, err_msg=part)


@given(features=text_features())
def test_sparse_features_are_combined_into_rasa_s_matrix(features):
    featurizers = ["Regex", "Lexical", "Words", "Chars"]
    theirs = RASA_COMBINE(features, featurizers)
    with mock.patch.object(speedups, "_rasa_combine_features", RASA_COMBINE):
        combined = speedups.combine_features(features, featurizers)

    same_features(combined, theirs)
    assert combined.origin is featurizers


def test_features_rasa_combines_otherwise_are_left_to_rasa(monkeypatch):
    monkeypatch.setattr(speedups, "_rasa_combine_features", RASA_COMBINE)
    dense = [Features(np.ones((2, 3)), "sentence", "text", "Dense") for _ in range(2)]
    compressed = [Features(sparse(2, 5, 0.5, np.float64, 1).tocsr(), "sentence", "text", "C")] * 2
    one = [Features(sparse(2, 5, 0.5, np.float64, 1), "sentence", "text", "One")]

    for features in (dense, compressed, one):
        mine, theirs = speedups.combine_features(features, []), RASA_COMBINE(features, [])
        np.testing.assert_array_equal(
            scipy.sparse.csr_matrix(mine.features).toarray()
            if scipy.sparse.issparse(mine.features)
            else mine.features,
            scipy.sparse.csr_matrix(theirs.features).toarray()
            if scipy.sparse.issparse(theirs.features)
            else theirs.features,
        )
        assert type(mine.features) is type(theirs.features)

    mismatched = [
        Features(sparse(rows, 5, 0.5, np.float64, 1), "sequence", "text", name)
        for rows, name in ((2, "A"), (3, "B"))
    ]
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        speedups.combine_features(mismatched, [])
