"""TensorFlow's own CPU kernels for the Rasa server, instead of oneDNN's.

On x86 machines TensorFlow 2.12 runs matrix products, softmax, transposes and the like
through oneDNN by default. oneDNN is built for large tensors: for one message, a few rows
of 256 numbers, setting up each operation costs more than the arithmetic. In DIET's graph
for one sentence a softmax took 67 µs with oneDNN and 4 µs with TensorFlow's own (Eigen)
kernel, a transpose 28 against 2.5 µs, the whole graph 2.5 against 1.6 ms; each message
was 1 ms faster (``docs/PERFORMANCE.md``).

The predictions are the same up to the rounding of floats: for every text of the training
data and the held-out test set the same intents in the same ranking, the same entities and
the same responses, the confidences at most 5e-7 apart
(``tests/e2e/test_tensorflow_kernels.py``). Training (``rasa train``, batches of many
sentences) keeps TensorFlow's default.

TensorFlow reads the switch once, when it is imported; an operator who sets
``TF_ENABLE_ONEDNN_OPTS`` keeps their choice.
"""

from __future__ import annotations

import os
import sys

SWITCH = "TF_ENABLE_ONEDNN_OPTS"


def use_tensorflow_kernels() -> None:
    """Choose TensorFlow's own kernels unless the environment chose; before TensorFlow loads."""
    if "tensorflow" in sys.modules:
        raise RuntimeError(f"{SWITCH} wirkt nur, bevor TensorFlow geladen ist")
    os.environ.setdefault(SWITCH, "0")
