"""How the benchmark trains and serves the project and its references."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from bench import systems
from bot.settings import Settings


def test_training_uses_a_copy_of_the_configuration(tmp_path, monkeypatch):
    calls: list[list[str]] = []

    def fake_run(command: list[str], **kwargs: object) -> None:
        calls.append(command)
        config = Path(command[command.index("--config") + 1])
        config.write_text("# Rasa's defaults written in\n" + config.read_text())

    monkeypatch.setattr(subprocess, "run", fake_run)
    committed = systems.RASA_INIT.config.read_text()
    systems.train(systems.RASA_INIT, tmp_path)
    [command] = calls
    assert Path(command[command.index("--config") + 1]).parent == tmp_path
    assert systems.RASA_INIT.config.read_text() == committed


def test_the_framework_floor_is_rasa_as_shipped(tmp_path, monkeypatch):
    monkeypatch.setattr(systems, "STOCK_FILES", tmp_path)
    settings = Settings(database_url="sqlite://", rasa_port=5999)

    server = systems.stock_rasa_server(settings, tmp_path / "minimal.tar.gz")

    assert server.command[1:4] == ["-m", "rasa", "run"]
    endpoints = yaml.safe_load(
        Path(server.command[server.command.index("--endpoints") + 1]).read_text()
    )
    assert endpoints["tracker_store"] == {"type": "SQL", "url": "${KSM_DATABASE_URL}"}
    credentials = yaml.safe_load(
        Path(server.command[server.command.index("--credentials") + 1]).read_text()
    )
    assert credentials == {"rest": None}
    assert server.public_url == "http://127.0.0.1:5999"


def test_only_the_framework_floor_is_served_as_shipped():
    assert [name for name, system in systems.SYSTEMS.items() if system.stock] == ["minimal"]
    assert systems.rasa_command(systems.MINIMAL)[1:] == ["-m", "rasa"]
    for name in ("projekt", "minimal-ksm", "rasa-init"):
        assert systems.rasa_command(systems.SYSTEMS[name])[1:] == ["-m", "rasa_server"]
    assert systems.MINIMAL_KSM.config == systems.MINIMAL.config
