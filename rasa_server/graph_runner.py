"""Rasa's prediction graphs, run node by node in a fixed order, and TED only when it counts.

Rasa 3.6 runs its prediction graphs (the NLU pipeline once per message, the policies two or
three times per message) through dask's synchronous scheduler: on every call it cuts the
minimal graph for the targets out of the schema again, builds a dask graph from it, and dask
orders and walks it in the calling thread. ``SequentialGraphRunner`` works out that order
once per set of targets and calls the same graph nodes, with the same inputs, in it. Every
node of these graphs is a function of its inputs, so any order that runs a node after the
nodes it needs gives the same results; exceptions pass through as with dask.

**TED only when it can change the prediction.** The policy ensemble
(``DefaultPolicyPredictionEnsemble``) picks the prediction with the highest confidence, and
of equally confident ones the policy with the higher priority. TED's confidences are a
softmax, so never above 1.0, and TED has the lowest priority (1); its predictions carry no
events that the ensemble would add without picking them, and a TED that was trained without
user text (no end-to-end stories, ``TEXT`` not among its features) never makes an
end-to-end or "no user" prediction. So when the RulePolicy or the MemoizationPolicy is
certain (confidence 1.0, after the ensemble's zeroing of a just-rejected action), or one of
them made a "no user" prediction, the ensemble picks the same prediction with TED as without
it. TED is then not run: it is about 3 ms of TensorFlow per prediction, and the rule-driven
turns of this assistant are most turns (``docs/PERFORMANCE.md``). In every other case TED
runs before the ensemble, as in Rasa.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

ENSEMBLE_FUNCTION = "combine_predictions_from_kwargs"


@dataclass(frozen=True)
class Step:
    """One node of a plan and the names of the nodes (or inputs) whose outputs it takes."""

    name: str
    node: GraphNode
    needs: tuple[str, ...]


@dataclass
class Ensemble:
    """The ensemble node of a plan, with the TED nodes it can do without."""

    step: Step
    deferrable: tuple[Step, ...]
    policy_inputs: tuple[str, ...]
    """The nodes whose predictions the ensemble combines, in the order it receives them."""
    deferred: frozenset[str] = field(init=False)
    deferred_priority: int = field(init=False)
    """The highest priority among the deferrable policies."""
    without_deferred: GraphNode = field(init=False)

    def __post_init__(self) -> None:
        self.deferred = frozenset(step.name for step in self.deferrable)
        self.deferred_priority = max(
            (step.node._component.priority for step in self.deferrable), default=0
        )
        pruned = copy.copy(self.step.node)
        pruned._inputs = {
            parameter: provider
            for parameter, provider in self.step.node._inputs.items()
            if provider not in self.deferred
        }
        self.without_deferred = pruned


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    """Every node the targets need, each after the nodes it needs."""
    ensembles: dict[str, Ensemble]
    deferred: frozenset[str]
    """TED nodes that run only when their ensemble needs them."""


class SequentialGraphRunner(DaskGraphRunner):
    """Rasa's ``DaskGraphRunner`` with the order of the nodes worked out once, without dask."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[str, ...], Plan] = {}

    def run(
        self,
        inputs: dict[str, Any] | None = None,
        targets: list[str] | None = None,
    ) -> dict[str, Any]:
        """Runs the graph (see Rasa's ``GraphRunner.run``)."""
        run_targets = list(targets if targets else self._graph_schema.target_names)
        plan = self.plan(run_targets)
        outputs: dict[str, tuple[str, Any]] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure "
                    f"that none of the input names passed to the `run` method are the "
                    f"same as node names in the graph schema."
                )
            outputs[name] = (name, value)
        try:
            for step in plan.steps:
                if step.name in outputs or step.name in plan.deferred:
                    continue  # an input stands in for the node, as in dask's graph
                ensemble = plan.ensembles.get(step.name)
                if ensemble is None:
                    outputs[step.name] = step.node(*(outputs[need] for need in step.needs))
                else:
                    outputs[step.name] = self._run_ensemble(ensemble, outputs)
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e
        return {target: outputs[target][1] for target in run_targets}

    def _run_ensemble(self, ensemble: Ensemble, outputs: dict[str, tuple[str, Any]]) -> Any:
        step = ensemble.step
        deferred = ensemble.deferred
        if deferred:
            inputs = step.node._inputs
            computed = [outputs[name][1] for name in ensemble.policy_inputs if name not in deferred]
            if decided_without(
                computed,
                outputs[inputs["tracker"]][1],
                outputs[inputs["domain"]][1],
                deferred_priority=ensemble.deferred_priority,
            ):
                return ensemble.without_deferred(
                    *(outputs[need] for need in step.needs if need not in deferred)
                )
            for deferred_step in ensemble.deferrable:
                outputs[deferred_step.name] = deferred_step.node(
                    *(outputs[need] for need in deferred_step.needs)
                )
        return step.node(*(outputs[need] for need in step.needs))

    def plan(self, targets: Sequence[str]) -> Plan:
        """The order to run the nodes in for ``targets``, worked out on first use."""
        key = tuple(targets)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._make_plan(key)
            self._plans[key] = plan
        return plan

    def _make_plan(self, targets: tuple[str, ...]) -> Plan:
        schema = self._graph_schema.minimal_graph_schema(list(targets))
        order: list[str] = []
        visited: set[str] = set()

        def visit(name: str) -> None:
            if name in visited or name not in schema.nodes:
                return  # inputs (``__tracker__`` …) are not nodes
            visited.add(name)
            for need in schema.nodes[name].needs.values():
                visit(need)
            order.append(name)

        for name in schema.nodes:
            visit(name)
        steps = {
            name: Step(
                name, self._instantiated_nodes[name], tuple(schema.nodes[name].needs.values())
            )
            for name in order
        }
        consumers: dict[str, set[str]] = {name: set() for name in order}
        for step in steps.values():
            for need in step.needs:
                consumers.setdefault(need, set()).add(step.name)

        ensembles: dict[str, Ensemble] = {}
        for step in steps.values():
            if not _is_ensemble(step):
                continue
            policy_inputs = tuple(
                provider
                for parameter, provider in step.node._inputs.items()
                if parameter not in ("tracker", "domain") and provider in steps
            )
            deferrable = tuple(
                steps[name]
                for name in policy_inputs
                if name not in targets
                and consumers[name] == {step.name}
                and _is_deferrable_policy(steps[name])
            )
            ensembles[step.name] = Ensemble(step, deferrable, policy_inputs)
        deferred = frozenset().union(*(e.deferred for e in ensembles.values()))
        return Plan(tuple(steps[name] for name in order), ensembles, deferred)


