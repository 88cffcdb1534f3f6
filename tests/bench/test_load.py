"""The load generator against small fake Rasa REST channels."""

from __future__ import annotations

import time
from collections import defaultdict

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bench.load import ScenarioError, percentile, run_load
from bench.scenarios import Scenario, Turn

ANSWERS = {"Hallo": "Guten Tag!", "Ticket": "Ihr Ticket KSM-2026-00042 wurde angelegt"}


async def fake_rasa(seen: dict[str, list[str]], name: str) -> TestServer:
    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        seen[body["sender"]].append(name)
        text = body["message"]
        if text == "kaputt":
            return web.Response(status=500)
        if text == "stumm":
            return web.json_response([])
        return web.json_response([{"recipient_id": body["sender"], "text": ANSWERS.get(text, "?")}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    server = TestServer(app)
    await server.start_server()
    return server


def url(server: TestServer) -> str:
    return str(server.make_url("/webhooks/rest/webhook"))


GREETING = Scenario("gruss", 1, (Turn("Hallo", "Guten Tag"), Turn("Hallo", "Guten Tag")))
TICKET = Scenario("ticket", 1, (Turn("Ticket", r"KSM-\d{4}-\d{5}"),), opens_ticket=True)


async def test_conversations_run_until_the_deadline_and_count_every_message():
    seen: dict[str, list[str]] = defaultdict(list)
    server = await fake_rasa(seen, "a")
    try:
        outcome = await run_load(
            [url(server)], conversations=3, duration=0.3, scenarios=(GREETING, TICKET)
        )
    finally:
        await server.close()
    assert outcome.messages > 10
    assert outcome.errors == {}
    assert outcome.rate > 0
    assert sum(outcome.conversations.values()) * 1 <= outcome.messages
    assert outcome.tickets and all(number == "KSM-2026-00042" for _, number in outcome.tickets)
    assert len({sender for sender, _ in outcome.tickets}) == len(outcome.tickets)


async def test_wrong_answers_failed_requests_and_empty_answers_are_errors():
    seen: dict[str, list[str]] = defaultdict(list)
    server = await fake_rasa(seen, "a")
    scenarios = (
        Scenario("falsch", 1, (Turn("Hallo", "Auf Wiedersehen"), Turn("Hallo", "nie erreicht"))),
        Scenario("kaputt", 1, (Turn("kaputt", ""),)),
        Scenario("stumm", 1, (Turn("stumm", ""),)),
    )
    try:
        outcome = await run_load(
            [url(server)], conversations=2, duration=0.2, scenarios=scenarios, warm_up=False
        )
    finally:
        await server.close()
    assert set(outcome.errors) == {"unexpected answer", "HTTP 500", "empty answer"}
    assert not outcome.conversations
    # A conversation is abandoned at its first error: the second turn is never sent.
    assert all(len(turns) == 1 for turns in seen.values())


async def test_warm_up_fails_fast_with_the_answer_when_a_scenario_does_not_fit():
    seen: dict[str, list[str]] = defaultdict(list)
    server = await fake_rasa(seen, "a")
    wrong = Scenario("falsch", 1, (Turn("Hallo", "Auf Wiedersehen"),))
    try:
        with pytest.raises(ScenarioError, match="Guten Tag"):
            await run_load([url(server)], conversations=1, duration=1, scenarios=(wrong,))
    finally:
        await server.close()


async def test_turns_of_one_conversation_alternate_between_servers():
    seen: dict[str, list[str]] = defaultdict(list)
    first, second = await fake_rasa(seen, "a"), await fake_rasa(seen, "b")
    four = Scenario("vier", 1, tuple(Turn("Hallo", "Guten Tag") for _ in range(4)))
    try:
        await run_load(
            [url(first), url(second)], conversations=1, duration=0.1, scenarios=(four,),
            warm_up=False,
        )  # fmt: skip
    finally:
        await first.close()
        await second.close()
    assert seen and all(turns[:4] == ["a", "b", "a", "b"] for turns in seen.values())


def test_percentiles_use_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([0.2], 95) == 0.2


async def first_messages(think: tuple[float, float]) -> list[float]:
    """When each conversation of five simulated staff began, in seconds after the start."""
    first: dict[str, float] = {}
    began = time.perf_counter()

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        first.setdefault(body["sender"], time.perf_counter() - began)
        return web.json_response([{"text": "Guten Tag!"}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    server = TestServer(app)
    await server.start_server()
    two_turns = Scenario("gruss", 1, (Turn("Hallo", "Guten Tag"), Turn("Hallo", "Guten Tag")))
    try:
        began = time.perf_counter()
        await run_load(
            [url(server)], conversations=5, duration=0.6, think=think, warm_up=False,
            scenarios=(two_turns,),
        )  # fmt: skip
    finally:
        await server.close()
    return sorted(first.values())


async def test_with_a_think_time_the_staff_do_not_all_start_at_once():
    starts = await first_messages(think=(0.2, 0.4))
    assert len([t for t in starts if t < 0.03]) < 5
    assert len(starts) >= 5


async def test_without_a_think_time_all_staff_start_at_once():
    starts = await first_messages(think=(0.0, 0.0))
    assert len([t for t in starts if t < 0.03]) >= 5


async def test_only_messages_sent_within_the_time_count_for_rate_and_latency():
    seen: dict[str, list[str]] = defaultdict(list)
    server = await fake_rasa(seen, "a")
    three_turns = Scenario("gruss", 1, (Turn("Hallo", "Guten Tag"),) * 3)
    try:
        outcome = await run_load(
            [url(server)], conversations=4, duration=0.3, think=(0.1, 0.1), warm_up=False,
            scenarios=(three_turns,),
        )  # fmt: skip
    finally:
        await server.close()

    late = [sample for sample in outcome.samples if not sample.in_window]
    assert late, "conversations open at the deadline were finished after it"
    assert outcome.measured == [sample for sample in outcome.samples if sample.in_window]
    assert outcome.messages == len(outcome.measured) + len(late)
    assert outcome.window == 0.3
    assert outcome.elapsed > outcome.window
    assert outcome.rate == len(outcome.measured) / 0.3
    assert outcome.latency(100) == max(sample.latency for sample in outcome.measured)
    assert sum(outcome.conversations.values()) * 3 == outcome.messages
