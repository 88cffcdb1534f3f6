"""The helpdesk in real Chromium: log in, filter, open a ticket, change its status."""

import pytest
from playwright.sync_api import expect

from bot.db import migrate
from bot.db import session as db_session
from bot.db.models import TicketStatus
from bot.db.seed import seed
from bot.tickets import desk
from tests.utils.tickets import open_ticket
from tests.utils.web import add_agent, chromium, log_in, running_web_app

pytestmark = pytest.mark.browser


@pytest.fixture
def desk_url(tmp_path):
    """The desk in uvicorn on a seeded SQLite database (the database work is tested on both
    backends elsewhere); this process's sessions go to the same database."""
    url = f"sqlite:///{tmp_path / 'ksm.db'}"
    migrate.upgrade(url)
    db_session.configure(url)
    with db_session.transaction() as session:
        seed(session=session)
    add_agent(url, "erika", display_name="Erika Muster")
    with running_web_app(url) as base_url:
        yield base_url
    db_session.get_engine().dispose()


def test_agent_logs_in_filters_opens_a_ticket_and_changes_its_status(desk_url):
    grabow = open_ticket(member="grabow", title="Drucker in Grabow druckt nicht")
    open_ticket(member="schwerin", title="VPN in Schwerin bricht ab", category="homeoffice")

    with chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        log_in(page, desk_url)

        cookie = next(c for c in context.cookies() if c["name"] == "__Host-ksm_helpdesk")
        assert (cookie["secure"], cookie["httpOnly"], cookie["sameSite"]) == (True, True, "Strict")

        page.get_by_label("Verwaltung").select_option(label="Stadt Grabow")
        page.get_by_role("button", name="Filtern").click()
        queue = page.get_by_role("table")
        assert "Drucker in Grabow" in queue.inner_text()
        assert "VPN in Schwerin" not in queue.inner_text()

        page.get_by_role("link", name=grabow).click()
        page.get_by_role("heading", level=1).filter(has_text=grabow).wait_for()
        assert "Nutzer: Der Drucker druckt nicht." in page.locator(".excerpt").inner_text()

        page.get_by_label("Status", exact=True).select_option("in Bearbeitung")
        page.get_by_role("button", name="Status ändern").click()
        page.get_by_role("status").filter(has_text="Der Status wurde geändert.").wait_for()
        assert page.locator("#current-status").inner_text() == "in Bearbeitung"
        assert "Erika Muster: Status von „neu“ auf „in Bearbeitung“ geändert" in (
            page.locator(".history").inner_text()
        )

    with db_session.transaction() as session:
        assert desk.ticket_by_number(grabow, session=session).status == TicketStatus.IN_BEARBEITUNG


def test_the_desk_works_by_keyboard_alone(desk_url):
    number = open_ticket(member="grabow")
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{desk_url}/helpdesk")  # not logged in: the login form, name field focused
        expect(page.get_by_label("Anmeldename")).to_be_focused()
        page.keyboard.type("erika")
        page.keyboard.press("Tab")
        page.keyboard.type("ein-langes-test-passwort")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{desk_url}/helpdesk")

        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
        page.keyboard.press("Enter")
        link = page.get_by_role("link", name=number)
        for _ in range(30):
            page.keyboard.press("Tab")
            if link.evaluate("element => element === document.activeElement"):
                break
        page.keyboard.press("Enter")
        page.wait_for_url(f"{desk_url}/helpdesk/tickets/{number}")
