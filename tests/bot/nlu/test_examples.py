"""Training sentences are recognised however the user spaced, cased or annotated them."""

from pathlib import Path

from bot.nlu.examples import examples, known_sentences, normalized
from bot.settings import PROJECT_ROOT


def test_normalized_ignores_case_spacing_entity_markup_and_final_punctuation():
    assert normalized("Ich bin aus  [Grabow](member)!") == "ich bin aus grabow"
    assert normalized('Drucker in [Lübz]{"entity": "member"} ?') == "drucker in lübz"


def test_examples_are_read_per_intent_and_faq_topic(tmp_path: Path):
    nlu = tmp_path / "nlu.yml"
    nlu.write_text(
        'version: "3.1"\nnlu:\n'
        "  - intent: greet\n    examples: |\n      - Hallo\n      - Moin\n"
        "  - intent: faq/vpn\n    examples: |\n      - VPN geht nicht\n"
        "  - synonym: Grabow\n    examples: |\n      - grabow\n"
    )
    assert examples(nlu) == {"greet": ["Hallo", "Moin"], "faq/vpn": ["VPN geht nicht"]}


def test_the_projects_training_and_test_sentences_are_known():
    known = known_sentences([PROJECT_ROOT / "data" / "nlu", PROJECT_ROOT / "tests" / "nlu"])
    assert "ich habe mein passwort vergessen" in known
    assert "guten tag, hier ist frau köhler aus dem ordnungsamt" in known
    assert "toner alle" not in known
