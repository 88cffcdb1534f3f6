"""Two Rasa servers behind one load balancer: shared PostgreSQL tracker store, Redis locks.

Started as docs/BETRIEB.md describes it: ``python -m bot serve actions`` once and
``python -m bot serve rasa`` twice on other ports, all with the same ``KSM_DATABASE_URL``
and ``KSM_LOCK_STORE_URL``.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import aiohttp
import pytest
from sqlalchemy import create_engine, text

from bench.load import run_load
from bench.tickets import check_tickets
from bot.settings import PROJECT_ROOT
from tests.e2e.conftest import IDENTITY_SECRET, READY_TIMEOUT, _free_port

pytestmark = pytest.mark.e2e

LOCK_STORE_URL = os.environ.get("KSM_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")
TICKET = re.compile(r"KSM-\d{4}-\d{5}")


class Cluster:
    def __init__(self, database_url: str) -> None:
        self.env = {
            **os.environ,
            "KSM_DATABASE_URL": database_url,
            "KSM_LOCK_STORE_URL": LOCK_STORE_URL,
            "ACTIONS_PORT": str(_free_port()),
            "KSM_IDENTITY_SECRET": IDENTITY_SECRET,
            "KSM_DEMO_PAGES": "0",
        }
        self.rasa_ports = [_free_port(), _free_port()]
        self.processes: list[subprocess.Popen[bytes]] = []

    @property
    def webhooks(self) -> list[str]:
        return [f"http://127.0.0.1:{port}/webhooks/rest/webhook" for port in self.rasa_ports]

    def bot(self, *args: str, port: int | None = None, wait: bool = True) -> None:
        env = self.env if port is None else {**self.env, "RASA_PORT": str(port)}
        command = [sys.executable, "-m", "bot", *args]
        if wait:
            subprocess.run(command, env=env, cwd=PROJECT_ROOT, check=True)
        else:
            self.processes.append(
                subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, start_new_session=True)
            )

    def start(self) -> None:
        self.bot("db", "upgrade")
        self.bot("db", "seed")
        self.bot("serve", "actions", wait=False)
        for port in self.rasa_ports:
            self.bot("serve", "rasa", port=port, wait=False)
        deadline = time.monotonic() + READY_TIMEOUT
        pending = list(self.webhooks)
        while pending and time.monotonic() < deadline:
            assert all(p.poll() is None for p in self.processes), "a server ended at start-up"
            pending = [url for url in pending if not _answers(url)]
            time.sleep(1)
        assert not pending, f"not ready after {READY_TIMEOUT:.0f} s: {pending}"

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            process.wait(60)


def _answers(url: str) -> bool:
    try:
        return bool(say(url, "e2e-ready", "Hallo"))
    except OSError:
        return False


def say(url: str, sender: str, text: str, metadata: dict[str, str] | None = None) -> str:
    body = {"sender": sender, "message": text, "metadata": metadata or {}}
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return "\n".join(message.get("text", "") for message in json.load(response))


async def say_at_once(urls: list[str], sender: str, text: str) -> list[str]:
    """The same message to every server at the same moment (a double click on two tabs)."""
    async with aiohttp.ClientSession() as session:

        async def one(url: str) -> str:
            payload = {"sender": sender, "message": text}
            async with session.post(url, json=payload) as response:
                assert response.status == 200
                return "\n".join(m.get("text", "") for m in await response.json())

        return list(await asyncio.gather(*(one(url) for url in urls)))


@pytest.fixture(scope="module")
def cluster(postgres_database: str) -> Iterator[Cluster]:
    cluster = Cluster(postgres_database)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def tickets_of(cluster: Cluster, conversation: str) -> list[str]:
    engine = create_engine(cluster.env["KSM_DATABASE_URL"], future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT number FROM tickets WHERE conversation_id = :c"), {"c": conversation}
        ).all()
    engine.dispose()
    return [row[0] for row in rows]


def test_a_conversation_alternating_between_servers_keeps_its_slots_and_open_form(cluster):
    a, b = cluster.webhooks
    member = {"member": "grabow"}
    sender = "e2e-cluster-1"
    assert "Beschreiben Sie bitte kurz" in say(a, sender, "Ich möchte eine Störung melden", member)
    assert "Wer ist betroffen" in say(
        b, sender, "Der Drucker im Bürgerbüro druckt seit heute früh nicht mehr", member
    )
    assert "Wie sehr behindert" in say(a, sender, "nur ich", member)
    assert "Wie ist Ihr Name" in say(b, sender, "Es kann warten", member)
    assert "Telefonnummer oder E-Mail-Adresse" in say(a, sender, "Anna Schmidt", member)
    summary = say(b, sender, "03871 1234", member)
    assert "Verwaltung: Stadt Grabow" in summary  # the member slot, set on the other server
    assert "Bereich: Drucker" in summary

    answers = asyncio.run(say_at_once([a, b], sender, "Ja"))
    numbers = {match.group(0) for answer in answers for match in TICKET.finditer(answer)}
    assert len(numbers) == 1, answers
    [number] = numbers
    assert tickets_of(cluster, sender) == [number]
    assert "Status: neu" in say(a, sender, f"Status {number}")
    assert "Status: neu" in say(b, sender, f"Status {number}")


def test_under_load_on_both_servers_no_ticket_is_lost_or_opened_twice(cluster):
    outcome = asyncio.run(
        run_load(cluster.webhooks, conversations=10, duration=45, think=(0.0, 0.2), warm_up=False)
    )
    check = check_tickets(cluster.env["KSM_DATABASE_URL"], outcome.tickets)
    assert outcome.errors == {}
    assert outcome.conversations["fault-ticket"] >= 3
    assert check.told == outcome.conversations["fault-ticket"]
    assert check.ok, check
    assert check.stored == check.told
