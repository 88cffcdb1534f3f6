"""What the chat channels let through to the NLU, and what they answer instead."""

from __future__ import annotations

import pytest

from bot import chat_input, limits


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Drucker\x00 kaputt", "Drucker kaputt"),
        ("Zeile 1\r\nZeile 2\rZeile 3", "Zeile 1\nZeile 2\nZeile 3"),
        ("Tab\tbleibt", "Tab\tbleibt"),
        ("\x1b[31mrot\x1b[0m", "[31mrot[0m"),
        ("abc\u202edcba", "abcdcba"),
        ("ohne\ud800 Surrogat", "ohne Surrogat"),
        ("Cafe\u0301", "Café"),
        ("👩\u200d💻 Laptop", "👩\u200d💻 Laptop"),
    ],
)
def test_clean_text_drops_what_nobody_types_and_keeps_the_rest(raw, clean):
    assert chat_input.clean_text(raw) == clean


def test_plain_text_cannot_be_taken_for_markup_but_still_reads_as_written():
    stored = chat_input.plain_text('<script>alert("x")</script><img src=x onerror=alert(1)>')
    assert "<" not in stored and ">" not in stored
    assert stored == '‹script›alert("x")‹/script›‹img src=x onerror=alert(1)›'


@pytest.mark.parametrize("value", ["abc-123", "e2e.widget:1", "a@b.de", 42, "x" * 128])
def test_safe_conversation_ids_are_accepted(value):
    assert chat_input.sender_id(value) == str(value)


@pytest.mark.parametrize(
    "value",
    [None, "", "x" * 129, "a\x00b", "a b", "../../etc/passwd", "ä", True, 1.5, ["a"], {"a": 1}],
)
def test_unsafe_conversation_ids_are_refused(value):
    assert chat_input.sender_id(value) is None


def test_metadata_must_be_a_small_json_object():
    assert chat_input.metadata({"user_token": "abc"}) == {"user_token": "abc"}
    assert chat_input.metadata('{"user_token": "abc"}') == {"user_token": "abc"}
    assert chat_input.metadata(None) is None
    assert chat_input.metadata(["user_token"]) is None
    assert chat_input.metadata("kein JSON") is None
    assert chat_input.metadata(12) is None
    assert chat_input.metadata({"x": "y" * limits.MAX_METADATA_BYTES}) is None
    assert chat_input.metadata({"x": {1, 2}}) is None


def test_a_message_of_the_maximum_length_passes_one_character_more_is_refused():
    text, refusal = chat_input.check_text("a" * limits.MAX_MESSAGE_LENGTH)
    assert refusal is None and len(text) == limits.MAX_MESSAGE_LENGTH
    _, refusal = chat_input.check_text("a" * (limits.MAX_MESSAGE_LENGTH + 1))
    assert refusal is not None and refusal.status == 413
    assert f"höchstens {limits.MAX_MESSAGE_LENGTH} Zeichen" in refusal.text
    assert f"Ihre hatte {limits.MAX_MESSAGE_LENGTH + 1}" in refusal.text


def test_a_huge_message_is_refused_without_being_cleaned():
    _, refusal = chat_input.check_text("\x00" * 1_000_000)
    assert refusal is not None and refusal.reason == "too_long"


@pytest.mark.parametrize("value", ["", "   ", "\n\t", "\x00\x01\x02", "\u200b\u202e"])
def test_empty_messages_get_a_german_hint(value):
    text, refusal = chat_input.check_text(value)
    assert text == ""
    assert refusal is not None and refusal.reason == "empty"
    assert refusal.text.startswith("Ihre Nachricht war leer.")


@pytest.mark.parametrize("value", [None, 42, ["Hallo"], {"text": "Hallo"}])
def test_non_text_messages_are_refused_in_german(value):
    _, refusal = chat_input.check_text(value)
    assert refusal is not None and refusal.status == 400
    assert "Textnachrichten" in refusal.text


def test_text_is_cleaned_and_stripped_before_it_is_passed_on():
    assert chat_input.check_text("  Drucker\x00 kaputt\n") == ("Drucker kaputt", None)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_conversation_may_send_a_burst_then_one_message_per_refill_interval():
    clock = FakeClock()
    limiter = chat_input.RateLimiter(burst=3, refill=2.0, clock=clock)
    assert [limiter.check("a") for _ in range(3)] == [None, None, None]
    refusal = limiter.check("a")
    assert refusal is not None and refusal.status == 429 and refusal.retry_after == 2
    assert refusal.text.startswith("Sie schreiben schneller")
    assert limiter.check("b") is None, "another conversation has its own bucket"
    clock.now += 2.0
    assert limiter.check("a") is None
    assert limiter.check("a") is not None
    clock.now += 60
    assert [limiter.check("a") for _ in range(4)][-1] is not None, "refills up to the burst"


def test_the_limiter_forgets_the_least_recently_seen_conversations():
    limiter = chat_input.RateLimiter(burst=1, refill=60, max_conversations=2, clock=FakeClock())
    limiter.check("a")
    limiter.check("b")
    limiter.check("c")
    assert limiter.check("a") is None, "a was forgotten, so it starts with a full bucket"
    assert limiter.check("c") is not None
