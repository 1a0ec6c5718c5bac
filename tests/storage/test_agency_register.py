"""The end of an agency's service: its whole register exported as files, or erased, without a
row of the other agency's touched; the erased persons stay recorded by id for the replay, and
the audit trail's chain still verifies from its pruned end."""

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from storage import agencies, agency_register, audit, slack_copies
from storage.db import Database
from storage.models import (
    Agency,
    AuditEvent,
    AuditEventPerson,
    AuditSeal,
    Erasure,
    Meeting,
    OutboxMessage,
    Person,
    SlackFile,
    SlackFilePerson,
    Staff,
)
from storage.models.enums import Purpose, Role, SlackFileKind
from tests.people import add_meeting, add_person, add_staff

MET_AT = datetime(2026, 10, 1, 9, tzinfo=UTC)


def fill(database: Database, agency: int, surname: str) -> None:
    """A controller, two persons with a meeting each, and their look-ups in the audit trail."""
    with database.transaction(agency=agency) as session:
        controller = add_staff(session, f"UCTRL{agency}", Role.CONTROLLER)
        for first_name in ("Testi", "Koe"):
            person = add_person(session, first_name, surname, phone_numbers=("+358401234567",))
            add_meeting(session, person, controller, MET_AT, topic="Rahoitus; =SUM(A1)")
            audit.record(session=session, actor="UCTRL", action="person.view", person_id=person.id)


def counts(database: Database, agency: int) -> dict[str, int]:
    with database.reading(agency=agency) as session:
        return agency_register.register_counts(session=session)


