"""The JSON API: nothing without a valid token, the same operations as the pages."""

import pytest

from bot.cli import main
from bot.db import session as db_session
from bot.web import accounts
from tests.bot.web.conftest import log_in
from tests.utils.tickets import open_ticket

NUMBER = "KSM-2026-00001"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/tickets", None),
        ("get", f"/api/tickets/{NUMBER}", None),
        ("post", f"/api/tickets/{NUMBER}/status", {"status": "gelöst"}),
        ("put", f"/api/tickets/{NUMBER}/assignee", {"agent": None}),
        ("post", f"/api/tickets/{NUMBER}/notes", {"text": "x", "public": True}),
        ("get", "/api/agents", None),
        ("get", "/api/me", None),
    ],
)
@pytest.mark.parametrize("authorization", [None, "Bearer ksm_erfunden", "Basic ZXJpa2E6eA=="])
def test_calls_without_a_valid_token_are_refused_and_show_nothing(
    client, agent, method, path, body, authorization
):
    open_ticket(title="Geheimer Drucker", reporter_name="Max Beispiel")
    headers = {"Authorization": authorization} if authorization else {}
    response = client.request(method, path, json=body, headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "Gültiges API-Token erforderlich."}


def test_a_revoked_token_is_refused(api, agent):
    assert api.get("/api/me").json() == {"name": "erika", "display_name": "Erika Muster"}
    with db_session.transaction() as session:
        erika = accounts.agent_by_name(agent, session=session)
        assert accounts.revoke_api_tokens(erika, now=erika.created_at, session=session) == 1
    assert api.get("/api/me").status_code == 401


def test_agents_revoke_refuses_the_token_and_ends_the_login_at_once(
    api, seeded, environment, capsys
):
    environment.setenv("KSM_DATABASE_URL", seeded)  # before the app's clock reads the settings
    assert log_in(api).status_code == 303
    assert api.get("/api/me").status_code == 200
    assert api.get("/helpdesk", follow_redirects=False).status_code == 200

    assert main(["agents", "revoke", "erika"]) == 0
    assert "1 Anmeldung(en) beendet" in capsys.readouterr().out

    assert api.get("/api/me").status_code == 401
    assert api.get("/helpdesk", follow_redirects=False).status_code == 303


def test_queue_is_filtered_and_sorted(api):
    low = open_ticket(member="grabow", impact=3, urgency=3)
    high = open_ticket(member="schwerin", category="netzwerk", impact=1)

    everything = api.get("/api/tickets").json()
    assert everything["total"] == 2
    assert [t["number"] for t in everything["items"]] == [high, low]
    assert everything["items"][0]["member"] == "schwerin"
    assert everything["items"][0]["priority_label"] == "2 (hoch)"

    assert [t["number"] for t in api.get("/api/tickets?member=grabow").json()["items"]] == [low]
    assert api.get("/api/tickets?category=netzwerk&priority=4").json()["total"] == 0
    assert api.get("/api/tickets?status=neu&q=drucker&limit=1").json()["total"] == 2
    assert api.get("/api/tickets?priority=9").status_code == 422


def test_ticket_detail_has_excerpt_and_history(api):
    number = open_ticket()
    ticket = api.get(f"/api/tickets/{number}").json()
    assert ticket["excerpt"].startswith("Nutzer: Der Drucker druckt nicht.")
    assert [(e["kind"], e["actor"]) for e in ticket["events"]] == [("created", "Assistent")]
    assert api.get("/api/tickets/KSM-2026-09999").status_code == 404
    assert api.get("/api/tickets/kein-ticket").status_code == 422


def test_status_assignment_and_notes_are_recorded(api):
    number = open_ticket()
    changed = api.post(f"/api/tickets/{number}/status", json={"status": "in Bearbeitung"})
    assert changed.json()["status"] == "in Bearbeitung"
    assigned = api.put(f"/api/tickets/{number}/assignee", json={"agent": "erika"}).json()
    assert assigned["assignee"] == "erika"
    note = api.post(f"/api/tickets/{number}/notes", json={"text": "Toner bestellt", "public": True})
    assert note.status_code == 201
    assert note.json()["kind"] == "public_note"

    events = api.get(f"/api/tickets/{number}").json()["events"]
    assert [(e["kind"], e["actor"], e["new_value"]) for e in events[1:]] == [
        ("status", "Erika Muster", "in Bearbeitung"),
        ("assigned", "Erika Muster", "erika"),
        ("public_note", "Erika Muster", None),
    ]


def test_unknown_agent_or_status_is_invalid_input(api):
    number = open_ticket()
    assert api.put(f"/api/tickets/{number}/assignee", json={"agent": "niemand"}).status_code == 422
    assert api.post(f"/api/tickets/{number}/status", json={"status": "erledigt"}).status_code == 422
    assert api.post(f"/api/tickets/{number}/notes", json={"text": "  "}).status_code == 422


def test_openapi_document_is_served_and_names_the_token_scheme(client):
    document = client.get("/api/openapi.json").json()
    assert document["components"]["securitySchemes"]["ApiToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "API-Token aus `python -m bot agents token NAME`",
    }
    assert "/api/tickets/{number}/status" in document["paths"]
    assert not any(path.startswith("/helpdesk") for path in document["paths"])
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN
