"""The administrators' command line, run as they run it."""

import io
from zoneinfo import ZoneInfo

import pytest

from bot import clock, limits
from bot.cli import main
from bot.db import queries
from bot.db import session as db_session
from bot.web import accounts, lockout
from tests.utils.snapshot import database_contents


@pytest.fixture
def cli_db(environment, empty_db_url):
    """A fresh database that ``python -m bot`` reaches through KSM_DATABASE_URL."""
    environment.setenv("KSM_DATABASE_URL", empty_db_url)
    yield empty_db_url
    db_session.get_engine().dispose()


def test_upgrade_and_seed_make_a_working_database(cli_db, capsys):
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "seed"]) == 0
    assert "7 Verwaltungen" in capsys.readouterr().out
    with db_session.transaction() as session:
        assert queries.find_member("Grabow", session=session).name == "Stadt Grabow"


def test_seed_if_empty_keeps_data_that_is_already_there(cli_db, tmp_path, capsys):
    main(["db", "upgrade"])
    own = tmp_path / "own.yml"
    own.write_text("members:\n  - {key: grabow, name: Stadt Grabow an der Elde, kind: Stadt}\n")
    main(["db", "seed"])
    assert main(["db", "import", str(own)]) == 0

    assert main(["db", "seed", "--if-empty"]) == 0
    assert "übersprungen" in capsys.readouterr().out
    with db_session.transaction() as session:
        assert queries.member_by_key("grabow", session=session).name == "Stadt Grabow an der Elde"


def test_import_of_an_invalid_file_says_what_and_where_and_changes_nothing(
    cli_db, tmp_path, capsys
):
    main(["db", "upgrade"])
    main(["db", "seed"])
    before = database_contents()
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "members:\n"
        "  - {key: hagenow, name: Stadt Hagenow, kind: Stadt}\n"
        "  - {key: boizenburg, name: Boizenburg, kind: Stadt, joined_on: gestern}\n"
    )

    assert main(["db", "import", str(bad)]) == 1

    err = capsys.readouterr().err
    assert "Datenbank ist unverändert" in err
    assert "members[2] (boizenburg), Feld 'joined_on'" in err
    assert database_contents() == before


def test_import_of_a_missing_file_is_an_error(cli_db, tmp_path, capsys):
    main(["db", "upgrade"])
    assert main(["db", "import", str(tmp_path / "gibt-es-nicht.yml")]) == 1
    assert "nicht lesbar" in capsys.readouterr().err


def test_bad_port_setting_stops_with_a_german_message(environment, capsys):
    environment.setenv("RASA_PORT", "hundert")
    assert main(["db", "upgrade"]) == 2
    assert "RASA_PORT muss eine Portnummer sein" in capsys.readouterr().err


