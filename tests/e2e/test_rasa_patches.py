"""The model in use loads the same with the project's patch as with Rasa's own loading.

``rasa_server.patches.load_model`` builds each TensorFlow model (DIET, ResponseSelector,
TED) without Rasa's one training step. Loaded both ways in this process, every model has
the same variables with the same values, and the NLU gives the same answers.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
from typing import Any

import numpy as np
import pytest

from bot.nlu import trained_models
from bot.settings import PROJECT_ROOT

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
]

MESSAGES = [
    "Seit wann ist Grabow im Verbund?",
    "Ich habe mein Passwort vergessen",
    "Der Drucker im Bürgerbüro druckt nicht, bitte Störung aufnehmen",
    "Wie weit ist die Umstellung in Musterland?",
    "Wie ist der Stand von KSM-2026-00042?",
    "Moin",
]


def load(patched: bool) -> tuple[list[Any], list[dict[str, Any]]]:
    """The TensorFlow models loaded for the model in use, and the NLU's parse of MESSAGES."""
    from rasa.core.agent import Agent
    from rasa.utils.tensorflow.models import RasaModel

    from rasa_server import patches

    loading = patches.load_model if patched else patches.rasa_load()
    models: list[Any] = []

    def recording(cls: Any, *args: Any, **kwargs: Any) -> Any:
        model = loading(cls, *args, **kwargs)
        models.append(model)
        return model

    original = RasaModel.__dict__["load"]
    RasaModel.load = classmethod(recording)
    try:
        model_path = trained_models.current_model(PROJECT_ROOT / "models")
        agent = Agent.load(str(model_path.path))
    finally:
        RasaModel.load = original
    parsed = [asyncio.run(agent.parse_message(text)) for text in MESSAGES]
    return models, parsed


def variables(model: Any) -> dict[str, np.ndarray]:
    return {variable.name: variable.numpy() for variable in model.weights}


def test_patched_loading_gives_every_model_rasa_s_variables_and_answers():
    rasa_models, rasa_parsed = load(patched=False)
    models, parsed = load(patched=True)

    assert [type(m).__name__ for m in models] == [type(m).__name__ for m in rasa_models]
    assert {"DIET", "TED"} <= {type(m).__name__ for m in models}
    for model, rasa_model in zip(models, rasa_models, strict=True):
        mine, theirs = variables(model), variables(rasa_model)
        assert mine.keys() == theirs.keys(), type(model).__name__
        for name, value in theirs.items():
            np.testing.assert_array_equal(mine[name], value, err_msg=name)

    for mine, theirs in zip(parsed, rasa_parsed, strict=True):
        assert mine["intent"]["name"] == theirs["intent"]["name"]
        assert mine["intent"]["confidence"] == pytest.approx(theirs["intent"]["confidence"])
        assert mine["entities"] == theirs["entities"]
        assert mine["response_selector"] == theirs["response_selector"]


def same_outputs(mine: Any, theirs: Any) -> None:
    if isinstance(theirs, dict):
        assert mine.keys() == theirs.keys()
        for key in theirs:
            same_outputs(mine[key], theirs[key])
    elif isinstance(theirs, np.ndarray):
        np.testing.assert_array_equal(mine, theirs)
    else:
        assert mine == theirs


def test_direct_tensorflow_calls_give_rasa_s_outputs(monkeypatch):
    """``rasa_server.speedups.prediction`` on DIET, ResponseSelector and TED, batch by batch."""
    from rasa.core.agent import Agent
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.tensorflow.models import RasaModel

    from rasa_server.speedups import prediction

    rasa_predict = RasaModel._rasa_predict
    compared: dict[str, int] = {}
    models: list[Any] = []

    def both(model: Any, batch_in: Any) -> Any:
        traced = model._tf_predict_step is not None
        mine = prediction.rasa_predict(model, batch_in)
        same_outputs(mine, rasa_predict(model, batch_in))
        if traced:
            compared[type(model).__name__] = compared.get(type(model).__name__, 0) + 1
            models.append(model)
        return mine

    monkeypatch.setattr(prediction, "_rasa_predict", rasa_predict)
    monkeypatch.setattr(RasaModel, "_rasa_predict", both)
    model_path = trained_models.current_model(PROJECT_ROOT / "models")
    agent = Agent.load(str(model_path.path))
    for _ in range(2):
        for text in MESSAGES:
            asyncio.run(agent.parse_message(text))
    processor = agent.processor
    for text in MESSAGES:
        parse = asyncio.run(agent.parse_message(text))
        tracker = DialogueStateTracker("direct", agent.domain.slots)
        tracker.update(ActionExecuted("action_listen"))
        tracker.update(UserUttered(text, parse["intent"], parse["entities"], parse), agent.domain)
        processor._predict_next_with_tracker(tracker)

    assert compared.get("DIET", 0) >= 2 * len(MESSAGES)  # DIET and the ResponseSelector
    assert compared.get("TED", 0) >= len(MESSAGES)
    assert all("_ksm_predict_call" in model.__dict__ for model in models)


