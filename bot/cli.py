"""Command line: ``python -m bot <command>``.

Messages are German: the people who run these commands are KSM's administrators and trainers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import logging
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot import clock, supervisor
from bot.db import migrate, queries
from bot.db.dataset import DatasetError, load_dataset
from bot.db.importer import import_dataset
from bot.db.seed import seed
from bot.db.session import configure, transaction
from bot.settings import PROJECT_ROOT, Settings, SettingsError, get_settings
from bot.web import accounts, lockout


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="KSM-Servicedesk-Assistent: Verwaltung und Betrieb."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")

    db = commands.add_parser("db", help="Mitgliederdatenbank verwalten")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="BEFEHL")
    upgrade = db_commands.add_parser("upgrade", help="Schema auf den neuesten Stand migrieren")
    upgrade.add_argument("revision", nargs="?", default="head")
    downgrade = db_commands.add_parser("downgrade", help="Schema auf eine ältere Revision setzen")
    downgrade.add_argument("revision")
    seed_ = db_commands.add_parser("seed", help="Beispieldatensatz laden (mehrfach ausführbar)")
    seed_.add_argument(
        "--if-empty",
        action="store_true",
        help="nur laden, wenn noch keine Verwaltung eingetragen ist (für 'make run')",
    )
    import_ = db_commands.add_parser("import", help="eigene Daten aus einer YAML-Datei einspielen")
    import_.add_argument("file", type=Path)
    revision = db_commands.add_parser("revision", help="neue Migration aus den Modellen erzeugen")
    revision.add_argument("message")

    nlu = commands.add_parser("nlu", help="Sprachressourcen für das NLU-Modell")
    nlu_commands = nlu.add_subparsers(dest="nlu_command", required=True, metavar="BEFEHL")
    nlu_commands.add_parser("build-pipeline", help="deutsche spaCy-Pipeline erzeugen")
    sync = nlu_commands.add_parser(
        "sync",
        help="Lookup-Tabellen und Synonyme aus der Datenbank erzeugen (data/nlu/lookups.yml)",
    )
    sync.add_argument(
        "--check", action="store_true", help="nur prüfen, ob die Datei zur Datenbank passt"
    )
    gate = nlu_commands.add_parser(
        "gate", help="Ergebnis von 'rasa test nlu' prüfen (Mindest-F1 auf dem Testsatz)"
    )
    gate.add_argument("results", type=Path, help="Ausgabeordner von 'rasa test nlu --out'")
    gate.add_argument("--min-f1", type=float, default=None)
    gate.add_argument(
        "--baseline", type=Path, default=None, help="Vorgabe: docs/quality/baseline.json"
    )
    report = nlu_commands.add_parser(
        "report", help="Qualitätsbericht aus den Ergebnissen von 'make report' schreiben"
    )
    report.add_argument("build", type=Path, help="Ordner mit heldout/ und cv/")
    report.add_argument("--folds", type=int, default=5)
    report.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports")
    nlu_commands.add_parser(
        "baseline", help="den neuesten Qualitätsbericht als Baseline übernehmen"
    )
    compare = nlu_commands.add_parser(
        "compare", help="NLU-Pipelines über mehrere Seeds auf dem Testsatz vergleichen"
    )
    compare.add_argument("--seeds", type=int, nargs="+", default=[42, 7, 2026])

    agents = commands.add_parser("agents", help="Zugänge des Servicedesks zum Helpdesk verwalten")
    agents_commands = agents.add_subparsers(dest="agents_command", required=True, metavar="BEFEHL")
    add = agents_commands.add_parser(
        "add",
        help="Zugang anlegen; das Passwort wird abgefragt oder als erste Zeile von stdin gelesen",
    )
    add.add_argument("name", help="Anmeldename (Kleinbuchstaben, Ziffern, . _ -)")
    add.add_argument("--display-name", help="Name im Verlauf der Tickets (Vorgabe: Anmeldename)")
    agents_commands.add_parser("list", help="Zugänge auflisten")
    token = agents_commands.add_parser(
        "token", help="API-Token für einen Zugang erzeugen (wird nur einmal angezeigt)"
    )
    token.add_argument("name")
    revoke = agents_commands.add_parser(
        "revoke-token", help="alle API-Tokens eines Zugangs widerrufen"
    )
    revoke.add_argument("name")
    revoke_all = agents_commands.add_parser(
        "revoke", help="alle API-Tokens eines Zugangs widerrufen und alle Anmeldungen beenden"
    )
    revoke_all.add_argument("name")
    unlock = agents_commands.add_parser(
        "unlock", help="Anmeldesperre nach zu vielen Fehlversuchen aufheben"
    )
    unlock.add_argument("name")

    train = commands.add_parser(
        "train", help="Modell trainieren, wenn das neueste Modell die Daten noch nicht kennt"
    )
    train.add_argument(
        "--force", action="store_true", help="auch trainieren, wenn sich nichts geändert hat"
    )
    models = commands.add_parser("models", help="trainierte Modelle anzeigen und zurückrollen")
    models_commands = models.add_subparsers(dest="models_command", required=True, metavar="BEFEHL")
    models_commands.add_parser("list", help="Modelle auflisten, das verwendete ist markiert")
    models_commands.add_parser("current", help="Pfad des Modells ausgeben, das verwendet wird")
    models_commands.add_parser(
        "rollback", help="das neueste Modell zurückziehen; das vorherige wird verwendet"
    )
    restore = models_commands.add_parser(
        "restore", help="ein zurückgezogenes Modell wieder in models/ legen"
    )
    restore.add_argument("name", help="Dateiname des Modells (aus 'models list')")

    review = commands.add_parser(
        "review", help="Prüfliste: unsichere Nachrichten und Rückmeldungen der letzten Tage"
    )
    review.add_argument("--days", type=_positive_int, default=7, help="Zeitraum (Vorgabe: 7)")
    review.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="Nachrichten mit geringerer Konfidenz aufnehmen (Vorgabe: 0.70)",
    )
    review.add_argument(
        "--export", type=Path, metavar="DATEI", help="unsichere Nachrichten als NLU-YAML speichern"
    )

    _add_privacy_parser(commands)

    commands.add_parser("run", help="Rasa-Server, Action-Server und Helpdesk starten")
    serve = commands.add_parser(
        "serve", help="nur einen Dienst im Vordergrund starten (für systemd, docs/BETRIEB.md)"
    )
    serve.add_argument("component", choices=supervisor.COMPONENTS)
    shell = commands.add_parser("shell", help="im Terminal mit dem Assistenten sprechen")
    shell.add_argument("rasa_args", nargs=argparse.REMAINDER)
    rasa = commands.add_parser("rasa", help="rasa-Befehl mit der Projektumgebung ausführen")
    rasa.add_argument("rasa_args", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
        return _dispatch(args, settings)
    except (SettingsError, supervisor.StartupError) as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    commands: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
        "db": _db,
        "nlu": _nlu,
        "agents": _agents,
        "train": _train,
        "models": _models,
        "review": _review,
        "privacy": _privacy,
        "run": lambda _, settings: supervisor.run(settings),
        "serve": lambda args, settings: supervisor.serve(settings, args.component),
        "shell": lambda args, settings: supervisor.shell(settings, args.rasa_args),
        "rasa": lambda args, settings: supervisor.run_rasa(settings, args.rasa_args),
    }
    return commands[args.command](args, settings)


def _db(args: argparse.Namespace, settings: Settings) -> int:
    url = settings.database_url
    if args.db_command == "upgrade":
        migrate.upgrade(url, args.revision)
        print(f"Datenbankschema auf Stand '{args.revision}'.")
        return 0
    if args.db_command == "downgrade":
        migrate.downgrade(url, args.revision)
        return 0
    if args.db_command == "revision":
        migrate.revision(url, args.message)
        return 0

    configure(url)
    if args.db_command == "seed":
        with transaction() as session:
            if args.if_empty and queries.list_members(session=session):
                print("Mitgliederdatenbank enthält schon Daten; Beispieldatensatz übersprungen.")
                return 0
            summary = seed(session=session)
        print(f"Beispieldatensatz geladen: {summary}.")
        return 0
    if args.db_command == "import":
        try:
            dataset = load_dataset(args.file)
            with transaction() as session:
                summary = import_dataset(dataset, session=session)
        except DatasetError as exc:
            print(
                f"{args.file} wurde nicht eingespielt, die Datenbank ist unverändert:",
                file=sys.stderr,
            )
            for error in exc.errors:
                print(f"  - {error}", file=sys.stderr)
            return 1
        print(f"{args.file} eingespielt: {summary}.")
        return 0
    raise AssertionError(args.db_command)


def _nlu(args: argparse.Namespace, settings: Settings) -> int:
    if args.nlu_command == "build-pipeline":
        from bot.nlu import spacy_pipeline

        print(f"spaCy-Pipeline erzeugt: {spacy_pipeline.build()}")
        return 0

    if args.nlu_command == "gate":
        from bot.nlu import quality

        evaluation = quality.read_evaluation(args.results)
        minimum = quality.MIN_INTENT_MACRO_F1 if args.min_f1 is None else args.min_f1
        baseline = quality.read_baseline(args.baseline or quality.BASELINE_FILE)
        print(quality.summary(evaluation, baseline))
        problems = quality.gate(evaluation, baseline, minimum=minimum)
        for problem in problems:
            print(f"Qualitätsgrenze verfehlt: {problem}", file=sys.stderr)
        if problems:
            return 1
        allowed = f", höchstens {quality.MAX_DROP:.2f} unter der Baseline" if baseline else ""
        print(f"Qualitätsgrenze eingehalten (mindestens {minimum:.2f}{allowed}).")
        return 0

    if args.nlu_command in ("report", "baseline"):
        return _quality_report(args, settings)

    if args.nlu_command == "compare":
        from bot.nlu import compare

        rasa = supervisor.rasa_command()
        results = [
            compare.evaluate(candidate, seed, rasa)
            for candidate in compare.CANDIDATES
            for seed in args.seeds
        ]
        print(compare.table(results))
        return 0

    from bot.nlu import sync

    configure(settings.database_url)
    with transaction() as session:
        if args.check:
            if sync.is_current(session=session):
                print(f"{sync.LOOKUPS_FILE} passt zur Datenbank.")
                return 0
            print(
                f"{sync.LOOKUPS_FILE} passt nicht zur Datenbank: "
                "'python -m bot nlu sync' ausführen und neu trainieren.",
                file=sys.stderr,
            )
            return 1
        changed = sync.sync(session=session)
    print(f"{sync.LOOKUPS_FILE} {'aktualisiert' if changed else 'war schon aktuell'}.")
    return 0


def _quality_report(args: argparse.Namespace, settings: Settings) -> int:
    from bot.nlu import quality, report, trained_models

    now = dt.datetime.now(ZoneInfo(settings.timezone))
    fingerprint = trained_models.data_fingerprint(PROJECT_ROOT)
    if args.nlu_command == "report":
        model = trained_models.current_model(PROJECT_ROOT / "models")
        target = report.write_report(
            args.build,
            args.out,
            model=model.path.name if model else "?",
            fingerprint=model.fingerprint if model else fingerprint,
            baseline=quality.read_baseline(),
            folds=args.folds,
            now=now,
        )
        print(f"Qualitätsbericht: {target / report.REPORT_NAME}")
        return 0
    written = sorted((PROJECT_ROOT / "reports").glob(f"*/{report.MEASUREMENTS_NAME}"))
    if not written:
        print("Noch kein Qualitätsbericht. Bitte zuerst 'make report'.", file=sys.stderr)
        return 1
    measured = quality.Baseline.from_json(written[-1].read_text(encoding="utf-8"))
    if measured.fingerprint != fingerprint:
        print(
            f"Der neueste Bericht ({written[-1].parent.name}) gehört zu einem anderen Datenstand "
            f"({measured.fingerprint}, jetzt {fingerprint}). Bitte zuerst 'make report'.",
            file=sys.stderr,
        )
        return 1
    quality.BASELINE_FILE.parent.mkdir(parents=True, exist_ok=True)
    quality.BASELINE_FILE.write_text(measured.to_json(), encoding="utf-8")
    print(
        f"Baseline aus {written[-1].parent.name} übernommen: Intent macro-F1 "
        f"{measured.intent_macro_f1:.3f}. Bitte docs/quality/baseline.json mit einchecken."
    )
    return 0


def _train(args: argparse.Namespace, settings: Settings) -> int:
    from bot.nlu import training

    rasa = supervisor.rasa_command()
    env = supervisor.rasa_environment(settings)
    try:
        outcome = training.train(PROJECT_ROOT, rasa, env=env, force=args.force)
    except subprocess.CalledProcessError:
        print("Training fehlgeschlagen; die Modelle sind unverändert.", file=sys.stderr)
        return 1
    print(outcome.message)
    return 0


def _models(args: argparse.Namespace, settings: Settings) -> int:
    from bot.nlu import trained_models

    models_dir = PROJECT_ROOT / "models"
    current = trained_models.current_model(models_dir)
    if args.models_command == "current":
        if current is None:
            print("Kein trainiertes Modell. Bitte 'make train' ausführen.", file=sys.stderr)
            return 1
        print(current.path.relative_to(PROJECT_ROOT))
        return 0
    if args.models_command == "list":
        print(trained_models.listing(models_dir, timezone=ZoneInfo(settings.timezone)))
        return 0
    try:
        if args.models_command == "rollback":
            retired, now_current = trained_models.roll_back(models_dir)
            print(f"{retired.path.name} zurückgezogen.")
            print(f"Jetzt in Gebrauch: {now_current.path.name}.")
        elif args.models_command == "restore":
            restored = trained_models.restore(models_dir, args.name)
            now_current = trained_models.current_model(models_dir) or restored
            print(f"{restored.path.name} wiederhergestellt. In Gebrauch: {now_current.path.name}.")
        else:
            raise AssertionError(args.models_command)
    except trained_models.ModelError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    print("Laufenden Assistenten neu starten (Strg+C, dann 'make run'), damit er es lädt.")
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("muss mindestens 1 sein")
    return value


def _review(args: argparse.Namespace, settings: Settings) -> int:
    from bot.nlu.examples import known_sentences
    from bot.review import conversations, export, feedback, inbox, report

    threshold = inbox.DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    now = dt.datetime.now(ZoneInfo(settings.timezone))
    configure(settings.database_url)
    with transaction() as session:
        if not conversations.has_tracker_store(session):
            print("Noch keine Gespräche gespeichert (der Assistent lief hier noch nie).")
            return 0
        since = now - dt.timedelta(days=args.days)
        found = conversations.read_conversations(since, session=session)
    known = known_sentences([PROJECT_ROOT / "data" / "nlu", PROJECT_ROOT / "tests" / "nlu"])
    groups = inbox.inbox(
        found, threshold=threshold, known=known, feedback_intents=feedback.FEEDBACK_INTENTS
    )
    print(
        report.render(
            feedback.feedback_by_topic(found),
            groups,
            days=args.days,
            threshold=threshold,
            conversations=len(found),
        )
    )
    if args.export:
        args.export.write_text(export.nlu_yaml(groups, today=now.date()), encoding="utf-8")
        print(f"\n{sum(g.count for g in groups)} Nachricht(en) nach {args.export} geschrieben.")
    return 0


def _add_privacy_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from bot import limits

    privacy = commands.add_parser(
        "privacy", help="Datenschutz: Aufbewahrungsfristen, Auskunft und Löschung (DSGVO)"
    )
    privacy_commands = privacy.add_subparsers(
        dest="privacy_command", required=True, metavar="BEFEHL"
    )
    purge = privacy_commands.add_parser(
        "purge", help="alte Gespräche löschen, Tickets nach Abschluss anonymisieren (nächtlich)"
    )
    purge.add_argument(
        "--older-than",
        type=_age,
        metavar="DAUER",
        help=(
            "z. B. 90d, 12h, 2w (Vorgabe: Gespräche nach "
            f"{limits.CONVERSATION_RETENTION.days} Tagen, Tickets "
            f"{limits.CLOSED_TICKET_RETENTION.days} Tage nach der letzten Änderung)"
        ),
    )
    export = privacy_commands.add_parser(
        "export", help="Auskunft: Tickets und Gespräche einer Person als JSON"
    )
    export.add_argument(
        "--user", required=True, metavar="KENNUNG", help="Benutzerkennung (sub des user_token)"
    )
    export.add_argument("--output", type=Path, metavar="DATEI", help="Vorgabe: Standardausgabe")
    delete = privacy_commands.add_parser(
        "delete", help="Löschung: Gespräche einer Person löschen, ihre Tickets anonymisieren"
    )
    delete.add_argument(
        "--user", required=True, metavar="KENNUNG", help="Benutzerkennung (sub des user_token)"
    )
    delete.add_argument("--yes", action="store_true", help="ohne Rückfrage")


def _age(text: str) -> dt.timedelta:
    from bot.privacy.retention import parse_age

    try:
        return parse_age(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _privacy(args: argparse.Namespace, settings: Settings) -> int:
    from bot import limits
    from bot.privacy import retention, subject

    now = dt.datetime.now(dt.timezone.utc)
    configure(settings.database_url)
    if args.privacy_command == "purge":
        with transaction() as session:
            summary = retention.purge(
                now=now,
                conversation_age=args.older_than or limits.CONVERSATION_RETENTION,
                ticket_age=args.older_than or limits.CLOSED_TICKET_RETENTION,
                session=session,
            )
        print(summary.render())
        return 0

    with transaction() as session:
        found = subject.find(args.user, secret=settings.identity_secret, session=session)
        described = subject.describe(found)
        document = subject.export(found, now=now, session=session)
    if found.conversations is None:
        print(
            "KSM_IDENTITY_SECRET ist nicht gesetzt: Gespräche lassen sich niemandem zuordnen, "
            "nur Tickets werden berücksichtigt.",
            file=sys.stderr,
        )
    if args.privacy_command == "export":
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if args.output is None:
            sys.stdout.write(text)
            print(f"Auskunft für '{args.user}': {described}.", file=sys.stderr)
        else:
            args.output.write_text(text, encoding="utf-8")
            print(f"Auskunft für '{args.user}' nach {args.output} geschrieben: {described}.")
        return 0
    if args.privacy_command != "delete":
        raise AssertionError(args.privacy_command)
    if not found.tickets and not found.conversations:
        print(f"Zu '{args.user}' ist nichts gespeichert.")
        return 0
    print(f"Gespeichert für '{args.user}': {described}.")
    if not args.yes and not _confirmed("Gespräche löschen und Tickets anonymisieren? [j/N] "):
        print("Abgebrochen, nichts geändert.")
        return 1
    with transaction() as session:
        found = subject.find(args.user, secret=settings.identity_secret, session=session)
        deleted, masked = subject.erase(found, now=now, session=session)
    print(
        f"{deleted} Gespräch(e) gelöscht, {masked} Ticket(s) anonymisiert. Die Tickets bleiben "
        "als Vorgänge des Servicedesks erhalten, ohne Name, Kontakt und Benutzerkennung."
    )
    return 0


def _confirmed(question: str) -> bool:
    try:
        answer = input(question)
    except EOFError:
        return False
    return answer.strip().lower() in ("j", "ja", "y", "yes")


def _read_password() -> str:
    """The new password: asked twice on a terminal, else the first line of stdin (scripts)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Passwort: ")
    if getpass.getpass("Passwort wiederholen: ") != first:
        raise accounts.AccountError("Die beiden Passwörter stimmen nicht überein.")
    return first


