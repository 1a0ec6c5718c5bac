"""One audit chain per agency: each agency's events are sealed into its own chain counting from
1, its check names its own first broken event and leaves the other chains alone, an event moved
into another agency's chain shows, and its reads of the trail see its own events only."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from storage import access_package, audit, bulk_lookups, staff
from storage.audit_chain import EVENT_FORMAT, seal_hash
from storage.bulk_lookups import BulkLookupLimit
from storage.db import Database
from storage.models import (
    THE_AGENCY,
    Agency,
    AuditChainEpoch,
    AuditEvent,
    AuditEventPerson,
    AuditPending,
    AuditSeal,
)
from storage.models.base import utcnow
from storage.models.enums import Role
from storage.record_retention import prune_audit_trail
from tests.databases import CHAIN_KEY
from tests.people import add_person, add_staff
from tests.tampering import lift_audit_guards

AUDIT_TABLES = (AuditEvent, AuditEventPerson, AuditSeal, AuditChainEpoch)


@pytest.fixture
def agencies(database: Database) -> Iterator[tuple[int, int]]:
    """Agency 1 and another beside it."""
    with database.transaction() as session:
        other = Agency(slack_team_id="T0OTHER", name="Toinen yrityskeskus")
        session.add(other)
        session.flush()
        other_id = other.id
    yield THE_AGENCY, other_id


def append(database: Database, agency: int, person_id: int) -> int:
    with database.transaction(agency=agency) as session:
        return audit.record(
            session=session, actor="U1", action="person.view", person_id=person_id
        ).id


def seal(database: Database, agency: int) -> int:
    with database.transaction(agency=agency) as session:
        return audit.seal_pending(session=session)


def verify(database: Database, agency: int) -> audit.ChainReport:
    with database.transaction(agency=agency) as session:
        return audit.verify_chain(session=session)


def places(database: Database, agency: int) -> list[tuple[int, int]]:
    with database.reading(agency=agency) as session:
        rows = session.execute(select(AuditSeal.seq, AuditSeal.event_id).order_by(AuditSeal.seq))
        return [(seq, event_id) for seq, event_id in rows]


def interleaved(database: Database, agencies: tuple[int, int], count: int) -> dict[int, list[int]]:
    """`count` events in each agency, appended in turns."""
    events: dict[int, list[int]] = {agency: [] for agency in agencies}
    for n in range(count):
        for agency in agencies:
            events[agency].append(append(database, agency, n + 1))
    return events


def test_interleaved_appends_seal_into_two_chains_each_counting_from_1(
    database: Database, agencies: tuple[int, int]
) -> None:
    events = interleaved(database, agencies, 3)
    ours, theirs = agencies

    assert seal(database, theirs) == 3  # another agency's queue is not this sealer's
    assert places(database, ours) == []
    assert seal(database, ours) == 3
    more = append(database, ours, 9)
    assert seal(database, ours) == 1

    assert places(database, ours) == list(enumerate([*events[ours], more], start=1))
    assert places(database, theirs) == list(enumerate(events[theirs], start=1))
    for agency, count in ((ours, 4), (theirs, 3)):
        report = verify(database, agency)
        assert report.intact and report.checked == count and report.pending == 0
        assert report.head is not None and report.head.seq == count


def test_an_appended_row_and_its_queue_entry_are_the_agencys(
    database: Database, agencies: tuple[int, int]
) -> None:
    _, theirs = agencies
    with database.transaction(agency=theirs) as session:
        event = audit.record_many(
            session=session, actor="U1", action="person.search", person_ids=[4, 5]
        )
        bulk = audit.record_bulk(
            session=session, actor="import", action="person.import", person_ids=[6, 7]
        )
        assert bulk is None
    with database.engine.connect() as owner:
        for table in ("audit_events", "audit_event_persons", "audit_pending"):
            stamped = owner.scalars(text(f"SELECT DISTINCT agency_id FROM {table}"))
            assert list(stamped) == [theirs], table
    with database.reading(agency=theirs) as session:
        queued = session.scalars(select(AuditPending.event_id).order_by(AuditPending.event_id))
        assert next(iter(queued)) == event.id


def test_a_changed_event_is_named_in_its_agencys_chain_only(
    database: Database, agencies: tuple[int, int]
) -> None:
    events = interleaved(database, agencies, 4)
    ours, theirs = agencies
    for agency in agencies:
        seal(database, agency)
    with database.engine.begin() as owner:
        lift_audit_guards(owner)
        owner.execute(
            update(AuditEvent).where(AuditEvent.id == events[theirs][2]).values(person_id=99)
        )

    broken = verify(database, theirs)
    intact = verify(database, ours)

    assert broken.first_broken_id == events[theirs][2] and broken.checked == 2
    assert intact.intact and intact.checked == 4


@pytest.mark.parametrize("epochs", [True, False], ids=["with its epochs", "without"])
def test_an_agencys_trail_moved_into_another_agencys_chain_shows(
    database: Database, agencies: tuple[int, int], epochs: bool
) -> None:
    """Every row of one agency's trail relabelled as another's: the seals and the key's epoch
    name the agency they were made in, so the chain does not verify where it now stands."""
    ours, theirs = agencies
    with database.transaction(agency=theirs) as session:
        newcomer = Agency(slack_team_id="T0THIRD", name="Kolmas yrityskeskus")
        session.add(newcomer)
        session.flush()
        third = newcomer.id
    events = interleaved(database, (theirs,), 3)[theirs]
    seal(database, theirs)
    with database.engine.begin() as owner:
        lift_audit_guards(owner)
        for model in AUDIT_TABLES if epochs else AUDIT_TABLES[:-1]:
            table = model.__table__
            owner.execute(update(table).where(table.c.agency_id == theirs).values(agency_id=third))

    moved = verify(database, third)

    assert not moved.intact
    if epochs:
        assert moved.foreign_epochs == 1  # its boundary is not the key's in this chain
    else:
        assert moved.first_broken_id == events[0]
    assert verify(database, ours).intact


def test_an_event_moved_to_another_agency_is_named_in_both(
    database: Database, agencies: tuple[int, int]
) -> None:
    events = interleaved(database, agencies, 3)
    ours, theirs = agencies
    for agency in agencies:
        seal(database, agency)
    moved = events[theirs][1]
    with database.engine.begin() as owner:
        lift_audit_guards(owner)
        for model in (AuditEvent, AuditEventPerson):
            table = model.__table__
            key = table.c.id if model is AuditEvent else table.c.event_id
            owner.execute(update(table).where(key == moved).values(agency_id=ours))

    assert verify(database, theirs).first_broken_id == moved  # its seal has lost its event
    assert verify(database, ours).first_broken_id == moved  # an event with no seal of ours


def test_a_seal_of_the_one_chain_format_shows_in_another_agencys_chain(
    database: Database, agencies: tuple[int, int]
) -> None:
    """Formats from before the chains were agencies' belong to agency 1's chain: one recomputed
    under the key without the agency (as a version that knew no agencies would) does not pass
    elsewhere."""
    _, theirs = agencies
    events = interleaved(database, (theirs,), 2)[theirs]
    seal(database, theirs)
    with database.engine.begin() as owner:
        lift_audit_guards(owner)
    with database.transaction(agency=theirs) as session:
        first = session.scalars(select(AuditSeal).where(AuditSeal.seq == 1)).one()
        event = session.get(AuditEvent, events[0])
        assert event is not None
        digest = seal_hash(
            key=CHAIN_KEY,
            agency=None,
            seq=1,
            previous_hash=first.previous_hash,
            event=event,
            person_ids=[event.person_id or 0],
        )
        session.execute(
            update(AuditSeal)
            .where(AuditSeal.seq == 1)
            .values(format=EVENT_FORMAT, hash=digest)
            .execution_options(synchronize_session=False)
        )

    assert verify(database, theirs).first_broken_id == events[0]


def test_pruning_one_agencys_chain_leaves_the_others_whole(
    database: Database, agencies: tuple[int, int]
) -> None:
    events = interleaved(database, agencies, 3)
    ours, theirs = agencies
    for agency in agencies:
        seal(database, agency)
    with database.transaction(agency=theirs) as session:
        pruning = prune_audit_trail(session=session, older_than=utcnow() + timedelta(days=1))
    assert pruning.pruned == 3 and pruning.through_seq == 3

    theirs_now = verify(database, theirs)
    ours_now = verify(database, ours)
    assert theirs_now.intact and theirs_now.pruned == 3 and theirs_now.checked == 1
    assert ours_now.intact and ours_now.pruned == 0 and ours_now.checked == 3
    assert [event_id for _, event_id in places(database, ours)] == events[ours]
    # Another agency's pruning lets none of this one's rows go.
    for table, key in (("audit_seals", "seq"), ("audit_events", "id")):
        refused = pytest.raises(DBAPIError, match=f"{table} is append-only")
        with refused, database.engine.begin() as owner:
            owner.execute(
                text(f"DELETE FROM {table} WHERE agency_id = :agency AND {key} = :key"),
                {"agency": ours, "key": 1 if key == "seq" else events[ours][0]},
            )


def test_a_persons_access_package_lists_the_consultations_in_its_agency_only(
    database: Database, agencies: tuple[int, int]
) -> None:
    _, theirs = agencies
    with database.transaction() as session:
        controller = add_staff(session, "UCONTROL", Role.CONTROLLER)
        person_id = add_person(session, "Testi", "Virtanen").id
        audit.record(
            session=session,
            actor="UCONTROL",
            action="person.view",
            person_id=person_id,
            purpose="customer_service",
        )
    # The same id in another agency's trail (its own person of that id, or a made-up one).
    with database.transaction(agency=theirs) as session:
        audit.record(session=session, actor="UOTHER", action="person.export", person_id=person_id)

    with database.transaction() as session:
        package = access_package.build_access_package(
            session=session, actor=controller, person_id=person_id, language="fi"
        )

    assert [c.action for c in package.consultations] == [
        "person.view",
        "person.access_package",
    ]


def test_the_bulk_look_up_count_reads_its_agencys_events_only(
    database: Database, agencies: tuple[int, int]
) -> None:
    ours, theirs = agencies
    limit = BulkLookupLimit(threshold=3, window=timedelta(minutes=10))
    for person_id in range(1, 6):
        append(database, theirs, person_id)  # the same Slack user id in another workspace
    append(database, ours, 1)

    with database.transaction() as session:
        assert bulk_lookups.note_card_opened(session=session, actor="U1", limit=limit) is None
    with database.transaction(agency=theirs) as session:
        assert bulk_lookups.note_card_opened(session=session, actor="U1", limit=limit)


def test_the_role_changes_listed_are_the_agencys_own(
    database: Database, agencies: tuple[int, int]
) -> None:
    _, theirs = agencies
    with database.transaction(agency=theirs) as session:
        audit.record(session=session, actor="UADMIN", action="staff.revoke", target="USAME")
    with database.transaction() as session:
        audit.record(session=session, actor="UADMIN", action="staff.grant.advisor", target="USAME")

    with database.reading() as session:
        ours_listed = staff.last_role_changes(session=session)
    with database.reading(agency=theirs) as session:
        theirs_listed = staff.last_role_changes(session=session)

    assert ours_listed["USAME"].action == "staff.grant.advisor"
    assert theirs_listed["USAME"].revoked
