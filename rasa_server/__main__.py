"""``python -m rasa_server ARGS``: ``rasa ARGS`` with the project's patches applied."""

from __future__ import annotations

import sys

from rasa_server import tensorflow_runtime


def main() -> None:
    tensorflow_runtime.configure(sys.argv[1:])
    from rasa_server import graph_runner, patches, speedups, training

    patches.apply()
    speedups.apply()
    graph_runner.apply()
    training.apply()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
