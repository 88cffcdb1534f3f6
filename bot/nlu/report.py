"""The quality report ``make report`` writes to ``reports/``, for trainers to read.

Input is the output of two ``rasa test nlu`` runs: the model in use on the held-out set
(``<build>/heldout``) and a cross-validation over the training data (``<build>/cv``). The
report holds the headline numbers against the baseline, per-intent precision, recall and F1,
the most confused pairs, the worst examples and Rasa's confusion-matrix pictures; next to
it, ``messwerte.json`` holds the numbers in the form ``make baseline`` commits.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.nlu.quality import (
    Baseline,
    Evaluation,
    LabelScore,
    gate,
    read_evaluation,
    regressions,
)

REPORT_NAME = "bericht.md"
MEASUREMENTS_NAME = "messwerte.json"
PICTURES = {
    "heldout": ("intent_confusion_matrix.png", "intent_histogram.png"),
    "cv": ("intent_confusion_matrix.png",),
}
WORST_EXAMPLES = 15
CONFUSED_PAIRS = 10


@dataclass(frozen=True)
class Error:
    text: str
    expected: str
    predicted: str
    confidence: float


def read_errors(results: Path) -> list[Error]:
    """Rasa's ``intent_errors.json``: the misclassified messages, most confident first."""
    path = results / "intent_errors.json"
    if not path.exists():
        return []
    raw: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    errors = [
        Error(
            text=str(item.get("text", "")),
            expected=str(item.get("intent", "")),
            predicted=str((item.get("intent_prediction") or {}).get("name", "")),
            confidence=float((item.get("intent_prediction") or {}).get("confidence") or 0.0),
        )
        for item in raw
    ]
    return sorted(errors, key=lambda error: -error.confidence)


def confused_pairs(evaluation: Evaluation) -> list[tuple[str, str, int]]:
    """(intent, mistaken for, how often), most frequent first."""
    counts: Counter[tuple[str, str]] = Counter()
    for intent, score in evaluation.intents.items():
        for other, count in score.confused_with.items():
            counts[(intent, other)] += count
    return [(a, b, n) for (a, b), n in counts.most_common(CONFUSED_PAIRS)]


def write_report(
    build: Path,
    reports: Path,
    *,
    model: str,
    fingerprint: str,
    baseline: Baseline | None,
    folds: int,
    now: dt.datetime,
) -> Path:
    """Write ``reports/<date-time>/bericht.md`` with its pictures; return the folder."""
    heldout = read_evaluation(build / "heldout")
    cv = read_evaluation(build / "cv") if (build / "cv" / "intent_report.json").exists() else None
    target = reports / now.strftime("%Y-%m-%d-%H%M")
    target.mkdir(parents=True, exist_ok=True)
    pictures = []
    for run, names in PICTURES.items():
        for name in names:
            source = build / run / name
            if source.exists():
                shutil.copyfile(source, target / f"{run}-{name}")
                pictures.append(f"{run}-{name}")
    measured = Baseline.measured(
        heldout,
        cv,
        created=now.date().isoformat(),
        model=model,
        fingerprint=fingerprint,
        folds=folds,
    )
    (target / MEASUREMENTS_NAME).write_text(measured.to_json(), encoding="utf-8")
    text = render(
        heldout,
        cv,
        read_errors(build / "heldout"),
        baseline=baseline,
        model=model,
        folds=folds,
        pictures=pictures,
        now=now,
    )
    (target / REPORT_NAME).write_text(text, encoding="utf-8")
    return target


