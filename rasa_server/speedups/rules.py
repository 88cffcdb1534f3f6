"""The RulePolicy's lookup by intent remembered for the dialogue states it has seen.

For every prediction the RulePolicy looks for the rules that match the conversation twice,
once by the user's words and once by the intent (``_find_action_from_rules``). Each lookup
filters all of the model's rules turn by turn; together they were about a tenth of the Rasa
server's time. The lookup by intent depends on nothing but the dialogue states the policy
derives from the tracker and the active loop, and the same few intent sequences come back in
every conversation: its result is remembered for each of them. Only a loaded policy
remembers, since its rules no longer change (training builds the rules and looks them up in
between). The lookup by the user's own words, which rarely repeat, is done as before.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

MAX_REMEMBERED = 10_000
"""Dialogue states remembered per policy; when full, it starts over."""

_rasa_find_action_from_rules: Any = None
_rasa_load: Any = None


def find_action_from_rules(
    self: Any, tracker: Any, domain: Any, use_text_for_last_user_input: bool
) -> tuple[str | None, str | None, bool]:
    """``RulePolicy._find_action_from_rules``, remembered for lookups by intent."""
    remembered: dict[tuple[str | None, str], Any] | None = self.__dict__.get("_ksm_rule_lookups")
    if remembered is None or use_text_for_last_user_input:
        return _rasa_find_action_from_rules(self, tracker, domain, use_text_for_last_user_input)
    states = self._prediction_states(
        tracker, domain, False, rule_only_data=self._get_rule_only_data()
    )
    key = (tracker.active_loop_name, repr(states))
    found = remembered.get(key)
    if found is None:
        found = _rasa_find_action_from_rules(self, tracker, domain, False)
        if len(remembered) >= MAX_REMEMBERED:
            remembered.clear()
        remembered[key] = found
    return found


def load(
    cls: Any,
    /,
    config: dict[str, Any],
    model_storage: ModelStorage,
    resource: Resource,
    execution_context: ExecutionContext,
    **kwargs: Any,
) -> Any:
    """``RulePolicy.load``: a loaded policy remembers its lookups by intent.

    The parameters carry Rasa's types: ``rasa train`` checks them when it validates the
    model's graph.
    """
    policy = _rasa_load(cls, config, model_storage, resource, execution_context, **kwargs)
    policy.__dict__["_ksm_rule_lookups"] = {}
    return policy


def apply() -> None:
    global _rasa_find_action_from_rules, _rasa_load
    from rasa.core.policies.rule_policy import RulePolicy

    if _rasa_find_action_from_rules is None:
        _rasa_find_action_from_rules = RulePolicy._find_action_from_rules
        _rasa_load = RulePolicy.load.__func__
        RulePolicy._find_action_from_rules = find_action_from_rules
        RulePolicy.load = classmethod(load)