def test_remembered_rule_lookups_are_rasa_s(monkeypatch):
    """``rasa_server.speedups.rules`` with the model's RulePolicy, at every turn of every story."""
    from rasa.core.agent import Agent
    from rasa.core.policies.rule_policy import RulePolicy

    from rasa_server.speedups import rules
    from tests.utils.stories import before_each_action, conversations, off_script

    monkeypatch.setattr(RulePolicy, "_find_action_from_rules", RulePolicy._find_action_from_rules)
    monkeypatch.setattr(RulePolicy, "load", RulePolicy.load)
    monkeypatch.setattr(rules, "_rasa_find_action_from_rules", None)
    monkeypatch.setattr(rules, "_rasa_load", None)
    rules.apply()
    model_path = trained_models.current_model(PROJECT_ROOT / "models")
    agent = Agent.load(str(model_path.path))
    policy = next(
        node._component
        for node in agent.processor.graph_runner._instantiated_nodes.values()
        if isinstance(node._component, RulePolicy)
    )
    lookups = 0
    for _ in range(2):  # looked up, then remembered
        for tracker in [*conversations(agent), *off_script(agent)]:
            for partial, _action in before_each_action(tracker, agent.domain):
                for use_text in (False, True):
                    found = policy._find_action_from_rules(partial, agent.domain, use_text)
                    theirs = rules._rasa_find_action_from_rules(
                        policy, partial, agent.domain, use_text
                    )
                    assert found == theirs, (tracker.sender_id, len(partial.events))
                    lookups += 1

    assert lookups >= 1000
    assert 20 <= len(policy.__dict__["_ksm_rule_lookups"]) < lookups / 4