def archive_of(database: Database, agency: int) -> zipfile.ZipFile:
    out = io.BytesIO()
    with database.transaction(agency=agency) as session:
        agency_register.record_export(session=session, actor="UADMIN")
    with database.reading(agency=agency) as session:
        done = agency_register.export_register(session=session, out=out)
    assert done.agency == agency and done.rows["persons"] == 2
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def table(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(f"{name}.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_export_holds_every_table_of_the_agency_and_nothing_of_the_other(
    database: Database, other_agency: int
) -> None:
    fill(database, 1, "Ensimmäinen")
    fill(database, other_agency, "Toinen")
    archive = archive_of(database, other_agency)

    manifest = json.loads(archive.read(agency_register.MANIFEST))
    assert manifest["agency"]["id"] == other_agency
    expected = {f"{t.name}.csv" for t in agency_register.exported_tables()}
    assert set(manifest["files"]) == expected
    assert set(archive.namelist()) == expected | {agency_register.MANIFEST}
    assert "job_runs.csv" not in expected and "persons.csv" in expected

    persons = table(archive, "persons")
    assert sorted(p["last_name"] for p in persons) == ["Toinen", "Toinen"]
    assert {p["agency_id"] for p in persons} == {str(other_agency)}
    assert len(table(archive, "meetings")) == manifest["files"]["meetings.csv"] == 2
    # A cell a spreadsheet would run as a formula is written as text.
    assert {m["topic"] for m in table(archive, "meetings")} == {"Rahoitus; =SUM(A1)"}
    assert len(table(archive, "phone_numbers")) == 2
    assert [s["slack_user_id"] for s in table(archive, "staff")] == [f"UCTRL{other_agency}"]
    # A consultation of each of the agency's persons, with its purpose, and no other's.
    with database.reading(agency=other_agency) as session:
        exported = session.execute(
            select(AuditEvent.purpose, AuditEventPerson.person_id)
            .join(AuditEventPerson, AuditEventPerson.event_id == AuditEvent.id)
            .where(AuditEvent.action == agency_register.EXPORT_ACTION)
        ).all()
        theirs = set(session.scalars(select(Person.id)))
    assert {person for _, person in exported} == theirs and len(exported) == 2
    assert {purpose for purpose, _ in exported} == {Purpose.REGISTER_RETURN}


def test_erasing_one_register_leaves_the_other_whole_and_the_chain_verifiable(
    database: Database, other_agency: int
) -> None:
    fill(database, 1, "Ensimmäinen")
    fill(database, other_agency, "Toinen")
    first_before = counts(database, 1)
    with database.transaction(agency=None) as session:
        for agency_id in (1, other_agency):
            its = session.get(Agency, agency_id)
            assert its is not None
            its.register_description = '{"fi": {"contact": "Testi Yhteyshenkilö"}}'
    with database.reading(agency=other_agency) as session:
        erased = {(p.id, p.person_key) for p in session.scalars(select(Person))}

    with database.transaction(agency=other_agency) as session:
        done = agency_register.erase_register(session=session, actor="UADMIN")
    assert done.persons == 2 and done.audit_broken_at is None
    assert done.rows["meetings"] == 2 and done.rows["staff"] == 1
    assert done.audit_events >= 2

    assert counts(database, 1) == first_before
    left = counts(database, other_agency)
    assert {name: n for name, n in left.items() if n} == {
        "audit_chain_epochs": left["audit_chain_epochs"],
        "audit_chain_prunings": 1,
        "audit_events": left["audit_events"],
        "erasures": 2,
    }
    with database.transaction(agency=other_agency) as session:
        recorded = {(e.person_id, e.person_key) for e in session.scalars(select(Erasure))}
        assert recorded == erased
        # What is left of the trail is the pruning and the erasure, and it verifies.
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["audit.prune", agency_register.ERASE_ACTION]
        assert session.scalar(select(func.count()).select_from(AuditEventPerson)) == 0
        audit.seal_pending(session=session)
        assert audit.verify_chain(session=session).first_broken_id is None
        assert session.scalar(select(func.count()).select_from(AuditSeal)) == 2
    with database.reading(agency=None) as session:
        agency = session.get(Agency, other_agency)
        assert agency is not None and agency.register_erased_at is not None
        assert agency.slack_team_id == "T0OTHER" and agency.register_description is None
        first = session.get(Agency, 1)
        assert first is not None and first.register_description is not None
    with database.reading(agency=1) as session:
        assert session.scalar(select(func.count()).select_from(Staff)) == 1
        assert session.scalar(select(func.count()).select_from(Meeting)) == 2


def copies_in_slack(database: Database, agency: int) -> None:
    """An access package and the register's export in a controller's direct message, and a
    message there that names a person."""
    with database.transaction(agency=agency) as session:
        person_id = session.scalars(select(Person.id)).first()
        assert person_id is not None
        for kind, slack_file_id in (
            (SlackFileKind.ACCESS_PACKAGE, "F0PACKAGE"),
            (SlackFileKind.REGISTER_EXPORT, "F0EXPORT"),
        ):
            slack_copies.record_files(
                session=session,
                slack_file_ids=[slack_file_id],
                channel_id="D0CTRL",
                kind=kind,
                uploaded_for="UCTRL",
                keep_until=MET_AT + timedelta(days=400),
                person_ids=[person_id] if kind == SlackFileKind.ACCESS_PACKAGE else [],
            )
        slack_copies.record_message(
            session=session,
            channel_id="D0CTRL",
            message_ts="1700000000.000100",
            kind="request_alert",
            recipient="UCTRL",
            params={"request": 1},
            person_ids=[person_id],
        )


def outbox_of(database: Database, agency: int) -> list[tuple[str, str]]:
    with database.reading(agency=agency) as session:
        rows = session.execute(
            select(OutboxMessage.kind, OutboxMessage.key).order_by(OutboxMessage.id)
        )
        return [(str(kind), key) for kind, key in rows]


def test_the_erasure_puts_every_copy_in_slack_up_for_removal_but_the_export_just_made(
    database: Database, other_agency: int
) -> None:
    fill(database, other_agency, "Toinen")
    copies_in_slack(database, other_agency)

    with database.transaction(agency=other_agency) as session:
        done = agency_register.erase_register(session=session, actor="UADMIN")

    assert done.copies_in_slack == slack_copies.Removal(files=1, messages=1)
    with database.reading(agency=other_agency) as session:
        files = dict(session.execute(select(SlackFile.slack_file_id, SlackFile.id)).all())
        assert set(files) == {"F0PACKAGE", "F0EXPORT"}  # until the outbox has done its work
        assert session.scalar(select(func.count()).select_from(SlackFilePerson)) == 0
    assert [kind for kind, _ in outbox_of(database, other_agency)] == [
        "slack_file_delete",
        "slack_message_redact",
    ]
    assert f"slack-file-delete:{files['F0PACKAGE']}" in dict(
        (key, kind) for kind, key in outbox_of(database, other_agency)
    )


def test_an_uninstalled_agencys_copies_in_slack_are_left_to_its_workspace(
    database: Database, other_agency: int
) -> None:
    fill(database, other_agency, "Toinen")
    copies_in_slack(database, other_agency)
    with database.transaction(agency=None) as session:
        agencies.uninstall(session=session, team_id="T0OTHER")

    with database.transaction(agency=other_agency) as session:
        done = agency_register.erase_register(session=session, actor="operator")

    assert done.copies_in_slack == slack_copies.Removal(files=0, messages=0)
    assert outbox_of(database, other_agency) == []
