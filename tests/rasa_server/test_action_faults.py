"""A failing action server: Rasa alone says nothing; patched, the user gets the apology.

Real Rasa objects (the project's domain, Rasa's message processor, remote and form actions)
talk to a local stand-in for the action server that is down, answers HTTP 500 or does not
answer at all.
"""

from __future__ import annotations

import asyncio
import socket
import warnings
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import limits
from bot.settings import PROJECT_ROOT
from rasa_server import patches

with warnings.catch_warnings():  # as Rasa's own start-up does
    # the processor's scheduler imports pkg_resources; the hint is about Rasa 2.x domains
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", "Slot auto-fill has been removed", UserWarning)
    from rasa.core.processor import MessageProcessor

    DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))
RASA_REMOTE_RUN = patches.rasa_remote_run()
RASA_FORM_RUN = patches.rasa_form_run()
APOLOGY = "Entschuldigung, bei mir ist gerade ein technischer Fehler aufgetreten."
SHIPPED_HOTLINE = "030 23125 100"
FAILURES = ["down", "error", "slow"]


class ActionServer:
    """Answers each action with ``answers[name]`` unless told to fail (``behaviour``)."""

    def __init__(self) -> None:
        self.behaviour = "ok"
        self.answers: dict[str, dict[str, Any]] = {}
        self.release = asyncio.Event()
        self.server: TestServer | None = None

    async def webhook(self, request: web.Request) -> web.Response:
        name = (await request.json())["next_action"]
        if self.behaviour == "error":
            return web.json_response({"error": "Traceback …"}, status=500)
        if self.behaviour == "reject":
            return web.json_response({"action_name": name, "error": "nichts gefunden"}, status=400)
        if self.behaviour == "slow":
            await self.release.wait()
        return web.json_response(self.answers.get(name, {"events": [], "responses": []}))

    @property
    def endpoint(self) -> EndpointConfig:
        if self.behaviour == "down":
            with socket.socket() as sock:  # a port nobody listens on
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            return EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        assert self.server is not None
        return EndpointConfig(str(self.server.make_url("/webhook")))


@pytest.fixture
async def action_server() -> AsyncIterator[ActionServer]:
    stand_in = ActionServer()
    app = web.Application()
    app.router.add_post("/webhook", stand_in.webhook)
    stand_in.server = TestServer(app, host="127.0.0.1")
    await stand_in.server.start_server()
    yield stand_in
    stand_in.release.set()
    await stand_in.server.close()


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Rasa server as ``python -m rasa_server`` runs it, with a short action timeout."""
    monkeypatch.setenv(patches.ACTION_TIMEOUT_VARIABLE, "0.3")
    monkeypatch.setattr(RemoteAction, "run", patches.run_remote_action)
    monkeypatch.setattr(FormAction, "run", patches.run_form)


@pytest.fixture
def rasa_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RemoteAction, "run", RASA_REMOTE_RUN)
    monkeypatch.setattr(FormAction, "run", RASA_FORM_RUN)


def processor(domain: Domain = DOMAIN) -> MessageProcessor:
    """Rasa's message processor without a model: enough to run one action as Rasa does."""
    instance = MessageProcessor.__new__(MessageProcessor)
    instance.domain = domain
    return instance


def conversation(*events: Any, domain: Domain = DOMAIN) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("staff-1", list(events), domain.slots, domain=domain)


def user(text: str, intent: str) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.98})


async def run(
    action: Any, tracker: DialogueStateTracker, domain: Domain = DOMAIN
) -> CollectingOutputChannel:
    """Run ``action`` as Rasa's processor does; what the user was sent."""
    channel = CollectingOutputChannel()
    await processor(domain)._run_action(
        action,
        tracker,
        channel,
        TemplatedNaturalLanguageGenerator(domain.responses),
        PolicyPrediction.for_action_name(domain, action.name()),
    )
    return channel


def texts(channel: CollectingOutputChannel) -> list[str]:
    return [message.get("text", "") for message in channel.messages]


def question() -> DialogueStateTracker:
    return conversation(
        ActionExecuted("action_listen"), user("Welche Verwaltungen gehören dazu?", "list_members")
    )


async def test_rasa_alone_says_nothing_when_the_action_server_is_down(rasa_alone, action_server):
    action_server.behaviour = "down"
    tracker = question()

    channel = await run(RemoteAction("action_list_members", action_server.endpoint), tracker)

    assert channel.messages == []
    assert tracker.latest_action_name == "action_list_members"


