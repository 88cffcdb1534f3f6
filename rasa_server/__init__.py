"""What runs inside the Rasa server process besides Rasa itself.

``python -m rasa_server`` is the ``rasa`` command line with the project's fixes to Rasa
applied first (``rasa_server.patches``); ``rasa_server.lock_store`` is the lock store that
several Rasa servers share. ``bot`` never imports this package (it names the lock store in
the endpoints file it writes): this is the one place, apart from ``actions``, that knows
Rasa's internals.
"""
