"""The trained models in ``models/``: their names, which one is in use, and rolling back.

A model file is named ``ksm-<UTC date and time>-<fingerprint>.tar.gz``, for example
``ksm-20261125-143012-3f9a1c02be.tar.gz``. The fingerprint is a hash of everything the
model is trained from (``config.yml``, ``domain.yml`` and ``data/``), so two models with the
same fingerprint learned from the same data, and the name alone tells which data a model
knows. The assistant uses the newest model in ``models/``. Rolling back moves that model to
``models/zurueckgezogen/``, which makes the one before it the newest; training skips a
data state whose model was rolled back, so a restart does not bring the bad model back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

MODEL_PREFIX = "ksm"
RETIRED_DIR = "zurueckgezogen"
KEEP_MODELS = 5
"""Models kept in ``models/`` (and as many rolled-back ones): older ones are deleted."""
FINGERPRINT_LENGTH = 10

_NAME = re.compile(
    rf"^{MODEL_PREFIX}-(?P<stamp>\d{{8}}-\d{{6}})-(?P<fingerprint>[0-9a-f]{{{FINGERPRINT_LENGTH}}})"
    r"\.tar\.gz$"
)
_STAMP = "%Y%m%d-%H%M%S"


class ModelError(RuntimeError):
    """A model operation cannot be done; the message says why, in German."""


@dataclass(frozen=True)
class TrainedModel:
    path: Path
    trained_at: dt.datetime
    """When training started, in UTC."""
    fingerprint: str

    @classmethod
    def from_path(cls, path: Path) -> TrainedModel | None:
        """The model stored at ``path``, or ``None`` if the name is not one of ours."""
        match = _NAME.match(path.name)
        if match is None:
            return None
        trained_at = dt.datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=dt.timezone.utc)
        return cls(path, trained_at, match["fingerprint"])


def training_inputs(project: Path) -> list[Path]:
    """The files a model is trained from, in a fixed order."""
    data = sorted(path for path in (project / "data").rglob("*.yml") if path.is_file())
    return [project / "config.yml", project / "domain.yml", *data]


def data_fingerprint(project: Path) -> str:
    """A short hash of the training inputs' paths and contents."""
    digest = hashlib.sha256()
    for path in training_inputs(project):
        digest.update(path.relative_to(project).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def model_name(trained_at: dt.datetime, fingerprint: str) -> str:
    """The file name, without ``.tar.gz`` (what ``rasa train --fixed-model-name`` takes)."""
    stamp = trained_at.astimezone(dt.timezone.utc).strftime(_STAMP)
    return f"{MODEL_PREFIX}-{stamp}-{fingerprint}"


def _models_in(directory: Path) -> list[TrainedModel]:
    found = (TrainedModel.from_path(path) for path in directory.glob("*.tar.gz"))
    return sorted((model for model in found if model), key=lambda model: model.path.name)


def active_models(models_dir: Path) -> list[TrainedModel]:
    """The models the assistant may use, oldest first; the last one is in use."""
    return _models_in(models_dir)


def retired_models(models_dir: Path) -> list[TrainedModel]:
    """The rolled-back models, oldest first."""
    return _models_in(models_dir / RETIRED_DIR)


def current_model(models_dir: Path) -> TrainedModel | None:
    """The newest model: the one ``make run`` starts the assistant with."""
    models = active_models(models_dir)
    return models[-1] if models else None


def training_needed(models_dir: Path, fingerprint: str) -> bool:
    """Whether to train: the newest model learned other data, and this data was not rolled back."""
    current = current_model(models_dir)
    if current is not None and current.fingerprint == fingerprint:
        return False
    return not was_rolled_back(models_dir, fingerprint)


def was_rolled_back(models_dir: Path, fingerprint: str) -> bool:
    return any(model.fingerprint == fingerprint for model in retired_models(models_dir))


def roll_back(models_dir: Path) -> tuple[TrainedModel, TrainedModel]:
    """Retire the model in use; return it and the model now in use."""
    models = active_models(models_dir)
    if len(models) < 2:
        raise ModelError(
            "Es gibt kein älteres Modell, zu dem zurückgekehrt werden könnte "
            f"({len(models)} Modell(e) in {models_dir})."
        )
    retired_dir = models_dir / RETIRED_DIR
    retired_dir.mkdir(exist_ok=True)
    bad = models[-1]
    shutil.move(str(bad.path), str(retired_dir / bad.path.name))
    return bad, models[-2]


def restore(models_dir: Path, name: str) -> TrainedModel:
    """Bring a rolled-back model back; it is in use again if it is the newest."""
    for model in retired_models(models_dir):
        if model.path.name in (name, f"{name}.tar.gz"):
            target = models_dir / model.path.name
            shutil.move(str(model.path), str(target))
            return TrainedModel(target, model.trained_at, model.fingerprint)
    raise ModelError(f"Kein zurückgezogenes Modell '{name}' in {models_dir / RETIRED_DIR}.")


def prune(models_dir: Path, keep: int = KEEP_MODELS) -> list[Path]:
    """Delete all but the ``keep`` newest models, and as many rolled-back ones."""
    deleted = []
    for models in (active_models(models_dir), retired_models(models_dir)):
        for model in models[:-keep] if keep else models:
            model.path.unlink()
            deleted.append(model.path)
    return deleted


def listing(models_dir: Path, *, timezone: dt.tzinfo | None = None) -> str:
    """The models as a table for the trainer, newest first, the one in use marked."""
    models = active_models(models_dir)
    if not models:
        return f"Kein trainiertes Modell in {models_dir}. Bitte 'make train' ausführen."
    current = models[-1]
    lines = ["   Trainiert am       Datenstand  Datei"]
    rows = [(model, "*" if model is current else " ") for model in reversed(models)]
    rows += [(model, "z") for model in reversed(retired_models(models_dir))]
    for model, mark in rows:
        when = model.trained_at.astimezone(timezone).strftime("%d.%m.%Y %H:%M")
        lines.append(f"{mark}  {when}  {model.fingerprint}  {model.path.name}")
    lines.append("* in Gebrauch   z zurückgezogen (models/zurueckgezogen/)")
    return "\n".join(lines)
