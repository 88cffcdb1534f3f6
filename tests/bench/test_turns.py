"""Each turn of the mix, sent one at a time, against a small fake Rasa REST channel."""

from __future__ import annotations

import asyncio
from collections import defaultdict

import pytest
from aiohttp.test_utils import TestServer

from bench.load import ScenarioError
from bench.scenarios import Scenario, Turn
from bench.turns import measure, render
from tests.utils.fake_rasa import rest_channel

GREETING = Scenario("gruss", 1, (Turn("Hallo", "Guten Tag"), Turn("langsam", "Guten Tag")))


async def fake_rasa(seen: dict[str, list[str]]) -> TestServer:
    async def answer(sender: str, message: str) -> str:
        seen[sender].append(message)
        if message == "langsam":
            await asyncio.sleep(0.05)
        return "?" if message == "falsch" else "Guten Tag!"

    return await rest_channel(answer)


async def test_every_turn_is_timed_in_every_round_after_one_not_counted():
    seen: dict[str, list[str]] = defaultdict(list)
    server = await fake_rasa(seen)
    try:
        url = str(server.make_url("/webhooks/rest/webhook"))
        latencies = await measure(url, [GREETING], rounds=3, pause=0)
    finally:
        await server.close()

    assert list(latencies) == [("gruss", 0, "Hallo"), ("gruss", 1, "langsam")]
    assert [len(took) for took in latencies.values()] == [3, 3]
    assert min(latencies[("gruss", 1, "langsam")]) >= 0.05 > max(latencies[("gruss", 0, "Hallo")])
    # four conversations (one to warm up), each with a sender of its own, in order
    assert len(seen) == 4
    assert all(messages == ["Hallo", "langsam"] for messages in seen.values())


async def test_a_wrong_answer_stops_the_measurement():
    server = await fake_rasa(defaultdict(list))
    try:
        url = str(server.make_url("/webhooks/rest/webhook"))
        wrong = Scenario("falsch", 1, (Turn("falsch", "Guten Tag"),))
        with pytest.raises(ScenarioError, match="falsch"):
            await measure(url, [wrong], rounds=1, pause=0)
    finally:
        await server.close()


def test_the_table_names_each_turn_and_the_whole():
    table = render({("gruss", 0, "Hallo"): [0.010, 0.030, 0.020], ("gruss", 1, "Ja"): [0.040]})

    assert "| gruss | 1 | Hallo | 20.0 | 30.0 |" in table
    assert "| gruss | 2 | Ja | 40.0 | 40.0 |" in table
    assert table.endswith("4 Nachrichten: Median 25.0 ms, p95 40.0 ms")
