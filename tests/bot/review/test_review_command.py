"""`python -m bot review`: the trainer's weekly list, and the export to NLU YAML."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from bot.cli import main


@pytest.fixture
def review_db(environment, db_url):
    environment.setenv("KSM_DATABASE_URL", db_url)
    return db_url


def test_review_shows_feedback_first_then_uncertain_messages_and_exports_them(
    review_db, tracker, tmp_path, capsys
):
    tracker.user("a", "Der Toner ist alle", "faq", 0.93, faq="faq/printer_not_printing")
    tracker.user("a", "/feedback_unhelpful", "feedback_unhelpful", 1.0)
    tracker.user(
        "a",
        "wo bleibt der techniker, ruf an: 0171 1234567",
        "ticket_status",
        0.41,
        others=(("contact_servicedesk", 0.3),),
    )
    tracker.action("a", "action_suggest_intents")
    tracker.user("b", "Ich habe mein Passwort vergessen", "faq", 0.5)
    tracker.user("b", "Frage von letztem Monat", "help", 0.2, ago=dt.timedelta(days=20))
    tracker.session.commit()
    export = tmp_path / "pruefen.yml"

    assert main(["review", "--export", str(export)]) == 0

    out = capsys.readouterr().out
    assert "Prüfliste der letzten 7 Tage (2 Gespräch(e))" in out
    assert out.index("faq/printer_not_printing") < out.index("Unsichere Nachrichten")
    assert "nicht geholfen bei: Der Toner ist alle" in out
    assert "ticket_status (1)" in out
    assert "wo bleibt der techniker, ruf an: <Telefon>  [0.55, Rückfall]" in out
    assert "0171" not in out
    assert "Passwort vergessen" not in out.split("Unsichere Nachrichten")[1]
    assert "letztem Monat" not in out
    assert "1 Nachricht(en) nach" in out
    exported = yaml.safe_load(export.read_text())
    assert exported["nlu"] == [
        {
            "intent": "ticket_status",
            "examples": "- wo bleibt der techniker, ruf an: <Telefon>\n",
        }
    ]


def test_review_looks_further_back_and_lower_when_asked(review_db, tracker, capsys):
    tracker.user("b", "Frage von letztem Monat", "help", 0.6, ago=dt.timedelta(days=20))
    tracker.session.commit()
    main(["review", "--days", "30", "--threshold", "0.5"])
    assert "letztem Monat" not in capsys.readouterr().out
    main(["review", "--days", "30"])
    assert "Frage von letztem Monat  [0.60]" in capsys.readouterr().out


def test_review_before_the_assistant_ever_ran(review_db, capsys):
    assert main(["review"]) == 0
    assert "Noch keine Gespräche gespeichert" in capsys.readouterr().out


def test_review_refuses_a_period_of_no_days(review_db, capsys):
    with pytest.raises(SystemExit):
        main(["review", "--days", "0"])
    assert "mindestens 1" in capsys.readouterr().err