@pytest.mark.parametrize("failure", FAILURES)
async def test_a_failing_action_server_gets_the_apology_with_the_hotline(
    patched, action_server, failure, caplog
):
    action_server.behaviour = failure
    tracker = question()

    channel = await run(RemoteAction("action_list_members", action_server.endpoint), tracker)

    [apology] = texts(channel)
    assert apology.startswith(APOLOGY)
    assert apology.endswith(f"rufen Sie den Servicedesk an: {SHIPPED_HOTLINE}.")
    [uttered] = [event for event in tracker.events if isinstance(event, BotUttered)]
    assert uttered.metadata["utter_action"] == "utter_technical_problem"
    assert tracker.followup_action == "action_listen"  # then the assistant listens again
    assert "action_list_members" in caplog.text
    assert "Welche Verwaltungen" not in caplog.text
    assert "Traceback" not in caplog.text


async def test_the_apology_names_the_hotline_the_conversation_was_given(patched, action_server):
    action_server.behaviour = "error"
    tracker = question()
    tracker.update(SlotSet("desk_phone", "0385 99 99 99"))

    channel = await run(RemoteAction("action_list_members", action_server.endpoint), tracker)

    assert texts(channel)[0].endswith("rufen Sie den Servicedesk an: 0385 99 99 99.")


async def test_a_conversation_that_lost_its_hotline_gets_the_domain_s(patched, action_server):
    action_server.behaviour = "error"
    tracker = question()
    tracker.update(SlotSet("desk_phone", None))

    channel = await run(RemoteAction("action_list_members", action_server.endpoint), tracker)

    assert texts(channel)[0].endswith(f"rufen Sie den Servicedesk an: {SHIPPED_HOTLINE}.")


async def test_a_domain_without_the_apology_still_names_the_hotline(patched, action_server):
    action_server.behaviour = "down"
    empty = Domain.from_dict({"actions": ["action_list_members"]})
    tracker = conversation(ActionExecuted("action_listen"), domain=empty)

    channel = await run(
        RemoteAction("action_list_members", action_server.endpoint), tracker, domain=empty
    )

    assert texts(channel) == [patches.FALLBACK_APOLOGY.format(desk_phone=SHIPPED_HOTLINE)]


async def test_a_working_action_server_is_answered_as_before(patched, action_server):
    action_server.answers["action_list_members"] = {
        "events": [{"event": "slot", "name": "member", "value": "grabow"}],
        "responses": [{"text": "Zum KSM-Verbund gehören 7 Verwaltungen."}],
    }
    tracker = question()

    channel = await run(RemoteAction("action_list_members", action_server.endpoint), tracker)

    assert texts(channel) == ["Zum KSM-Verbund gehören 7 Verwaltungen."]
    assert tracker.get_slot("member") == "grabow"
    assert tracker.followup_action is None


async def test_a_rejection_still_goes_to_rasa_s_policies(patched, action_server):
    action_server.behaviour = "reject"
    action = RemoteAction("action_list_members", action_server.endpoint)
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)

    with pytest.raises(ActionExecutionRejection):
        await action.run(CollectingOutputChannel(), nlg, question(), DOMAIN)


def form_answer(requested: str = "fault_description") -> DialogueStateTracker:
    """The fault form asked for ``requested`` and the user answered."""
    return conversation(
        ActionExecuted("action_listen"),
        user("Der Drucker druckt nicht, bitte aufnehmen", "report_fault"),
        ActionExecuted("fault_form"),
        ActiveLoop("fault_form"),
        SlotSet("requested_slot", requested),
        ActionExecuted("action_listen"),
        user("Der Drucker im Bürgerbüro zeigt Papierstau", "inform"),
    )


def fault_form(action_server: ActionServer) -> FormAction:
    return FormAction("fault_form", action_server.endpoint)


async def test_rasa_alone_says_nothing_when_a_form_cannot_validate(rasa_alone, action_server):
    action_server.behaviour = "error"

    channel = await run(fault_form(action_server), form_answer())

    assert channel.messages == []


@pytest.mark.parametrize("failure", FAILURES)
async def test_a_form_whose_validation_fails_apologises_and_stays_where_it_was(
    patched, action_server, failure
):
    action_server.behaviour = failure
    tracker = form_answer()

    channel = await run(fault_form(action_server), tracker)

    [apology] = texts(channel)
    assert apology.startswith(APOLOGY)
    assert tracker.active_loop_name == "fault_form"
    assert tracker.get_slot("requested_slot") == "fault_description"
    assert tracker.get_slot("fault_description") is None
    assert tracker.followup_action == "action_listen"


