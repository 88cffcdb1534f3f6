"""The agents' pages: nothing without login, CSRF on every form, changes land in the history."""

import datetime as dt

import pytest
from sqlalchemy import update

from bot.cli import main
from bot.db import session as db_session
from bot.db.models import AgentSession, Ticket, TicketStatus
from bot.tickets import desk
from tests.bot.web.conftest import csrf_token, log_in
from tests.utils.tickets import open_ticket


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/helpdesk"),
        ("get", "/helpdesk?q=Drucker"),
        ("get", "/helpdesk/tickets/KSM-2026-00001"),
        ("post", "/helpdesk/tickets/KSM-2026-00001/status"),
        ("post", "/helpdesk/tickets/KSM-2026-00001/notes"),
        ("post", "/helpdesk/tickets/KSM-2026-00001/assignee"),
    ],
)
def test_pages_without_login_send_to_the_login_form_and_show_no_ticket(client, method, path):
    number = open_ticket(title="Geheimer Drucker", reporter_name="Max Beispiel")
    response = getattr(client, method)(path, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/helpdesk/login?next=/helpdesk")
    for secret in (number, "Geheimer Drucker", "Max Beispiel"):
        assert secret not in response.text


def test_a_forged_session_cookie_opens_nothing(client, agent):
    open_ticket(title="Geheimer Drucker")
    client.cookies.set("__Host-ksm_helpdesk", "erfunden")
    response = client.get("/helpdesk", follow_redirects=False)
    assert response.status_code == 303
    assert "Geheimer Drucker" not in response.text


def test_login_with_a_wrong_password_fails(client, agent):
    response = log_in(client, password="falsches-passwort-123")
    assert response.status_code == 401
    assert "Anmeldename oder Passwort ist falsch." in response.text
    assert "__Host-ksm_helpdesk" not in response.headers.get("set-cookie", "")
    assert client.get("/helpdesk", follow_redirects=False).status_code == 303


def test_login_of_an_unknown_agent_fails_the_same_way(client, agent):
    response = log_in(client, name="niemand")
    assert response.status_code == 401
    assert "Anmeldename oder Passwort ist falsch." in response.text


def test_login_sets_a_secure_http_only_strict_session_cookie(client, agent):
    response = log_in(client)
    assert response.status_code == 303
    assert response.headers["location"] == "/helpdesk"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("__Host-ksm_helpdesk=")
    )
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "path"} <= attributes
    assert "samesite=strict" in cookie.lower()
    assert "domain" not in attributes


def test_login_returns_to_the_page_asked_for_but_never_to_another_site(client, agent):
    form = client.get("/helpdesk/login?next=https://evil.example/")
    assert 'name="next" value="/helpdesk"' in form.text
    response = client.post(
        "/helpdesk/login",
        data={
            "name": "erika",
            "password": "ein-langes-test-passwort",
            "csrf_token": csrf_token(form.text),
            "next": "//evil.example/helpdesk",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/helpdesk"


def test_login_form_without_its_csrf_token_is_refused(client, agent):
    client.get("/helpdesk/login")
    response = client.post(
        "/helpdesk/login",
        data={"name": "erika", "password": "ein-langes-test-passwort", "csrf_token": "falsch"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "__Host-ksm_helpdesk" not in response.headers.get("set-cookie", "")


def test_a_form_with_a_wrong_csrf_token_changes_nothing(logged_in):
    number = open_ticket()
    response = logged_in.post(
        f"/helpdesk/tickets/{number}/status",
        data={"status": "gelöst", "csrf_token": "gefälscht"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "Anfrage abgelehnt" in response.text
    with db_session.transaction() as session:
        assert desk.ticket_by_number(number, session=session).status == TicketStatus.NEU


def test_queue_lists_by_priority_and_filters(logged_in):
    low = open_ticket(member="grabow", title="Maus klemmt", urgency=3, impact=3)
    high = open_ticket(member="schwerin", title="Netz weg", category="netzwerk", impact=1)

    page = logged_in.get("/helpdesk").text
    assert page.index(high) < page.index(low)
    assert "2 Tickets" in page

    filtered = logged_in.get("/helpdesk", params={"member": "grabow", "status": "neu"}).text
    assert low in filtered and high not in filtered
    by_text = logged_in.get("/helpdesk", params={"q": "netz"}).text
    assert high in by_text and low not in by_text
    by_category = logged_in.get("/helpdesk", params={"category": "netzwerk", "priority": "1"}).text
    assert "Keine Tickets gefunden." in by_category
    by_priority = logged_in.get("/helpdesk", params={"priority": "2"}).text
    assert high in by_priority and low not in by_priority


def test_ticket_page_shows_the_conversation_excerpt_and_history(logged_in):
    number = open_ticket(member="grabow")
    page = logged_in.get(f"/helpdesk/tickets/{number}").text
    assert "Stadt Grabow" in page
    assert "Nutzer: Der Drucker druckt nicht." in page
    assert "Ticket angelegt" in page
    assert logged_in.get("/helpdesk/tickets/KSM-2026-09999").status_code == 404


def _post(client, number, action, **data):
    page = client.get(f"/helpdesk/tickets/{number}").text
    return client.post(
        f"/helpdesk/tickets/{number}/{action}",
        data={**data, "csrf_token": csrf_token(page)},
        follow_redirects=True,
    )


def test_status_change_is_saved_with_the_agent_in_the_history(logged_in):
    number = open_ticket()
    page = _post(logged_in, number, "status", status="in Bearbeitung")
    assert "Der Status wurde geändert." in page.text
    assert "Erika Muster: Status von „neu“ auf „in Bearbeitung“ geändert" in page.text
    with db_session.transaction() as session:
        assert desk.ticket_by_number(number, session=session).status == TicketStatus.IN_BEARBEITUNG


def test_public_and_internal_notes_are_shown_as_such(logged_in):
    number = open_ticket()
    _post(logged_in, number, "notes", text="Toner ist bestellt.", visibility="oeffentlich")
    page = _post(logged_in, number, "notes", text="Nur für uns.", visibility="intern").text
    assert "Öffentliche Notiz (auch für die meldende Person)" in page
    assert "Interne Notiz (nur Servicedesk)" in page
    assert page.index("Toner ist bestellt.") < page.index("Nur für uns.")


def test_an_empty_note_is_refused_with_a_message(logged_in):
    number = open_ticket()
    page = _post(logged_in, number, "notes", text="   ", visibility="intern")
    assert page.status_code == 422
    assert "Die Notiz ist leer." in page.text


def test_assigning_a_ticket_shows_the_agent(logged_in):
    number = open_ticket()
    page = _post(logged_in, number, "assignee", assignee="erika").text
    assert "Zugewiesen an Erika Muster" in page
    assert "Erika Muster" in logged_in.get("/helpdesk").text
    assert _post(logged_in, number, "assignee", assignee="niemand").status_code == 422


def test_ticket_fields_are_rendered_escaped(logged_in):
    # The ticket service stores plain text (tests/bot/tickets/test_service.py); rows written
    # before it did, or by an import, may still hold markup, which the pages must escape.
    number = open_ticket()
    with db_session.transaction() as session:
        session.execute(
            update(Ticket)
            .where(Ticket.number == number)
            .values(
                title="<script>alert(1)</script>", excerpt="Nutzer: <img src=x onerror=alert(2)>"
            )
        )
    for path in ("/helpdesk", f"/helpdesk/tickets/{number}"):
        page = logged_in.get(path).text
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_logout_ends_the_session(logged_in):
    page = logged_in.get("/helpdesk").text
    response = logged_in.post(
        "/helpdesk/logout", data={"csrf_token": csrf_token(page)}, follow_redirects=False
    )
    assert response.headers["location"] == "/helpdesk/login"
    assert logged_in.get("/helpdesk", follow_redirects=False).status_code == 303


def test_an_expired_session_needs_a_new_login(logged_in):
    with db_session.transaction() as session:
        session.execute(
            update(AgentSession).values(
                expires_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
            )
        )
    assert logged_in.get("/helpdesk", follow_redirects=False).status_code == 303


def test_pages_forbid_framing_scripts_and_caching(logged_in):
    response = logged_in.get("/helpdesk")
    assert "script-src" not in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"


LOCKED = (
    "Nach zu vielen fehlgeschlagenen Anmeldeversuchen ist die Anmeldung mit diesem Namen "
    "bis 14:35 Uhr gesperrt."
)
WRONG = "falsches-passwort-123"


def test_five_wrong_passwords_lock_the_login_even_for_the_right_password(client, agent, at, waits):
    at(14, 20)
    for _ in range(4):
        assert log_in(client, password=WRONG).status_code == 401

    fifth = log_in(client, password=WRONG)
    assert fifth.status_code == 429
    assert LOCKED in fifth.text
    assert fifth.headers["retry-after"] == "900"

    at(14, 34, 59)
    right = log_in(client)
    assert right.status_code == 429
    assert LOCKED in right.text
    assert "__Host-ksm_helpdesk" not in right.headers.get("set-cookie", "")
    assert client.get("/helpdesk", follow_redirects=False).status_code == 303


def test_the_lock_ends_after_fifteen_minutes(client, agent, at, waits):
    at(14, 20)
    for _ in range(5):
        log_in(client, password=WRONG)
    at(14, 35)
    assert log_in(client).status_code == 303


def test_the_lock_time_is_rounded_up_to_the_minute(client, agent, at, waits):
    at(14, 19, 30)
    for _ in range(5):
        response = log_in(client, password=WRONG)
    assert LOCKED in response.text  # locked until 14:34:30, so "bis 14:35 Uhr"


def test_failed_logins_answer_later_each_time(client, agent, waits):
    for _ in range(5):
        log_in(client, password=WRONG)
    assert waits == [1, 2, 3, 4]  # the first failure answers at once, none waits for the lock


def test_unknown_names_lock_the_same_way_and_answer_identically(client, agent, at, waits):
    at(14, 20)
    for attempt in range(6):
        known = log_in(client, name="erika", password=WRONG)
        unknown = log_in(client, name="niemand", password=WRONG)
        assert (known.status_code, known.text) == (unknown.status_code, unknown.text), attempt
        assert known.headers.get("retry-after") == unknown.headers.get("retry-after")
        assert known.headers.get("set-cookie") == unknown.headers.get("set-cookie")
    assert LOCKED in unknown.text
    assert waits == [1, 1, 2, 2, 3, 3, 4, 4]


def test_spelling_variants_of_the_name_share_one_lock(client, agent, at, waits):
    at(14, 20)
    for name in ("Erika", " erika", "ERIKA ", "erika", "Erika"):
        log_in(client, name=name, password=WRONG)
    assert LOCKED in log_in(client).text


def test_a_successful_login_resets_the_failure_count(client, agent, waits):
    for _ in range(4):
        log_in(client, password=WRONG)
    assert log_in(client).status_code == 303
    waits.clear()

    for _ in range(4):
        assert log_in(client, password=WRONG).status_code == 401
    assert waits == [1, 2, 3]


def test_failures_older_than_fifteen_minutes_stop_counting(client, agent, at, waits):
    at(14, 0)
    for _ in range(4):
        log_in(client, password=WRONG)
    at(14, 15)
    response = log_in(client, password=WRONG)
    assert response.status_code == 401
    assert "Anmeldename oder Passwort ist falsch." in response.text
    assert waits == [1, 2, 3]  # the new window's first failure answers at once
    assert log_in(client).status_code == 303


def test_unlock_on_the_command_line_lets_the_agent_in(
    client, agent, at, waits, seeded, environment, capsys
):
    environment.setenv("KSM_DATABASE_URL", seeded)
    at(14, 20)
    for _ in range(5):
        log_in(client, password=WRONG)
    assert log_in(client).status_code == 429

    assert main(["agents", "unlock", "erika"]) == 0
    assert "Anmeldesperre von 'erika' aufgehoben" in capsys.readouterr().out

    assert log_in(client).status_code == 303
