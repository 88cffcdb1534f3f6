"""Faster versions of what Rasa does for every message, each with the same result.

Each module replaces one piece of Rasa 3.6 and says why; its test in
``tests/rasa_server/speedups/`` compares it with Rasa's own on the same input, and
``tests/e2e/test_rasa_patches.py`` with the trained model. ``docs/PERFORMANCE.md`` has what
each one measured.

- ``parse_ahead``: a message parsed in its own thread while its conversation is loaded.
- ``events``: event classes looked up once by name.
- ``prediction``: DIET, ResponseSelector and TED called through their traced graph directly.
- ``model_data``: DIET's and the ResponseSelector's batch laid out from a message's features.
- ``kernel_masks``: the kernels of randomly connected layers masked once after loading.
- ``count_vectors``: a message's word and character n-gram counts built from the vocabulary.
- ``features``: a message's sparse features combined in one step.
- ``states``: a conversation's past dialogue states worked out once, then only for new events.
- ``tracker_copy``: a conversation copied by its state instead of by replaying its events.
- ``rules``: the RulePolicy's lookup by intent remembered for the states it has seen.
- ``action_server``: the action server reached over kept-alive connections.
- ``collector``: the loaded model kept out of the garbage collector's way.
"""

from __future__ import annotations

from rasa_server.speedups import (
    action_server,
    collector,
    count_vectors,
    events,
    features,
    kernel_masks,
    model_data,
    parse_ahead,
    prediction,
    rules,
    states,
    tracker_copy,
)


def apply() -> None:
    """Apply every speedup once."""
    for module in (
        events,
        prediction,
        model_data,
        kernel_masks,
        count_vectors,
        features,
        states,
        tracker_copy,
        rules,
        action_server,
        collector,
        parse_ahead,
    ):
        module.apply()
