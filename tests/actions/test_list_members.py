from actions.list_members import ActionListMembers
from bot.db import session as db_session
from tests.actions.conftest import tracker_for


async def test_members_are_listed_from_the_database(seeded, today, run):
    events = await run(
        ActionListMembers(),
        tracker_for("Welche Verwaltungen gehören zum KSM-Verbund?", "list_members"),
    )

    assert events == []
    [text] = run.texts
    assert text.startswith("Zum KSM-Verbund gehören 6 Verwaltungen:")
    for name in (
        "Landeshauptstadt Schwerin (schon vor 2019)",
        "Landkreis Ludwigslust-Parchim (schon vor 2019)",
        "Stadt Ludwigslust (schon vor 2019)",
        "Stadt Neustadt-Glewe (schon vor 2019)",
        "Stadt Grabow (seit 01.01.2019)",
        "Amt Parchimer Umland (seit 01.01.2019)",
    ):
        assert f"- {name}" in text
    assert "Demnächst kommt hinzu:\n- Amt Musterland (Beispiel), Beitritt am 01.01.2027" in text


async def test_a_member_added_by_import_is_listed_without_code_changes(seeded, today, run):
    from bot.db.dataset import parse_dataset
    from bot.db.importer import import_dataset

    with db_session.transaction() as session:
        import_dataset(
            parse_dataset(
                "members:\n  - {key: hagenow, name: Stadt Hagenow, kind: Stadt, joined_on: 2020-07-01}"
            ),
            session=session,
        )
    await run(ActionListMembers(), tracker_for("Wer ist dabei?", "list_members"))
    assert "- Stadt Hagenow (seit 01.07.2020)" in run.texts[0]
    assert "gehören 7 Verwaltungen" in run.texts[0]


async def test_database_failure_gets_a_german_apology_not_silence(db_url, run, caplog):
    db_session.configure("sqlite:///file:not-there?mode=ro&uri=true")

    events = await run(
        ActionListMembers(), tracker_for("Welche Verwaltungen gehören dazu?", "list_members")
    )

    assert events == []
    assert run.responses == ["utter_technical_problem"]
    assert "action_list_members failed with OperationalError" in caplog.text
    assert "Welche Verwaltungen" not in caplog.text