async def test_a_form_whose_next_question_fails_takes_no_answer_either(patched, action_server):
    action_server.answers["validate_fault_form"] = {
        "events": [{"event": "slot", "name": "fault_description", "value": "Papierstau"}]
    }
    action_server.behaviour = "ok"
    tracker = form_answer()
    ask_member = RemoteAction("action_ask_member", action_server.endpoint)

    async def failing_question(*args: Any, **kwargs: Any) -> None:
        raise patches.ActionServerFailed(ask_member.name())

    form = fault_form(action_server)
    form.request_next_slot = failing_question
    channel = await run(form, tracker)

    assert texts(channel)[0].startswith(APOLOGY)
    assert tracker.get_slot("fault_description") is None
    assert tracker.get_slot("requested_slot") == "fault_description"


async def test_the_form_continues_once_the_action_server_is_back(patched, action_server):
    action_server.behaviour = "error"
    tracker = form_answer()
    await run(fault_form(action_server), tracker)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(user("Der Drucker im Bürgerbüro zeigt Papierstau", "inform"))
    action_server.behaviour = "ok"
    action_server.answers["validate_fault_form"] = {
        "events": [{"event": "slot", "name": "fault_description", "value": "Papierstau"}]
    }
    action_server.answers["action_ask_member"] = {
        "events": [],
        "responses": [{"text": "Zu welcher Verwaltung gehören Sie?"}],
    }

    channel = await run(fault_form(action_server), tracker)

    assert texts(channel) == ["Zu welcher Verwaltung gehören Sie?"]
    assert tracker.get_slot("fault_description") == "Papierstau"
    assert tracker.get_slot("requested_slot") == "member"
    assert tracker.active_loop_name == "fault_form"


async def test_a_form_that_cannot_start_apologises_and_is_not_active(patched, action_server):
    action_server.behaviour = "down"
    tracker = conversation(
        ActionExecuted("action_listen"),
        user("Der Drucker druckt nicht, bitte aufnehmen", "report_fault"),
    )

    channel = await run(fault_form(action_server), tracker)

    assert texts(channel)[0].startswith(APOLOGY)
    assert tracker.active_loop_name is None


async def test_a_session_starts_with_the_privacy_notice_when_the_action_server_is_down(
    patched, action_server
):
    action_server.behaviour = "down"
    tracker = conversation(SlotSet("member", "grabow"))

    channel = await run(RemoteAction("action_session_start", action_server.endpoint), tracker)

    [notice] = texts(channel)
    assert "Hinweis zum Datenschutz" in notice
    assert any(isinstance(event, SessionStarted) for event in tracker.events)
    assert tracker.get_slot("member") == "grabow"  # carried over, as Rasa's own start does
    assert tracker.get_slot("privacy_notice_shown") is True
    assert tracker.get_slot("desk_phone") == SHIPPED_HOTLINE
    assert tracker.latest_action_name == "action_listen"

    again = conversation(SlotSet("privacy_notice_shown", True))
    assert (
        texts(await run(RemoteAction("action_session_start", action_server.endpoint), again)) == []
    )


def test_the_action_timeout_is_the_named_limit_unless_the_environment_says_otherwise(
    monkeypatch,
):
    monkeypatch.delenv(patches.ACTION_TIMEOUT_VARIABLE, raising=False)
    assert patches.action_timeout() == limits.ACTION_TIMEOUT_SECONDS
    monkeypatch.setenv(patches.ACTION_TIMEOUT_VARIABLE, "2.5")
    assert patches.action_timeout() == 2.5
    for wrong in ("0", "-1", "zehn"):
        monkeypatch.setenv(patches.ACTION_TIMEOUT_VARIABLE, wrong)
        with pytest.raises(ValueError):
            patches.action_timeout()


def test_apply_makes_rasa_apologise(monkeypatch):
    from rasa.utils.tensorflow.models import RasaModel

    monkeypatch.setattr(RemoteAction, "run", RASA_REMOTE_RUN)
    monkeypatch.setattr(FormAction, "run", RASA_FORM_RUN)
    monkeypatch.setattr(
        RemoteAction, "_validate_action_result", RemoteAction._validate_action_result
    )
    monkeypatch.setattr(RasaModel, "load", RasaModel.__dict__["load"])
    monkeypatch.setattr(patches, "_applied", False)
    monkeypatch.delenv(patches.ACTION_TIMEOUT_VARIABLE, raising=False)

    patches.apply()

    assert RemoteAction.run is patches.run_remote_action
    assert FormAction.run is patches.run_form
    assert patches.rasa_remote_run() is RASA_REMOTE_RUN


def test_apply_refuses_a_wrong_action_timeout(monkeypatch):
    monkeypatch.setattr(patches, "_applied", False)
    monkeypatch.setenv(patches.ACTION_TIMEOUT_VARIABLE, "0")
    with pytest.raises(ValueError, match=patches.ACTION_TIMEOUT_VARIABLE):
        patches.apply()
