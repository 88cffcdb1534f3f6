"""The shipped data set is PRODUCT.md section 3, exactly, with example data labelled."""

import datetime as dt

from bot.db import queries
from bot.db import session as db_session
from bot.db.models import TransferStatus
from bot.db.seed import seed
from tests.utils.snapshot import database_contents

MEMBERS = {
    # key: (name, kind, joined_on, joined_before, contract, is_example, customer team e-mail)
    "schwerin": (
        "Landeshauptstadt Schwerin",
        "kreisfreie Stadt",
        None,
        dt.date(2019, 1, 1),
        None,
        False,
        "kb-schwerin@ksm.example",
    ),
    "ludwigslust-parchim": (
        "Landkreis Ludwigslust-Parchim",
        "Landkreis",
        None,
        dt.date(2019, 1, 1),
        None,
        False,
        "kb-landkreis@ksm.example",
    ),
    "ludwigslust": (
        "Stadt Ludwigslust",
        "Stadt",
        None,
        dt.date(2019, 1, 1),
        None,
        False,
        "kb-landkreis@ksm.example",
    ),
    "neustadt-glewe": (
        "Stadt Neustadt-Glewe",
        "Stadt",
        None,
        dt.date(2019, 1, 1),
        None,
        False,
        "kb-landkreis@ksm.example",
    ),
    "grabow": (
        "Stadt Grabow",
        "Stadt",
        dt.date(2019, 1, 1),
        None,
        dt.date(2018, 9, 25),
        False,
        "kb-sued@ksm.example",
    ),
    "parchimer-umland": (
        "Amt Parchimer Umland",
        "Amt",
        dt.date(2019, 1, 1),
        None,
        dt.date(2018, 9, 25),
        False,
        "kb-sued@ksm.example",
    ),
    "musterland": (
        "Amt Musterland",
        "Amt",
        dt.date(2027, 1, 1),
        None,
        dt.date(2026, 9, 15),
        True,
        "beitritt-musterland@ksm.example",
    ),
}

NOT_TRANSFERRED = {
    "schwerin": {"telefonie"},
    "ludwigslust-parchim": {"mobil"},
    "ludwigslust": {"telefonie", "homeoffice"},
    "neustadt-glewe": {"telefonie", "mobil"},
    "grabow": set(),
    "parchimer-umland": set(),
    "musterland": set(),
}


def test_seed_holds_every_member_with_its_facts(session):
    members = {member.key: member for member in queries.list_members(session=session)}
    assert set(members) == set(MEMBERS)
    for key, expected in MEMBERS.items():
        member = members[key]
        actual = (
            member.name,
            member.kind.value,
            member.joined_on,
            member.joined_before,
            member.contract_signed_on,
            member.is_example,
            member.customer_team.email,
        )
        assert actual == expected, key


def test_seed_transfers_every_service_except_the_listed_ones(session):
    catalogue = {service.key for service in queries.list_services(session=session)}
    assert len(catalogue) == 12
    for member in queries.list_members(session=session):
        transfers = queries.services_of_member(member, session=session)
        assert {t.service.key for t in transfers} == catalogue - NOT_TRANSFERRED[member.key]


def test_example_data_is_labelled_and_real_facts_are_not(session):
    grabow = queries.member_by_key("grabow", session=session)
    musterland = queries.member_by_key("musterland", session=session)
    schwerin = queries.member_by_key("schwerin", session=session)
    assert not any(t.is_example for t in queries.services_of_member(grabow, session=session))
    assert all(t.is_example for t in queries.services_of_member(schwerin, session=session))
    assert all(m.is_example for m in queries.onboarding_milestones(musterland, session=session))
    assert all(
        t.status is TransferStatus.GEPLANT
        for t in queries.services_of_member(musterland, session=session)
    )
    assert queries.service_desk(session=session).is_example


def test_seed_twice_leaves_the_same_data(seeded):
    before = database_contents()
    with db_session.transaction() as session:
        seed(session=session)
    assert database_contents() == before
