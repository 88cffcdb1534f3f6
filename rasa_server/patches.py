"""Fixes to Rasa 3.6.21 that the project applies in the Rasa server process.

Each patch replaces one function with an equivalent one and says what it saves; the tests in
``tests/rasa_server/test_patches.py`` compare it with Rasa's own on the same input.

- **Action responses validated with a compiled schema.** Rasa checks every answer of the
  action server with ``jsonschema.validate(response, schema)``. That call first checks the
  schema itself against the JSON-Schema meta-schema and builds a new validator, every time;
  with Rasa's event schema this took about 30 % of the Rasa server's CPU under load
  (``docs/PERFORMANCE.md``). The schema never changes, so it is checked and compiled once.
  Each event must match exactly one of 23 event schemas (``oneOf``), which jsonschema
  decides by trying all of them; as every one of them fixes a different ``event`` name, the
  one to try is looked up by name instead. Only a response that fails is checked again
  with the whole schema, for Rasa's own error message.
- **Models built for prediction without a training step.** To give a loaded model
  (DIET, ResponseSelector, TED) weights of the right shapes, Rasa compiles it and runs
  ``model.fit`` on one example before it loads the trained weights: TensorFlow traces the
  whole training graph, gradients and optimizer included, which was about 80 % of the
  Rasa server's start-up. Calling the loss once eagerly on the same example creates the
  same variables without tracing anything; then the trained weights are loaded and the
  prediction graph is traced, as Rasa does. Loading for further training
  (``finetune_mode``) keeps Rasa's way, since it needs the optimizer.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

_applied = False


@functools.lru_cache(maxsize=1)
def action_response_validator() -> Any:
    """The validator of Rasa's action response schema, checked once per process."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@functools.lru_cache(maxsize=1)
def valid_action_response() -> Callable[[Any], bool] | None:
    """Whether a response is valid under Rasa's schema, with each event checked by its name.

    An event is valid under Rasa's schema when it is an object with an ``event`` string and
    exactly one of the event schemas in ``oneOf`` accepts it. Every one of those requires a
    different constant ``event``, so only the schema of its own name can accept it: checking
    that one gives the same answer. Returns None, and the whole schema is used, should a
    Rasa version's schema not have that shape.
    """
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = type(action_response_validator())
    items = schema.get("properties", {}).get("events", {}).get("items", {})
    if "event" not in items.get("required", []) or "oneOf" not in items:
        return None
    by_name: dict[Any, Any] = {}
    for event_schema in items["oneOf"]:
        name = event_schema.get("properties", {}).get("event", {}).get("const")
        if not isinstance(name, str) or name in by_name:
            return None
        by_name[name] = validator_class(event_schema)
    outer = copy.deepcopy(schema)
    outer["properties"]["events"]["items"] = {k: v for k, v in items.items() if k != "oneOf"}
    outer_validator = validator_class(outer)

    def is_valid(result: Any) -> bool:
        if not outer_validator.is_valid(result):
            return False
        for event in result.get("events", []):
            event_validator = by_name.get(event["event"])
            if event_validator is None or not event_validator.is_valid(event):
                return False
        return True

    return is_valid


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the compiled validator.

    Raises what Rasa's raises: the best-matching ``ValidationError``, its message extended
    with the same hint.
    """
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    fast = valid_action_response()
    if fast is not None and fast(result):
        return True
    error = best_match(action_response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def load_model(
    cls: Any,
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """``RasaModel.load`` without the training step that only builds the weights."""
    if finetune_mode:
        return rasa_load()(cls, model_file_name, model_data_example, predict_data_example,
                           finetune_mode, *args, **kwargs)  # fmt: skip
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    model = cls(*args, **kwargs)
    batch_in, _ = RasaBatchDataGenerator(model_data_example, batch_size=1, shuffle=False)[0]
    model._training = True
    model.batch_loss(batch_in)
    model._training = None
    model.load_weights(model_file_name).expect_partial()
    if predict_data_example:
        model.run_inference(predict_data_example)
    return model


_rasa_load: Any = None


def rasa_load() -> Any:
    """Rasa's own ``RasaModel.load``, as it was before ``apply``."""
    global _rasa_load
    if _rasa_load is None:
        from rasa.utils.tensorflow.models import RasaModel

        _rasa_load = RasaModel.__dict__["load"].__func__
    return _rasa_load


def apply() -> None:
    """Apply every patch once."""
    global _applied
    if _applied:
        return
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.tensorflow.models import RasaModel

    RemoteAction._validate_action_result = validate_action_result
    rasa_load()
    RasaModel.load = classmethod(load_model)
    _applied = True
