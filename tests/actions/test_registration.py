"""The action server offers exactly the actions the domain lists; abstract bases stay out."""

import yaml
from rasa_sdk.executor import ActionExecutor

from bot.settings import PROJECT_ROOT


def test_action_server_registers_exactly_the_domains_actions():
    executor = ActionExecutor()
    executor.register_package("actions")  # abstract bases would fail here if registered
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(executor.actions) == set(domain["actions"])
