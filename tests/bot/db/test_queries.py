import datetime as dt

import pytest
from sqlalchemy import event

from bot.db import queries
from bot.db.models import MilestoneStatus, TransferStatus


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Grabow", "grabow"),
        ("Stadt Grabow", "grabow"),
        ("grabow", "grabow"),
        ("Amt Grabow", "grabow"),
        ("Grabwo", "grabow"),
        ("Parchimer Umland", "parchimer-umland"),
        ("Amt PU", "parchimer-umland"),
        ("amt parchimer umland", "parchimer-umland"),
        ("Parchimer Umlnd", "parchimer-umland"),
        ("Schwerin", "schwerin"),
        ("LH Schwerin", "schwerin"),
        ("Landeshauptstadt Schwerin", "schwerin"),
        ("Landkreis", "ludwigslust-parchim"),
        ("LUP", "ludwigslust-parchim"),
        ("Ludwigslust-Parchim", "ludwigslust-parchim"),
        ("ludwigslust parchim", "ludwigslust-parchim"),
        ("Landkreis Ludwigslust-Parchim", "ludwigslust-parchim"),
        ("Landkreis Ludwigslust", "ludwigslust-parchim"),
        ("Ludwigslust", "ludwigslust"),
        ("Stadt Ludwigslust", "ludwigslust"),
        ("Neustadt Glewe", "neustadt-glewe"),
        ("neustadt-glewe", "neustadt-glewe"),
        ("Musterland", "musterland"),
        ("AMT MUSTERLAND", "musterland"),
    ],
)
def test_member_is_found_by_the_names_users_give_it(session, typed, key):
    member = queries.find_member(typed, session=session)
    assert member is not None, typed
    assert member.key == key


@pytest.mark.parametrize(
    "typed", ["Hagenow", "Boizenburg", "", "   ", "Amt", "'; DROP TABLE members; --"]
)
def test_unknown_member_name_finds_nothing(session, typed):
    assert queries.find_member(typed, session=session) is None
    assert len(queries.list_members(session=session)) == 7


def test_members_are_listed_longest_standing_first(session):
    keys = [member.key for member in queries.list_members(session=session)]
    assert keys[:4] == sorted(
        keys[:4], key=lambda key: queries.member_by_key(key, session=session).name
    )
    assert keys[4:] == ["parchimer-umland", "grabow", "musterland"]


def test_services_of_a_member_follow_the_catalogue_and_omit_what_was_not_transferred(session):
    schwerin = queries.member_by_key("schwerin", session=session)
    keys = [
        transfer.service.key for transfer in queries.services_of_member(schwerin, session=session)
    ]
    catalogue = [service.key for service in queries.list_services(session=session)]
    assert keys == [key for key in catalogue if key != "telefonie"]


def test_service_at_member_says_since_when_and_none_when_not_transferred(session):
    grabow = queries.member_by_key("grabow", session=session)
    ludwigslust = queries.member_by_key("ludwigslust", session=session)
    telefonie = queries.find_service("Telefonie", session=session)

    at_grabow = queries.service_at_member(grabow, telefonie, session=session)
    assert at_grabow.status is TransferStatus.UEBERNOMMEN
    assert at_grabow.since == dt.date(2019, 1, 1)
    assert queries.service_at_member(ludwigslust, telefonie, session=session) is None


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Telefonie", "telefonie"),
        ("drucker", "drucker"),
        ("VPN", "homeoffice"),
        ("e-mail", "email"),
    ],
)
def test_service_is_found_by_key_or_a_word_of_its_name(session, typed, key):
    assert queries.find_service(typed, session=session).key == key


def test_a_service_or_milestone_is_found_without_loading_the_others(session):
    loaded: list[str] = []
    event.listen(session, "loaded_as_persistent", lambda _, obj: loaded.append(type(obj).__name__))

    service = queries.find_service("Der Drucker im Bürgerbüro druckt nicht", session=session)
    milestone = queries.find_milestone("Arbeitsplätze", session=session)

    assert (service.key, milestone.key) == ("drucker", "arbeitsplaetze")
    assert loaded == ["Service", "Milestone"]


def test_a_name_that_fits_two_services_finds_none(session):
    drucker = queries.find_service("Drucker", session=session)
    telefonie = queries.find_service("Telefonie", session=session)
    assert drucker.key != telefonie.key

    assert queries.find_service("Drucker und Telefonie", session=session) is None


def test_onboarding_milestones_come_in_standard_order_with_dates(session):
    musterland = queries.member_by_key("musterland", session=session)
    milestones = queries.onboarding_milestones(musterland, session=session)
    assert [m.milestone.key for m in milestones] == [
        "vertrag",
        "bestandsaufnahme",
        "netzanbindung",
        "benutzerkonten",
        "arbeitsplaetze",
        "betriebsuebergang",
        "fachverfahren",
        "schulung",
    ]
    network = milestones[2]
    assert network.status is MilestoneStatus.IN_ARBEIT
    assert network.planned_end == dt.date(2026, 12, 4)
    assert milestones[4].planned_start == dt.date(2026, 12, 14)


def test_the_service_desk_comes_without_its_hours_when_only_its_contact_is_asked_for(session):
    desk = queries.service_desk(session=session, opening_hours=False)

    assert desk.phone == "030 23125 100"
    assert "opening_hours" not in vars(desk)


def test_service_desk_has_its_weekly_hours(session):
    desk = queries.service_desk(session=session)
    assert desk.phone == "030 23125 100"
    hours = {
        (h.weekday, h.opens.isoformat("minutes"), h.closes.isoformat("minutes"))
        for h in desk.opening_hours
    }
    assert hours == {
        (0, "07:00", "16:00"),
        (1, "07:00", "16:00"),
        (2, "07:00", "16:00"),
        (3, "07:00", "16:00"),
        (4, "07:00", "13:00"),
    }


def test_customer_team_of_a_member(session):
    grabow = queries.member_by_key("grabow", session=session)
    team = queries.customer_team(grabow, session=session)
    assert (team.name, team.email) == ("Kundenbetreuung Süd", "kb-sued@ksm.example")
