"""The load generator: concurrent simulated conversations against Rasa's REST channel.

Each of ``conversations`` workers plays one scenario after the other (``bench.scenarios``),
as one member of staff would, with a fresh sender id each time; it waits for every answer
and a think time before the next message, so the load is closed-loop: what the system
cannot answer slows the workers instead of piling up. With a think time, each worker also
starts after a pause drawn from it: staff do not all press Enter in the same millisecond,
and ten first messages arriving together measured the generator's start, not the system
(the last of them waited for the nine before it). With several URLs, the turns of one
conversation go to the servers in turn, which is the hardest case for a shared tracker
store and lock store. A wrong answer counts as an error like a failed request, and its
conversation is abandoned, since its state is no longer known.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp

from bench.scenarios import SCENARIOS, TICKET_NUMBER, Scenario, Turn, choose


@dataclass(frozen=True)
class Sample:
    scenario: str
    latency: float
    """Seconds from sending the message until the whole answer had arrived."""
    error: str | None = None
    in_window: bool = True
    """Sent before the deadline, while every simulated member of staff was still writing."""


@dataclass
class Outcome:
    samples: list[Sample] = field(default_factory=list)
    elapsed: float = 0.0
    """Seconds from the start until the last open conversation had finished."""
    window: float = 0.0
    """Seconds in which conversations were started: the load the run is about."""
    conversations: Counter[str] = field(default_factory=Counter)
    """Completed conversations per scenario."""
    tickets: list[tuple[str, str]] = field(default_factory=list)
    """(sender id, ticket number) of every completed conversation that opened a ticket."""

    @property
    def messages(self) -> int:
        return len(self.samples)

    @property
    def errors(self) -> Counter[str]:
        return Counter(sample.error for sample in self.samples if sample.error)

    @property
    def measured(self) -> list[Sample]:
        """The messages sent within the window, under the full load of every conversation.

        After the deadline the open conversations are finished, but no new ones begin, so
        fewer and fewer staff are writing: those messages are answered (and their errors
        and tickets count) but are left out of the rate and the latency.
        """
        return [sample for sample in self.samples if sample.in_window]

    @property
    def rate(self) -> float:
        """Messages sent per second of the window (errors included: they took time too)."""
        if self.window:
            return len(self.measured) / self.window
        return self.messages / self.elapsed if self.elapsed else 0.0

    def latency(self, percent: float) -> float:
        """The ``percent`` percentile of the measured messages' latency in s (nearest rank)."""
        return percentile([sample.latency for sample in self.measured], percent)


def percentile(values: Sequence[float], percent: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * percent // 100))  # ceil without floats drifting
    return ordered[int(rank) - 1]


class Client:
    """Sends one message and checks the answer; a thin wrapper over one aiohttp session."""

    def __init__(self, session: aiohttp.ClientSession, urls: Sequence[str]) -> None:
        self.session = session
        self.urls = list(urls)

    async def say(
        self, turn_index: int, sender: str, text: str, metadata: dict[str, str]
    ) -> tuple[str, str | None]:
        """The answer's text and ``None``, or what went wrong instead of a usable answer."""
        url = self.urls[turn_index % len(self.urls)]
        payload: dict[str, object] = {"sender": sender, "message": text}
        if metadata:
            payload["metadata"] = metadata
        try:
            async with self.session.post(url, json=payload) as response:
                if response.status != 200:
                    return "", f"HTTP {response.status}"
                messages = await response.json()
        except asyncio.TimeoutError:
            return "", "timeout"
        except (aiohttp.ClientError, ValueError) as exc:
            return "", type(exc).__name__
        answer = "\n".join(
            str(message.get("text", "")) for message in messages if isinstance(message, dict)
        )
        return answer, None if answer.strip() else "empty answer"


async def timed_turn(
    client: Client, index: int, sender: str, scenario: Scenario, turn: Turn
) -> float:
    """Seconds until the answer to ``turn`` arrived; ``ScenarioError`` if it is not expected.

    For the measurements one message at a time, where a wrong answer ends the run.
    """
    started = time.perf_counter()
    answer, error = await client.say(index, sender, turn.text, scenario.metadata)
    took = time.perf_counter() - started
    if error is not None or not re.search(turn.expect, answer):
        raise ScenarioError(scenario.name, turn.text, turn.expect, error or answer)
    return took


async def play(
    client: Client,
    scenario: Scenario,
    outcome: Outcome | None,
    *,
    rng: random.Random,
    think: tuple[float, float],
    deadline: float | None = None,
) -> bool:
    """Play one conversation; record its samples in ``outcome``. Whether it went through.

    Without ``outcome`` it is a warm-up, whose sender ids do not count as the benchmark's.
    Messages sent after ``deadline`` (``time.perf_counter``) are recorded as outside the
    window.
    """
    prefix = "bench" if outcome is not None else "warmup"
    sender = f"{prefix}-{scenario.name}-{uuid.uuid4().hex[:12]}"
    answer = ""
    for index, turn in enumerate(scenario.turns):
        if index and think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))
        started = time.perf_counter()
        answer, error = await client.say(index, sender, turn.text, scenario.metadata)
        latency = time.perf_counter() - started
        if error is None and not re.search(turn.expect, answer):
            error = "unexpected answer"
        if outcome is not None:
            in_window = deadline is None or started < deadline
            outcome.samples.append(Sample(scenario.name, latency, error, in_window))
        if error is not None:
            if outcome is None:
                raise ScenarioError(scenario.name, turn.text, turn.expect, answer or error)
            return False
    if outcome is not None:
        outcome.conversations[scenario.name] += 1
        if scenario.opens_ticket:
            match = TICKET_NUMBER.search(answer)
            outcome.tickets.append((sender, match.group(0) if match else ""))
    return True


class ScenarioError(AssertionError):
    """During warm-up a scenario got an answer it does not expect: the mix itself is wrong."""

    def __init__(self, scenario: str, text: str, expected: str, answer: str) -> None:
        super().__init__(
            f"Szenario {scenario!r}: auf {text!r} wurde {expected!r} erwartet, "
            f"die Antwort war: {answer[:300]!r}"
        )


async def run_load(
    urls: Sequence[str],
    *,
    conversations: int,
    duration: float,
    think: tuple[float, float] = (0.0, 0.0),
    seed: int = 2026,
    timeout: float = 30.0,
    warm_up: bool = True,
    scenarios: tuple[Scenario, ...] = SCENARIOS,
) -> Outcome:
    """Play conversations for ``duration`` seconds, then let the open ones finish.

    The messages sent within the ``duration`` are the ones measured. Before the clock
    starts, every scenario is played once on every URL (not counted): it warms up the
    servers and fails fast, with the answer, when a scenario does not fit.
    """
    connector = aiohttp.TCPConnector(limit=0)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=client_timeout) as session:
        if warm_up:
            rng = random.Random(seed)
            for url in urls:
                for scenario in scenarios:
                    await play(Client(session, [url]), scenario, None, rng=rng, think=(0, 0))
        client = Client(session, urls)
        outcome = Outcome()
        started = time.perf_counter()
        deadline = started + duration

        async def worker(number: int) -> None:
            rng = random.Random(seed * 1000 + number)
            if think[1] > 0:
                await asyncio.sleep(rng.uniform(0, think[1]))
            while time.perf_counter() < deadline:
                await play(
                    client, choose(rng, scenarios), outcome,
                    rng=rng, think=think, deadline=deadline,
                )  # fmt: skip

        await asyncio.gather(*(worker(number) for number in range(conversations)))
        outcome.elapsed = time.perf_counter() - started
        outcome.window = duration
    return outcome