def _is_ensemble(step: Step) -> bool:
    return (
        isinstance(step.node._component, DefaultPolicyPredictionEnsemble)
        and step.node._fn_name == ENSEMBLE_FUNCTION
        and "tracker" in step.node._inputs
        and "domain" in step.node._inputs
    )


def _is_deferrable_policy(step: Step) -> bool:
    """A loaded TED (not a subclass) that was trained without user text."""
    component = step.node._component
    return (
        step.node._eager
        and type(component) is TEDPolicy
        and component.model is not None
        and TEXT not in component.fake_features
    )


def decided_without(
    predictions: Sequence[Any],
    tracker: DialogueStateTracker | None,
    domain: Domain | None,
    *,
    deferred_priority: int,
) -> bool:
    """Whether the ensemble picks from ``predictions`` whatever a deferred policy predicts.

    The deferred policies make predictions that are neither end-to-end nor "no user",
    carry no events, have confidences of at most 1.0 and priorities of at most
    ``deferred_priority``.
    Follows ``DefaultPolicyPredictionEnsemble._pick_best_policy``: "no user" predictions and
    then end-to-end ones exclude all others, and a prediction wins by confidence, then by
    priority. The confidence of an action that was just rejected counts as 0.0, as the
    ensemble sets it.
    """
    if tracker is None or domain is None:
        return False
    if not all(isinstance(p, PolicyPrediction) for p in predictions):
        return False
    if any(p.is_no_user_prediction for p in predictions):
        return True  # only "no user" predictions compete
    if any(p.is_end_to_end_prediction for p in predictions):
        return True  # only end-to-end predictions compete
    try:
        rejected = _rejected_action_index(tracker, domain)
    except ValueError:  # an action the domain does not know: let the ensemble say so
        return False
    return any(
        _max_confidence(p, rejected) >= 1.0 and p.policy_priority > deferred_priority
        for p in predictions
    )


def _rejected_action_index(tracker: DialogueStateTracker, domain: Domain) -> int | None:
    """The action whose confidence the ensemble sets to 0.0, as in ``_best_policy_prediction``."""
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecutionRejected):
            return int(domain.index_for_action(event.action_name))
        if isinstance(event, ActionExecuted):
            return None
    return None


def _max_confidence(prediction: PolicyPrediction, rejected: int | None) -> float:
    return max((p for i, p in enumerate(prediction.probabilities) if i != rejected), default=0.0)


def apply() -> None:
    """Make Rasa's message processor load its models with this runner."""
    import rasa.core.processor

    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner
