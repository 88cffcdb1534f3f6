"""The new-employee request: German dates, the lead-time rule, multiple-choice equipment."""

from actions.ask_equipment import ActionAskEquipment
from actions.validate_new_employee_form import ValidateNewEmployeeForm
from tests.actions.forms import form_tracker

FORM = "new_employee_form"


def answer(text, intent="inform", *, requested, **kwargs):
    return form_tracker(FORM, text, intent, requested=requested, **kwargs)


async def test_start_date_in_free_german_within_lead_time_is_kept(seeded, today, form_run):
    slots = await form_run(
        ValidateNewEmployeeForm(), answer("am 4. Januar", requested="start_date")
    )
    assert slots["start_date"] == "2027-01-04"
    assert form_run.responses == []


async def test_late_start_date_is_accepted_with_a_clear_warning(seeded, today, form_run):
    slots = await form_run(
        ValidateNewEmployeeForm(), answer("nächsten Montag", requested="start_date")
    )
    assert slots["start_date"] == "2026-11-30"
    assert form_run.responses == ["utter_lead_time_missed"]
    message = form_run.dispatcher.messages[0]
    assert (message["start_date"], message["latest_day"]) == ("30.11.2026", "16.11.2026")


async def test_past_date_is_refused(seeded, today, form_run):
    slots = await form_run(ValidateNewEmployeeForm(), answer("1.11.2026", requested="start_date"))
    assert slots["start_date"] is None
    assert form_run.responses == ["utter_start_date_out_of_range"]


async def test_date_that_is_no_date_is_explained(seeded, today, form_run):
    slots = await form_run(ValidateNewEmployeeForm(), answer("bald", requested="start_date"))
    assert slots["start_date"] is None
    assert form_run.responses == ["utter_invalid_start_date"]


async def test_equipment_buttons_add_up_until_fertig(seeded, form_run):
    first = await form_run(ValidateNewEmployeeForm(), answer("Diensthandy", requested="equipment"))
    assert (first["equipment"], first["equipment_choice"]) == (None, ["Diensthandy"])
    done = await form_run(
        ValidateNewEmployeeForm(),
        answer(
            "Fertig",
            requested="equipment",
            slots={"equipment_choice": ["Diensthandy", "PC oder Notebook"]},
        ),
    )
    assert done["equipment"] == "PC oder Notebook, Diensthandy"


async def test_ask_equipment_shows_what_is_chosen_and_offers_fertig(seeded, form_run):
    await form_run(
        ActionAskEquipment(),
        answer("Diensthandy", requested="equipment", slots={"equipment_choice": ["Diensthandy"]}),
    )
    assert form_run.texts[0].startswith("Ausgewählt: Diensthandy.")
    titles = [button["title"] for button in form_run.buttons]
    assert titles == ["PC oder Notebook", "Telefon", "Zugänge zu Fachverfahren", "Fertig"]


async def test_fachverfahren_are_asked_only_when_chosen(seeded, form_run):
    form = ValidateNewEmployeeForm()
    without = answer("x", requested="equipment", slots={"equipment": "PC oder Notebook"})
    with_access = answer(
        "x",
        requested="equipment",
        slots={"equipment": "PC oder Notebook, Zugänge zu Fachverfahren"},
    )
    slots = ["equipment", "fachverfahren_access", "contact_name"]
    assert "fachverfahren_access" not in await form.required_slots(
        slots, form_run.dispatcher, without, {}
    )
    assert "fachverfahren_access" in await form.required_slots(
        slots, form_run.dispatcher, with_access, {}
    )


async def test_employee_needs_first_and_last_name(seeded, form_run):
    slots = await form_run(ValidateNewEmployeeForm(), answer("Max", requested="employee_name"))
    assert slots["employee_name"] is None
    assert form_run.responses == ["utter_invalid_employee_name"]


async def test_employee_name_is_taken_even_if_the_nlu_guessed_otherwise(seeded, form_run):
    slots = await form_run(
        ValidateNewEmployeeForm(), answer("Lena Vogt", "help", requested="employee_name")
    )
    assert slots["employee_name"] == "Lena Vogt"
