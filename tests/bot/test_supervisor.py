"""Start-up checks and the commands the servers are started with."""

import os
from pathlib import Path

import pytest

from bot import endpoints, supervisor
from bot.settings import Settings


def test_unreachable_tracker_store_refuses_to_start():
    settings = Settings(database_url="postgresql+psycopg2://postgres@127.0.0.1:1/none")
    with pytest.raises(supervisor.StartupError, match="nicht erreichbar"):
        supervisor.check_tracker_store(settings)


def test_reachable_tracker_store_passes(tmp_path):
    supervisor.check_tracker_store(Settings(database_url=f"sqlite:///{tmp_path / 'ksm.db'}"))


def test_servers_bind_the_configured_host_and_ports():
    settings = Settings(database_url="sqlite://", rasa_port=6005, actions_port=6055)
    rasa = supervisor.rasa_server_command(settings, Path("models/ksm.tar.gz"))
    assert rasa[rasa.index("--interface") + 1] == "127.0.0.1"
    assert rasa[rasa.index("--port") + 1] == "6005"
    assert "--enable-api" not in rasa

    env = supervisor.rasa_environment(settings)
    assert env["SANIC_HOST"] == "127.0.0.1"
    assert env["KSM_ACTION_ENDPOINT"] == "http://127.0.0.1:6055/webhook"
    assert env["KSM_DATABASE_URL"] == "sqlite://"


def test_missing_model_says_how_to_train(tmp_path):
    with pytest.raises(supervisor.StartupError, match="make train"):
        supervisor.latest_model(tmp_path)


def test_web_app_binds_the_configured_host_and_port_without_access_log():
    settings = Settings(database_url="sqlite://", web_port=6080)
    web = supervisor.web_server(settings)
    assert web.command[web.command.index("--host") + 1] == "127.0.0.1"
    assert web.command[web.command.index("--port") + 1] == "6080"
    assert "--no-access-log" in web.command
    assert web.ready_url == "http://127.0.0.1:6080/health"


def test_demo_pages_get_a_local_secret_that_is_kept_and_private(tmp_path):
    path = tmp_path / "var" / "identity-secret"
    first = supervisor.with_demo_identity(Settings(database_url="sqlite://"), path)
    again = supervisor.with_demo_identity(Settings(database_url="sqlite://"), path)
    assert first.identity_secret == again.identity_secret
    assert len(first.identity_secret) >= 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert supervisor.rasa_environment(first)["KSM_IDENTITY_SECRET"] == first.identity_secret


def test_a_configured_secret_or_no_demo_pages_make_no_local_secret(tmp_path):
    path = tmp_path / "identity-secret"
    configured = Settings(database_url="sqlite://", identity_secret="x" * 32)
    assert supervisor.with_demo_identity(configured, path) == configured
    without_demo = Settings(database_url="sqlite://", demo_pages=False)
    assert supervisor.with_demo_identity(without_demo, path).identity_secret is None
    assert not path.exists()


def test_unreachable_lock_store_refuses_to_start():
    settings = Settings(database_url="sqlite://", lock_store_url="redis://127.0.0.1:1/0")
    with pytest.raises(supervisor.StartupError, match=r"Lock-Store .* nicht erreichbar"):
        supervisor.check_lock_store(settings)


def test_reachable_lock_store_passes_and_rasa_gets_the_redis_endpoints():
    settings = Settings(database_url="sqlite://", lock_store_url="redis://127.0.0.1:6379/3")
    supervisor.check_lock_store(settings)
    rasa = supervisor.rasa_server_command(settings, Path("models/ksm.tar.gz"))
    endpoints_file = Path(rasa[rasa.index("--endpoints") + 1])
    assert f"type: {endpoints.LOCK_STORE_TYPE}" in endpoints_file.read_text()


def test_without_lock_store_rasa_gets_the_committed_endpoints():
    rasa = supervisor.rasa_server_command(Settings(database_url="sqlite://"), Path("m.tar.gz"))
    assert Path(rasa[rasa.index("--endpoints") + 1]).name == "endpoints.yml"


def test_serve_replaces_the_process_with_the_one_server(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(os, "execve", lambda *args: calls.append(args))
    monkeypatch.setattr(os, "chdir", lambda path: None)
    settings = Settings(database_url="sqlite://", actions_port=6155, demo_pages=False)
    supervisor.serve(settings, "actions")
    [(program, argv, env)] = calls
    assert argv[argv.index("--port") + 1] == "6155"
    assert program == argv[0]
    assert env["KSM_DATABASE_URL"] == "sqlite://"


def test_serve_rasa_checks_the_tracker_store_first():
    settings = Settings(database_url="postgresql+psycopg2://postgres@127.0.0.1:1/none")
    with pytest.raises(supervisor.StartupError, match="nicht erreichbar"):
        supervisor.serve(settings, "rasa")
