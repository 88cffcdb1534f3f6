"""Load benchmark of the assistant (``make bench``), with two reference bots for scale.

The load generator (``bench.load``) plays simulated staff conversations (``bench.scenarios``)
against Rasa's REST channel and measures each message's round trip; ``bench.systems`` starts
the project and the two references (a minimal Rasa bot, the framework's floor, and Rasa's
default ``rasa init`` pipeline trained on the project's data) the same way, and
``python -m bench`` prints the numbers side by side. Nothing here is imported by ``bot``.
"""
