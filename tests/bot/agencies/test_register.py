"""The export of a whole register holds no lock that other writers wait for while its archive
is written (on SQLite, the one write lock of the whole database), and is audited before."""

import io
import zipfile

from sqlalchemy import select

from bot.agencies.register import export_register
from storage import audit
from storage.db import Database
from storage.models import AuditEvent
from tests.people import add_person, add_staff


class WritingWhileExported(io.BytesIO):
    """An archive's file whose every write lets another request append to the audit trail."""

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database
        self.appended = 0

    def write(self, data: bytes) -> int:  # type: ignore[override]
        with self.database.transaction(statement_timeout_ms=2000) as session:
            audit.record(session=session, actor="UOTHER", action="person.search")
        self.appended += 1
        return super().write(data)


def test_other_writers_get_in_while_the_archive_is_written(database: Database) -> None:
    with database.transaction() as session:
        add_staff(session, "UADMIN")
        add_person(session, "Testi", "Vientilä")
    out = WritingWhileExported(database)

    done = export_register(database, agency=1, actor="UADMIN", out=out)

    assert done.rows["persons"] == 1 and out.appended > 0
    assert "persons.csv" in zipfile.ZipFile(io.BytesIO(out.getvalue())).namelist()
    with database.reading() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[0] == "register.export"
    assert actions[1:] == ["person.search"] * out.appended
