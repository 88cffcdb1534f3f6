"""Rasa ``rasa test nlu`` output folders, written the way Rasa 3.6 writes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def label(
    f1: float, support: int = 10, confused_with: dict[str, int] | None = None
) -> dict[str, Any]:
    return {
        "precision": f1,
        "recall": f1,
        "f1-score": f1,
        "support": support,
        "confused_with": confused_with or {},
    }


def write_results(
    folder: Path,
    intents: dict[str, dict[str, Any]],
    *,
    faq: dict[str, dict[str, Any]] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    macro = sum(scores["f1-score"] for scores in intents.values()) / len(intents)
    report = {
        **intents,
        "accuracy": macro,
        "macro avg": {"precision": macro, "recall": macro, "f1-score": macro, "support": 99},
        "weighted avg": {"precision": macro, "recall": macro, "f1-score": macro, "support": 99},
    }
    (folder / "intent_report.json").write_text(json.dumps(report))
    if faq is not None:
        faq_macro = sum(scores["f1-score"] for scores in faq.values()) / len(faq)
        faq_report = {**faq, "macro avg": {"f1-score": faq_macro, "precision": 1, "recall": 1}}
        (folder / "response_selection_report.json").write_text(json.dumps(faq_report))
    (folder / "intent_errors.json").write_text(json.dumps(errors or []))
    (folder / "intent_confusion_matrix.png").write_bytes(b"\x89PNG fake")
    return folder


def error(text: str, expected: str, predicted: str, confidence: float) -> dict[str, Any]:
    return {
        "text": text,
        "intent": expected,
        "intent_prediction": {"name": predicted, "confidence": confidence},
    }