def _unlock(name: str, *, now: dt.datetime, zone: ZoneInfo, session: Session) -> str:
    record = lockout.clear(name, session=session)
    until = lockout.locked_until(record, now=now) if record else None
    if until is not None:
        return (
            f"Anmeldesperre von '{name}' aufgehoben "
            f"(sie hätte bis {until.astimezone(zone):%H:%M} Uhr gedauert)."
        )
    if record is not None and record.failures:
        return f"'{name}' war nicht gesperrt; {record.failures} Fehlversuch(e) zurückgesetzt."
    return f"'{name}' war nicht gesperrt."


def _agents(args: argparse.Namespace, settings: Settings) -> int:
    configure(settings.database_url)
    now = clock.now()
    try:
        if args.agents_command == "add":
            password = _read_password()
            with transaction() as session:
                agent = accounts.create_agent(
                    args.name,
                    password,
                    display_name=args.display_name,
                    now=now,
                    session=session,
                )
                print(f"Zugang '{agent.name}' ({agent.display_name}) angelegt.")
            return 0
        if args.agents_command == "list":
            with transaction() as session:
                found = accounts.list_agents(session=session)
                if not found:
                    print("Noch keine Zugänge. Anlegen: python -m bot agents add NAME")
                for listed in found:
                    tokens = accounts.active_api_tokens(listed, session=session)
                    state = "aktiv" if listed.is_active else "gesperrt"
                    print(f"{listed.name}\t{listed.display_name}\t{state}\t{tokens} API-Token(s)")
            return 0
        with transaction() as session:
            named = accounts.agent_by_name(args.name, session=session)
            if named is None:
                raise accounts.AccountError(f"Einen Zugang '{args.name}' gibt es nicht.")
            if args.agents_command == "token":
                token = accounts.issue_api_token(named, now=now, session=session)
                print(f"API-Token für '{named.name}' (wird nur jetzt angezeigt):")
                print(token)
                return 0
            if args.agents_command == "revoke-token":
                count = accounts.revoke_api_tokens(named, now=now, session=session)
                print(f"{count} API-Token(s) von '{named.name}' widerrufen.")
                return 0
            if args.agents_command == "revoke":
                count = accounts.revoke_api_tokens(named, now=now, session=session)
                logins = accounts.revoke_login_sessions(named, now=now, session=session)
                print(
                    f"{count} API-Token(s) von '{named.name}' widerrufen, "
                    f"{logins} Anmeldung(en) beendet."
                )
                return 0
            if args.agents_command == "unlock":
                zone = ZoneInfo(settings.timezone)
                print(_unlock(named.name, now=now, zone=zone, session=session))
                return 0
    except accounts.AccountError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    raise AssertionError(args.agents_command)
