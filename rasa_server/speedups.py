"""Faster versions of Rasa functions that run for every message, and a quieter garbage collector.

Each replaces one function with one that gives the same result; the tests in
``tests/rasa_server/test_speedups.py`` compare them with Rasa's on the same input, and
``tests/e2e/test_rasa_patches.py`` with the trained model.

- **Event classes looked up once.** Rasa turns every stored or returned event into an object
  by searching all subclasses of ``Event`` for the one with the event's name: it lists them
  recursively and checks each for being abstract, for every single event. A conversation
  is read back from the tracker store for every message, and the action server's events
  are read the same way, so this search took about a fifth of the Rasa server's time
  (``docs/PERFORMANCE.md``). The class found for a name is remembered; an unknown name is
  searched (and fails) as before.
- **TensorFlow prediction called directly.** DIET, the ResponseSelector and TED predict
  through a ``tf.function`` with an input signature, which on every call matches the
  arguments against the signature, converts them and looks up the traced graph; for these
  small models that took as long as running the graph. After Rasa's first call has traced
  it, the graph is called with the arguments converted to tensors of the signature's
  types. Arguments that do not fit the signature take Rasa's way, which reports them.
- **Sparse features combined in one step.** DIET and the ResponseSelector each combine the
  sparse features of a message's text (regex, lexical, word and character n-gram counts)
  by deep-copying the first matrix and stacking the others onto it one by one with
  ``scipy.sparse.hstack``, which checks and converts its blocks each time. The combined
  matrix is now built once from all of them: the same entries in the same order, the same
  value and index types (``tests/rasa_server/test_speedups.py`` compares them).
- **The loaded model kept out of garbage collection.** Once the model is loaded, the Rasa
  server holds more than half a million Python objects (TensorFlow, the domain, the
  pipeline), and each of Python's full collections walked all of them: a pause of several
  hundred milliseconds for whichever message was being answered, now and then. After the
  model is loaded they are moved out of the collector's sight (``gc.freeze``); objects
  created later are collected as before.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

logger = logging.getLogger(__name__)

_event_classes: dict[str, type] = {}
_rasa_resolve_by_type: Any = None
_rasa_predict: Any = None
_rasa_load_agent_on_start: Any = None
_rasa_combine_features: Any = None


def resolve_by_type(type_name: str, default: type | None = None) -> type | None:
    """``Event.resolve_by_type``, remembering the class found for each name."""
    found = _event_classes.get(type_name)
    if found is None:
        found = _rasa_resolve_by_type(type_name, default)
        if found is not None and found is not default:
            _event_classes[type_name] = found
    return found


class PredictCall:
    """A model's traced prediction graph, called with its arguments converted to tensors."""

    def __init__(self, step: Any) -> None:
        import tensorflow as tf

        self.step = step
        self.concrete = step.get_concrete_function()
        (signature,), _ = self.concrete.structured_input_signature
        self.specs = list(signature)
        self.numpy_types = [spec.dtype.as_numpy_dtype for spec in self.specs]
        self.convert = tf.convert_to_tensor

    def tensors(self, batch_in: Any) -> list[Any] | None:
        """The batch as tensors for the graph; None if it does not fit the signature."""
        import numpy as np

        if len(batch_in) != len(self.specs):
            return None
        tensors = []
        for array, spec, numpy_type in zip(batch_in, self.specs, self.numpy_types, strict=True):
            if not (
                isinstance(array, np.ndarray)
                and array.dtype == numpy_type
                and spec.shape.is_compatible_with(array.shape)
            ):
                return None
            tensors.append(self.convert(array, dtype=spec.dtype))
        return tensors

    def __call__(self, tensors: list[Any]) -> Any:
        return self.concrete._call_flat(tensors, self.concrete.captured_inputs)


def rasa_predict(self: Any, batch_in: Any) -> Any:
    """``RasaModel._rasa_predict`` without ``tf.function``'s argument matching."""
    step = self._tf_predict_step
    if step is None or self._run_eagerly or not self.prepared_for_prediction:
        return _rasa_predict(self, batch_in)  # Rasa prepares the model and traces the graph
    call = self.__dict__.get("_ksm_predict_call")
    if call is None or call.step is not step:
        call = PredictCall(step)
        self.__dict__["_ksm_predict_call"] = call
    tensors = call.tensors(batch_in)
    if tensors is None:
        return _rasa_predict(self, batch_in)
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA

    self._training = False
    outputs = tf_utils.sync_to_numpy_or_python_type(call(tensors))
    if DIAGNOSTIC_DATA in outputs:
        outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
    return outputs


def combine_features(features: list[Any], featurizers: list[str]) -> Any:
    """``Message._combine_features`` for sparse features in coordinate format, in one step.

    Like Rasa's, the result is a new ``Features`` with the first one's type and attribute,
    ``featurizers`` as its origin, and the matrices side by side in the given order.
    """
    import numpy as np
    from rasa.shared.nlu.training_data.features import Features
    from scipy.sparse import coo_matrix, isspmatrix_coo
    from scipy.sparse._sputils import get_index_dtype, upcast

    matrices = [f.features for f in features]
    if len(matrices) < 2 or not all(isspmatrix_coo(m) for m in matrices):
        return _rasa_combine_features(features, featurizers)
    rows = matrices[0].shape[0]
    if any(m.shape[0] != rows for m in matrices):
        return _rasa_combine_features(features, featurizers)  # Rasa says what is wrong
    offsets = np.cumsum([0] + [m.shape[1] for m in matrices])
    shape = (rows, int(offsets[-1]))
    index_type = get_index_dtype(maxval=max(shape))
    data = np.concatenate([m.data for m in matrices]).astype(
        upcast(*(m.dtype for m in matrices)), copy=False
    )
    row = np.concatenate([m.row for m in matrices]).astype(index_type, copy=False)
    col = np.concatenate(
        [
            m.col.astype(index_type) + index_type(offset)
            for m, offset in zip(matrices, offsets[:-1], strict=True)
        ]
    ).astype(index_type, copy=False)
    first = features[0]
    matrix = coo_matrix((data, (row, col)), shape=shape)
    return Features(matrix, first.type, first.attribute, featurizers)


async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
    """Rasa's ``load_agent_on_start``, then everything loaded is frozen for the collector."""
    agent = await _rasa_load_agent_on_start(*args, **kwargs)
    gc.collect()
    gc.freeze()
    logger.debug("%d objects of the loaded model frozen for the collector.", gc.get_freeze_count())
    return agent


def apply() -> None:
    global _rasa_resolve_by_type, _rasa_predict, _rasa_load_agent_on_start, _rasa_combine_features
    import rasa.core.run
    from rasa.shared.core.events import Event
    from rasa.shared.nlu.training_data.message import Message
    from rasa.utils.tensorflow.models import RasaModel

    if _rasa_resolve_by_type is None:
        _rasa_resolve_by_type = Event.resolve_by_type
        Event.resolve_by_type = staticmethod(resolve_by_type)
    if _rasa_predict is None:
        _rasa_predict = RasaModel._rasa_predict
        RasaModel._rasa_predict = rasa_predict
    if _rasa_combine_features is None:
        _rasa_combine_features = Message._combine_features
        Message._combine_features = staticmethod(combine_features)
    if _rasa_load_agent_on_start is None:
        _rasa_load_agent_on_start = rasa.core.run.load_agent_on_start
        rasa.core.run.load_agent_on_start = load_agent_on_start
