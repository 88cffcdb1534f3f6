"""The quality gate: an absolute minimum, and no more than 0.02 below the committed baseline."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.nlu import quality
from bot.nlu.quality import Baseline, gate, read_evaluation
from tests.utils.nlu_results import label, write_results


def baseline(f1: float, **per_intent: float) -> Baseline:
    return Baseline(
        created="2026-11-20",
        model="ksm-20261120-080000-aaaaaaaaaa.tar.gz",
        fingerprint="aaaaaaaaaa",
        intent_macro_f1=f1,
        intent_accuracy=f1,
        response_macro_f1=1.0,
        per_intent_f1=per_intent,
        cv_intent_macro_f1=0.9,
        cv_folds=5,
    )


@pytest.fixture
def results(tmp_path: Path) -> Path:
    return write_results(
        tmp_path / "results",
        {"greet": label(0.9, confused_with={"thank": 1}), "faq": label(1.0)},
        faq={"faq/vpn": label(1.0)},
    )


def test_rasa_reports_are_read_per_label(results):
    evaluation = read_evaluation(results)
    assert evaluation.intent_macro_f1 == pytest.approx(0.95)
    assert evaluation.intents["greet"].confused_with == {"thank": 1}
    assert evaluation.response_macro_f1 == 1.0
    assert evaluation.worst[0] == ("greet", 0.9)


def test_gate_passes_within_the_allowed_drop(results):
    evaluation = read_evaluation(results)
    assert gate(evaluation, None) == []
    assert gate(evaluation, baseline(0.969)) == []


def test_gate_fails_more_than_002_below_the_baseline(results):
    [problem] = gate(read_evaluation(results), baseline(0.971))
    assert "mehr als 0.02 unter der Baseline 0.971" in problem


def test_gate_fails_below_the_minimum_whatever_the_baseline(results):
    [problem] = gate(read_evaluation(results), baseline(0.5), minimum=0.96)
    assert "unter der Mindestgrenze 0.96" in problem


def test_baseline_round_trips_through_json():
    original = baseline(0.93, greet=0.9)
    assert Baseline.from_json(original.to_json()) == original


def test_gate_command_reports_the_difference_and_the_worse_intents(results, tmp_path, capsys):
    file = tmp_path / "baseline.json"
    file.write_text(baseline(0.96, greet=1.0, faq=1.0).to_json())
    assert main(["nlu", "gate", str(results), "--baseline", str(file)]) == 0
    out = capsys.readouterr().out
    assert "Intent macro-F1 (held-out): 0.950 (Baseline 0.960, -0.010)" in out
    assert "Verschlechtert: greet 1.00 → 0.90" in out
    assert "höchstens 0.02 unter der Baseline" in out

    file.write_text(baseline(0.98).to_json())
    assert main(["nlu", "gate", str(results), "--baseline", str(file)]) == 1
    assert "Qualitätsgrenze verfehlt" in capsys.readouterr().err


def test_the_committed_baseline_is_readable_and_above_the_minimum():
    committed = quality.read_baseline()
    assert committed is not None, (
        "docs/quality/baseline.json fehlt: 'make report' und 'make baseline'"
    )
    assert committed.intent_macro_f1 >= quality.MIN_INTENT_MACRO_F1
    assert committed.cv_folds == 5