def render(
    heldout: Evaluation,
    cv: Evaluation | None,
    errors: list[Error],
    *,
    baseline: Baseline | None,
    model: str,
    folds: int,
    pictures: list[str],
    now: dt.datetime,
) -> str:
    lines = [
        f"# Qualitätsbericht NLU vom {now.strftime('%d.%m.%Y %H:%M')}",
        "",
        f"Modell: `{model}`. Testsatz: `tests/nlu/test_nlu.yml` (nie trainiert). "
        f"Kreuzvalidierung: {folds} Teile über `data/nlu/`.",
        "",
    ]
    problems = gate(heldout, baseline)
    if problems:
        lines += ["**Qualitätsgrenze verfehlt:** " + " ".join(problems), ""]
    else:
        lines += ["Qualitätsgrenze eingehalten.", ""]
    lines += _headline(heldout, cv, baseline)
    if baseline is not None:
        worse = regressions(heldout, baseline)
        if worse:
            lines += ["", "## Verschlechtert gegenüber der Baseline", ""]
            lines += [
                f"- `{intent}`: F1 {before:.2f} → {now_:.2f}" for intent, before, now_ in worse
            ]
    lines += ["", "## Intents im Testsatz", ""]
    lines += _per_label(heldout.intents, baseline)
    if heldout.responses:
        lines += ["", "## FAQ-Themen im Testsatz (ResponseSelector)", ""]
        lines += _per_label(heldout.responses, None)
    lines += ["", "## Häufigste Verwechslungen", ""]
    lines += ["| Intent | gehalten für | Testsatz | Kreuzvalidierung |", "|---|---|---|---|"]
    pairs = Counter({(a, b): n for a, b, n in confused_pairs(heldout)})
    cv_pairs = Counter({(a, b): n for a, b, n in confused_pairs(cv)}) if cv else Counter()
    for a, b in sorted(set(pairs) | set(cv_pairs), key=lambda p: -(pairs[p] + cv_pairs[p]))[
        :CONFUSED_PAIRS
    ]:
        lines.append(f"| `{a}` | `{b}` | {pairs[(a, b)]} | {cv_pairs[(a, b)] if cv else '–'} |")
    if not pairs and not cv_pairs:
        lines.append("| – | – | 0 | 0 |")
    lines += ["", f"## Schlechteste Beispiele im Testsatz (höchstens {WORST_EXAMPLES})", ""]
    lines.append("Sicher falsch erkannte Sätze zuerst: Sie zeigen, was im Training fehlt.")
    lines += ["", "| Satz | erwartet | erkannt | Konfidenz |", "|---|---|---|---|"]
    for error in errors[:WORST_EXAMPLES]:
        text = error.text.replace("|", "\\|")
        lines.append(
            f"| {text} | `{error.expected}` | `{error.predicted}` | {error.confidence:.2f} |"
        )
    if not errors:
        lines.append("| (keine Fehler) | | | |")
    if pictures:
        lines += ["", "## Bilder", ""]
        lines += [f"![{name}]({name})" for name in pictures]
    lines += ["", _explanation()]
    return "\n".join(lines) + "\n"


def _headline(heldout: Evaluation, cv: Evaluation | None, baseline: Baseline | None) -> list[str]:
    def row(name: str, value: float | None, before: float | None) -> str:
        shown = "–" if value is None else f"{value:.3f}"
        if before is None or value is None:
            return f"| {name} | {shown} | – | – |"
        return f"| {name} | {shown} | {before:.3f} | {value - before:+.3f} |"

    before = {
        "f1": baseline.intent_macro_f1 if baseline else None,
        "accuracy": baseline.intent_accuracy if baseline else None,
        "faq": baseline.response_macro_f1 if baseline else None,
        "cv": baseline.cv_intent_macro_f1 if baseline else None,
    }
    return [
        "| Kennzahl | jetzt | Baseline | Differenz |",
        "|---|---|---|---|",
        row("Intent macro-F1, Testsatz", heldout.intent_macro_f1, before["f1"]),
        row("Intent-Genauigkeit, Testsatz", heldout.intent_accuracy, before["accuracy"]),
        row("FAQ-Thema macro-F1, Testsatz", heldout.response_macro_f1, before["faq"]),
        row("Intent macro-F1, Kreuzvalidierung", cv.intent_macro_f1 if cv else None, before["cv"]),
    ]


def _per_label(labels: dict[str, LabelScore], baseline: Baseline | None) -> list[str]:
    lines = [
        "| Label | Precision | Recall | F1 | Baseline-F1 | Beispiele |",
        "|---|---|---|---|---|---|",
    ]
    ordered = sorted(labels.items(), key=lambda item: (item[1].f1, item[0]))
    for label, score in ordered:
        before = baseline.per_intent_f1.get(label) if baseline else None
        shown = "–" if before is None else f"{before:.2f}"
        lines.append(
            f"| `{label}` | {score.precision:.2f} | {score.recall:.2f} | {score.f1:.2f} "
            f"| {shown} | {score.support} |"
        )
    return lines


def _explanation() -> str:
    return (
        "## Was die Zahlen bedeuten\n\n"
        "- **Precision**: Von den Sätzen, die das Modell einem Intent zuordnet, wie viele "
        "gehören wirklich dazu. **Recall**: Von den Sätzen eines Intents, wie viele das Modell "
        "erkennt. **F1** verbindet beide (1,0 = fehlerfrei).\n"
        "- **macro-F1** ist der Mittelwert über alle Intents; seltene Intents zählen so viel "
        "wie häufige. `make test` schlägt fehl, wenn er auf dem Testsatz unter 0,90 oder mehr "
        "als 0,02 unter die Baseline fällt.\n"
        "- Die **Kreuzvalidierung** trainiert mehrmals auf einem Teil von `data/nlu/` und prüft "
        "auf dem Rest: Sie zeigt, welche Intents sich gegenseitig im Weg stehen, auch wenn der "
        "Testsatz sie kaum enthält.\n"
        "- Mehr dazu in `docs/TRAINING.md`."
    )
