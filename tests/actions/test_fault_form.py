"""The fault report form: forgiving answers, category from the conversation, phishing advice."""

from actions.validate_fault_form import ValidateFaultForm
from tests.actions.conftest import entity
from tests.actions.forms import form_tracker, user_token

FORM = "fault_form"


def fault(text, intent="inform", *, requested, **kwargs):
    return form_tracker(FORM, text, intent, requested=requested, **kwargs)


async def test_first_message_gives_description_and_category(seeded, identity_secret, form_run):
    slots = await form_run(
        ValidateFaultForm(),
        fault(
            "Bitte Störung aufnehmen: der Drucker im Bürgerbüro druckt seit heute früh nicht",
            "report_fault",
            requested=None,
            entities=[entity("service", "Drucker")],
        ),
    )
    assert slots["fault_category"] == "drucker"
    assert slots["fault_description"].startswith("Bitte Störung aufnehmen: der Drucker")
    assert "member" not in slots


async def test_a_bare_wish_to_report_asks_for_the_description(seeded, form_run):
    slots = await form_run(
        ValidateFaultForm(), fault("Ich möchte eine Störung melden", "report_fault", requested=None)
    )
    assert "fault_description" not in slots


async def test_valid_token_fills_member_and_skips_the_contact(seeded, identity_secret, form_run):
    tracker = fault(
        "Outlook startet seit heute nicht mehr, bitte beheben",
        "report_fault",
        requested=None,
        metadata={"user_token": user_token()},
    )
    slots = await form_run(ValidateFaultForm(), tracker)
    assert slots["member"] == "grabow"
    required = await ValidateFaultForm().required_slots(
        ["fault_description", "member", "contact_name", "contact_reach", "ticket_confirmed"],
        form_run.dispatcher,
        tracker,
        {},
    )
    assert "contact_name" not in required
    assert "contact_reach" not in required


async def test_forged_token_counts_as_anonymous(seeded, identity_secret, form_run):
    forged = user_token()[:-2] + "xx"
    tracker = fault("Kein Internet", requested="fault_impact", metadata={"user_token": forged})
    required = await ValidateFaultForm().required_slots(
        ["contact_name", "contact_reach"], form_run.dispatcher, tracker, {}
    )
    assert required == ["contact_name", "contact_reach"]


async def test_phishing_is_security_with_immediate_advice(seeded, form_run):
    slots = await form_run(
        ValidateFaultForm(),
        fault(
            "Ich habe auf einen Link in einer Phishing-Mail geklickt",
            "report_fault",
            requested=None,
        ),
    )
    assert slots["fault_category"] == "sicherheit"
    assert form_run.responses == ["utter_security_incident_advice"]


async def test_button_answer_counts_whatever_the_intent(seeded, form_run):
    slots = await form_run(
        ValidateFaultForm(),
        fault("mehrere Kolleginnen und Kollegen", "faq", requested="fault_impact"),
    )
    assert slots["fault_impact"] == 2


async def test_side_question_fills_nothing_so_the_form_steps_aside(seeded, form_run):
    slots = await form_run(
        ValidateFaultForm(),
        fault(
            "Wie ist eigentlich die Nummer der Hotline?",
            "contact_servicedesk",
            requested="fault_urgency",
        ),
    )
    assert "fault_urgency" not in slots
    assert form_run.responses == []


async def test_cancel_fills_nothing(seeded, form_run):
    slots = await form_run(
        ValidateFaultForm(), fault("abbrechen", "cancel", requested="fault_description")
    )
    assert "fault_description" not in slots


async def test_invalid_answer_is_explained_and_asked_again(seeded, form_run):
    slots = await form_run(
        ValidateFaultForm(), fault("vielleicht", "nlu_fallback", requested="fault_impact")
    )
    assert slots["fault_impact"] is None
    assert form_run.responses == ["utter_invalid_fault_impact"]


async def test_description_that_reads_like_a_how_to_question_is_taken(seeded, form_run):
    slots = await form_run(
        ValidateFaultForm(),
        fault("Der Drucker im 2. OG druckt nicht mehr", "faq", requested="fault_description"),
    )
    assert slots["fault_description"] == "Der Drucker im 2. OG druckt nicht mehr"
    assert slots["fault_category"] == "drucker"


async def test_unclear_category_is_asked_and_a_button_answers_it(seeded, form_run):
    slots = await form_run(ValidateFaultForm(), fault("telefonie", requested="fault_category"))
    assert slots["fault_category"] == "telefonie"


async def test_name_and_telephone_in_one_answer_fill_both(seeded, form_run):
    slots = await form_run(
        ValidateFaultForm(), fault("Anna Schmidt, 03871 1234", requested="contact_name")
    )
    assert (slots["contact_name"], slots["contact_reach"]) == ("Anna Schmidt", "03871 1234")


async def test_invalid_contact_is_explained(seeded, form_run):
    slots = await form_run(ValidateFaultForm(), fault("weiß ich nicht", requested="contact_reach"))
    assert slots["contact_reach"] is None
    assert form_run.responses == ["utter_invalid_contact_reach"]


async def test_changing_a_field_before_confirming_empties_it(seeded, form_run):
    slots = await form_run(
        ValidateFaultForm(),
        fault(
            "Dringlichkeit ändern",
            requested="ticket_confirmed",
            slots={"fault_urgency": 3, "fault_impact": 2},
        ),
    )
    assert slots["fault_urgency"] is None
    assert slots["ticket_confirmed"] is None


async def test_yes_confirms(seeded, form_run):
    slots = await form_run(ValidateFaultForm(), fault("Ja", requested="ticket_confirmed"))
    assert slots["ticket_confirmed"] is True


async def test_button_that_starts_the_form_is_no_description(seeded, form_run):
    slots = await form_run(
        ValidateFaultForm(), fault("/report_fault", "report_fault", requested=None)
    )
    assert "fault_description" not in slots
