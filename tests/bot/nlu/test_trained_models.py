"""Model names carry date and data fingerprint; the newest is used; rollback is reversible."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.nlu import trained_models
from bot.nlu.trained_models import ModelError, TrainedModel

UTC = dt.timezone.utc


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "data" / "nlu").mkdir(parents=True)
    (tmp_path / "config.yml").write_text("language: de\n")
    (tmp_path / "domain.yml").write_text("intents: [greet]\n")
    (tmp_path / "data" / "nlu" / "basics.yml").write_text("nlu: []\n")
    (tmp_path / "models").mkdir()
    return tmp_path


def add_model(models_dir: Path, day: int, fingerprint: str = "0123456789") -> Path:
    name = trained_models.model_name(dt.datetime(2026, 11, day, 9, 30, tzinfo=UTC), fingerprint)
    path = models_dir / f"{name}.tar.gz"
    path.write_bytes(b"model")
    return path


def test_model_name_holds_utc_time_and_fingerprint():
    berlin = dt.timezone(dt.timedelta(hours=1))
    trained_at = dt.datetime(2026, 11, 25, 15, 30, 12, tzinfo=berlin)
    name = trained_models.model_name(trained_at, "3f9a1c02be")
    assert name == "ksm-20261125-143012-3f9a1c02be"
    parsed = TrainedModel.from_path(Path(f"{name}.tar.gz"))
    assert parsed is not None
    assert parsed.trained_at == trained_at
    assert parsed.fingerprint == "3f9a1c02be"


@pytest.mark.parametrize("name", ["ksm.tar.gz", "20261125-143012-brave-fox.tar.gz", "ksm-x.tar.gz"])
def test_files_with_other_names_are_not_models(name):
    assert TrainedModel.from_path(Path(name)) is None


def test_fingerprint_changes_with_data_config_and_domain_only(project):
    before = trained_models.data_fingerprint(project)
    (project / "README.md").write_text("changed")
    assert trained_models.data_fingerprint(project) == before
    for changed in ("config.yml", "domain.yml", "data/nlu/basics.yml"):
        path = project / changed
        original = path.read_text()
        path.write_text(original + "# edit\n")
        assert trained_models.data_fingerprint(project) != before, changed
        path.write_text(original)
    assert trained_models.data_fingerprint(project) == before
    (project / "data" / "nlu" / "new.yml").write_text("nlu: []\n")
    assert trained_models.data_fingerprint(project) != before


def test_newest_model_is_current_regardless_of_file_times(project):
    models = project / "models"
    newest = add_model(models, 24)
    older = add_model(models, 20)
    (models / "ksm.tar.gz").write_bytes(b"legacy name, ignored")
    older.touch()
    current = trained_models.current_model(models)
    assert current is not None
    assert current.path == newest


def test_no_model_means_no_current_model(project):
    assert trained_models.current_model(project / "models") is None


def test_training_is_needed_only_when_the_newest_model_learned_other_data(project):
    models = project / "models"
    assert trained_models.training_needed(models, "aaaaaaaaaa")
    add_model(models, 20, "aaaaaaaaaa")
    assert not trained_models.training_needed(models, "aaaaaaaaaa")
    assert trained_models.training_needed(models, "bbbbbbbbbb")


def test_rollback_retires_the_newest_and_the_previous_one_is_used(project):
    models = project / "models"
    good = add_model(models, 20, "aaaaaaaaaa")
    bad = add_model(models, 24, "bbbbbbbbbb")
    retired, current = trained_models.roll_back(models)
    assert retired.path == bad
    assert current.path == good
    assert not bad.exists()
    assert (models / "zurueckgezogen" / bad.name).exists()
    assert trained_models.current_model(models) == current
    # The rolled-back data state is not trained again on the next `make run` …
    assert not trained_models.training_needed(models, "bbbbbbbbbb")
    # … but changed data is.
    assert trained_models.training_needed(models, "cccccccccc")


def test_rollback_needs_an_older_model(project):
    models = project / "models"
    add_model(models, 20)
    with pytest.raises(ModelError, match="kein älteres Modell"):
        trained_models.roll_back(models)
    assert trained_models.current_model(models) is not None


def test_restore_undoes_a_rollback(project):
    models = project / "models"
    add_model(models, 20, "aaaaaaaaaa")
    bad = add_model(models, 24, "bbbbbbbbbb")
    trained_models.roll_back(models)
    restored = trained_models.restore(models, bad.name.removesuffix(".tar.gz"))
    assert restored.path == bad
    assert trained_models.current_model(models) == restored
    assert trained_models.retired_models(models) == []
    with pytest.raises(ModelError, match="Kein zurückgezogenes Modell"):
        trained_models.restore(models, bad.name)


def test_prune_keeps_the_newest_models(project):
    models = project / "models"
    paths = [add_model(models, day) for day in range(1, 9)]
    deleted = trained_models.prune(models, keep=5)
    assert deleted == paths[:3]
    assert [m.path for m in trained_models.active_models(models)] == paths[3:]


def test_listing_marks_the_model_in_use_and_the_rolled_back_ones(project):
    models = project / "models"
    add_model(models, 20, "aaaaaaaaaa")
    add_model(models, 22, "bbbbbbbbbb")
    add_model(models, 24, "cccccccccc")
    trained_models.roll_back(models)
    lines = trained_models.listing(models, timezone=UTC).splitlines()
    assert lines[1].startswith("*  22.11.2026 09:30  bbbbbbbbbb")
    assert lines[2].startswith("   20.11.2026 09:30  aaaaaaaaaa")
    assert lines[3].startswith("z  24.11.2026 09:30  cccccccccc")


def test_listing_without_models_says_how_to_train(project):
    assert "make train" in trained_models.listing(project / "models")
