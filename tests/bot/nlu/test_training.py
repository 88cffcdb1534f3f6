"""`python -m bot train` trains only when the data changed, under a name that says which."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from bot.nlu import trained_models, training

UTC = dt.timezone.utc

FAKE_RASA = """
import pathlib, sys
args = sys.argv[1:]
name = args[args.index("--fixed-model-name") + 1]
out = pathlib.Path(args[args.index("--out") + 1])
if "fail" in pathlib.Path("config.yml").read_text():
    sys.exit(1)
out.mkdir(exist_ok=True)
(out / f"{name}.tar.gz").write_bytes(b"model")
with open("calls.log", "a") as log:
    log.write(" ".join(args) + "\\n")
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "config.yml").write_text("language: de\n")
    (tmp_path / "domain.yml").write_text("intents: [greet]\n")
    (tmp_path / "data" / "nlu.yml").write_text("nlu: []\n")
    (tmp_path / "fake_rasa.py").write_text(FAKE_RASA)
    return tmp_path


def run_training(project: Path, day: int, *, force: bool = False) -> training.Outcome:
    rasa = [sys.executable, str(project / "fake_rasa.py")]
    now = dt.datetime(2026, 11, day, 8, 0, tzinfo=UTC)
    return training.train(project, rasa, force=force, now=now)


def calls(project: Path) -> list[str]:
    log = project / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


def test_first_training_names_the_model_after_date_and_data(project):
    outcome = run_training(project, 20)
    fingerprint = trained_models.data_fingerprint(project)
    assert outcome.trained
    assert outcome.model is not None
    assert outcome.model.path == project / "models" / f"ksm-20261120-080000-{fingerprint}.tar.gz"
    assert "ist jetzt in Gebrauch" in outcome.message
    assert calls(project) == [
        f"train --fixed-model-name ksm-20261120-080000-{fingerprint} --out {project / 'models'}"
    ]


def test_unchanged_data_is_not_trained_again(project):
    first = run_training(project, 20)
    again = run_training(project, 21)
    assert not again.trained
    assert again.model == first.model
    assert len(calls(project)) == 1


def test_changed_data_gives_a_new_current_model(project):
    run_training(project, 20)
    (project / "data" / "nlu.yml").write_text("nlu: [changed]\n")
    outcome = run_training(project, 21)
    assert outcome.trained
    assert trained_models.current_model(project / "models") == outcome.model
    assert len(trained_models.active_models(project / "models")) == 2


def test_rolled_back_data_is_not_trained_again_unless_forced(project):
    run_training(project, 20)
    (project / "data" / "nlu.yml").write_text("nlu: [bad change]\n")
    run_training(project, 21)
    _, previous = trained_models.roll_back(project / "models")
    skipped = run_training(project, 22)
    assert not skipped.trained
    assert skipped.model == previous
    assert "zurückgezogen" in skipped.message
    assert run_training(project, 22, force=True).trained


def test_failed_training_leaves_the_models_alone(project):
    first = run_training(project, 20)
    (project / "config.yml").write_text("fail\n")
    with pytest.raises(subprocess.CalledProcessError):
        run_training(project, 21)
    assert trained_models.current_model(project / "models") == first.model


def test_old_models_are_pruned(project):
    for day in range(1, 8):
        (project / "data" / "nlu.yml").write_text(f"nlu: [{day}]\n")
        run_training(project, day)
    kept = trained_models.active_models(project / "models")
    assert len(kept) == trained_models.KEEP_MODELS
    assert kept[0].trained_at.day == 3