def heldout_texts() -> list[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = load_data(str(PROJECT_ROOT / "tests/nlu")).intent_examples
    return [message.get("text") for message in examples]


def parse_every_text() -> list[str]:
    """Parse every text of the training data and the held-out test set with the model in use
    (loaded now, with whatever is patched); the texts, in order."""
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(str(trained_models.current_model(PROJECT_ROOT / "models").path))
    training = load_data(str(PROJECT_ROOT / "data/nlu")).intent_examples
    texts = sorted({message.get("text") for message in training} | set(heldout_texts()))
    for text in texts:
        asyncio.run(agent.parse_message(text))
    return texts


def test_kernels_masked_once_give_rasa_s_predictions_bit_for_bit(monkeypatch):
    """``rasa_server.speedups.kernel_masks`` with the model in use, on the held-out test set."""
    from rasa.core.agent import Agent
    from rasa.utils.tensorflow.layers import RandomlyConnectedDense
    from rasa.utils.tensorflow.models import RasaModel

    from rasa_server.speedups import kernel_masks
    from tests.utils.rasa_models import variable_writes

    model_path = str(trained_models.current_model(PROJECT_ROOT / "models").path)
    rasa_agent = Agent.load(model_path)
    monkeypatch.setattr(RandomlyConnectedDense, "call", RandomlyConnectedDense.call)
    monkeypatch.setattr(RasaModel, "load", RasaModel.__dict__["load"])
    monkeypatch.setattr(kernel_masks, "_rasa_call", None)
    monkeypatch.setattr(kernel_masks, "_rasa_load", None)
    kernel_masks.apply()
    agent = Agent.load(model_path)

    texts = heldout_texts()
    assert len(texts) >= 250
    for text in texts:
        mine = asyncio.run(agent.parse_message(text))
        theirs = asyncio.run(rasa_agent.parse_message(text))
        assert mine == theirs, text

    def writes(agent: Any) -> dict[str, int]:
        counts = {}
        for node in agent.processor.graph_runner._instantiated_nodes.values():
            model = getattr(node._component, "model", None)
            if isinstance(model, RasaModel) and model._tf_predict_step is not None:
                counts[type(model).__name__] = variable_writes(model)
        return counts

    assert writes(rasa_agent)["DIET"] > 0
    assert writes(agent) == dict.fromkeys(writes(rasa_agent), 0)


def test_batches_laid_out_from_the_features_are_rasa_s(monkeypatch):
    """``rasa_server.speedups.model_data`` for DIET and the ResponseSelector, on every text of
    the training data and the held-out test set."""
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier

    from rasa_server.speedups import model_data
    from tests.utils.rasa_models import rasa_batch, same_batch

    compared: dict[str, int] = {}
    rasa_predict = DIETClassifier._predict

    def both(component: Any, message: Any) -> Any:
        mine = model_data.message_batch(message, component.component_config["featurizers"])
        assert model_data.fits(component.model)
        assert mine is not None, message.get("text")
        same_batch(mine, rasa_batch(component, message))
        outputs = model_data.predict(component, message)
        same_outputs(outputs, rasa_predict(component, message))
        name = type(component).__name__
        compared[name] = compared.get(name, 0) + 1
        return outputs

    monkeypatch.setattr(model_data, "_rasa_predict", rasa_predict)
    monkeypatch.setattr(DIETClassifier, "_predict", both)
    texts = parse_every_text()

    assert len(texts) > 1000
    assert compared == {"DIETClassifier": len(texts), "ResponseSelector": len(texts)}


def test_n_gram_counts_built_from_the_vocabulary_are_rasa_s(monkeypatch):
    """``rasa_server.speedups.count_vectors`` for both count featurizers of the model in use,
    on every text of the training data and the held-out test set."""
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
        CountVectorsFeaturizer,
    )

    from rasa_server.speedups import count_vectors
    from tests.utils.rasa_models import same_count_features

    rasa_create_features = CountVectorsFeaturizer._create_features
    compared: dict[str, int] = {}

    def both(featurizer: Any, attribute: str, all_tokens: list[list[str]]) -> Any:
        mine = count_vectors.create_features(featurizer, attribute, all_tokens)
        same_count_features(mine, rasa_create_features(featurizer, attribute, all_tokens))
        if all_tokens[0]:
            analyzer = featurizer.vectorizers[attribute].analyzer
            compared[analyzer] = compared.get(analyzer, 0) + 1
        return mine

    monkeypatch.setattr(count_vectors, "_rasa_create_features", rasa_create_features)
    monkeypatch.setattr(CountVectorsFeaturizer, "_create_features", both)
    texts = parse_every_text()

    assert len(texts) > 1000
    assert compared == {"word": len(texts), "char_wb": len(texts)}


def test_past_states_kept_and_replayed_on_are_rasa_s(monkeypatch):
    """``rasa_server.speedups.states`` with the model's policies, before every action of every
    story: the same states as Rasa's, with each story's events replayed about once per set of
    arguments instead of once per prediction."""
    from rasa.core.agent import Agent
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_server.speedups import states
    from tests.utils.stories import before_each_action, conversations, off_script

    rasa_past_states = DialogueStateTracker.past_states
    go_on = states._go_on
    replayed: list[int] = []
    from_scratch: list[int] = []

    def counting(replay: Any, applied: list[Any], *args: Any) -> None:
        replayed.append(len(applied) - len(replay.applied))
        go_on(replay, applied, *args)

    def both(tracker: Any, domain: Any, *args: Any, **kwargs: Any) -> Any:
        mine = states.past_states(tracker, domain, *args, **kwargs)
        assert mine == rasa_past_states(tracker, domain, *args, **kwargs)
        from_scratch.append(len(tracker.applied_events()))
        return mine

    monkeypatch.setattr(states, "_go_on", counting)
    monkeypatch.setattr(states, "_rasa_past_states", rasa_past_states)
    monkeypatch.setattr(DialogueStateTracker, "past_states", both)
    model_path = trained_models.current_model(PROJECT_ROOT / "models")
    agent = Agent.load(str(model_path.path))
    predictions = 0
    for tracker in [*conversations(agent), *off_script(agent)]:
        for partial, _action in before_each_action(tracker, agent.domain):
            agent.processor._predict_next_with_tracker(partial)
            predictions += 1

    assert predictions >= 400
    assert len(from_scratch) > 2.5 * predictions  # memoization, rules (once or twice) and TED
    assert len(replayed) <= 2 * predictions  # once for each set of arguments asked with
    assert sum(replayed) < sum(from_scratch) / 4
    print(f"{predictions} predictions: {sum(replayed)} events replayed, Rasa {sum(from_scratch)}")


