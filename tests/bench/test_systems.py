"""Training a benchmark system leaves the committed configuration untouched."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bench import systems


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
