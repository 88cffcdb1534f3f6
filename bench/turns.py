"""``python -m bench.turns``: what each turn of the mix costs, sent one message at a time.

The load runs of ``python -m bench`` give one distribution over all messages; they do not say
which turns make its slow end. This starts a system on a fresh database as ``python -m bench``
does, plays every conversation of the mix ``--rounds`` times one message after the other,
each with a new sender id, and prints each turn's median and slowest latency, then the median
and p95 over all. With no other message in flight, a turn's time is its own work, not a wait
for others: the place to look first. Every answer is checked as in the load runs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import uuid
from collections.abc import Sequence

import aiohttp

from bench import systems
from bench.load import Client, percentile, timed_turn
from bench.scenarios import SCENARIOS, Scenario, floor_scenarios

Latencies = dict[tuple[str, int, str], list[float]]
"""Seconds per turn: scenario, index of the turn, its text."""


async def measure(
    url: str, scenarios: Sequence[Scenario], *, rounds: int, pause: float = 0.02
) -> Latencies:
    """Play every scenario ``rounds`` times, after one round that is not counted."""
    latencies: Latencies = {}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        client = Client(session, [url])
        for round_ in range(rounds + 1):
            for scenario in scenarios:
                sender = f"turns-{scenario.name}-{uuid.uuid4().hex[:12]}"
                for index, turn in enumerate(scenario.turns):
                    took = await timed_turn(client, index, sender, scenario, turn)
                    if round_:
                        latencies.setdefault((scenario.name, index, turn.text), []).append(took)
                    await asyncio.sleep(pause)
    return latencies


def render(latencies: Latencies) -> str:
    """A Markdown table of the turns, then the median and p95 over all of them."""
    lines = ["| Gespräch | Nr. | Nachricht | Median ms | langsamste ms |", "|---|---|---|---|---|"]
    for (scenario, index, text), took in latencies.items():
        lines.append(
            f"| {scenario} | {index + 1} | {text[:40]} "
            f"| {statistics.median(took) * 1000:.1f} | {max(took) * 1000:.1f} |"
        )
    every = [seconds for took in latencies.values() for seconds in took]
    lines.append(
        f"\n{len(every)} Nachrichten: Median {statistics.median(every) * 1000:.1f} ms, "
        f"p95 {percentile(every, 95) * 1000:.1f} ms"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.turns", description=__doc__)
    parser.add_argument("--system", default="projekt", choices=list(systems.SYSTEMS))
    parser.add_argument("--rounds", type=int, default=8, help="Durchgänge durch die Mischung")
    args = parser.parse_args(argv)
    system = systems.SYSTEMS[args.system]
    database_url = systems.fresh_database(system, None)
    if system.uses_actions:
        systems.prepare_database(database_url)
    running = systems.start(system, systems.model_for(system), database_url=database_url)
    try:
        scenarios = SCENARIOS if system.uses_actions else floor_scenarios()
        latencies = asyncio.run(measure(running.webhook_urls[0], scenarios, rounds=args.rounds))
    finally:
        running.stop()
    print(render(latencies))
    return 0


if __name__ == "__main__":
    sys.exit(main())
