"""``python -m bench`` (``make bench``): measure the project and the two references.

For each system: start it on a fresh database, time until it answers, play the conversation
mix twice (``latenz``: 10 staff with think time, as they really write; ``durchsatz``: the same
10 without pausing, which saturates the server), read the servers' peak memory, check the
tickets, and for the systems that know the project's intents their held-out intent F1.
The numbers are printed as Markdown tables and saved as JSON in ``results/bench/``.
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
    results = []
    for system in chosen:
        results.append(measure(system, profiles, args))
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


def measure(system: systems.System, profiles: list[Profile], args: argparse.Namespace) -> Result:
    training_seconds = None
    if args.train and system is systems.PROJECT:
        print("Trainiere das Projekt von Grund auf (leerer Cache) …", flush=True)
        with tempfile.TemporaryDirectory() as cache:
            _, training_seconds = systems.train(
                system, systems.BENCH_BUILD / "train-from-scratch", cache=Path(cache)
            )
    model = systems.model_for(system)
    database_url = fresh_database(system, args.database_url)
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
    measurement = Result(system.name, model.name, running.ready_seconds)
    scenarios = SCENARIOS if system.uses_actions else floor_scenarios()
    told: list[tuple[str, str]] = []
    try:
        for profile in profiles:
            print(
                f"  {profile.name}: {profile.conversations} Gespräche, {profile.duration:.0f} s",
                flush=True,
            )
            outcome = asyncio.run(
                run_load(
                    running.webhook_urls,
                    conversations=profile.conversations,
                    duration=profile.duration,
                    think=profile.think,
                    scenarios=scenarios,
                )
            )
            measurement.runs[profile.name] = summarize(outcome)
            told += outcome.tickets
        measurement.peak_rss = {name: memory.peak_rss(pid) for name, pid in running.pids().items()}
    finally:
        running.stop()
    if system.uses_actions:
        check: TicketCheck = check_tickets(database_url, told)
        measurement.tickets = {**asdict(check), "ok": check.ok}
    if system.heldout:
        measurement.heldout_intent_f1 = heldout_f1(system, model)
    measurement.training_seconds = training_seconds
    return measurement


def summarize(outcome: Outcome) -> dict[str, object]:
    return {
        "messages": outcome.messages,
        "seconds": round(outcome.elapsed, 2),
        "rate": round(outcome.rate, 2),
        "p50_ms": round(outcome.latency(50) * 1000, 1),
        "p95_ms": round(outcome.latency(95) * 1000, 1),
        "p99_ms": round(outcome.latency(99) * 1000, 1),
        "max_ms": round(outcome.latency(100) * 1000, 1),
        "errors": dict(outcome.errors),
        "conversations": dict(outcome.conversations),
    }


def fresh_database(system: systems.System, server_url: str | None) -> str:
    """An empty database for one system: a new SQLite file, or the server's database emptied."""
    if server_url is None:
        path = systems.BENCH_BUILD / "run" / f"{system.name}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in path.parent.glob(f"{path.name}*"):
            leftover.unlink()
        return f"sqlite:///{path}"
    from sqlalchemy import create_engine, text

    engine = create_engine(server_url, future=True)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return server_url


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
