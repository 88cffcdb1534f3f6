"""The chat widget's own behaviour in real Chromium, against a scripted stand-in for Rasa.

The page and the widget's files are served from disk through Playwright's routing, and
``window.io`` is a fake socket the test drives: what Rasa would send arrives through
``server.fire(...)``, what the widget sends is read from ``window.__sent``. The same widget
against the real assistant is tested in ``tests/e2e/test_widget.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bot.web.app import STATIC_DIR

pytestmark = pytest.mark.browser

ORIGIN = "http://intranet.test"
SERVER = "http://assistent.test:5005"

FAKE_SOCKET = """
window.__sent = [];
window.io = function (url, options) {
  var handlers = {};
  var socket = {
    url: url, options: options, connected: false,
    on: function (name, handler) { (handlers[name] = handlers[name] || []).push(handler); },
    emit: function (name, data) { window.__sent.push([name, data]); },
  };
  window.server = {
    fire: function (name, data) {
      if (name === "connect") { socket.connected = true; }
      if (name === "disconnect") { socket.connected = false; }
      (handlers[name] || []).forEach(function (handler) { handler(data); });
    },
    socket: socket,
  };
  setTimeout(function () { window.server.fire("connect"); window.server.fire("session_confirm"); });
  return socket;
};
"""

PAGE = f"""<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Intranet</title>
<script>{FAKE_SOCKET}</script></head>
<body><main><h1>Intranet</h1><a href="/other.html">Andere Seite</a></main>
<script src="/widget/ksm-chat.js" defer data-server-url="{SERVER}" data-member="grabow"
        data-user-token="signed.token.value" data-title="KSM-Servicedesk"></script>