def test_conversations_copied_by_their_state_are_rasa_s_replays():
    """``rasa_server.speedups.tracker_copy`` on the conversation tests and training stories
    with the model's domain, before every action the bot takes."""
    from rasa.core.agent import Agent
    from rasa.shared.core.trackers import EventVerbosity

    from rasa_server.speedups import tracker_copy
    from tests.utils.stories import before_each_action, conversations, off_script

    def held(tracker: Any) -> dict[str, Any]:
        return {
            **vars(tracker),
            "events": [id(event) for event in tracker.events],
            "slots": {name: vars(slot) for name, slot in tracker.slots.items()},
            "current_state": tracker.current_state(EventVerbosity.ALL),
        }

    model_path = trained_models.current_model(PROJECT_ROOT / "models")
    agent = Agent.load(str(model_path.path))
    copies = 0
    for tracker in [*conversations(agent), *off_script(agent)]:
        for partial, _action in before_each_action(tracker, agent.domain):
            partial.model_id = agent.processor.model_metadata.model_id
            assert held(tracker_copy.tracker_copy(partial)) == held(
                tracker_copy.rasa_copy()(partial)
            )
            copies += 1

    assert copies >= 400


def test_kept_trackers_are_what_reading_their_rows_gives(tmp_path):
    """The tracker store's kept trackers (``rasa_server.tracker_store``) over the conversation
    tests and training stories, each user message parsed by the model as Rasa's processor
    does, one message after the other, and a new session before every third message: every
    tracker the store hands out, kept or read, is the one read from the rows, for the action
    server (the same state sent) and for the policies (the same dialogue states and
    predictions)."""
    from rasa.core.agent import Agent
    from rasa.core.tracker_store import AwaitableTrackerStore
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.trackers import EventVerbosity

    from rasa_server.tracker_store import SQLTrackerStore
    from tests.utils.stories import conversations

    model_path = trained_models.current_model(PROJECT_ROOT / "models")
    agent = Agent.load(str(model_path.path))
    url = f"sqlite:///{tmp_path / 'kept.db'}"
    store = SQLTrackerStore(agent.domain, host=url)
    reader = SQLTrackerStore(agent.domain, host=url, kept_conversations=0)

    def held(tracker: Any) -> dict[str, Any]:
        prediction = agent.processor._predict_next_with_tracker(tracker)
        return {
            # as it leaves for the action server: the NLU's token offsets are tuples in the
            # kept events, lists in the ones read back from their JSON
            "state": json.dumps(tracker.current_state(EventVerbosity.ALL), sort_keys=True),
            "slots": {name: repr(slot.value) for name, slot in tracker.slots.items()},
            "states": [
                tracker.past_states(agent.domain, omit, ignore)
                for omit in (False, True)
                for ignore in (False, True)
            ],
            "prediction": (prediction.policy_name, prediction.probabilities),
        }

    async def one_message_after_the_other() -> tuple[int, int, int]:
        compared = handed_out = parsed = 0
        for number, story in enumerate(conversations(agent)):
            sender_id = f"story-{number}"
            messages: list[list[Any]] = []
            for event in story.events:
                if isinstance(event, UserUttered):
                    messages.append([])
                if messages:
                    messages[-1].append(event)
            # as the processor starts them, and a session expired before every third message
            for index in range(0, len(messages), 3):
                messages[index][:0] = [
                    ActionExecuted("action_session_start"),
                    SessionStarted(),
                    ActionExecuted("action_listen"),
                ]
            for events in [*messages, []]:
                kept = store._kept.get(sender_id)
                tracker = await AwaitableTrackerStore(store).get_or_create_tracker(sender_id)
                assert held(tracker) == held(await reader.retrieve(sender_id))
                compared += 1
                handed_out += kept is not None and tracker is kept.tracker
                for event in events:
                    if isinstance(event, UserUttered) and event.text:
                        parse = await agent.parse_message(event.text)
                        event = UserUttered(event.text, parse["intent"], parse["entities"], parse)
                        parsed += 1
                    else:
                        event = copy.copy(event)
                        event.timestamp = time.time()  # as if it happened now
                    tracker.update(event, agent.domain)
                await store.save(tracker)
        return compared, handed_out, parsed

    compared, handed_out, parsed = asyncio.run(one_message_after_the_other())

    print(f"{compared} trackers compared, {handed_out} of them kept, {parsed} messages parsed")
    assert compared > 200
    assert handed_out > 50
    assert parsed > 100  # the conversation tests' messages; stories hold intents only
