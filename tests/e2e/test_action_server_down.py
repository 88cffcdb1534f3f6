"""The action server stops while the Rasa server runs: an apology with the hotline, then normal
answers once it is back.

``python -m bot run`` stops every server when one of them ends, so this test starts the two
servers as a service manager does (``python -m bot serve rasa|actions``, docs/BETRIEB.md) and
stops only the action server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from bot.settings import PROJECT_ROOT
from tests.e2e.conftest import READY_TIMEOUT, Assistant

pytestmark = pytest.mark.e2e

APOLOGY = "Entschuldigung, bei mir ist gerade ein technischer Fehler aufgetreten."
SHIPPED_HOTLINE = "030 23125 100"


class Service:
    """``python -m bot serve COMPONENT`` for ``assistant``, stopped like systemd stops it."""

    def __init__(self, assistant: Assistant, component: str, ready_url: str) -> None:
        self.assistant = assistant
        self.component = component
        self.ready_url = ready_url
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", self.component],
            env=self.assistant.env,
            cwd=PROJECT_ROOT,
            start_new_session=True,
        )
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"bot serve {self.component} ended at start-up"
            try:
                with urllib.request.urlopen(self.ready_url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(1)
        pytest.fail(f"bot serve {self.component} not ready after {READY_TIMEOUT:.0f} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(60)


@pytest.fixture
def services(assistant: Assistant) -> Iterator[tuple[Service, Service]]:
    actions = Service(
        assistant, "actions", f"http://127.0.0.1:{assistant.env['ACTIONS_PORT']}/health"
    )
    rasa = Service(assistant, "rasa", f"http://127.0.0.1:{assistant.rasa_port}/")
    yield actions, rasa
    rasa.stop()
    actions.stop()


def test_action_server_down_gets_the_apology_with_the_hotline_and_recovers(assistant, services):
    actions, rasa = services
    actions.start()
    rasa.start()
    assert "Stadt Grabow" in assistant.say(
        "staff-1", "Welche Verwaltungen gehören zum KSM-Verbund?"
    )

    actions.stop()

    # A conversation under way: the apology names the hotline it was given at its start.
    answer = assistant.say("staff-1", "Seit wann ist Grabow dabei?")
    assert APOLOGY in answer
    assert f"rufen Sie den Servicedesk an: {SHIPPED_HOTLINE}." in answer
    # A new conversation, whose start needs the action server too: privacy notice, apology.
    first = assistant.say("staff-2", "Seit wann ist Grabow dabei?")
    assert "Hinweis zum Datenschutz" in first
    assert APOLOGY in first
    assert SHIPPED_HOTLINE in first

    actions.start()

    assert "Stadt Grabow ist seit dem 01.01.2019" in assistant.say(
        "staff-1", "Seit wann ist Grabow dabei?"
    )
    assert "Stadt Grabow ist seit dem 01.01.2019" in assistant.say(
        "staff-2", "Seit wann ist Grabow dabei?"
    )
