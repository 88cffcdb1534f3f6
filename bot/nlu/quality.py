"""Reading Rasa's NLU evaluation reports, and the quality gate on the held-out test set.

``rasa test nlu`` writes ``intent_report.json`` (and, for retrieval intents,
``response_selection_report.json``) with per-label precision, recall and F1 and their macro
average. The gate fails when the intent macro-F1 on the held-out set is below the minimum.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIN_INTENT_MACRO_F1 = 0.90
"""Quality the assistant must keep on tests/nlu/test_nlu.yml (issue: German conversations)."""


@dataclass(frozen=True)
class Evaluation:
    intent_macro_f1: float
    intent_accuracy: float
    response_macro_f1: float | None
    """The FAQ topics, as chosen by the ResponseSelector; ``None`` without retrieval intents."""
    worst: tuple[tuple[str, float], ...]
    """The labels with the lowest F1, worst first."""


def read_evaluation(results: Path) -> Evaluation:
    intents = _read(results / "intent_report.json")
    responses_file = results / "response_selection_report.json"
    responses = _read(responses_file) if responses_file.exists() else None
    per_label = {
        label: float(scores["f1-score"])
        for report in (intents, responses or {})
        for label, scores in report.items()
        if isinstance(scores, dict) and "f1-score" in scores and "avg" not in label
    }
    worst = tuple(sorted(per_label.items(), key=lambda item: item[1])[:5])
    return Evaluation(
        intent_macro_f1=float(intents["macro avg"]["f1-score"]),
        intent_accuracy=float(intents.get("accuracy", 0.0)),
        response_macro_f1=float(responses["macro avg"]["f1-score"]) if responses else None,
        worst=worst,
    )


def _read(path: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return report


def summary(evaluation: Evaluation) -> str:
    lines = [
        f"Intent macro-F1 (held-out): {evaluation.intent_macro_f1:.3f}",
        f"Intent accuracy (held-out): {evaluation.intent_accuracy:.3f}",
    ]
    if evaluation.response_macro_f1 is not None:
        lines.append(f"FAQ-Thema macro-F1 (ResponseSelector): {evaluation.response_macro_f1:.3f}")
    lines.append(
        "Schwächste Labels: " + ", ".join(f"{label} {f1:.2f}" for label, f1 in evaluation.worst)
    )
    return "\n".join(lines)
