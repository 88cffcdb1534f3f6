"""Training a model named after its data, unless the newest model already knows the data."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.nlu import trained_models
from bot.nlu.trained_models import TrainedModel


@dataclass(frozen=True)
class Outcome:
    model: TrainedModel | None
    """The model now in use."""
    trained: bool
    message: str
    """What happened, in German, for the trainer."""


def train(
    project: Path,
    rasa: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    force: bool = False,
    now: dt.datetime | None = None,
) -> Outcome:
    """Train into ``project/models`` when the data changed (or ``force``); prune old models.

    Raises:
        subprocess.CalledProcessError: ``rasa train`` failed; the models are unchanged.
    """
    models_dir = project / "models"
    fingerprint = trained_models.data_fingerprint(project)
    current = trained_models.current_model(models_dir)
    if not force and not trained_models.training_needed(models_dir, fingerprint):
        if current is not None and current.fingerprint == fingerprint:
            return Outcome(current, False, f"Modell {current.path.name} ist aktuell.")
        return Outcome(
            current,
            False,
            f"Das Modell für diesen Datenstand ({fingerprint}) wurde zurückgezogen; "
            f"es bleibt bei {current.path.name if current else 'keinem Modell'}. "
            "Nach einer Änderung an den Daten wird wieder trainiert "
            "('python -m bot train --force' trainiert trotzdem).",
        )
    name = trained_models.model_name(now or dt.datetime.now(dt.timezone.utc), fingerprint)
    subprocess.run(  # noqa: S603 - fixed rasa command line
        [*rasa, "train", "--fixed-model-name", name, "--out", str(models_dir)],
        cwd=project, env=None if env is None else dict(env), check=True,
    )  # fmt: skip
    trained = TrainedModel.from_path(models_dir / f"{name}.tar.gz")
    if trained is None or not trained.path.exists():
        raise FileNotFoundError(f"rasa train hat {name}.tar.gz nicht erzeugt.")
    deleted = trained_models.prune(models_dir)
    note = f" {len(deleted)} alte(s) Modell(e) gelöscht." if deleted else ""
    return Outcome(trained, True, f"Neues Modell {trained.path.name} ist jetzt in Gebrauch.{note}")
