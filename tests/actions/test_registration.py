"""The action server offers exactly the project's actions, not its abstract base."""

from rasa_sdk.executor import ActionExecutor


def test_action_server_registers_every_concrete_action_and_no_base_class():
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) == {"action_list_members", "action_member_since"}


def test_domain_lists_exactly_the_registered_actions():
    import yaml

    from bot.settings import PROJECT_ROOT

    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(domain["actions"]) == set(executor.actions)
