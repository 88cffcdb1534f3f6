"""The sequential graph runner gives what Rasa's dask runner gives, and skips TED only when
TED cannot change the prediction.

Small graphs of test components run through both runners; the policy ensemble is Rasa's own.
Whether the real TED of the trained model is skipped correctly is checked with the model in
``tests/e2e/test_rasa_patches.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import InvalidConfigException

from rasa_server import graph_runner
from rasa_server.graph_runner import SequentialGraphRunner, decided_without

DOMAIN = Domain.from_dict({"responses": {"utter_a": [{"text": "a"}], "utter_b": [{"text": "b"}]}})
ACTIONS = DOMAIN.action_names_or_texts


class Add(GraphComponent):
    """Adds its inputs to a constant from its config."""

    calls: ClassVar[list[str]] = []

    def __init__(self, config: dict[str, Any], name: str | None) -> None:
        self.config = config
        self.name = name

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> Add:
        return cls(config, execution_context.node_name)

    def add(self, **numbers: int) -> int:
        Add.calls.append(self.name or "")
        if self.config.get("fail"):
            raise self.config["fail"]
        return int(self.config.get("constant", 0)) + sum(numbers.values())


class ProvideDomain(GraphComponent):
    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> ProvideDomain:
        return cls()

    def provide(self) -> Domain:
        return DOMAIN


class FixedPolicy(GraphComponent):
    """Predicts the action, confidence and flags its config names; counts its calls."""

    calls: ClassVar[list[str]] = []

    def __init__(self, config: dict[str, Any], name: str | None) -> None:
        self.config = config
        self.name = name
        self.priority = int(config["priority"])

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> FixedPolicy:
        return cls(config, execution_context.node_name)

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain
    ) -> PolicyPrediction:
        FixedPolicy.calls.append(self.name or "")
        probabilities = [0.0] * len(domain.action_names_or_texts)
        probabilities[domain.index_for_action(self.config["action"])] = self.config["confidence"]
        return PolicyPrediction(
            probabilities,
            self.config["name"],
            self.priority,
            is_no_user_prediction=self.config.get("no_user", False),
        )


def node(uses: type, fn: str, needs: dict[str, str] | None = None, **config: Any) -> SchemaNode:
    return SchemaNode(
        needs=needs or {}, uses=uses, constructor_name="create", fn=fn, config=config, eager=True
    )


def runners(schema: GraphSchema, tmp_path: Path) -> tuple[DaskGraphRunner, SequentialGraphRunner]:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(schema, "test")
    return (
        DaskGraphRunner.create(schema, storage, context),
        SequentialGraphRunner.create(schema, storage, context),
    )


@pytest.fixture(autouse=True)
def forget_calls():
    Add.calls.clear()
    FixedPolicy.calls.clear()


DIAMOND = GraphSchema(
    {
        "a": node(Add, "add", {"x": "__x__"}, constant=1),
        "b": node(Add, "add", {"a": "a"}, constant=10),
        "c": node(Add, "add", {"a": "a"}, constant=100),
        "d": node(Add, "add", {"b": "b", "c": "c"}, constant=1000),
        "unrelated": node(Add, "add", {}, constant=7),
    }
)


@pytest.mark.parametrize(
    ("targets", "inputs"),
    [
        (["d"], {"__x__": 5}),
        (["b", "c"], {"__x__": 0}),
        (["a"], {"__x__": -3}),
        (["d", "unrelated"], {"__x__": 2}),
        (["d"], {"__x__": 5, "b": 40}),  # an input stands in for the node of its name
    ],
)
def test_outputs_are_those_of_rasa_s_dask_runner(tmp_path, targets, inputs):
    dask, sequential = runners(DIAMOND, tmp_path)

    expected = dask.run(inputs=dict(inputs), targets=targets)
    dask_calls = sorted(Add.calls)
    Add.calls.clear()

    assert sequential.run(inputs=dict(inputs), targets=targets) == expected
    assert sorted(Add.calls) == dask_calls


def test_each_node_runs_after_the_nodes_it_needs_and_only_once(tmp_path):
    _, sequential = runners(DIAMOND, tmp_path)

    assert sequential.run(inputs={"__x__": 0}, targets=["d"]) == {"d": 1112}
    assert Add.calls[0] == "a"
    assert Add.calls[-1] == "d"
    assert sorted(Add.calls) == ["a", "b", "c", "d"]


def test_the_order_is_worked_out_once_per_set_of_targets(tmp_path, monkeypatch):
    _, sequential = runners(DIAMOND, tmp_path)
    cuts = []
    original = GraphSchema.minimal_graph_schema

    def counting(schema: GraphSchema, targets: list[str]) -> GraphSchema:
        cuts.append(tuple(targets))
        return original(schema, targets)

    monkeypatch.setattr(GraphSchema, "minimal_graph_schema", counting)
    for x in range(3):
        sequential.run(inputs={"__x__": x}, targets=["d"])
        sequential.run(inputs={"__x__": x}, targets=["b"])

    assert cuts == [("d",), ("b",)]


def test_an_input_value_naming_a_node_is_refused_as_by_dask(tmp_path):
    dask, sequential = runners(DIAMOND, tmp_path)

    for runner in (dask, sequential):
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            runner.run(inputs={"__x__": "b"}, targets=["d"])


@pytest.mark.parametrize(
    ("error", "raised"),
    [
        (ValueError("kaputt"), GraphComponentException),
        (RuntimeError("kaputt"), GraphComponentException),
        (InvalidConfigException("kaputt"), InvalidConfigException),
    ],
)
def test_a_failing_node_fails_the_run_as_with_dask(tmp_path, error, raised):
    schema = GraphSchema(
        {
            "a": node(Add, "add", {"x": "__x__"}),
            "b": node(Add, "add", {"a": "a"}, fail=error),
        }
    )
    dask, sequential = runners(schema, tmp_path)

    for runner in (dask, sequential):
        with pytest.raises(raised):
            runner.run(inputs={"__x__": 1}, targets=["b"])


def policy_node(name: str, priority: int, config: dict[str, Any]) -> SchemaNode:
    return node(
        FixedPolicy,
        "predict_action_probabilities",
        {"tracker": "__tracker__", "domain": "domain_provider"},
        name=name,
        priority=priority,
        **config,
    )


def ensemble_schema(
    certain: dict[str, Any], deferrable: dict[str, Any], other: dict[str, Any] | None = None
) -> GraphSchema:
    policies = {
        "run_RulePolicy": policy_node("RulePolicy", 6, certain),
        "run_TEDPolicy": policy_node("TEDPolicy", 1, deferrable),
    }
    if other is not None:
        policies["run_MemoizationPolicy"] = policy_node("MemoizationPolicy", 3, other)
    return GraphSchema(
        {
            "domain_provider": node(ProvideDomain, "provide"),
            **policies,
            "select_prediction": SchemaNode(
                needs={
                    **{f"policy{i}": name for i, name in enumerate(policies)},
                    "domain": "domain_provider",
                    "tracker": "__tracker__",
                },
                uses=DefaultPolicyPredictionEnsemble,
                constructor_name="create",
                fn="combine_predictions_from_kwargs",
                config={},
                eager=True,
            ),
        }
    )


@pytest.fixture
def ted_is_deferrable(monkeypatch):
    """The ``TEDPolicy`` test policy counts as a TED trained without user text."""
    monkeypatch.setattr(
        graph_runner,
        "_is_deferrable_policy",
        lambda step: getattr(step.node._component, "name", "") == "run_TEDPolicy",
    )


def tracker(*events: Any) -> DialogueStateTracker:
    conversation = DialogueStateTracker("test", DOMAIN.slots)
    conversation.update(ActionExecuted("action_listen"))
    conversation.update(UserUttered("hallo", {"name": "greet", "confidence": 1.0}))
    for event in events:
        conversation.update(event)
    return conversation


def predict(runner: DaskGraphRunner, conversation: DialogueStateTracker) -> PolicyPrediction:
    prediction = runner.run(inputs={"__tracker__": conversation}, targets=["select_prediction"])[
        "select_prediction"
    ]
    assert isinstance(prediction, PolicyPrediction)
    return prediction


def same(mine: PolicyPrediction, rasa: PolicyPrediction) -> None:
    assert mine.policy_name == rasa.policy_name
    assert mine.probabilities == rasa.probabilities
    assert mine.events == rasa.events
    assert mine.is_no_user_prediction == rasa.is_no_user_prediction


@pytest.mark.usefixtures("ted_is_deferrable")
@pytest.mark.parametrize(
    ("certain", "ted", "ted_runs"),
    [
        ({"action": "utter_a", "confidence": 1.0}, {"action": "utter_b", "confidence": 1.0}, False),
        ({"action": "utter_a", "confidence": 0.3}, {"action": "utter_b", "confidence": 0.9}, True),
        ({"action": "utter_a", "confidence": 0.3}, {"action": "utter_b", "confidence": 0.1}, True),
        ({"action": "utter_a", "confidence": 0.99}, {"action": "utter_b", "confidence": 1.0}, True),
        (
            {"action": "utter_a", "confidence": 0.5, "no_user": True},
            {"action": "utter_b", "confidence": 1.0},
            False,
        ),
    ],
)
def test_ted_runs_only_when_it_can_change_the_prediction(tmp_path, certain, ted, ted_runs):
    dask, sequential = runners(ensemble_schema(certain, ted), tmp_path)
    rasa_prediction = predict(dask, tracker())
    FixedPolicy.calls.clear()

    prediction = predict(sequential, tracker())

    same(prediction, rasa_prediction)
    assert ("run_TEDPolicy" in FixedPolicy.calls) is ted_runs
    assert "run_RulePolicy" in FixedPolicy.calls


@pytest.mark.usefixtures("ted_is_deferrable")
def test_a_certain_memoization_decides_too(tmp_path):
    schema = ensemble_schema(
        {"action": "utter_a", "confidence": 0.3},
        {"action": "utter_b", "confidence": 1.0},
        other={"action": "utter_b", "confidence": 1.0},
    )
    dask, sequential = runners(schema, tmp_path)
    rasa_prediction = predict(dask, tracker())
    FixedPolicy.calls.clear()

    same(predict(sequential, tracker()), rasa_prediction)
    assert "run_TEDPolicy" not in FixedPolicy.calls
    assert rasa_prediction.policy_name == "MemoizationPolicy"


@pytest.mark.usefixtures("ted_is_deferrable")
def test_a_rule_for_the_action_just_rejected_does_not_count_as_certain(tmp_path):
    schema = ensemble_schema(
        {"action": "utter_a", "confidence": 1.0}, {"action": "utter_b", "confidence": 0.6}
    )
    dask, sequential = runners(schema, tmp_path)
    rejected = tracker(ActionExecutionRejected("utter_a"))
    rasa_prediction = predict(dask, rejected)
    FixedPolicy.calls.clear()

    same(predict(sequential, tracker(ActionExecutionRejected("utter_a"))), rasa_prediction)
    assert "run_TEDPolicy" in FixedPolicy.calls
    assert rasa_prediction.policy_name == "TEDPolicy"


def test_without_a_deferrable_ted_every_policy_runs(tmp_path):
    schema = ensemble_schema(
        {"action": "utter_a", "confidence": 1.0}, {"action": "utter_b", "confidence": 0.6}
    )
    _, sequential = runners(schema, tmp_path)

    predict(sequential, tracker())

    assert sorted(FixedPolicy.calls) == ["run_RulePolicy", "run_TEDPolicy"]


def ensemble_pick(predictions: list[PolicyPrediction], conversation: DialogueStateTracker) -> Any:
    copies = [
        PolicyPrediction(
            list(p.probabilities),
            p.policy_name,
            p.policy_priority,
            list(p.events),
            list(p.optional_events),
            p.is_end_to_end_prediction,
            p.is_no_user_prediction,
        )
        for p in predictions
    ]
    best = DefaultPolicyPredictionEnsemble().combine_predictions(copies, conversation, DOMAIN)
    return best.policy_name, best.probabilities, best.events


confidence = st.sampled_from([0.0, 0.5, 0.99, 1.0])
probabilities = st.lists(confidence, min_size=len(ACTIONS), max_size=len(ACTIONS))
predictions = st.lists(
    st.builds(
        PolicyPrediction,
        probabilities,
        st.sampled_from(["RulePolicy", "MemoizationPolicy", "AugmentedMemoizationPolicy"]),
        st.integers(1, 3),
        is_end_to_end_prediction=st.sampled_from([False, False, False, True]),
        is_no_user_prediction=st.sampled_from([False, False, False, True]),
    ),
    min_size=1,
    max_size=3,
)


@given(
    predictions=predictions,
    ted_probabilities=probabilities,
    ted_priority=st.integers(1, 3),
    ted_position=st.integers(0, 3),
    rejected=st.sampled_from([None, "utter_a", "utter_b", "action_listen"]),
)
def test_whenever_ted_is_skipped_the_ensemble_picks_the_same(
    predictions, ted_probabilities, ted_priority, ted_position, rejected
):
    conversation = tracker(*([ActionExecutionRejected(rejected)] if rejected else []))
    ted = PolicyPrediction(ted_probabilities, "TEDPolicy", ted_priority)
    with_ted = list(predictions)
    with_ted.insert(min(ted_position, len(with_ted)), ted)

    if decided_without(predictions, conversation, DOMAIN, deferred_priority=ted_priority):
        assert ensemble_pick(predictions, conversation) == ensemble_pick(with_ted, conversation)
