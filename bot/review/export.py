"""The review inbox as Rasa NLU YAML, for the trainer to correct and move into ``data/nlu/``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.review.inbox import NO_SUGGESTION, InboxGroup

HEADER = """\
# Prüfliste vom {date}: Nachrichten, bei denen der Assistent unsicher war.
# Jede Gruppe trägt das Intent, das das Modell vermutet hat. Bitte prüfen:
#  - stimmt das Intent, den Satz so in die passende Datei unter data/nlu/ übernehmen;
#  - sonst den Satz unter das richtige Intent verschieben (oder löschen).
# Platzhalter wie <Name>, <E-Mail> und <Telefon> ersetzen personenbezogene Angaben; vor dem
# Übernehmen durch erfundene Beispiele ersetzen oder den Satz umformulieren.
# Die Sätze stehen nach Häufigkeit; 'python -m bot review' zeigt Anzahl und Konfidenz.
"""


def nlu_yaml(groups: Sequence[InboxGroup], *, today: dt.date) -> str:
    lines = [HEADER.format(date=today.strftime("%d.%m.%Y")).rstrip("\n"), 'version: "3.1"']
    lines.append("nlu:" if groups else "nlu: []")
    for group in groups:
        intent = group.suggested_intent
        if intent == NO_SUGGESTION:
            intent = "out_of_scope"
        lines.append(f"  # Vorschlag des Modells: {intent} ({group.count} Nachricht(en))")
        lines.append(f"  - intent: {intent}")
        lines.append("    examples: |")
        lines.extend(f"      - {_example(message.text)}" for message in group.messages)
    return "\n".join(lines) + "\n"


def _example(text: str) -> str:
    """One line, and no "[text](entity)" that Rasa would read as an entity annotation."""
    return " ".join(text.split()).replace("](", "] (")
