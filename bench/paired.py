"""``python -m bench.paired NAME=VALUE …``: the project's server against itself with a setting.

The load runs and ``python -m bench.turns`` measure one state of the server at a time, and
these machines change speed by up to a third within minutes: two runs one after the other
cannot tell a change of half a millisecond a message from the machine's drift. This starts
the project twice, each on a fresh database: ``A`` as it is, ``B`` with the given environment
variables added (``TF_ENABLE_ONEDNN_OPTS=1``, say). It plays the mix one message at a time
and sends every turn to both, in a random order, so that both meet the machine in the same
state; then it prints each side's median and p95 and, turn by turn, the difference B − A: its
median and mean, and in how many turns B was faster. With no difference, B is faster in
about half the turns; 58 % of 250 turns is already unlikely by chance (z ≈ 2.5).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import aiohttp

from bench import systems
from bench.load import Client, percentile, timed_turn
from bench.scenarios import SCENARIOS, Scenario


@dataclass
class Pairs:
    """Seconds per turn of ``A`` and ``B``; the same index is the same turn."""

    a: list[float] = field(default_factory=list)
    b: list[float] = field(default_factory=list)


async def measure(
    urls: tuple[str, str],
    scenarios: Sequence[Scenario],
    *,
    rounds: int,
    pause: float = 0.01,
    seed: int = 2026,
) -> Pairs:
    """Play every scenario ``rounds`` times on both, after one round that is not counted."""
    rng = random.Random(seed)
    pairs = Pairs()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        clients = (Client(session, [urls[0]]), Client(session, [urls[1]]))
        for round_ in range(rounds + 1):
            for scenario in scenarios:
                senders = [f"paired-{scenario.name}-{uuid.uuid4().hex[:12]}" for _ in clients]
                for index, turn in enumerate(scenario.turns):
                    took = [0.0, 0.0]
                    for side in rng.sample((0, 1), 2):
                        took[side] = await timed_turn(
                            clients[side], index, senders[side], scenario, turn
                        )
                        await asyncio.sleep(pause)
                    if round_:
                        pairs.a.append(took[0])
                        pairs.b.append(took[1])
    return pairs


def render(pairs: Pairs) -> str:
    """Each side's median and p95, then the differences B − A turn by turn, in ms."""
    lines = []
    for name, took in (("A", pairs.a), ("B", pairs.b)):
        lines.append(
            f"{name}: {len(took)} Nachrichten, Median {statistics.median(took) * 1000:.2f} ms, "
            f"p95 {percentile(took, 95) * 1000:.2f} ms"
        )
    differences = [b - a for a, b in zip(pairs.a, pairs.b, strict=True)]
    faster = sum(difference < 0 for difference in differences)
    lines.append(
        f"B − A je Nachricht: Median {statistics.median(differences) * 1000:+.2f} ms, "
        f"Mittel {statistics.mean(differences) * 1000:+.2f} ms; "
        f"B schneller in {faster} von {len(differences)}"
    )
    return "\n".join(lines)


@contextmanager
def environment(added: Mapping[str, str]) -> Iterator[None]:
    """``os.environ`` with ``added`` while the block runs (servers copy it when they start)."""
    saved = dict(os.environ)
    os.environ.update(added)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def setting(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(f"NAME=WERT erwartet, nicht {text!r}")
    return name, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.paired", description=__doc__)
    parser.add_argument("settings", nargs="+", type=setting, metavar="NAME=WERT")
    parser.add_argument("--rounds", type=int, default=10, help="Durchgänge durch die Mischung")
    args = parser.parse_args(argv)
    system = systems.SYSTEMS["projekt"]
    model = systems.model_for(system)
    started: list[systems.Running] = []
    try:
        for side, added in (("a", {}), ("b", dict(args.settings))):
            database_url = systems.fresh_database(system, None, name=f"paired-{side}")
            systems.prepare_database(database_url)
            with environment(added):
                started.append(systems.start(system, model, database_url=database_url))
        urls = (started[0].webhook_urls[0], started[1].webhook_urls[0])
        pairs = asyncio.run(measure(urls, SCENARIOS, rounds=args.rounds))
    finally:
        for running in started:
            running.stop()
    print(f"B: {' '.join(f'{name}={value}' for name, value in args.settings)}")
    print(render(pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
