"""With the model in use, the sequential graph runner predicts exactly what Rasa's dask runner
predicts, at every turn of every conversation test and training story, while running TED
only where it can change the prediction.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.nlu import trained_models
from bot.settings import PROJECT_ROOT
from tests.utils.stories import before_each_action, conversations, off_script

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
]


@pytest.fixture(scope="module")
def agent() -> Any:
    from rasa.core.agent import Agent

    model = trained_models.current_model(PROJECT_ROOT / "models")
    assert model is not None, "no trained model (make train)"
    return Agent.load(str(model.path))


def test_every_prediction_is_the_one_of_rasa_s_runner(agent):
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.core.policies.ted_policy import TEDPolicy

    from rasa_server.graph_runner import SequentialGraphRunner

    dask = agent.processor.graph_runner
    sequential = SequentialGraphRunner.__new__(SequentialGraphRunner)
    sequential.__dict__.update(dask.__dict__, _plans={})
    target = agent.processor.model_metadata.core_target
    ted = next(
        node for node in dask._instantiated_nodes.values() if type(node._component) is TEDPolicy
    )
    ted_runs = 0
    original = ted._fn

    def counting(policy: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal ted_runs
        ted_runs += 1
        return original(policy, *args, **kwargs)

    predictions = 0
    trackers = conversations(agent)
    assert len(trackers) >= 50
    for tracker in [*trackers, *off_script(agent)]:
        for partial, action in before_each_action(tracker, agent.domain):
            inputs = {"__tracker__": partial}
            theirs = dask.run(inputs=dict(inputs), targets=[target])[target]
            ted._fn = counting
            try:
                mine = sequential.run(inputs=dict(inputs), targets=[target])[target]
            finally:
                ted._fn = original
            assert isinstance(mine, PolicyPrediction)
            where = f"{tracker.sender_id}, before {action}"
            assert mine.policy_name == theirs.policy_name, where
            assert mine.probabilities == theirs.probabilities, where
            assert mine.events == theirs.events, where
            assert mine.is_end_to_end_prediction == theirs.is_end_to_end_prediction, where
            assert mine.is_no_user_prediction == theirs.is_no_user_prediction, where
            assert mine.hide_rule_turn == theirs.hide_rule_turn, where
            predictions += 1

    assert predictions >= 300
    # TED was needed somewhere, and most rule-driven turns did without it.
    assert 0 < ted_runs < predictions / 2
    print(f"{predictions} predictions, TED ran for {ted_runs}")
