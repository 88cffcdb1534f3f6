from actions.customer_team import ActionCustomerTeam
from tests.actions.conftest import tracker_for


async def test_customer_team_of_the_remembered_member(seeded, today, run):
    await run(
        ActionCustomerTeam(),
        tracker_for(
            "Wer ist unser Ansprechpartner?", "customer_team", slots={"member": "parchimer-umland"}
        ),
    )
    assert run.texts[0].startswith(
        "Für Amt Parchimer Umland ist bei der KSM die Kundenbetreuung Süd zuständig: kb-sued@ksm.example. (Beispieldaten)"
    )
