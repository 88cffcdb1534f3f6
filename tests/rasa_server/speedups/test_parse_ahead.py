"""A message parsed while its conversation loads is logged as Rasa logs it after loading.

Rasa's ``MessageProcessor`` runs with its own tracker store, session start and message
logging; only its model is a stand-in (a graph runner that returns a fixed parse), so that
the tests can see in which thread and at which moment the parse runs.
"""

from __future__ import annotations

import asyncio
import threading
import warnings
from dataclasses import dataclass
from typing import Any

import pytest
from rasa.core.channels import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.engine.graph import GraphSchema, SchemaNode
from rasa.graph_components.converters.nlu_message_converter import NLUMessageConverter
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, UserUttered
from rasa.shared.nlu.training_data.message import Message

from rasa_server.speedups import parse_ahead

with warnings.catch_warnings():  # as Rasa's own start-up does
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", "Slot auto-fill has been removed", UserWarning)
    from rasa.core.processor import MessageProcessor

    DOMAIN = Domain.from_yaml(
        """
version: "3.1"
intents: [greet, report_fault]
entities: [device]
slots:
  device:
    type: text
    mappings: [{type: from_entity, entity: device}]
responses:
  utter_greet: [{text: "Guten Tag!"}]
"""
    )

RASA_LOG_MESSAGE = parse_ahead.rasa_log_message()
RASA_PARSE_MESSAGE = parse_ahead.rasa_parse_message()
NLU_TARGET = "run_RegexMessageHandler"
PARSE = {
    "intent": {"name": "report_fault", "confidence": 0.93},
    "entities": [{"entity": "device", "value": "Drucker", "start": 4, "end": 11}],
    "intent_ranking": [{"name": "report_fault", "confidence": 0.93}],
}
WAIT = 10.0
"""Seconds a test waits for the other side before it counts as never coming."""


def schema(*, tracker_needed: bool = False) -> GraphSchema:
    """An NLU graph like a trained model's; with ``tracker_needed``, one node reads it."""
    handler_needs = {"messages": "nlu_message_converter", "domain": "domain_provider"}
    if tracker_needed:
        handler_needs["tracker"] = "__tracker__"
    return GraphSchema(
        {
            "nlu_message_converter": SchemaNode(
                needs={"messages": "__message__"},
                uses=NLUMessageConverter,
                constructor_name="load",
                fn="convert_user_message",
                config={},
            ),
            "domain_provider": SchemaNode(
                needs={}, uses=NLUMessageConverter, constructor_name="load", fn="x", config={}
            ),
            NLU_TARGET: SchemaNode(
                needs=handler_needs,
                uses=RegexMessageHandler,
                constructor_name="load",
                fn="process",
                config={},
            ),
        }
    )


@dataclass
class Metadata:
    predict_schema: GraphSchema
    nlu_target: str = NLU_TARGET
    domain: Domain = DOMAIN
    model_id: str = "stand-in"
    assistant_id: str = "ksm"


class TrackerStore(InMemoryTrackerStore):
    """Rasa's in-memory store, which can wait for the parse to start before it answers."""

    def __init__(self) -> None:
        super().__init__(DOMAIN)
        self.loading = threading.Event()
        self.loaded = threading.Event()
        self.wait_for: threading.Event | None = None
        self.error: Exception | None = None

    async def retrieve(self, sender_id: str) -> Any:
        self.loading.set()
        if self.wait_for is not None:
            started = await asyncio.to_thread(self.wait_for.wait, WAIT)
            assert started, "the parse never started while the conversation loaded"
        if self.error is not None:
            raise self.error
        try:
            return await super().retrieve(sender_id)
        finally:
            self.loaded.set()


class GraphRunner:
    """Returns ``PARSE`` for a message; records where it ran; can wait for a signal first."""

    def __init__(self, store: TrackerStore) -> None:
        self.store = store
        self.runs: list[tuple[str, bool]] = []
        """The thread of each run, and whether the conversation had been loaded by then."""
        self.started = threading.Event()
        self.ended = threading.Event()
        self.proceed: threading.Event | None = None
        self.error: Exception | None = None

    def run(self, inputs: dict[str, Any], targets: list[str]) -> dict[str, Any]:
        assert targets == [NLU_TARGET]
        self.runs.append((threading.current_thread().name, self.store.loaded.is_set()))
        self.started.set()
        try:
            if self.proceed is not None:
                assert self.proceed.wait(WAIT), "the conversation never started loading"
            if self.error is not None:
                raise self.error
            message = inputs["__message__"][0]
            parsed = Message(data={"text": message.text, **PARSE}, output_properties=set(PARSE))
            return {NLU_TARGET: [parsed]}
        finally:
            self.ended.set()


class RasaProcessor(MessageProcessor):
    """The message processor as Rasa ships it, whatever ``apply`` did to the class."""

    log_message = RASA_LOG_MESSAGE
    parse_message = RASA_PARSE_MESSAGE


@pytest.fixture(autouse=True)
def applied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MessageProcessor, "log_message", RASA_LOG_MESSAGE)
    monkeypatch.setattr(MessageProcessor, "parse_message", RASA_PARSE_MESSAGE)
    parse_ahead.apply()
    assert MessageProcessor.log_message is parse_ahead.log_message


def processor(*, tracker_needed: bool = False, rasa: bool = False) -> Any:
    """A message processor with the stand-in model; with ``rasa``, as Rasa ships it."""
    cls = RasaProcessor if rasa else MessageProcessor
    processor = cls.__new__(cls)
    processor.nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    processor.tracker_store = TrackerStore()
    processor.lock_store = InMemoryLockStore()
    processor.max_number_of_predictions = 10
    processor.on_circuit_break = None
    processor.action_endpoint = None
    processor.model_filename = "stand-in.tar.gz"
    processor.model_metadata = Metadata(schema(tracker_needed=tracker_needed))
    processor.graph_runner = GraphRunner(processor.tracker_store)
    processor.domain = DOMAIN
    processor.http_interpreter = None
    return processor


