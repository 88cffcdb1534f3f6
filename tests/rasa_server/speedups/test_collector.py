"""What the model loaded is frozen for the garbage collector."""

from __future__ import annotations

import gc
from typing import Any

import pytest
import rasa.core.run

from rasa_server.speedups import collector


@pytest.fixture(autouse=True)
def applied(monkeypatch):
    """The speedup applied; Rasa's own start-up back in place after the test."""
    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", rasa.core.run.load_agent_on_start)
    monkeypatch.setattr(collector, "_rasa_load_agent_on_start", None)
    collector.apply()


async def test_what_the_model_loaded_is_frozen_for_the_garbage_collector(monkeypatch):
    loaded = {"weights": [object() for _ in range(1000)]}

    async def rasa_load(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return loaded

    monkeypatch.setattr(collector, "_rasa_load_agent_on_start", rasa_load)
    try:
        agent = await rasa.core.run.load_agent_on_start("model.tar.gz", None, None, None, None)
        assert agent is loaded
        assert gc.get_freeze_count() >= 1000
        assert not any(loaded is tracked for tracked in gc.get_objects())
    finally:
        gc.unfreeze()


def test_the_start_up_listener_keeps_rasa_s_signature():
    import inspect

    assert inspect.signature(rasa.core.run.load_agent_on_start) == inspect.signature(
        collector._rasa_load_agent_on_start
    )
