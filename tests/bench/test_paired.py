"""The same turns sent to two servers in turn, and their differences, against fake channels."""

from __future__ import annotations

import asyncio
import os
from collections import defaultdict

import pytest
from aiohttp.test_utils import TestServer

from bench import paired
from bench.load import ScenarioError
from bench.scenarios import Scenario, Turn
from tests.utils.fake_rasa import rest_channel

GREETING = Scenario("gruss", 1, (Turn("Hallo", "Guten Tag"), Turn("Ja", "Guten Tag")))


async def fake_rasa(seen: list[tuple[str, str]], delay: float, text: str) -> TestServer:
    async def answer(sender: str, message: str) -> str:
        seen.append((sender, message))
        await asyncio.sleep(delay)
        return text

    return await rest_channel(answer)


async def test_every_turn_goes_to_both_and_is_timed_on_each():
    seen: dict[str, list[tuple[str, str]]] = defaultdict(list)
    slow = await fake_rasa(seen["a"], 0.03, "Guten Tag!")
    fast = await fake_rasa(seen["b"], 0.0, "Guten Tag!")
    try:
        urls = (
            str(slow.make_url("/webhooks/rest/webhook")),
            str(fast.make_url("/webhooks/rest/webhook")),
        )
        pairs = await paired.measure(urls, [GREETING], rounds=3, pause=0)
    finally:
        await slow.close()
        await fast.close()

    assert len(pairs.a) == len(pairs.b) == 6
    assert min(pairs.a) >= 0.03 > max(pairs.b)
    for side in ("a", "b"):  # four conversations each (one to warm up), in order
        assert [message for _, message in seen[side]] == ["Hallo", "Ja"] * 4
        assert len({sender for sender, _ in seen[side]}) == 4
    assert not {sender for sender, _ in seen["a"]} & {sender for sender, _ in seen["b"]}


async def test_a_wrong_answer_on_either_side_stops_the_measurement():
    right = await fake_rasa([], 0.0, "Guten Tag!")
    wrong = await fake_rasa([], 0.0, "?")
    try:
        urls = (
            str(right.make_url("/webhooks/rest/webhook")),
            str(wrong.make_url("/webhooks/rest/webhook")),
        )
        with pytest.raises(ScenarioError, match="Hallo"):
            await paired.measure(urls, [GREETING], rounds=1, pause=0)
    finally:
        await right.close()
        await wrong.close()


def test_the_summary_gives_both_sides_and_the_differences():
    summary = paired.render(paired.Pairs(a=[0.010, 0.020, 0.030], b=[0.012, 0.015, 0.025]))

    assert "A: 3 Nachrichten, Median 20.00 ms" in summary
    assert "B: 3 Nachrichten, Median 15.00 ms" in summary
    assert summary.endswith(
        "B − A je Nachricht: Median -5.00 ms, Mittel -2.67 ms; B schneller in 2 von 3"
    )


def test_settings_are_name_value_pairs_and_last_only_while_the_servers_start(monkeypatch):
    monkeypatch.delenv("KSM_PAIRED_TEST", raising=False)
    assert paired.setting("TF_ENABLE_ONEDNN_OPTS=1") == ("TF_ENABLE_ONEDNN_OPTS", "1")
    assert paired.setting("LEER=") == ("LEER", "")
    with pytest.raises(Exception, match="NAME=WERT"):
        paired.setting("OHNE_WERT")
    with paired.environment({"KSM_PAIRED_TEST": "1"}):
        assert os.environ["KSM_PAIRED_TEST"] == "1"
    assert "KSM_PAIRED_TEST" not in os.environ
