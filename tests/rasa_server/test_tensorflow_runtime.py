"""``python -m rasa_server run`` runs TensorFlow with its own kernels and one thread per pool,
unless the environment chose otherwise; training keeps TensorFlow's defaults."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.settings import PROJECT_ROOT
from rasa_server import tensorflow_runtime

# Starts the Rasa server's command line with COMMAND (``--help`` ends it before any model is
# loaded; an empty COMMAND leaves TensorFlow alone), runs a small graph, then reports whether
# TensorFlow runs oneDNN's kernels and how many threads the process has: TensorFlow's two
# pools start with the graph.
START_SERVER = """
import os, sys
if sys.argv[1]:
    sys.argv = ["rasa_server", sys.argv[1], "--help"]
    import rasa_server.__main__ as server
    try:
        server.main()
    except SystemExit:
        pass
import tensorflow as tf
from tensorflow.python.util import _pywrap_util_port
tf.function(lambda a: tf.nn.softmax(tf.matmul(a, a)))(tf.ones((64, 64)))
print(_pywrap_util_port.IsMklEnabled(), len(os.listdir("/proc/self/task")))
"""


def server_runtime(command: str = "run", **environment: str) -> tuple[bool, int]:
    """Whether oneDNN runs and how many threads, after ``command`` with ``environment``."""
    env = {
        name: value for name, value in os.environ.items() if name not in tensorflow_runtime.SETTINGS
    }
    result = subprocess.run(
        [sys.executable, "-c", START_SERVER, command],
        env={**env, **environment},
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        check=True,
        text=True,
    )
    onednn, threads = result.stdout.splitlines()[-1].split()
    return onednn == "True", int(threads)


def test_the_rasa_server_runs_tensorflow_s_own_kernels_with_one_thread_per_pool():
    onednn, threads = server_runtime()
    assert not onednn
    _, with_three_each = server_runtime(
        **{tensorflow_runtime.INTRA_OP_THREADS: "3", tensorflow_runtime.INTER_OP_THREADS: "3"}
    )
    assert with_three_each - threads == 4


def test_an_operator_s_choices_are_kept():
    onednn, threads = server_runtime(
        **{
            tensorflow_runtime.ONEDNN: "1",
            tensorflow_runtime.INTRA_OP_THREADS: "2",
            tensorflow_runtime.INTER_OP_THREADS: "2",
        }
    )
    assert onednn
    _, with_one_each = server_runtime()
    assert threads - with_one_each == 2


def test_training_keeps_tensorflow_s_defaults():
    """oneDNN as TensorFlow alone chooses it (on by default only on CPUs with AVX-512 and
    similar), and a thread per core in each pool."""
    onednn, threads = server_runtime("train")
    tensorflow_alone, _ = server_runtime("")
    assert onednn == tensorflow_alone
    assert (onednn, threads) == server_runtime(
        "train",
        **{
            tensorflow_runtime.ONEDNN: "1" if tensorflow_alone else "0",
            tensorflow_runtime.INTRA_OP_THREADS: str(os.cpu_count()),
            tensorflow_runtime.INTER_OP_THREADS: str(os.cpu_count()),
        },
    )
    _, serving = server_runtime("run")
    assert threads > serving


@pytest.mark.parametrize("arguments", [["run", "--port", "5005"], ["shell"]])
def test_configuring_after_tensorflow_is_loaded_is_refused(monkeypatch, arguments):
    monkeypatch.setitem(sys.modules, "tensorflow", object())
    for name in tensorflow_runtime.SETTINGS:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RuntimeError, match=tensorflow_runtime.ONEDNN):
        tensorflow_runtime.configure(arguments)
    assert not set(tensorflow_runtime.SETTINGS) & set(os.environ)


@pytest.mark.parametrize("arguments", [[], ["train"], ["test", "nlu"], ["--version"]])
def test_other_commands_are_left_as_they_are(monkeypatch, arguments):
    monkeypatch.setitem(sys.modules, "tensorflow", object())
    for name in tensorflow_runtime.SETTINGS:
        monkeypatch.delenv(name, raising=False)
    tensorflow_runtime.configure(arguments)
    assert not set(tensorflow_runtime.SETTINGS) & set(os.environ)
