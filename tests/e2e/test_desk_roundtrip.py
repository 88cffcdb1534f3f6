"""The whole ticket round trip on the running assistant, with the desk in real Chromium.

A signed-in user reports a fault in the chat; an agent created with ``python -m bot agents add``
logs in to the desk that ``python -m bot run`` serves, filters the queue, opens that ticket,
changes its status and writes a public note; the user then asks in the chat and reads both.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_tickets import TICKET, token
from tests.utils.web import AGENT_PASSWORD, chromium, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

DESCRIPTION = "Der Drucker im Standesamt zieht kein Papier mehr ein"
PUBLIC_NOTE = "Ein Techniker kommt morgen Vormittag vorbei."


def test_agent_handles_a_chat_ticket_and_the_reporter_reads_the_new_status(running):
    metadata = token(sub="u-e2e-desk")
    say = lambda text: running.say("e2e-desk-1", text, metadata)  # noqa: E731
    assert "Wer ist betroffen?" in say(f"Ich möchte eine Störung melden: {DESCRIPTION}")
    say("nur ich")
    assert "Bereich: Drucker und Multifunktionsgeräte" in say("Ich kann eingeschränkt arbeiten")
    opened = say("Ja")
    number = TICKET.search(opened).group(0)
    assert "Status: neu" in say(f"Wie ist der Stand von {number}?")

    # As an administrator would: python -m bot agents add, the password on stdin.
    running.cli("agents", "add", "jonas", "--display-name", "Jonas Berger", stdin=AGENT_PASSWORD)
    with chromium() as browser:
        page = browser.new_page()
        log_in(page, running.web_url, "jonas")

        page.get_by_label("Verwaltung").select_option(label="Stadt Grabow")
        page.get_by_label("Kategorie").select_option("drucker")
        page.get_by_role("button", name="Filtern").click()
        page.get_by_role("link", name=number).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(number)
        expect(page.locator(".excerpt")).to_contain_text(DESCRIPTION)
        expect(page.locator(".facts")).to_contain_text("Anna Schmidt")

        page.get_by_label("Status", exact=True).select_option("in Bearbeitung")
        page.get_by_role("button", name="Status ändern").click()
        expect(page.locator("#current-status")).to_have_text("in Bearbeitung")

        page.get_by_label("Notiz").fill(PUBLIC_NOTE)
        page.get_by_label("Öffentlich (auch für die meldende Person)").check()
        page.get_by_role("button", name="Notiz speichern").click()
        expect(page.locator(".history")).to_contain_text(PUBLIC_NOTE)

    status = running.say("e2e-desk-2", f"Gibt es etwas Neues zu Ticket {number}?", metadata)
    assert "Status: in Bearbeitung" in status
    assert f"Letzte Nachricht des Servicedesks: {PUBLIC_NOTE}" in status
    assert re.search(r"Letzte Änderung: \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr", status)
