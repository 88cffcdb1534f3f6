"""Faster versions of two Rasa functions that run many times for every message.

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
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

_event_classes: dict[str, type] = {}
_rasa_resolve_by_type: Any = None
_rasa_predict: Any = None


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


def apply() -> None:
    global _rasa_resolve_by_type, _rasa_predict
    from rasa.shared.core.events import Event
    from rasa.utils.tensorflow.models import RasaModel

    if _rasa_resolve_by_type is None:
        _rasa_resolve_by_type = Event.resolve_by_type
        Event.resolve_by_type = staticmethod(resolve_by_type)
    if _rasa_predict is None:
        _rasa_predict = RasaModel._rasa_predict
        RasaModel._rasa_predict = rasa_predict
