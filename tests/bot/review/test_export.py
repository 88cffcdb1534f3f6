"""The export is Rasa NLU YAML a trainer can move into data/nlu/ as it is."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.review.export import nlu_yaml
from bot.review.inbox import InboxGroup, Uncertain

# Rasa's schema validation loads pkg_resources and plugins the deprecated way on first use.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_export_is_valid_nlu_yaml_with_the_suggested_intents():
    groups = [
        InboxGroup(
            "ticket_status",
            (
                Uncertain("wann kommt der techniker", "ticket_status", 0.58, False, count=2),
                Uncertain("Stand #17 [dringend](bitte)?", "ticket_status", 0.6, True),
            ),
        ),
        InboxGroup("faq/printer_not_printing", (Uncertain("toner alle", "faq/x", 0.5, False),)),
        InboxGroup("unbekannt", (Uncertain("asdf\nqwer", "unbekannt", 0.2, True),)),
    ]
    text = nlu_yaml(groups, today=dt.date(2026, 11, 25))

    assert text.startswith("# Prüfliste vom 25.11.2026")
    data = RasaYAMLReader().reads(text)
    found = {(m.get("intent"), m.get("text")) for m in data.intent_examples}
    assert found == {
        ("ticket_status", "wann kommt der techniker"),
        ("ticket_status", "Stand #17 [dringend] (bitte)?"),
        ("faq", "toner alle"),
        ("out_of_scope", "asdf qwer"),
    }
    assert not data.entity_examples
    assert [
        m.get("intent_response_key") for m in data.intent_examples if m.get("intent") == "faq"
    ] == ["faq/printer_not_printing"]


def test_an_empty_inbox_exports_an_empty_but_valid_file():
    text = nlu_yaml([], today=dt.date(2026, 11, 25))
    assert RasaYAMLReader().reads(text).intent_examples == []
