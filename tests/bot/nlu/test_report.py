"""`make report`: a readable quality report, and `make baseline` taking its numbers over."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.nlu import quality, report, trained_models
from tests.utils.nlu_results import error, label, write_results

NOW = dt.datetime(2026, 11, 25, 14, 30)


@pytest.fixture
def build(tmp_path: Path) -> Path:
    write_results(
        tmp_path / "build" / "heldout",
        {
            "greet": label(0.8, confused_with={"thank": 2}),
            "thank": label(0.9, confused_with={"greet": 1}),
            "faq": label(1.0),
        },
        faq={"faq/vpn_homeoffice": label(1.0), "faq/phishing": label(0.5)},
        errors=[
            error("Moin | na", "greet", "thank", 0.41),
            error("Tach", "greet", "thank", 0.93),
        ],
    )
    write_results(
        tmp_path / "build" / "cv",
        {"greet": label(0.7, confused_with={"thank": 5}), "thank": label(0.7)},
    )
    return tmp_path / "build"


def baseline() -> quality.Baseline:
    return quality.Baseline(
        created="2026-11-01",
        model="ksm-20261101-080000-aaaaaaaaaa.tar.gz",
        fingerprint="aaaaaaaaaa",
        intent_macro_f1=0.95,
        intent_accuracy=0.95,
        response_macro_f1=0.9,
        per_intent_f1={"greet": 0.95, "thank": 0.9},
        cv_intent_macro_f1=0.72,
        cv_folds=5,
    )


def write(build: Path, reports: Path, base: quality.Baseline | None) -> Path:
    return report.write_report(
        build,
        reports,
        model="ksm-20261125-140000-bbbbbbbbbb.tar.gz",
        fingerprint="bbbbbbbbbb",
        baseline=base,
        folds=5,
        now=NOW,
    )


def test_report_has_numbers_against_the_baseline_pairs_examples_and_pictures(build, tmp_path):
    folder = write(build, tmp_path / "reports", baseline())
    assert folder == tmp_path / "reports" / "2026-11-25-1430"
    text = (folder / "bericht.md").read_text()

    assert text.startswith("# Qualitätsbericht NLU vom 25.11.2026 14:30")
    assert "**Qualitätsgrenze verfehlt:**" in text  # 0.9 is below the minimum
    assert "| Intent macro-F1, Testsatz | 0.900 | 0.950 | -0.050 |" in text
    assert "| Intent macro-F1, Kreuzvalidierung | 0.700 | 0.720 | -0.020 |" in text
    assert "- `greet`: F1 0.95 → 0.80" in text
    assert "| `greet` | 0.80 | 0.80 | 0.80 | 0.95 | 10 |" in text
    assert "| `faq/phishing` | 0.50 |" in text
    assert "| `greet` | `thank` | 2 | 5 |" in text
    assert text.index("| Tach |") < text.index("| Moin \\| na |")
    assert "![heldout-intent_confusion_matrix.png](heldout-intent_confusion_matrix.png)" in text
    assert (folder / "heldout-intent_confusion_matrix.png").exists()
    assert (folder / "cv-intent_confusion_matrix.png").exists()
    measured = json.loads((folder / "messwerte.json").read_text())
    assert measured["intent_macro_f1"] == 0.9
    assert measured["cv_intent_macro_f1"] == 0.7
    assert measured["per_intent_f1"] == {"faq": 1.0, "greet": 0.8, "thank": 0.9}
    assert measured["fingerprint"] == "bbbbbbbbbb"


def test_report_without_baseline_or_cross_validation(build, tmp_path):
    import shutil

    shutil.rmtree(build / "cv")
    text = (write(build, tmp_path / "reports", None) / "bericht.md").read_text()
    assert "| Intent macro-F1, Testsatz | 0.900 | – | – |" in text
    assert "| Intent macro-F1, Kreuzvalidierung | – | – | – |" in text


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    """A checkout whose baseline file and reports live in tmp_path."""
    for name in ("config.yml", "domain.yml"):
        (tmp_path / name).write_text(name)
    (tmp_path / "data").mkdir()
    monkeypatch.setattr("bot.cli.PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(quality, "BASELINE_FILE", tmp_path / "docs" / "quality" / "baseline.json")
    return tmp_path


def test_baseline_takes_the_newest_report_of_the_current_data(checkout, build, capsys):
    assert main(["nlu", "baseline"]) == 1
    assert "Noch kein Qualitätsbericht" in capsys.readouterr().err

    fingerprint = trained_models.data_fingerprint(checkout)
    folder = report.write_report(
        build,
        checkout / "reports",
        model="m",
        fingerprint=fingerprint,
        baseline=None,
        folds=5,
        now=NOW,
    )
    assert main(["nlu", "baseline"]) == 0
    assert "Intent macro-F1 0.900" in capsys.readouterr().out
    assert quality.read_baseline(quality.BASELINE_FILE) == quality.Baseline.from_json(
        (folder / "messwerte.json").read_text()
    )


def test_baseline_refuses_a_report_of_other_data(checkout, build, capsys):
    write(build, checkout / "reports", None)
    assert main(["nlu", "baseline"]) == 1
    assert "anderen Datenstand" in capsys.readouterr().err
    assert not quality.BASELINE_FILE.exists()
