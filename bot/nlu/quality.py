"""Reading Rasa's NLU evaluation reports; the quality gate and its committed baseline.

``rasa test nlu`` writes ``intent_report.json`` (and, for retrieval intents,
``response_selection_report.json``) with per-label precision, recall, F1, support and the
labels each one was confused with, and their macro average; with ``--cross-validation`` it
writes the same for the predictions of all folds together.

The gate on the held-out set (``tests/nlu/test_nlu.yml``) fails when the intent macro-F1 is
below an absolute minimum, or more than ``MAX_DROP`` below the committed baseline
``docs/quality/baseline.json``, which ``make baseline`` updates deliberately.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.settings import PROJECT_ROOT

MIN_INTENT_MACRO_F1 = 0.90
"""Quality the assistant must keep on tests/nlu/test_nlu.yml (issue: German conversations)."""
MAX_DROP = 0.02
"""How far the held-out intent macro-F1 may fall below the baseline before ``make test`` fails."""
BASELINE_FILE = PROJECT_ROOT / "docs" / "quality" / "baseline.json"


@dataclass(frozen=True)
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int
    confused_with: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    intent_macro_f1: float
    intent_accuracy: float
    response_macro_f1: float | None
    """The FAQ topics, as chosen by the ResponseSelector; ``None`` without retrieval intents."""
    intents: dict[str, LabelScore] = field(default_factory=dict)
    responses: dict[str, LabelScore] = field(default_factory=dict)

    @property
    def worst(self) -> tuple[tuple[str, float], ...]:
        """The five labels (intents and FAQ topics) with the lowest F1, worst first."""
        scores = {label: s.f1 for labels in (self.intents, self.responses)
                  for label, s in labels.items()}  # fmt: skip
        return tuple(sorted(scores.items(), key=lambda item: (item[1], item[0]))[:5])


def read_evaluation(results: Path) -> Evaluation:
    intents = _read(results / "intent_report.json")
    responses_file = results / "response_selection_report.json"
    responses = _read(responses_file) if responses_file.exists() else None
    return Evaluation(
        intent_macro_f1=float(intents["macro avg"]["f1-score"]),
        intent_accuracy=float(intents.get("accuracy", 0.0)),
        response_macro_f1=float(responses["macro avg"]["f1-score"]) if responses else None,
        intents=_labels(intents),
        responses=_labels(responses or {}),
    )


def _labels(report: dict[str, Any]) -> dict[str, LabelScore]:
    return {
        label: LabelScore(
            precision=float(scores["precision"]),
            recall=float(scores["recall"]),
            f1=float(scores["f1-score"]),
            support=int(scores["support"]),
            confused_with={str(k): int(v) for k, v in (scores.get("confused_with") or {}).items()},
        )
        for label, scores in report.items()
        if isinstance(scores, dict) and "f1-score" in scores and "avg" not in label
    }


def _read(path: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return report


@dataclass(frozen=True)
class Baseline:
    """The quality a report measured, committed as the yardstick for later models."""

    created: str
    model: str
    fingerprint: str
    intent_macro_f1: float
    intent_accuracy: float
    response_macro_f1: float | None
    per_intent_f1: dict[str, float]
    cv_intent_macro_f1: float | None
    cv_folds: int | None

    @classmethod
    def measured(
        cls,
        heldout: Evaluation,
        cv: Evaluation | None,
        *,
        created: str,
        model: str,
        fingerprint: str,
        folds: int | None,
    ) -> Baseline:
        return cls(
            created=created,
            model=model,
            fingerprint=fingerprint,
            intent_macro_f1=round(heldout.intent_macro_f1, 4),
            intent_accuracy=round(heldout.intent_accuracy, 4),
            response_macro_f1=None
            if heldout.response_macro_f1 is None
            else round(heldout.response_macro_f1, 4),
            per_intent_f1={k: round(v.f1, 4) for k, v in sorted(heldout.intents.items())},
            cv_intent_macro_f1=None if cv is None else round(cv.intent_macro_f1, 4),
            cv_folds=folds if cv is not None else None,
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Baseline:
        data = json.loads(text)
        return cls(**{name: data.get(name) for name in cls.__dataclass_fields__})


def read_baseline(path: Path = BASELINE_FILE) -> Baseline | None:
    return Baseline.from_json(path.read_text(encoding="utf-8")) if path.exists() else None


def gate(
    evaluation: Evaluation,
    baseline: Baseline | None,
    *,
    minimum: float = MIN_INTENT_MACRO_F1,
    max_drop: float = MAX_DROP,
) -> list[str]:
    """Why the held-out result fails the gate, in German; empty when it passes."""
    problems = []
    f1 = evaluation.intent_macro_f1
    if f1 < minimum:
        problems.append(f"Intent macro-F1 {f1:.3f} liegt unter der Mindestgrenze {minimum:.2f}.")
    if baseline is not None and f1 < baseline.intent_macro_f1 - max_drop:
        problems.append(
            f"Intent macro-F1 {f1:.3f} liegt mehr als {max_drop:.2f} unter der Baseline "
            f"{baseline.intent_macro_f1:.3f} (docs/quality/baseline.json, {baseline.created})."
        )
    return problems


def regressions(
    evaluation: Evaluation, baseline: Baseline, *, threshold: float = 0.05
) -> list[tuple[str, float, float]]:
    """Intents whose held-out F1 fell by more than ``threshold``: (intent, before, now)."""
    found = []
    for intent, before in baseline.per_intent_f1.items():
        score = evaluation.intents.get(intent)
        if score is not None and score.f1 < before - threshold:
            found.append((intent, before, score.f1))
    return sorted(found, key=lambda item: item[2] - item[1])


def summary(evaluation: Evaluation, baseline: Baseline | None = None) -> str:
    lines = [f"Intent macro-F1 (held-out): {evaluation.intent_macro_f1:.3f}"]
    if baseline is not None:
        delta = evaluation.intent_macro_f1 - baseline.intent_macro_f1
        lines[0] += f" (Baseline {baseline.intent_macro_f1:.3f}, {delta:+.3f})"
    lines.append(f"Intent accuracy (held-out): {evaluation.intent_accuracy:.3f}")
    if evaluation.response_macro_f1 is not None:
        lines.append(f"FAQ-Thema macro-F1 (ResponseSelector): {evaluation.response_macro_f1:.3f}")
    lines.append(
        "Schwächste Labels: " + ", ".join(f"{label} {f1:.2f}" for label, f1 in evaluation.worst)
    )
    if baseline is not None:
        for intent, before, now in regressions(evaluation, baseline):
            lines.append(f"Verschlechtert: {intent} {before:.2f} → {now:.2f}")
    return "\n".join(lines)
