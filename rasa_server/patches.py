"""Fixes to Rasa 3.6.21 that the project applies in the Rasa server process.

Each patch replaces one function and says why; the tests in ``tests/rasa_server/`` compare it
with Rasa's own on the same input (``test_patches.py``; ``test_action_faults.py`` for the
failing action server).

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
- **An apology instead of silence when the action server fails.** When a custom action
  cannot be run (action server down, HTTP 500, invalid answer) Rasa logs the error, drops
  the action's events and sends nothing; and it waits up to five minutes for an action
  server that does not answer. A remote action now gets ``ACTION_TIMEOUT_SECONDS``
  (``bot.limits``; ``KSM_ACTION_TIMEOUT_SECONDS`` overrides it), and any failure except a
  rejection (HTTP 400, which Rasa's policies handle) makes the assistant say
  ``utter_technical_problem`` with the hotline and listen again. In a form, the failure of
  its validation action or of an ``action_ask_*`` action leaves the form exactly where it
  was before the user's message: no unvalidated answer is taken, the question stays open,
  and the user's next message is validated again. ``action_session_start`` falls back to
  Rasa's own session start (slots carried over, the privacy notice shown once), so that the
  conversation starts with the shipped contact data.
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import functools
import logging
import os
from collections.abc import Callable
from typing import Any

from bot import limits
from rasa_server import originals

logger = logging.getLogger(__name__)

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


ACTION_TIMEOUT_VARIABLE = "KSM_ACTION_TIMEOUT_SECONDS"
TECHNICAL_PROBLEM = "utter_technical_problem"
DESK_PHONE_SLOT = "desk_phone"
HOTLINE = "030 23125 100"
"""The shipped service-desk number (``bot/db/seed_data.yml``), for a conversation and domain
that know none."""
FALLBACK_APOLOGY = (
    "Entschuldigung, bei mir ist gerade ein technischer Fehler aufgetreten. Bitte versuchen "
    "Sie es gleich noch einmal oder rufen Sie den Servicedesk an: {desk_phone}."
)
"""The apology for a domain without ``utter_technical_problem``."""
PRIVACY_NOTICE = "utter_privacy_notice"
PRIVACY_NOTICE_SHOWN_SLOT = "privacy_notice_shown"


class ActionServerFailed(Exception):
    """A remote action run by a form failed; the form answers with the apology."""


_in_form: contextvars.ContextVar[bool] = contextvars.ContextVar("in_form", default=False)


def action_timeout() -> float:
    """Seconds the Rasa server waits for the action server (``KSM_ACTION_TIMEOUT_SECONDS``)."""
    value = os.environ.get(ACTION_TIMEOUT_VARIABLE)
    if not value:
        return limits.ACTION_TIMEOUT_SECONDS
    seconds = float(value)
    if not seconds > 0:
        raise ValueError(f"{ACTION_TIMEOUT_VARIABLE} must be a positive number of seconds")
    return seconds


def desk_phone(tracker: Any, domain: Any) -> str:
    """The hotline to name: the conversation's, else the domain's initial value, else ours."""
    phone = tracker.slots[DESK_PHONE_SLOT].value if DESK_PHONE_SLOT in tracker.slots else None
    if not phone:
        initial = [slot.initial_value for slot in domain.slots if slot.name == DESK_PHONE_SLOT]
        phone = initial[0] if initial else None
    return str(phone or HOTLINE)


async def apology(output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list[Any]:
    """``utter_technical_problem`` with the hotline, then listen to the user."""
    from rasa.core.actions.action import create_bot_utterance
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import FollowupAction

    phone = desk_phone(tracker, domain)
    message = await nlg.generate(
        TECHNICAL_PROBLEM, tracker, output_channel.name(), desk_phone=phone
    )
    if message:
        message["utter_action"] = TECHNICAL_PROBLEM
    else:
        message = {"text": FALLBACK_APOLOGY.format(desk_phone=phone)}
    return [create_bot_utterance(message), FollowupAction(ACTION_LISTEN_NAME)]


async def rasa_session_start(output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list[Any]:
    """Rasa's own session start, with the privacy notice if the conversation has not had it."""
    from rasa.core.actions.action import ActionSessionStart, create_bot_utterance
    from rasa.shared.core.events import SlotSet

    events: list[Any] = await ActionSessionStart().run(output_channel, nlg, tracker, domain)
    shown = tracker.slots.get(PRIVACY_NOTICE_SHOWN_SLOT)
    if shown is not None and not shown.value:
        notice = await nlg.generate(PRIVACY_NOTICE, tracker, output_channel.name())
        if notice:
            notice["utter_action"] = PRIVACY_NOTICE
            events[-1:-1] = [create_bot_utterance(notice), SlotSet(PRIVACY_NOTICE_SHOWN_SLOT, True)]
    return events


async def run_remote_action(
    self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> list[Any]:
    """``RemoteAction.run`` with a timeout, and an apology instead of an exception.

    Inside a form, raises ``ActionServerFailed`` for ``run_form`` to answer.
    """
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.core.constants import ACTION_SESSION_START_NAME

    try:
        return await asyncio.wait_for(
            rasa_remote_run()(self, output_channel, nlg, tracker, domain), action_timeout()
        )
    except ActionExecutionRejection:
        raise
    except Exception as exc:  # the user must get an answer, not silence
        # Only the kinds of failure: an invalid answer's message may quote the conversation.
        cause = exc.__cause__ or exc.__context__
        logger.error(
            "Custom action '%s' failed with %s%s; the user gets %s",
            self.name(),
            "a timeout" if isinstance(exc, asyncio.TimeoutError) else type(exc).__name__,
            f" ({type(cause).__name__})" if cause is not None else "",
            TECHNICAL_PROBLEM,
        )
        if _in_form.get():
            raise ActionServerFailed(self.name()) from exc
        if self.name() == ACTION_SESSION_START_NAME:
            return await rasa_session_start(output_channel, nlg, tracker, domain)
        return await apology(output_channel, nlg, tracker, domain)


async def run_form(
    self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> list[Any]:
    """``FormAction.run``; if one of its remote actions fails, the apology and nothing else.

    Returning none of the form's events leaves the form as it was before the user's message:
    still active (or still not activated), the same slot requested, no answer taken.
    """
    token = _in_form.set(True)
    try:
        return await rasa_form_run()(self, output_channel, nlg, tracker, domain)
    except ActionServerFailed:
        return await apology(output_channel, nlg, tracker, domain)
    finally:
        _in_form.reset(token)


def rasa_remote_run() -> Any:
    """Rasa's own ``RemoteAction.run``, as it was before ``apply``."""
    from rasa.core.actions.action import RemoteAction

    return originals.original(RemoteAction, "run")


def rasa_form_run() -> Any:
    """Rasa's own ``FormAction.run`` (``LoopAction.run``), as it was before ``apply``."""
    from rasa.core.actions.forms import FormAction

    return originals.original(FormAction, "run")


def apply() -> None:
    """Apply every patch once."""
    global _applied
    if _applied:
        return
    action_timeout()  # a wrong KSM_ACTION_TIMEOUT_SECONDS stops the start, not a conversation
    from rasa.core.actions.action import RemoteAction
    from rasa.core.actions.forms import FormAction
    from rasa.utils.tensorflow.models import RasaModel

    RemoteAction._validate_action_result = validate_action_result
    rasa_load()
    RasaModel.load = classmethod(load_model)
    originals.replace(RemoteAction, "run", run_remote_action)
    originals.replace(FormAction, "run", run_form)
    _applied = True
