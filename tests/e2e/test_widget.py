"""The chat widget on the demo intranet pages, in real Chromium against the running assistant.

Screenshots of each state go to ``results/screenshots/`` (kept by CI as test artefacts).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from bot.settings import PROJECT_ROOT
from tests.e2e.conftest import Assistant

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SCREENSHOTS = PROJECT_ROOT / "results" / "screenshots"
LAUNCHER = "Fragen an den Servicedesk"
MARKUP = '<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script>'


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    context = browser.new_context(locale="de-DE")
    yield context.new_page()
    context.close()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"widget-{name}.png"))


def open_chat(page: Page) -> None:
    page.get_by_role("button", name=LAUNCHER).click()
    expect(page.locator(".ksm-chat__connection")).to_have_text("Verbunden", timeout=20_000)


def ask(page: Page, text: str) -> None:
    """Type and send; returns once the assistant has answered."""
    answers = page.locator(".ksm-chat__message--bot").count()
    page.get_by_label("Ihre Nachricht").fill(text)
    page.get_by_role("button", name="Senden", exact=True).click()
    expect(page.locator(".ksm-chat__message--bot")).not_to_have_count(answers, timeout=30_000)


def chat_log(page: Page) -> Any:
    return page.get_by_role("log", name="Gesprächsverlauf")


def assert_no_axe_violations(page: Page, name: str) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"


def test_widget_answers_offers_quick_replies_keeps_history_and_shows_markup_as_text(running, page):
    page.goto(f"{running.web_url}/demo/grabow")
    assert_no_axe_violations(page, "closed")
    open_chat(page)
    expect(page.get_by_text("Datenschutz:", exact=False).first).to_be_visible()

    ask(page, "Seit wann betreut uns die KSM?")
    expect(chat_log(page)).to_contain_text("01.01.2019")
    helpful = page.get_by_role("button", name="Ja, hilfreich")
    expect(helpful).to_be_visible()
    screenshot(page, "answer")
    helpful.click()
    expect(chat_log(page)).to_contain_text("Danke für Ihre Rückmeldung!")

    ask(page, "Ich möchte eine Störung melden")
    ask(page, f"Der Drucker zeigt {MARKUP} an")
    suggestions = page.get_by_role("group", name="Antwortvorschläge")
    expect(suggestions.get_by_role("button")).to_have_count(3)
    assert_no_axe_violations(page, "open with quick replies")
    screenshot(page, "quick-replies")
    suggestions.get_by_role("button", name="nur ich").click()
    expect(chat_log(page)).to_contain_text("Wie sehr behindert Sie das")
    page.get_by_role("button", name="Es kann warten").click()
    summary = page.locator(".ksm-chat__message--bot").filter(has_text="Beschreibung:")
    expect(summary).to_contain_text('<img src=x onerror="window.__xss=1">')
    expect(summary).to_contain_text("<script>window.__xss=2</script>")
    assert page.evaluate("window.__xss") is None
    assert chat_log(page).locator("img, script").count() == 0
    screenshot(page, "markup-as-text")
    ask(page, "abbrechen")

    page.get_by_role("link", name="IT-Hinweise", exact=True).click()
    page.wait_for_url("**/demo/grabow/it-hinweise")
    expect(chat_log(page)).to_contain_text("01.01.2019")  # still open, same conversation
    page.reload()
    expect(chat_log(page)).to_contain_text("01.01.2019")
    expect(page.locator(".ksm-chat__connection")).to_have_text("Verbunden", timeout=20_000)
    ask(page, "Und wie erreiche ich den Servicedesk?")
    expect(chat_log(page)).to_contain_text("0385 99 99 99")

    page.get_by_role("button", name="Neues Gespräch").click()
    expect(chat_log(page)).not_to_contain_text("01.01.2019")
    expect(chat_log(page)).to_contain_text("Guten Tag!")


def test_widget_works_by_keyboard_alone_with_visible_focus(running, page):
    page.goto(f"{running.web_url}/demo/parchimer-umland")
    launcher = page.get_by_role("button", name=LAUNCHER)
    for _ in range(20):
        page.keyboard.press("Tab")
        if launcher.evaluate("element => element === document.activeElement"):
            break
    expect(launcher).to_be_focused()
    assert launcher.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    message = page.get_by_label("Ihre Nachricht")
    expect(message).to_be_focused()
    expect(page.locator(".ksm-chat__connection")).to_have_text("Verbunden", timeout=20_000)

    page.keyboard.type("Ich möchte eine Störung melden")
    page.keyboard.press("Enter")
    expect(chat_log(page)).to_contain_text("Beschreiben Sie bitte kurz")
    page.keyboard.type("Das Telefon im Bauamt klingelt nicht mehr")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="die ganze Verwaltung")).to_be_visible()

    page.keyboard.press("Shift+Tab")  # from the message field back to the last quick reply
    choice = page.get_by_role("button", name="die ganze Verwaltung")
    expect(choice).to_be_focused()
    assert choice.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(chat_log(page)).to_contain_text("Wie sehr behindert Sie das")
    expect(message).to_be_focused()
    screenshot(page, "keyboard")

    page.keyboard.type("abbrechen")
    page.keyboard.press("Enter")
    expect(chat_log(page)).to_contain_text("nichts gespeichert")
    page.keyboard.press("Escape")
    expect(launcher).to_be_focused()
    expect(page.get_by_role("dialog")).to_be_hidden()


@pytest.mark.parametrize(
    ("name", "viewport"),
    [("360px", {"width": 360, "height": 640}), ("zoom-200", {"width": 640, "height": 400})],
)
def test_widget_fits_small_screens_and_200_percent_zoom(running, browser, name, viewport):
    """A 1280×800 window at 200 % zoom lays out like a 640×400 viewport."""
    context = browser.new_context(viewport=viewport, locale="de-DE")
    page = context.new_page()
    page.goto(f"{running.web_url}/demo/schwerin")
    open_chat(page)
    ask(page, "Welche Verwaltungen gehören zum Verbund?")
    controls = [
        page.get_by_role("textbox", name="Ihre Nachricht"),
        page.get_by_role("button", name="Senden", exact=True),
        page.get_by_role("button", name="Chat schließen"),
        page.get_by_role("button", name="Neues Gespräch"),
    ]
    for control in controls:
        box = control.bounding_box()
        assert box is not None, control
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], control
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], control
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_no_axe_violations(page, name)
    screenshot(page, name)
    context.close()


def test_conversation_and_open_form_continue_after_a_server_restart(assistant: Assistant, page):
    assistant.start()
    page.goto(f"{assistant.web_url}/demo/grabow")
    open_chat(page)
    ask(page, "Ich möchte eine Störung melden")
    ask(page, "Der Scanner im Bürgerbüro zieht kein Papier ein")
    expect(chat_log(page)).to_contain_text("Wer ist betroffen?")

    assistant.stop()
    expect(page.locator(".ksm-chat__connection")).to_have_text(
        "Verbindung unterbrochen. Neuer Versuch läuft …", timeout=20_000
    )
    screenshot(page, "disconnected")
    assistant.start()
    expect(page.locator(".ksm-chat__connection")).to_have_text("Verbunden", timeout=60_000)

    page.get_by_role("button", name="mehrere Kolleginnen und Kollegen").click()
    expect(chat_log(page)).to_contain_text("Wie sehr behindert Sie das")
    page.get_by_role("button", name="Ich kann gar nicht arbeiten").click()
    expect(chat_log(page)).to_contain_text("Der Scanner im Bürgerbüro")
    expect(chat_log(page)).to_contain_text("Gemeldet von: Anna Schmidt (angemeldet)")
    screenshot(page, "after-restart")
