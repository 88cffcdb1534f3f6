import pytest

from bot.settings import DEFAULT_DATABASE_PATH, Settings, SettingsError


def test_defaults_bind_loopback_and_use_embedded_sqlite():
    settings = Settings.from_env({})
    assert settings.database_url == f"sqlite:///{DEFAULT_DATABASE_PATH}"
    assert settings.bind_host == "127.0.0.1"
    assert (settings.rasa_port, settings.actions_port, settings.web_port) == (5005, 5055, 8000)
    assert settings.action_endpoint_url == "http://127.0.0.1:5055/webhook"


def test_environment_overrides_defaults():
    settings = Settings.from_env(
        {
            "KSM_DATABASE_URL": "postgresql://ksm@db/ksm",
            "RASA_PORT": "6005",
            "ACTIONS_PORT": "6055",
            "WEB_PORT": "9000",
            "KSM_BIND_HOST": "0.0.0.0",
        }
    )
    assert settings.database_url == "postgresql://ksm@db/ksm"
    assert (settings.rasa_port, settings.actions_port, settings.web_port) == (6005, 6055, 9000)
    assert settings.action_endpoint_url == "http://127.0.0.1:6055/webhook"


@pytest.mark.parametrize("value", ["abc", "0", "70000", "-1"])
def test_invalid_port_is_refused_with_its_name(value):
    with pytest.raises(SettingsError, match="RASA_PORT"):
        Settings.from_env({"RASA_PORT": value})


def test_identity_secret_is_read_and_never_shown():
    settings = Settings.from_env({"KSM_IDENTITY_SECRET": "k" * 40})
    assert settings.identity_secret == "k" * 40
    assert "kkkk" not in repr(settings)


def test_identity_secret_unset_means_no_identities():
    assert Settings.from_env({}).identity_secret is None


def test_short_identity_secret_is_refused():
    with pytest.raises(SettingsError, match="KSM_IDENTITY_SECRET"):
        Settings.from_env({"KSM_IDENTITY_SECRET": "too-short"})


def test_demo_pages_are_on_only_on_loopback_by_default():
    assert Settings.from_env({}).demo_pages is True
    assert Settings.from_env({"KSM_BIND_HOST": "0.0.0.0"}).demo_pages is False


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("nein", False), ("ja", True)])
def test_demo_pages_follow_the_setting(value, expected):
    environ = {"KSM_BIND_HOST": "0.0.0.0", "KSM_DEMO_PAGES": value}
    assert Settings.from_env(environ).demo_pages is expected


def test_unclear_demo_setting_is_refused_with_its_name():
    with pytest.raises(SettingsError, match="KSM_DEMO_PAGES"):
        Settings.from_env({"KSM_DEMO_PAGES": "vielleicht"})


def test_lock_store_is_in_memory_unless_a_redis_url_is_set():
    assert Settings.from_env({}).lock_store_url is None
    redis = Settings.from_env({"KSM_LOCK_STORE_URL": "redis://:pw@redis:6379/1"})
    assert redis.lock_store_url == "redis://:pw@redis:6379/1"
    assert "pw" not in repr(redis)
