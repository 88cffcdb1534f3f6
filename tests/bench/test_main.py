"""The systems of one benchmark run take turns, in slices, under each load profile."""

from __future__ import annotations

import asyncio
import dataclasses
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import bench.__main__ as bench_main
from bench import memory, systems
from bench.load import Outcome, Sample
from bench.report import Result


@pytest.fixture(autouse=True)
def no_event_loop_left_open() -> None:
    """Close the event loop an async test of pytest-asyncio 0.23 leaves set but open.

    ``measure`` runs each slice with ``asyncio.run``, which unsets the current event loop
    when it ends; a loop left open would then be collected with its sockets unclosed, which
    this suite's warning filter turns into a failure of whichever test is running.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # no current loop: nothing to do
        try:
            loop = asyncio.get_event_loop_policy().get_event_loop()
        except RuntimeError:
            return
    if not loop.is_running() and not loop.is_closed():
        loop.close()


@dataclasses.dataclass
class FakeRunning:
    system: systems.System
    stopped: bool = False
    ready_seconds: float = 1.0

    @property
    def webhook_urls(self) -> list[str]:
        return [f"http://{self.system.name}/webhooks/rest/webhook"]

    def pids(self) -> dict[str, int]:
        return {}

    def stop(self) -> None:
        self.stopped = True


@dataclasses.dataclass
class Played:
    slices: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    """Every slice of load that was played: the system it went to and run_load's arguments."""
    started: list[FakeRunning] = dataclasses.field(default_factory=list)


@pytest.fixture
def played(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Played:
    """What the benchmark played against which system; no server starts."""
    record = Played()
    slices, started = record.slices, record.started

    def start(system: systems.System, model: Path, **kwargs: Any) -> FakeRunning:
        running = FakeRunning(system)
        started.append(running)
        return running

    async def run_load(urls: list[str], **kwargs: Any) -> Outcome:
        name = urls[0].split("/")[2]
        slices.append({"system": name, **kwargs})
        outcome = Outcome(elapsed=kwargs["duration"], conversations=Counter({"faq": 1}))
        outcome.samples = [Sample("faq", 0.01 * len(slices))]
        return outcome

    monkeypatch.setattr(systems, "start", start)
    monkeypatch.setattr(systems, "model_for", lambda system: tmp_path / f"{system.name}.tar.gz")
    monkeypatch.setattr(systems, "prepare_database", lambda url: None)
    monkeypatch.setattr(systems, "fresh_database", lambda system, url: "sqlite://")
    monkeypatch.setattr(bench_main, "run_load", run_load)
    monkeypatch.setattr(bench_main, "finish", lambda measured: None)
    monkeypatch.setattr(memory, "peak_rss", lambda pid: 0)
    return record


def run(*argv: str) -> list[Result]:
    args = bench_main.build_parser().parse_args(list(argv))
    chosen = [systems.SYSTEMS[name] for name in args.systems.split(",")]
    profiles = [
        bench_main.Profile("latenz", args.conversations, tuple(args.think), args.duration),
        bench_main.Profile("durchsatz", args.conversations, (0.0, 0.0), args.duration),
    ]
    return bench_main.measure(chosen, profiles, args)


def test_the_systems_take_turns_in_slices_of_each_profile(played):
    results = run("--systems", "projekt,minimal", "--duration", "60", "--rounds", "3")

    order = [(s["system"], s["think"], s["seed"], s["warm_up"]) for s in played.slices]
    assert order == [
        (system, think, 2026 + round_, round_ == 0)
        for think in ((1.0, 3.0), (0.0, 0.0))
        for round_ in range(3)
        for system in ("projekt", "minimal")
    ]
    assert {s["duration"] for s in played.slices} == {20.0}
    assert [r.system for r in results] == ["projekt", "minimal"]
    for result in results:
        for profile in ("latenz", "durchsatz"):
            run_ = result.runs[profile]
            assert run_["messages"] == 3
            assert run_["seconds"] == 60.0
            assert run_["conversations"] == {"faq": 3}
    assert all(running.stopped for running in played.started)


def test_the_minimal_bot_plays_the_same_conversations_with_its_one_phrase(played):
    run("--systems", "projekt,minimal", "--rounds", "1")

    by_system = {s["system"]: s["scenarios"] for s in played.slices}
    assert [len(s.turns) for s in by_system["projekt"]] == [
        len(s.turns) for s in by_system["minimal"]
    ]
    assert {t.text for s in by_system["minimal"] for t in s.turns} == {"Hallo"}


def test_on_a_database_server_the_systems_are_measured_one_after_the_other(played):
    run(
        "--systems", "projekt,minimal", "--rounds", "2",
        "--database-url", "postgresql://postgres@127.0.0.1/test",
    )  # fmt: skip

    assert [s["system"] for s in played.slices] == [
        *["projekt"] * 4,
        *["minimal"] * 4,
    ]
    first, second = played.started
    assert first.stopped and second.stopped
