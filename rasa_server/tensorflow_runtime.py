"""How TensorFlow runs in the Rasa server: its own kernels instead of oneDNN's, one thread each.

The server predicts for one message at a time, with tensors of a few rows of 256 numbers.
TensorFlow's defaults are made for large batches, and for these tensors they cost more than
the arithmetic:

- **oneDNN's kernels** (on x86 machines TensorFlow 2.12 runs matrix products, softmax,
  transposes and the like through oneDNN by default) set each operation up first. In DIET's
  graph for one sentence a softmax took 67 µs with oneDNN and 4 µs with TensorFlow's own
  (Eigen) kernel, a transpose 28 against 2.5 µs, the whole graph 2.5 against 1.6 ms. Each
  message was 1.0 ms faster (``docs/PERFORMANCE.md``).
- **Thread pools** of one thread each (by default one thread per core for the operations
  within a node and one per core for nodes side by side): splitting a product of a few rows
  across two threads, or handing a node to another thread, costs a thread wake-up each
  time, more than the work it shares. One thread each made each message another 0.6 ms
  faster; the Rasa server's event loop, the action server and the next message have the
  other core.

The predictions are the same up to the rounding of floats: for every text of the training
data and the held-out test set the same intents in the same ranking, the same entities and
the same responses, the confidences at most 5e-7 apart
(``tests/e2e/test_tensorflow_kernels.py``). Only the commands that serve conversations
(``run``, ``shell``) are set up so: training works on batches of many sentences, for which
the defaults are made (with these settings it took 6:08 instead of about 4 minutes), and
``rasa test`` keeps measuring the model as Rasa runs it.

TensorFlow reads these settings once, when it is imported and when it first runs; an
operator who sets one of them in the environment keeps their choice.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

ONEDNN = "TF_ENABLE_ONEDNN_OPTS"
INTRA_OP_THREADS = "TF_NUM_INTRAOP_THREADS"
INTER_OP_THREADS = "TF_NUM_INTEROP_THREADS"
SETTINGS = {ONEDNN: "0", INTRA_OP_THREADS: "1", INTER_OP_THREADS: "1"}
SERVING = frozenset({"run", "shell"})
"""The ``rasa`` commands that serve conversations, one message at a time."""


def configure(arguments: Sequence[str]) -> None:
    """Set what the environment has not set, for a serving command; before TensorFlow loads.

    ``arguments`` are the command line without the program's name.
    """
    if not arguments or arguments[0] not in SERVING:
        return
    if "tensorflow" in sys.modules:
        raise RuntimeError(f"{', '.join(SETTINGS)} wirken nur, bevor TensorFlow geladen ist")
    for name, value in SETTINGS.items():
        os.environ.setdefault(name, value)