def message(
    text: str = "Der Drucker druckt nicht", sender: str = "Frau Schmidt", **kwargs: Any
) -> UserMessage:
    return UserMessage(
        text,
        CollectingOutputChannel(),
        sender,
        message_id=f"{sender}: {text}",
        metadata={"member": "grabow"},
        **kwargs,
    )


def logged(tracker: Any) -> list[dict[str, Any]]:
    """The tracker's events as Rasa stores them, without their time."""
    return [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in tracker.events]


def log(processor: Any, user_message: UserMessage) -> Any:
    return asyncio.run(processor.log_message(user_message))


def test_the_message_is_logged_and_saved_as_rasa_logs_it():
    mine, rasa = processor(), processor(rasa=True)

    tracker = log(mine, message())
    rasa_tracker = log(rasa, message())

    assert logged(tracker) == logged(rasa_tracker)
    assert isinstance(tracker.events[-1], UserUttered)
    assert tracker.latest_message.intent["name"] == "report_fault"
    assert tracker.latest_message.entities == PARSE["entities"]
    assert any(isinstance(event, SessionStarted) for event in tracker.events)
    saved, rasa_saved = (
        asyncio.run(InMemoryTrackerStore.retrieve(p.tracker_store, "Frau Schmidt"))
        for p in (mine, rasa)
    )
    assert logged(saved) == logged(rasa_saved)


def test_a_second_message_continues_the_loaded_conversation():
    mine, rasa = processor(), processor(rasa=True)
    for text in ("Hallo", "Der Drucker druckt nicht"):
        tracker = log(mine, message(text))
        rasa_tracker = log(rasa, message(text))

    assert logged(tracker) == logged(rasa_tracker)
    assert sum(isinstance(event, UserUttered) for event in tracker.events) == 2


def test_the_parse_runs_in_the_nlu_thread_while_the_conversation_loads():
    mine = processor()
    mine.tracker_store.wait_for = mine.graph_runner.started
    mine.graph_runner.proceed = mine.tracker_store.loading

    tracker = log(mine, message())

    assert tracker.latest_message.intent["name"] == "report_fault"
    [(thread, loaded)] = mine.graph_runner.runs
    assert thread.startswith("ksm-nlu")
    assert not loaded


def test_messages_are_parsed_one_after_the_other_in_one_thread():
    mine = processor()

    async def conversations() -> None:
        await asyncio.gather(*(mine.log_message(message(sender=f"s{i}")) for i in range(5)))

    asyncio.run(conversations())

    assert len(mine.graph_runner.runs) == 5
    assert len({thread for thread, _ in mine.graph_runner.runs}) == 1


def test_every_parse_runs_in_the_nlu_thread_and_gives_rasa_s_answer():
    mine, rasa = processor(), processor(rasa=True)

    parsed = asyncio.run(mine.parse_message(message(), None, False))

    assert parsed == asyncio.run(rasa.parse_message(message(), None, False))
    assert parsed["intent"]["name"] == "report_fault"
    [(thread, _)] = mine.graph_runner.runs
    assert thread.startswith("ksm-nlu")


class HttpInterpreter:
    async def parse(self, user_message: UserMessage) -> dict[str, Any]:
        return {"text": user_message.text, **PARSE}


@pytest.mark.parametrize("case", ["NLU server", "the NLU graph reads the tracker"])
def test_rasa_s_way_parses_after_loading_where_the_parse_cannot_go_ahead(case: str):
    mine = processor(tracker_needed=case == "the NLU graph reads the tracker")
    rasa = processor(tracker_needed=case == "the NLU graph reads the tracker", rasa=True)
    if case == "NLU server":
        mine.http_interpreter = rasa.http_interpreter = HttpInterpreter()

    tracker = log(mine, message())

    assert logged(tracker) == logged(log(rasa, message()))
    assert tracker.latest_message.intent["name"] == "report_fault"
    if case == "NLU server":
        assert mine.graph_runner.runs == []
    else:
        [(thread, loaded)] = mine.graph_runner.runs
        assert thread.startswith("ksm-nlu")
        assert loaded


def test_a_message_that_comes_parsed_is_not_parsed_again():
    mine = processor()
    parsed = {"intent": {"name": "greet", "confidence": 1.0}, "entities": []}

    tracker = log(mine, message("/greet", parse_data=parsed))

    assert mine.graph_runner.runs == []
    assert tracker.latest_message.intent["name"] == "greet"


def test_a_failed_load_is_raised_once_the_parse_has_ended():
    mine = processor()
    mine.tracker_store.error = RuntimeError("Datenbank nicht erreichbar")
    mine.tracker_store.wait_for = mine.graph_runner.started
    mine.graph_runner.proceed = proceed = threading.Event()

    async def failing_load() -> None:
        asyncio.get_running_loop().call_later(0.2, proceed.set)
        await mine.log_message(message())

    with pytest.raises(RuntimeError, match="Datenbank nicht erreichbar"):
        asyncio.run(failing_load())
    assert mine.graph_runner.ended.is_set()


def test_a_failed_parse_is_raised_once_the_conversation_has_loaded():
    mine = processor()
    mine.graph_runner.error = ValueError("kaputtes Modell")

    with pytest.raises(ValueError, match="kaputtes Modell"):
        log(mine, message())

    assert mine.tracker_store.loaded.is_set()
