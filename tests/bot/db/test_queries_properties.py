"""Properties of the member, service and milestone lookups: any text, any spelling of a name.

They read a seeded SQLite database shared by the module (the lookups only read), since a
database per generated example would take minutes.
"""

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.db.models import Member, MemberAlias
from bot.db.queries import find_member, find_milestone, find_service
from tests.utils.hostile import hostile_examples, user_text

# The module's database is shared on purpose: the lookups under test never write.
shared_database = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
separators = st.sampled_from([" ", "  ", "-", " - ", "\t", "_"])


@shared_database
@given(text=user_text)
@hostile_examples()
@example(text="x" * 2000)  # a whole chat message took about 6 s before within_typos()
def test_any_text_finds_one_known_thing_or_none(seeded_sqlite_session, text):
    session = seeded_sqlite_session

    assert find_member(text, session=session) in (None, *session.scalars(select(Member)))
    find_service(text, session=session)
    find_milestone(text, session=session)


@shared_database
@given(data=st.data())
def test_every_unambiguous_alias_finds_its_member_however_it_is_typed(seeded_sqlite_session, data):
    session = seeded_sqlite_session
    aliases = session.scalars(select(MemberAlias).order_by(MemberAlias.id)).all()
    owners: dict[str, set[int]] = {}
    for alias in aliases:
        owners.setdefault(alias.normalized, set()).add(alias.member_id)
    alias = data.draw(st.sampled_from([a for a in aliases if len(owners[a.normalized]) == 1]))

    words = alias.alias.replace("-", " ").split()
    typed = words[0]
    for word in words[1:]:
        typed += data.draw(separators) + word
    typed = data.draw(st.sampled_from([str, str.lower, str.upper, str.title]))(typed)

    assert find_member(f" {typed}!", session=session) == alias.member
