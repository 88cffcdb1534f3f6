"""``python -m rasa_server`` runs TensorFlow's own kernels unless the environment chose."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.settings import PROJECT_ROOT
from rasa_server import kernels

# Starts the Rasa server's command line (``--version`` ends it before any model is loaded),
# then asks TensorFlow whether it runs oneDNN's kernels.
START_SERVER = """
import sys
sys.argv = ["rasa_server", "--version"]
import rasa_server.__main__ as server
try:
    server.main()
except SystemExit:
    pass
from tensorflow.python.util import _pywrap_util_port
print("oneDNN", _pywrap_util_port.IsMklEnabled())
"""


def onednn_in_server(**switch: str) -> str:
    env = {name: value for name, value in os.environ.items() if name != kernels.SWITCH}
    result = subprocess.run(
        [sys.executable, "-c", START_SERVER],
        env={**env, **switch},
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        check=True,
        text=True,
    )
    return result.stdout.splitlines()[-1]


def test_the_rasa_server_runs_tensorflow_s_own_kernels():
    assert onednn_in_server() == "oneDNN False"


def test_an_operator_who_asks_for_onednn_gets_it():
    assert onednn_in_server(**{kernels.SWITCH: "1"}) == "oneDNN True"


def test_choosing_after_tensorflow_is_loaded_is_refused(monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorflow", object())
    monkeypatch.delenv(kernels.SWITCH, raising=False)
    with pytest.raises(RuntimeError, match=kernels.SWITCH):
        kernels.use_tensorflow_kernels()
    assert kernels.SWITCH not in os.environ
