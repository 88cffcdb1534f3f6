"""``python -m bench`` (``make bench``): measure the project and the two references.

Each system is started on a fresh database, one after the other, and timed until it
answers; then the conversation mix is played twice (``latenz``: 10 staff with think time, as
they really write; ``durchsatz``: the same 10 without pausing, which saturates the server).
The systems take turns within each profile, in ``--rounds`` slices of equal length, so that a
slower minute of a shared machine falls on all of them alike instead of on whichever system
happened to be measured then: the ratios between them are what the targets compare. At the
end come the servers' peak memory, the tickets, and for the systems that know the project's
intents their held-out intent F1. The numbers are printed as Markdown tables and saved as
JSON in ``results/bench/``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import memory, report, systems
from bench.load import Outcome, run_load
from bench.report import Result
from bench.scenarios import SCENARIOS, floor_scenarios
from bench.tickets import TicketCheck, check_tickets
from bot.nlu.quality import read_evaluation
from bot.settings import PROJECT_ROOT


@dataclass
class Profile:
    name: str
    conversations: int
    think: tuple[float, float]
    duration: float


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--systems",
        default="projekt,minimal,minimal-ksm,rasa-init",
        help="Kommagetrennt: " + ", ".join(systems.SYSTEMS),
    )
    parser.add_argument("--conversations", type=int, default=10, help="gleichzeitige Gespräche")
    parser.add_argument("--duration", type=float, default=60.0, help="Sekunden je Lauf")
    parser.add_argument(
        "--rounds", type=int, default=4,
        help="die Systeme messen sich je Lauf abwechselnd in so vielen gleich langen Abschnitten",
    )  # fmt: skip
    parser.add_argument(
        "--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
        help="Denkpause zwischen zwei Nachrichten im Latenz-Lauf, in Sekunden",
    )  # fmt: skip
    parser.add_argument(
        "--database-url", default=None,
        help="Datenbank-Server für Mitgliederdaten und Tracker-Store (Vorgabe: SQLite-Datei); "
        "die Datenbank wird für jedes System geleert",
    )  # fmt: skip
    parser.add_argument("--instances", type=int, default=1, help="Rasa-Server je System")
    parser.add_argument("--lock-store-url", default=None, help="redis://… für mehrere Instanzen")
    parser.add_argument(
        "--train", action="store_true",
        help="auch das Training des Projekts von Grund auf (leerer Cache) messen",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results" / "bench")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    chosen = [systems.SYSTEMS[name] for name in args.systems.split(",") if name]
    profiles = [
        Profile("latenz", args.conversations, tuple(args.think), args.duration),
        Profile("durchsatz", args.conversations, (0.0, 0.0), args.duration),
    ]
    results = measure(chosen, profiles, args)
    environment = machine()
    text = report.render(results, environment, profiles=[asdict(p) for p in profiles])
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = args.out / f"bench-{stamp}.json"
    target.write_text(
        json.dumps(
            {
                "machine": environment,
                "profiles": [asdict(p) for p in profiles],
                "results": [asdict(r) for r in results],
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    shown = target.relative_to(PROJECT_ROOT) if target.is_relative_to(PROJECT_ROOT) else target
    print(f"\nGespeichert: {shown}")
    return 0 if report.all_ok(results) else 1


@dataclass
class Measured:
    """A started system and what was measured of it."""

    system: systems.System
    model: Path
    database_url: str
    running: systems.Running
    result: Result
    outcomes: dict[str, Outcome]


def measure(
    chosen: list[systems.System], profiles: list[Profile], args: argparse.Namespace
) -> list[Result]:
    """Start the systems, let them take turns under each profile, then stop and check them.

    On a database server (``--database-url``) all systems would share one database, which is
    emptied for each of them; there they are measured one after the other.
    """
    if args.database_url is not None and len(chosen) > 1:
        return [result for system in chosen for result in measure([system], profiles, args)]
    started: list[Measured] = []
    try:
        for system in chosen:
            started.append(start(system, args))
        for profile in profiles:
            print(
                f"  {profile.name}: {profile.conversations} Gespräche, {profile.duration:.0f} s "
                f"je System in {args.rounds} Abschnitten",
                flush=True,
            )
            for round_ in range(args.rounds):
                for measured in started:
                    scenarios = SCENARIOS if measured.system.uses_actions else floor_scenarios()
                    part = asyncio.run(
                        run_load(
                            measured.running.webhook_urls,
                            conversations=profile.conversations,
                            duration=profile.duration / args.rounds,
                            think=profile.think,
                            scenarios=scenarios,
                            seed=2026 + round_,
                            warm_up=round_ == 0,
                        )
                    )
                    measured.outcomes[profile.name] = merged(
                        measured.outcomes.get(profile.name), part
                    )
        for measured in started:
            for profile in profiles:
                measured.result.runs[profile.name] = summarize(measured.outcomes[profile.name])
            measured.result.peak_rss = {
                name: memory.peak_rss(pid) for name, pid in measured.running.pids().items()
            }
    finally:
        for measured in started:
            measured.running.stop()
    for measured in started:
        finish(measured)
    return [measured.result for measured in started]


def start(system: systems.System, args: argparse.Namespace) -> Measured:
    """Train what the run needs, then start the system on a fresh database."""
    training_seconds = None
    if args.train and system is systems.PROJECT:
        print("Trainiere das Projekt von Grund auf (leerer Cache) …", flush=True)
        with tempfile.TemporaryDirectory() as cache:
            _, training_seconds = systems.train(
                system, systems.BENCH_BUILD / "train-from-scratch", cache=Path(cache)
            )
    model = systems.model_for(system)
    database_url = systems.fresh_database(system, args.database_url)
    if system.uses_actions:
        systems.prepare_database(database_url)
    print(f"Starte {system.name} ({model.name}) …", flush=True)
    running = systems.start(
        system,
        model,
        database_url=database_url,
        instances=args.instances,
        lock_store_url=args.lock_store_url,
    )
    result = Result(system.name, model.name, running.ready_seconds)
    result.training_seconds = training_seconds
    return Measured(system, model, database_url, running, result, {})


def finish(measured: Measured) -> None:
    """The tickets and the held-out F1 of a stopped system."""
    if measured.system.uses_actions:
        told = [ticket for outcome in measured.outcomes.values() for ticket in outcome.tickets]
        check: TicketCheck = check_tickets(measured.database_url, told)
        measured.result.tickets = {**asdict(check), "ok": check.ok}
    if measured.system.heldout:
        measured.result.heldout_intent_f1 = heldout_f1(measured.system, measured.model)


def merged(before: Outcome | None, part: Outcome) -> Outcome:
    """One outcome of the slices a profile was played in, in order."""
    if before is None:
        return part
    before.samples += part.samples
    before.elapsed += part.elapsed
    before.window += part.window
    before.conversations.update(part.conversations)
    before.tickets += part.tickets
    return before


def summarize(outcome: Outcome) -> dict[str, object]:
    return {
        "messages": outcome.messages,
        "measured": len(outcome.measured),
        "seconds": round(outcome.elapsed, 2),
        "window_seconds": round(outcome.window, 2),
        "rate": round(outcome.rate, 2),
        "p50_ms": round(outcome.latency(50) * 1000, 1),
        "p95_ms": round(outcome.latency(95) * 1000, 1),
        "p99_ms": round(outcome.latency(99) * 1000, 1),
        "max_ms": round(outcome.latency(100) * 1000, 1),
        "errors": dict(outcome.errors),
        "conversations": dict(outcome.conversations),
    }


def heldout_f1(system: systems.System, model: Path) -> float:
    """Intent macro-F1 on ``tests/nlu/test_nlu.yml``, evaluated once per model."""
    out = systems.BENCH_BUILD / system.name / f"nlu-{model.name.removesuffix('.tar.gz')}"
    if not (out / "intent_report.json").exists():
        subprocess.run(  # noqa: S603 - fixed rasa command line
            [
                *systems.rasa_command(system), "test", "nlu",
                "--nlu", str(PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"),
                "--model", str(model), "--out", str(out),
            ],
            cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        )  # fmt: skip
    return round(read_evaluation(out).intent_macro_f1, 4)


def machine() -> dict[str, object]:
    cpus = os.cpu_count()
    model_name = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model_name = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        memory_kb = 0
    return {
        "cpus": cpus,
        "cpu": model_name,
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
        "date": dt.date.today().isoformat(),
    }


if __name__ == "__main__":
    sys.exit(main())
