"""Importing an administrator's own data: all of a valid file, nothing of an invalid one."""

import textwrap

import pytest

from bot.db import queries
from bot.db import session as db_session
from bot.db.dataset import DatasetError, parse_dataset
from bot.db.importer import import_dataset
from tests.utils.snapshot import database_contents

NEW_MEMBER = textwrap.dedent(
    """
    version: 1
    contacts:
      - {key: kb-west, kind: customer_team, name: Kundenbetreuung West, email: kb-west@ksm.example}
    members:
      - key: hagenow
        name: Stadt Hagenow
        kind: Stadt
        joined_on: 01.01.2027
        contract_signed_on: 2026-10-01
        aliases: [Hagenow]
        customer_team: kb-west
        services:
          - {service: drucker, status: geplant, since: 2027-01-01}
          - {service: konten, status: in Migration}
        milestones:
          - {milestone: vertrag, status: erledigt, done_on: 2026-10-01}
    """
)


def _import(text):
    with db_session.transaction() as session:
        return import_dataset(parse_dataset(text), session=session)


def test_import_adds_a_member_with_its_services_and_team(seeded):
    _import(NEW_MEMBER)
    with db_session.transaction() as session:
        member = queries.find_member("hagenow", session=session)
        assert member.name == "Stadt Hagenow"
        assert member.customer_team.name == "Kundenbetreuung West"
        transfers = {
            t.service.key: t.status.value
            for t in queries.services_of_member(member, session=session)
        }
        assert transfers == {"drucker": "geplant", "konten": "in Migration"}
        assert len(queries.list_members(session=session)) == 8


def test_import_updates_an_existing_member_by_key(seeded):
    _import(
        """
        members:
          - {key: grabow, name: Stadt Grabow, kind: Stadt, joined_on: 2019-01-01,
             aliases: [Grabow, Grabow (Elde)], services: {all_except: [mobil]}}
        """
    )
    with db_session.transaction() as session:
        grabow = queries.find_member("Grabow Elde", session=session)
        assert grabow.key == "grabow"
        keys = {t.service.key for t in queries.services_of_member(grabow, session=session)}
        assert "mobil" not in keys and len(keys) == 11
        # Milestones were not in the file, so they stay.
        assert len(queries.onboarding_milestones(grabow, session=session)) == 8


def test_import_twice_leaves_the_same_data(seeded):
    _import(NEW_MEMBER)
    before = database_contents()
    _import(NEW_MEMBER)
    assert database_contents() == before


@pytest.mark.parametrize(
    ("text", "entry", "field"),
    [
        ("members:\n  - {key: x, name: X, kind: Dorf}", "members[1] (x)", "kind"),
        ("members:\n  - {key: x, kind: Amt}", "members[1] (x)", "name"),
        ("members:\n  - {key: X Y, name: X, kind: Amt}", "members[1] (X Y)", "key"),
        (
            "members:\n  - {key: x, name: X, kind: Amt, joined_on: 31.02.2019}",
            "members[1] (x)",
            "joined_on",
        ),
        ("members:\n  - {key: x, name: X, kind: Amt, colour: blau}", "members[1] (x)", "colour"),
        (
            "contacts:\n  - {key: c, kind: customer_team, name: C, email: keine}",
            "contacts[1] (c)",
            "email",
        ),
        (
            "contacts:\n  - {key: c, kind: service_desk, name: C, hours: [{days: [Mo], opens: '9:00', closes: '8:00'}]}",
            "contacts[1] (c)",
            "hours[1]",
        ),
        (
            "members:\n  - {key: x, name: X, kind: Amt, milestones: [{milestone: vertrag, status: fertig}]}",
            "members[1] (x)",
            "milestones[1]",
        ),
    ],
)
def test_invalid_entry_is_named_with_its_field(text, entry, field):
    with pytest.raises(DatasetError) as raised:
        parse_dataset(text)
    assert [(error.entry, error.field) for error in raised.value.errors] == [(entry, field)]
    assert entry in str(raised.value) and field in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "members:\n  - {key: x, name: X, kind: Amt, customer_team: niemand}",
            "Kontakt 'niemand' unbekannt",
        ),
        (
            "members:\n  - {key: x, name: X, kind: Amt, services: {all_except: [kaffee]}}",
            "Dienst 'kaffee' unbekannt",
        ),
        (
            "members:\n  - {key: x, name: X, kind: Amt, aliases: [LUP]}",
            "'LUP' bezeichnet schon 'ludwigslust-parchim'",
        ),
    ],
)
def test_reference_errors_leave_the_database_unchanged(seeded, text, message):
    before = database_contents()
    with pytest.raises(DatasetError, match=message):
        _import(text)
    assert database_contents() == before


def test_service_names_must_stay_unique(seeded):
    before = database_contents()
    with pytest.raises(
        DatasetError,
        match=r"services\[1\] \(kopierer\), Feld 'aliases': 'Drucker' bezeichnet schon 'drucker'",
    ):
        _import("services:\n  - {key: kopierer, name: Kopierer-Service, aliases: [Drucker]}")
    assert database_contents() == before


def test_a_name_may_move_between_entries_in_one_file(seeded):
    _import(
        """
        services:
          - {key: drucker, name: Drucker, aliases: [Multifunktionsgeräte]}
          - {key: kopierer, name: Kopierer-Service, aliases: [Kopierer, Scanner]}
        """
    )
    with db_session.transaction() as session:
        assert queries.find_service("Scanner", session=session).key == "kopierer"
        assert queries.find_service("Multifunktionsgeräte", session=session).key == "drucker"


def test_a_file_with_one_bad_entry_writes_none_of_the_good_ones(seeded):
    before = database_contents()
    text = NEW_MEMBER + "  - {key: zweite, name: Zweite, kind: Amt, customer_team: fehlt}\n"
    with pytest.raises(DatasetError, match=r"members\[2\] \(zweite\), Feld 'customer_team'"):
        _import(text)
    assert database_contents() == before


def test_not_yaml_is_refused():
    with pytest.raises(DatasetError, match="kein gültiges YAML"):
        parse_dataset("members: [unclosed")