</body></html>"""


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    context = browser.new_context()

    def serve(route: Any) -> None:
        path = route.request.url.removeprefix(ORIGIN)
        if path.startswith("/widget/"):
            route.fulfill(path=str(STATIC_DIR / path.removeprefix("/")))
        else:
            route.fulfill(body=PAGE, content_type="text/html; charset=utf-8")

    context.route(f"{ORIGIN}/**", serve)
    page = context.new_page()
    page.goto(f"{ORIGIN}/index.html")
    page.get_by_role("button", name="Fragen an den Servicedesk").click()
    expect(page.locator(".ksm-chat__connection")).to_have_text("Verbunden")
    yield page
    context.close()


def bot_says(page: Page, message: dict[str, Any]) -> None:
    page.evaluate(f"window.server.fire('bot_uttered', {json.dumps(message)})")


def sent(page: Page) -> list[list[Any]]:
    return list(page.evaluate("window.__sent"))


def user_messages(page: Page) -> list[dict[str, Any]]:
    return [data for name, data in sent(page) if name == "user_uttered"]


def log(page: Page) -> Any:
    return page.get_by_role("log", name="Gesprächsverlauf")


def type_and_send(page: Page, text: str) -> None:
    page.get_by_label("Ihre Nachricht").fill(text)
    page.keyboard.press("Enter")


def test_messages_carry_session_member_and_token_as_custom_data(page):
    assert page.evaluate("window.server.socket.url") == SERVER
    assert page.evaluate("window.server.socket.options.transports") == ["websocket"]
    session_request = sent(page)[0]
    assert session_request[0] == "session_request"
    session_id = session_request[1]["session_id"]
    assert len(session_id) == 32

    type_and_send(page, "Seit wann betreut uns die KSM?")
    assert user_messages(page) == [
        {
            "message": "Seit wann betreut uns die KSM?",
            "session_id": session_id,
            "customData": {"member": "grabow", "user_token": "signed.token.value"},
        }
    ]
    expect(log(page)).to_contain_text("Seit wann betreut uns die KSM?")


def test_bot_text_renders_lists_links_and_bold_but_never_markup(page):
    bot_says(
        page,
        {
            "text": "**Wichtig:** <script>window.__xss=1</script>\n"
            "- Portal: https://portal.ksm.example.\n"
            "- E-Mail: servicedesk@ksm.example\n"
            '- <img src=x onerror="window.__xss=2">\n'
            "[Anleitung](https://portal.ksm.example/vpn) [böse](javascript:alert(1))"
        },
    )
    message = page.locator(".ksm-chat__message--bot").last
    expect(message.locator("strong")).to_have_text("Wichtig:")
    expect(message.locator("li")).to_have_count(3)
    assert message.locator("a").evaluate_all("links => links.map(a => a.href)") == [
        "https://portal.ksm.example/",
        "mailto:servicedesk@ksm.example",
        "https://portal.ksm.example/vpn",
    ]
    expect(message).to_contain_text("<script>window.__xss=1</script>")
    expect(message).to_contain_text('<img src=x onerror="window.__xss=2">')
    expect(message).to_contain_text("[böse](javascript:alert(1))")
    assert message.locator("script, img").count() == 0
    assert page.evaluate("window.__xss") is None


def test_quick_reply_sends_its_payload_shows_its_title_and_disappears(page):
    bot_says(
        page,
        {
            "text": "Für welche Verwaltung ist das?",
            "quick_replies": [
                {"content_type": "text", "title": "Stadt Grabow", "payload": '/inform{"m":"g"}'},
                {"content_type": "text", "title": "Amt Parchimer Umland", "payload": "/x"},
            ],
        },
    )
    page.get_by_role("group", name="Antwortvorschläge").get_by_role(
        "button", name="Stadt Grabow"
    ).click()
    assert user_messages(page)[-1]["message"] == '/inform{"m":"g"}'
    expect(page.locator(".ksm-chat__message--user").last).to_have_text("Sie:Stadt Grabow")
    expect(page.get_by_role("group", name="Antwortvorschläge")).to_have_count(0)
    expect(page.get_by_label("Ihre Nachricht")).to_be_focused()


def test_quick_replies_of_all_answers_since_the_users_message_stay_until_the_user_speaks(page):
    type_and_send(page, "Drucker druckt nicht")
    bot_says(
        page,
        {
            "text": "Wenn der Drucker nicht druckt: …",
            "buttons": [{"title": "Störung melden", "payload": "/report_fault"}],
        },
    )
    bot_says(
        page,
        {
            "text": "War diese Antwort hilfreich?",
            "buttons": [
                {"title": "Ja, hilfreich", "payload": "/feedback_helpful"},
                {"title": "Nein, nicht hilfreich", "payload": "/feedback_unhelpful"},
            ],
        },
    )
    groups = page.get_by_role("group", name="Antwortvorschläge")
    expect(groups).to_have_count(2)
    page.reload()
    expect(groups).to_have_count(2)

    groups.get_by_role("button", name="Ja, hilfreich").click()
    assert user_messages(page)[-1]["message"] == "/feedback_helpful"
    expect(groups).to_have_count(0)


def test_typing_indicator_shows_until_the_answer_arrives(page):
    type_and_send(page, "Hallo")
    expect(page.get_by_text("Der Assistent schreibt …")).to_be_visible()
    bot_says(page, {"text": "Guten Tag!"})
    expect(page.get_by_text("Der Assistent schreibt …")).to_be_hidden()


def test_history_and_open_state_survive_navigation(page):
    type_and_send(page, "Wie ist die Hotline?")
    bot_says(page, {"text": "Sie erreichen den Servicedesk unter 030 23125 100."})
    session_id = user_messages(page)[0]["session_id"]
    page.get_by_role("link", name="Andere Seite").click()
    page.wait_for_url(f"{ORIGIN}/other.html")
    expect(log(page)).to_contain_text("030 23125 100")
    expect(page.get_by_role("dialog")).to_be_visible()
    assert sent(page)[0] == ["session_request", {"session_id": session_id}]


def test_new_conversation_clears_the_log_and_asks_for_a_new_session(page):
    type_and_send(page, "Hallo")
    old = sent(page)[0][1]["session_id"]
    page.get_by_role("button", name="Neues Gespräch").click()
    expect(page.locator(".ksm-chat__message")).to_have_count(0)
    name, data = sent(page)[-1]
    assert name == "session_request"
    assert data["session_id"] != old


def test_lost_connection_is_shown_and_nothing_is_lost(page):
    page.evaluate("window.server.fire('disconnect')")
    expect(page.locator(".ksm-chat__connection")).to_have_text(
        "Verbindung unterbrochen. Neuer Versuch läuft …"
    )
    type_and_send(page, "Ist jemand da?")
    expect(page.get_by_role("alert")).to_have_text(
        "Keine Verbindung: Ihre Nachricht wurde noch nicht gesendet."
    )
    expect(page.get_by_label("Ihre Nachricht")).to_have_value("Ist jemand da?")
    assert user_messages(page) == []

    page.evaluate("window.server.fire('connect'); window.server.fire('session_confirm')")
    expect(page.locator(".ksm-chat__connection")).to_have_text("Verbunden")
    page.get_by_role("button", name="Senden", exact=True).click()
    assert user_messages(page)[-1]["message"] == "Ist jemand da?"


def test_escape_closes_and_returns_focus_to_the_launcher(page):
    page.get_by_label("Ihre Nachricht").focus()
    page.keyboard.press("Escape")
    launcher = page.get_by_role("button", name="Fragen an den Servicedesk")
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("dialog")).to_be_hidden()