def test_agents_add_list_token_and_revoke(cli_db, monkeypatch, capsys):
    main(["db", "upgrade"])
    monkeypatch.setattr("sys.stdin", io.StringIO("ein-langes-passwort\n"))
    assert main(["agents", "add", "erika", "--display-name", "Erika Muster"]) == 0
    assert main(["agents", "token", "erika"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("ksm_")

    assert main(["agents", "list"]) == 0
    assert "erika\tErika Muster\taktiv\t1 API-Token(s)" in capsys.readouterr().out
    with db_session.transaction() as session:
        assert accounts.agent_for_api_token(token, session=session).name == "erika"

    assert main(["agents", "revoke-token", "erika"]) == 0
    assert "1 API-Token(s) von 'erika' widerrufen." in capsys.readouterr().out
    with db_session.transaction() as session:
        assert accounts.agent_for_api_token(token, session=session) is None


def test_agents_add_refuses_a_short_password(cli_db, monkeypatch, capsys):
    main(["db", "upgrade"])
    monkeypatch.setattr("sys.stdin", io.StringIO("kurz\n"))
    assert main(["agents", "add", "erika"]) == 1
    assert "mindestens 12 Zeichen" in capsys.readouterr().err
    assert main(["agents", "token", "erika"]) == 1
    assert "gibt es nicht" in capsys.readouterr().err


def _add_erika(monkeypatch):
    main(["db", "upgrade"])
    monkeypatch.setattr("sys.stdin", io.StringIO("ein-langes-passwort\n"))
    assert main(["agents", "add", "erika"]) == 0


def test_agents_unlock_lifts_a_login_lock_and_says_until_when_it_would_have_lasted(
    cli_db, monkeypatch, capsys
):
    _add_erika(monkeypatch)
    moment = clock.now()
    with db_session.transaction() as session:
        for _ in range(5):
            lockout.record_failure(lockout.hold("erika", session=session), now=moment)
    capsys.readouterr()

    assert main(["agents", "unlock", "erika"]) == 0
    until = (moment + limits.LOGIN_LOCK_DURATION).astimezone(ZoneInfo("Europe/Berlin"))
    assert capsys.readouterr().out == (
        f"Anmeldesperre von 'erika' aufgehoben (sie hätte bis {until:%H:%M} Uhr gedauert).\n"
    )
    with db_session.transaction() as session:
        assert lockout.locked_until(lockout.hold("erika", session=session), now=moment) is None

    assert main(["agents", "unlock", "erika"]) == 0
    assert capsys.readouterr().out == "'erika' war nicht gesperrt.\n"


def test_agents_unlock_of_an_unlocked_agent_resets_the_failures(cli_db, monkeypatch, capsys):
    _add_erika(monkeypatch)
    with db_session.transaction() as session:
        lockout.record_failure(lockout.hold("erika", session=session), now=clock.now())
    capsys.readouterr()
    assert main(["agents", "unlock", "erika"]) == 0
    assert (
        capsys.readouterr().out == "'erika' war nicht gesperrt; 1 Fehlversuch(e) zurückgesetzt.\n"
    )
    assert main(["agents", "unlock", "niemand"]) == 1
    assert "Einen Zugang 'niemand' gibt es nicht." in capsys.readouterr().err


def test_agents_revoke_ends_api_tokens_and_login_sessions(cli_db, monkeypatch, capsys):
    _add_erika(monkeypatch)
    with db_session.transaction() as session:
        erika = accounts.agent_by_name("erika", session=session)
        token = accounts.issue_api_token(erika, now=clock.now(), session=session)
        login = accounts.open_login_session(erika, now=clock.now(), session=session)

    assert main(["agents", "revoke", "erika"]) == 0
    assert "1 API-Token(s) von 'erika' widerrufen, 1 Anmeldung(en) beendet." in (
        capsys.readouterr().out
    )
    with db_session.transaction() as session:
        assert accounts.agent_for_api_token(token, session=session) is None
        assert accounts.agent_for_login_session(login, now=clock.now(), session=session) is None


def test_agents_add_refuses_the_name_in_the_password(cli_db, monkeypatch, capsys):
    main(["db", "upgrade"])
    monkeypatch.setattr("sys.stdin", io.StringIO("erika-ist-die-beste\n"))
    assert main(["agents", "add", "erika"]) == 1
    assert "Das Passwort darf den Anmeldenamen nicht enthalten." in capsys.readouterr().err


@pytest.fixture
def models_project(tmp_path, monkeypatch):
    """A checkout with two trained models, the newer one in use."""
    models = tmp_path / "models"
    models.mkdir()
    for name in ("ksm-20261120-080000-aaaaaaaaaa", "ksm-20261124-080000-bbbbbbbbbb"):
        (models / f"{name}.tar.gz").write_bytes(b"model")
    monkeypatch.setattr("bot.cli.PROJECT_ROOT", tmp_path)
    return tmp_path


def test_models_rollback_makes_the_previous_model_current(models_project, capsys):
    assert main(["models", "current"]) == 0
    assert capsys.readouterr().out.strip() == "models/ksm-20261124-080000-bbbbbbbbbb.tar.gz"

    assert main(["models", "rollback"]) == 0
    out = capsys.readouterr().out
    assert "ksm-20261124-080000-bbbbbbbbbb.tar.gz zurückgezogen" in out
    assert "neu starten" in out
    main(["models", "current"])
    assert capsys.readouterr().out.strip() == "models/ksm-20261120-080000-aaaaaaaaaa.tar.gz"

    assert main(["models", "list"]) == 0
    listing = capsys.readouterr().out
    assert "*  20.11.2026 09:00  aaaaaaaaaa" in listing
    assert "z  24.11.2026 09:00  bbbbbbbbbb" in listing

    assert main(["models", "rollback"]) == 1
    assert "kein älteres Modell" in capsys.readouterr().err

    assert main(["models", "restore", "ksm-20261124-080000-bbbbbbbbbb"]) == 0
    main(["models", "current"])
    assert capsys.readouterr().out.strip().endswith("bbbbbbbbbb.tar.gz")


def test_models_current_without_a_model_says_how_to_train(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("bot.cli.PROJECT_ROOT", tmp_path)
    assert main(["models", "current"]) == 1
    assert "make train" in capsys.readouterr().err
