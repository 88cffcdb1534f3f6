"""``python -m tests.utils.nlu_parses OUT``: the Rasa server's NLU on every text, as JSON.

Loads the model in use as ``python -m rasa_server run`` does (TensorFlow settings, patches,
speedups) and writes to OUT whether TensorFlow ran oneDNN's kernels and the parse of every
text of the training data and the held-out test set. A process of its own, because TensorFlow reads its
settings once, when it is imported.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from bot.nlu import trained_models
from bot.settings import PROJECT_ROOT
from rasa_server import tensorflow_runtime


def texts() -> list[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = [
        *load_data(str(PROJECT_ROOT / "data/nlu")).intent_examples,
        *load_data(str(PROJECT_ROOT / "tests/nlu")).intent_examples,
    ]
    return sorted({message.get("text") for message in examples})


def main(out: Path) -> None:
    tensorflow_runtime.configure(["run"])
    from rasa.core.agent import Agent
    from tensorflow.python.util import _pywrap_util_port

    from rasa_server import graph_runner, patches, speedups

    patches.apply()
    speedups.apply()
    graph_runner.apply()
    agent = Agent.load(str(trained_models.current_model(PROJECT_ROOT / "models").path))
    parses = {text: asyncio.run(agent.parse_message(text)) for text in texts()}
    out.write_text(
        json.dumps({"onednn": _pywrap_util_port.IsMklEnabled(), "parses": parses}),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
