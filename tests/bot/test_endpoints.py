"""The endpoints file: as committed for one Rasa server, with Redis locks for several."""

from __future__ import annotations

import pytest
import yaml

from bot import endpoints
from bot.settings import SettingsError


def test_one_server_uses_the_committed_file_with_memory_locks():
    path = endpoints.endpoints_file(None)
    assert path == endpoints.ENDPOINTS_FILE
    assert "lock_store" not in yaml.safe_load(path.read_text())
    assert endpoints.lock_store_environment(None) == {}


def test_a_lock_store_url_adds_redis_and_keeps_the_rest(tmp_path):
    path = endpoints.endpoints_file("redis://10.0.0.5:6380/2", target=tmp_path / "e.yml")
    generated = yaml.safe_load(path.read_text())
    committed = yaml.safe_load(endpoints.ENDPOINTS_FILE.read_text())
    assert generated["tracker_store"] == committed["tracker_store"]
    assert generated["action_endpoint"] == committed["action_endpoint"]
    assert generated["lock_store"] == {
        "type": "rasa_server.lock_store.RedisLockStore",
        "url": "10.0.0.5",
        "port": 6380,
        "db": 2,
        "key_prefix": "ksm",
        "use_ssl": False,
    }
    assert path.read_text().startswith("# Generated")


def test_the_password_stays_in_the_environment_not_in_the_file(tmp_path):
    url = "rediss://:s%40cret@redis.ksm.example/1"
    path = endpoints.endpoints_file(url, target=tmp_path / "e.yml")
    text = path.read_text()
    assert "s@cret" not in text
    lock_store = yaml.safe_load(text)["lock_store"]
    assert lock_store["password"] == "${KSM_LOCK_STORE_PASSWORD}"
    assert lock_store["use_ssl"] is True
    assert lock_store["port"] == 6379
    assert endpoints.lock_store_environment(url) == {"KSM_LOCK_STORE_PASSWORD": "s@cret"}


@pytest.mark.parametrize(
    "url", ["http://redis:6379/0", "redis://", "redis://host/eins", "redis://host:99999/0"]
)
def test_malformed_lock_store_urls_are_refused_in_german(url):
    with pytest.raises(SettingsError, match="KSM_LOCK_STORE_URL"):
        endpoints.RedisLocation.from_url(url)
