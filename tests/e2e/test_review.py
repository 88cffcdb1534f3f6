"""The review inbox reads what the real Rasa server stored: feedback, fallbacks, masking."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import Assistant

pytestmark = pytest.mark.e2e


def counts(report: str, topic: str) -> tuple[int, int]:
    """(helpful, unhelpful) of ``topic`` in the feedback table of ``python -m bot review``."""
    match = re.search(rf"^  {re.escape(topic)} +(\d+) +(\d+)$", report, re.MULTILINE)
    assert match, f"{topic} not in:\n{report}"
    return int(match[1]), int(match[2])


def test_feedback_and_uncertain_messages_reach_the_review_masked(
    running: Assistant, tmp_path: Path
):
    answer = running.say("review-faq", "Der Drucker im Flur druckt seit gestern nicht")
    assert "War diese Antwort hilfreich?" in answer
    assert "Danke für Ihre Rückmeldung" in running.say("review-faq", "/feedback_unhelpful")

    answer = running.say("review-member", "Seit wann ist Grabow bei der KSM?")
    assert "01.01.2019" in answer and "War diese Antwort hilfreich?" in answer
    running.say("review-member", "/feedback_helpful")

    assert "diese Wörter kenne ich nicht" in running.say("review-uncertain", "xqzv blorp wuggel")
    running.say("review-uncertain", "schick das an erika.beispiel@grabow.de, Tel 0171 2345678")

    export = tmp_path / "pruefen.yml"
    report = running.cli("review", "--threshold", "1.0", "--export", str(export))

    assert counts(report, "faq/printer_not_printing")[1] >= 1
    assert "nicht geholfen bei: Der Drucker im Flur druckt seit gestern nicht" in report
    assert counts(report, "member_since")[0] >= 1
    assert re.search(r"xqzv blorp wuggel  \[[0-9.]+, Rückfall\]", report)
    assert "schick das an <E-Mail>, Tel <Telefon>" in report
    assert "erika.beispiel" not in report and "0171" not in report
    assert "/feedback" not in report.split("Unsichere Nachrichten")[1]

    exported = yaml.safe_load(export.read_text(encoding="utf-8"))
    sentences = [
        line.removeprefix("- ")
        for block in exported["nlu"]
        for line in block["examples"].splitlines()
    ]
    assert "xqzv blorp wuggel" in sentences
    assert "schick das an <E-Mail>, Tel <Telefon>" in sentences
    assert "erika.beispiel" not in export.read_text(encoding="utf-8")
