"""The KSM service-desk assistant's own code: settings, member database, command line.

Importable and testable without Rasa running; nothing in this package imports ``rasa``.
"""
