"""The NLU with TensorFlow's own kernels gives oneDNN's answers (``rasa_server.tensorflow_runtime``).

The two kinds of kernel add up floats in another order, so confidences may differ in their
last bits; everything a user or a policy sees must be the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.settings import PROJECT_ROOT
from rasa_server import tensorflow_runtime

pytestmark = pytest.mark.e2e

CONFIDENCE_TOLERANCE = 1e-5


def parses(out: Path, onednn: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.utils.nlu_parses", str(out)],
        env={**os.environ, tensorflow_runtime.ONEDNN: onednn},
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def without_confidences(value: Any, confidences: list[float]) -> Any:
    """``value`` with every float taken out into ``confidences``, in order."""
    if isinstance(value, dict):
        return {key: without_confidences(item, confidences) for key, item in value.items()}
    if isinstance(value, list):
        return [without_confidences(item, confidences) for item in value]
    if isinstance(value, float):
        confidences.append(value)
        return "<float>"
    return value


def test_tensorflow_s_kernels_parse_every_text_as_onednn_s(tmp_path):
    runs = {name: tmp_path / f"{name}.json" for name in ("onednn", "tensorflow")}
    processes = [parses(runs["onednn"], "1"), parses(runs["tensorflow"], "0")]
    assert [process.wait(timeout=600) for process in processes] == [0, 0]
    onednn, tensorflow = (json.loads(path.read_text(encoding="utf-8")) for path in runs.values())
    assert (onednn["onednn"], tensorflow["onednn"]) == (True, False)

    assert onednn["parses"].keys() == tensorflow["parses"].keys()
    assert len(onednn["parses"]) > 1500
    for text, expected in onednn["parses"].items():
        expected_confidences: list[float] = []
        confidences: list[float] = []
        assert without_confidences(tensorflow["parses"][text], confidences) == (
            without_confidences(expected, expected_confidences)
        ), text
        assert confidences == pytest.approx(expected_confidences, abs=CONFIDENCE_TOLERANCE), text
