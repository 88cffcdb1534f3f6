"""The benchmark's numbers as Markdown, and the targets of the latency budget."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

GIB = 1024**3
MIB = 1024**2


@dataclass
class Result:
    """Everything measured of one system."""

    system: str
    model: str
    ready_seconds: float
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per load profile: rate, latency percentiles in ms, errors, conversations."""
    peak_rss: dict[str, int] = field(default_factory=dict)
    """Peak resident memory in bytes per server (``rasa:<url>``, ``actions``)."""
    tickets: dict[str, Any] | None = None
    heldout_intent_f1: float | None = None
    training_seconds: float | None = None


@dataclass(frozen=True)
class Target:
    name: str
    help: str
    measure: Callable[[dict[str, Result]], float | None]
    """The measured value, or ``None`` when this run did not measure it."""
    holds: Callable[[float], bool]
    unit: str


def _run(results: dict[str, Result], system: str, profile: str, key: str) -> float | None:
    result = results.get(system)
    if result is None or profile not in result.runs:
        return None
    return float(result.runs[profile][key])


def _ratio(results: dict[str, Result], other: str) -> float | None:
    mine, theirs = (_run(results, name, "latenz", "p95_ms") for name in ("projekt", other))
    return None if mine is None or not theirs else mine / theirs


def _errors(results: dict[str, Result]) -> float | None:
    result = results.get("projekt")
    if result is None:
        return None
    return float(sum(sum(run["errors"].values()) for run in result.runs.values()))


def _rasa_rss(results: dict[str, Result]) -> float | None:
    result = results.get("projekt")
    if result is None:
        return None
    return max(v for k, v in result.peak_rss.items() if k.startswith("rasa")) / GIB


TARGETS = (
    Target(
        "p95 Latenz",
        "p95 je Nachricht bei 10 gleichzeitigen Gesprächen mit Denkpausen",
        lambda r: _run(r, "projekt", "latenz", "p95_ms"),
        lambda v: v < 150,
        "ms",
    ),
    Target(
        "Durchsatz",
        "Nachrichten je Sekunde, 10 Gespräche ohne Pausen",
        lambda r: _run(r, "projekt", "durchsatz", "rate"),
        lambda v: v >= 40,
        "/s",
    ),
    Target("Fehler", "fehlerhafte Antworten in allen Läufen", _errors, lambda v: v == 0, ""),
    Target(
        "p95 / minimal",
        "p95 Latenz im Verhältnis zum minimalen Rasa-Bot",
        lambda r: _ratio(r, "minimal"),
        lambda v: v <= 2,
        "×",
    ),
    Target(
        "bereit",
        "vom Start des Rasa-Servers bis zur ersten Antwort",
        lambda r: r["projekt"].ready_seconds if "projekt" in r else None,
        lambda v: v < 30,
        "s",
    ),
    Target(
        "Training",
        "Training von Grund auf (leerer Cache)",
        lambda r: r["projekt"].training_seconds if "projekt" in r else None,
        lambda v: v < 300,
        "s",
    ),
    Target("RSS Rasa", "Spitzenspeicher des Rasa-Servers", _rasa_rss, lambda v: v < 1.5, "GiB"),
)


def checks(results: Sequence[Result]) -> list[tuple[Target, float, bool]]:
    by_name = {result.system: result for result in results}
    found = []
    for target in TARGETS:
        value = target.measure(by_name)
        if value is not None:
            found.append((target, value, target.holds(value)))
    return found


def all_ok(results: Sequence[Result]) -> bool:
    tickets_ok = all(r.tickets is None or r.tickets["ok"] for r in results)
    return tickets_ok and all(ok for _, _, ok in checks(results))


def render(
    results: Sequence[Result], machine: dict[str, Any], *, profiles: list[dict[str, Any]]
) -> str:
    lines = [
        f"Rechner: {machine['cpus']} Kerne ({machine['cpu']}), {machine['memory_gib']} GiB, "
        f"Python {machine['python']}, {machine['date']}",
        "Läufe: "
        + "; ".join(
            f"{p['name']}: {p['conversations']} Gespräche, {p['duration']:.0f} s, "
            f"Denkpause {p['think'][0]:g}–{p['think'][1]:g} s"
            for p in profiles
        ),
        "",
        "| System | Lauf | Nachrichten/s | p50 ms | p95 ms | p99 ms | max ms | Fehler |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for profile, run in result.runs.items():
            errors = ", ".join(f"{k}: {v}" for k, v in run["errors"].items()) or "0"
            lines.append(
                f"| {result.system} | {profile} | {run['rate']:.1f} | {run['p50_ms']:.0f} "
                f"| {run['p95_ms']:.0f} | {run['p99_ms']:.0f} | {run['max_ms']:.0f} | {errors} |"
            )
    lines += [
        "",
        "| System | bereit nach | RSS Rasa | RSS Actions | Intent-F1 (Testsatz) | Tickets |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        rasa = max((v for k, v in result.peak_rss.items() if k.startswith("rasa")), default=0)
        actions = result.peak_rss.get("actions")
        f1 = "–" if result.heldout_intent_f1 is None else f"{result.heldout_intent_f1:.3f}"
        lines.append(
            f"| {result.system} | {result.ready_seconds:.1f} s | {rasa / MIB:.0f} MiB "
            f"| {'–' if actions is None else f'{actions / MIB:.0f} MiB'} | {f1} "
            f"| {_tickets(result.tickets)} |"
        )
    by_name = {result.system: result for result in results}
    ratios = [
        f"p95 projekt / {other} ({profile}): {mine / theirs:.2f}"
        for other in ("minimal", "minimal-ksm", "rasa-init")
        for profile in ("latenz", "durchsatz")
        if (mine := _run(by_name, "projekt", profile, "p95_ms"))
        and (theirs := _run(by_name, other, profile, "p95_ms"))
    ]
    if ratios:
        lines += ["", *ratios]
    found = checks(results)
    if found:
        lines += ["", "| Ziel | gemessen | erreicht |", "|---|---|---|"]
        for target, value, ok in found:
            verdict = "ja" if ok else "NEIN"
            lines.append(
                f"| {target.name}: {target.help} | {value:.2f} {target.unit} | {verdict} |"
            )
    return "\n".join(lines)


def _tickets(check: dict[str, Any] | None) -> str:
    if check is None:
        return "–"
    verdict = (
        "ok"
        if check["ok"]
        else f"{len(check['lost'])} verloren, {len(check['duplicated'])} doppelt"
    )
    return f"{check['told']} gemeldet, {check['stored']} gespeichert, {verdict}"
