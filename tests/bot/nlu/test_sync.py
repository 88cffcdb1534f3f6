"""Lookup tables and synonyms follow the member database."""

import yaml

from bot.db import session as db_session
from bot.db.dataset import parse_dataset
from bot.db.importer import import_dataset
from bot.nlu import sync


def test_committed_lookups_match_the_shipped_data_set(session):
    assert sync.render_lookups(session=session) == sync.LOOKUPS_FILE.read_text(encoding="utf-8"), (
        "data/nlu/lookups.yml is out of date: run 'python -m bot nlu sync' on the seeded database"
    )


def test_lookups_hold_every_name_and_map_unambiguous_ones_to_keys(session):
    nlu = yaml.safe_load(sync.render_lookups(session=session))["nlu"]
    lookups = {block["lookup"]: block["examples"] for block in nlu if "lookup" in block}
    synonyms = {block["synonym"]: block["examples"] for block in nlu if "synonym" in block}
    assert "- Amt PU\n" in lookups["member"] and "- Diensthandys\n" in lookups["service"]
    assert "- Amt PU\n" in synonyms["parchimer-umland"]
    assert "- Diensthandys\n" in synonyms["mobil"]
    # "Netzwerk" is a service and a milestone: no synonym may claim it.
    assert not any("- Netzwerk\n" in examples for examples in synonyms.values())


def test_an_imported_member_appears_after_sync(session, tmp_path):
    with db_session.transaction() as writer:
        import_dataset(
            parse_dataset(
                "members:\n  - {key: hagenow, name: Stadt Hagenow, kind: Stadt, aliases: [Hagenow]}"
            ),
            session=writer,
        )
    target = tmp_path / "lookups.yml"
    with db_session.transaction() as reader:
        assert sync.sync(session=reader, path=target)
        assert not sync.sync(session=reader, path=target)
        assert sync.is_current(session=reader, path=target)
    assert "- Stadt Hagenow\n" in target.read_text(encoding="utf-8")
