"""What runs inside the Rasa server process besides Rasa itself.

``python -m rasa_server`` is the ``rasa`` command line with the project's changes to Rasa
applied first: its fixes (``rasa_server.patches``), faster equivalents of functions that run
for every message (``rasa_server.speedups``) and a graph runner without dask that runs TED
only where it can change the prediction (``rasa_server.graph_runner``).
``endpoints.yml`` names the SQL tracker store (``rasa_server.tracker_store``) and, for
several Rasa servers, the Redis lock store they share (``rasa_server.lock_store``); the
channels with the project's input checks are in ``rasa_server.channels``. ``bot`` never
imports this package (it names these classes in the files it writes): this is the one
place, apart from ``actions``, that knows Rasa's internals.
"""
