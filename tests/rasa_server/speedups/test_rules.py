"""A loaded RulePolicy that remembers its lookups by intent finds what Rasa's lookup finds."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SessionStarted, UserUttered
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph

from rasa_server.speedups import rules

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Slot auto-fill has been removed", UserWarning)
    DOMAIN = Domain.from_yaml(
        """
version: "3.1"
intents: [greet, faq, report_fault, affirm, deny]
slots:
  description:
    type: text
    mappings: [{type: from_text, conditions: [{active_loop: fault_form}]}]
forms:
  fault_form:
    required_slots: [description]
responses:
  utter_greet: [{text: "Guten Tag!"}]
  utter_faq: [{text: "Antwort"}]
  utter_ask_description: [{text: "Was ist passiert?"}]
  utter_confirm: [{text: "Danke"}]
  utter_bye: [{text: "Tschüss"}]
"""
    )
RULES = """
version: "3.1"
rules:
  - rule: greet
    steps: [{intent: greet}, {action: utter_greet}]
  - rule: faq
    steps: [{intent: faq}, {action: utter_faq}]
  - rule: start the fault form
    steps: [{intent: report_fault}, {action: fault_form}, {active_loop: fault_form}]
  - rule: submit the fault form
    condition: [{active_loop: fault_form}]
    steps:
      - action: fault_form
      - active_loop: null
      - slot_was_set: [{requested_slot: null}]
      - action: utter_confirm
  - rule: greeting inside the form
    condition: [{active_loop: fault_form}]
    steps: [{intent: greet}, {action: utter_greet}, {action: fault_form}, {active_loop: fault_form}]
stories:
  - story: faq then goodbye
    steps: [{intent: faq}, {action: utter_faq}, {intent: deny}, {action: utter_bye}]
"""


def trained_and_loaded(tmp_path: Path) -> RulePolicy:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("rules")
    context = ExecutionContext(GraphSchema({}), "test")
    steps = YAMLStoryReader(DOMAIN).read_from_string(RULES)
    trackers = TrainingDataGenerator(
        StoryGraph(steps), DOMAIN, augmentation_factor=0, use_story_concatenation=False
    ).generate()
    policy = RulePolicy.create(RulePolicy.get_default_config(), storage, resource, context)
    policy.train(trackers, DOMAIN)
    return RulePolicy.load(RulePolicy.get_default_config(), storage, resource, context)


@pytest.fixture
def policy(tmp_path: Path, monkeypatch) -> RulePolicy:
    """A trained RulePolicy loaded with the speedup applied (Rasa's own back afterwards)."""
    monkeypatch.setattr(RulePolicy, "_find_action_from_rules", RulePolicy._find_action_from_rules)
    monkeypatch.setattr(RulePolicy, "load", RulePolicy.load)
    monkeypatch.setattr(rules, "_rasa_find_action_from_rules", None)
    monkeypatch.setattr(rules, "_rasa_load", None)
    rules.apply()
    return trained_and_loaded(tmp_path)


def conversation(*turns: Any, loop: str | None = None) -> DialogueStateTracker:
    events: list[Any] = [ActionExecuted("action_session_start"), SessionStarted()]
    if loop:
        events += [ActionExecuted(loop), ActiveLoop(loop)]
    for turn in turns:
        if isinstance(turn, tuple):
            intent, text = turn
            events += [
                ActionExecuted("action_listen"),
                UserUttered(text, {"name": intent, "confidence": 1.0}),
            ]
        else:
            events.append(ActionExecuted(turn))
    return DialogueStateTracker.from_events("test", events, DOMAIN.slots)


CONVERSATIONS = [
    conversation(("greet", "Hallo")),
    conversation(("greet", "Moin")),
    conversation(("greet", "Hallo"), "utter_greet"),
    conversation(("faq", "Passwort vergessen")),
    conversation(("faq", "Passwort vergessen"), "utter_faq", ("deny", "nein")),
    conversation(("report_fault", "Störung")),
    conversation(("greet", "Hallo"), loop="fault_form"),
    conversation(("affirm", "ja"), loop="fault_form"),
    conversation(("deny", "nein")),
    conversation(("affirm", "ja"), "utter_greet", ("affirm", "ja")),
]


@pytest.mark.parametrize("use_text", [False, True])
def test_each_lookup_finds_what_rasa_s_lookup_finds(policy, use_text):
    for _ in range(2):  # looked up, then remembered
        for tracker in CONVERSATIONS:
            found = policy._find_action_from_rules(tracker, DOMAIN, use_text)
            assert found == rules._rasa_find_action_from_rules(policy, tracker, DOMAIN, use_text)


def test_lookups_by_intent_are_remembered_and_by_text_are_not(policy, monkeypatch):
    lookups: list[bool] = []
    rasa_lookup = rules._rasa_find_action_from_rules

    def counting(*args: Any) -> Any:
        lookups.append(args[-1])
        return rasa_lookup(*args)

    monkeypatch.setattr(rules, "_rasa_find_action_from_rules", counting)
    for _ in range(3):
        for tracker in CONVERSATIONS:
            policy._find_action_from_rules(tracker, DOMAIN, False)
            policy._find_action_from_rules(tracker, DOMAIN, True)

    by_intent = [use_text for use_text in lookups if not use_text]
    # "Hallo" and "Moin" are the same dialogue state by intent
    assert len(by_intent) == len(CONVERSATIONS) - 1
    assert lookups.count(True) == 3 * len(CONVERSATIONS)


def test_a_policy_being_trained_does_not_remember(tmp_path, monkeypatch):
    monkeypatch.setattr(RulePolicy, "_find_action_from_rules", RulePolicy._find_action_from_rules)
    monkeypatch.setattr(RulePolicy, "load", RulePolicy.load)
    monkeypatch.setattr(rules, "_rasa_find_action_from_rules", None)
    monkeypatch.setattr(rules, "_rasa_load", None)
    rules.apply()
    created = RulePolicy.create(
        RulePolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("rules"),
        ExecutionContext(GraphSchema({}), "test"),
    )

    assert "_ksm_rule_lookups" not in created.__dict__
    assert "_ksm_rule_lookups" in trained_and_loaded(tmp_path).__dict__


def test_the_memory_starts_over_when_full(policy, monkeypatch):
    monkeypatch.setattr(rules, "MAX_REMEMBERED", 3)
    for tracker in CONVERSATIONS:
        policy._find_action_from_rules(tracker, DOMAIN, False)
        assert len(policy.__dict__["_ksm_rule_lookups"]) <= 3


def test_loading_keeps_rasa_s_signature(policy):
    import inspect

    mine = list(inspect.signature(RulePolicy.load).parameters)
    assert mine == list(inspect.signature(rules._rasa_load).parameters)[1:]  # without cls


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_project_s_model_passes_rasa_s_validation_with_it(policy):
    """``rasa train`` checks the types of every component's ``load``."""
    from rasa.engine import validation
    from rasa.engine.recipes.recipe import Recipe
    from rasa.shared.utils.io import read_model_configuration

    from bot.settings import PROJECT_ROOT

    config = read_model_configuration(PROJECT_ROOT / "config.yml")
    model = Recipe.recipe_for_name(config.get("recipe")).graph_config_for_recipe(config, {})
    validation.validate(model)
    assert RulePolicy.load.__func__ is rules.load
