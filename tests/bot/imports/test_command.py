"""`python -m bot import persons|meetings FILE`, run by the CLI's `main` in this process, as an
operator runs it: against a database of its own, on SQLite and PostgreSQL."""

import io
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, text

from storage.db import Database
from storage.models import AuditEvent, AuditEventPerson, Meeting, Person
from storage.models.enums import DataSource, Purpose
from tests.bot.helpers.import_cli import Cli, report
from tests.people import add_person

PERSONS = (
    "first_name;last_name;email;phone;birth_date;municipality;relationship_kind;legal_basis;"
    "relationship_started_on;source\r\n"
    "Testi;Virtanen;testi.virtanen@example.fi;040 123 4567;1.7.1979;Tampere;asiakas;sopimus;"
    "3.4.2015;\r\n"
    "Kaisa;Kokeilu;kaisa.kokeilu(at)example.fi;;31.2.1980;Salaisenkylä;customer;contract;;\r\n"
    "Matti;Meikäläinen;;050 765 4321;1979-07-01;Espoo;member;legal_obligation;;person\r\n"
    "Testi;Virtanen;TESTI.VIRTANEN@example.fi;;;;customer;contract;;\r\n"
    "Pekka;Toistuva;;;;;customer;contract;;\r\n"
    "Pekka;Toistuva;;;;;customer;contract;;\r\n"
)
# What the refused and skipped lines hold, which no report may repeat.
PERSONAL = ("Kokeilu", "kaisa", "Salaisenkylä", "31.2.1980", "Toistuva", "Virtanen", "040")


def count(database: Database, model: type) -> int:
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_persons_come_in_with_a_report_of_every_line_left_out_and_no_personal_data(
    cli: Cli, database: Database, tmp_path: Path
) -> None:
    (tmp_path / "rekisteri.csv").write_bytes(b"\xef\xbb\xbf" + PERSONS.encode())

    ran = cli("import", "persons", "rekisteri.csv", "--language", "en")

    assert ran.returncode == 0, ran.stderr
    assert "lines/s" not in ran.stderr  # no progress bar where no one watches
    assert ran.stdout.splitlines() == [
        "6 lines read.",
        "3 persons brought in.",
        "2 lines skipped: already in the register, or earlier in the file.",
        "1 line refused.",
        "The skipped and refused lines, with the reasons: rekisteri.report.csv",
    ]
    lines = report(tmp_path / "rekisteri.report.csv")
    assert lines == [
        ["line", "outcome", "column", "reason"],
        ["3", "refused", "email", "Enter a real e-mail address, e.g. maija.mallikas@example.fi."],
        ["3", "refused", "birth_date", "That date does not exist."],
        ["5", "skipped", "email", "Repeats line 2 (matches on: e-mail)."],
        ["7", "skipped", "", "Repeats line 6 word for word."],
    ]
    written = (tmp_path / "rekisteri.report.csv").read_text(encoding="utf-8-sig")
    assert not [word for word in PERSONAL if word in written]
    with database.reading() as session:
        persons = session.scalars(select(Person).order_by(Person.last_name)).all()
        assert [p.last_name for p in persons] == ["Meikäläinen", "Toistuva", "Virtanen"]
        assert [p.source for p in persons] == [
            DataSource.PERSON,
            DataSource.EARLIER_REGISTER,
            DataSource.EARLIER_REGISTER,
        ]
        audited = session.execute(
            select(AuditEventPerson.person_id, AuditEvent.purpose)
            .join(AuditEventPerson, AuditEventPerson.event_id == AuditEvent.id)
            .where(AuditEvent.action == "person.import")
        ).all()
        assert sorted(audited) == sorted((p.id, Purpose.IMPORT) for p in persons)


def test_the_same_file_twice_creates_nothing_new(
    cli: Cli, database: Database, tmp_path: Path
) -> None:
    (tmp_path / "rekisteri.csv").write_text(PERSONS, encoding="utf-8")
    cli("import", "persons", "rekisteri.csv")
    persons, events = count(database, Person), count(database, AuditEvent)

    again = cli("import", "persons", "rekisteri.csv")

    assert again.returncode == 0
    assert "0 henkilöä tuotu." in again.stdout and "5 riviä ohitettu" in again.stdout
    assert (count(database, Person), count(database, AuditEvent)) == (persons, events)
    reasons = [line[3] for line in report(tmp_path / "rekisteri.report.csv")[1:]]
    assert reasons[0].startswith("Tuotu jo aiemmalla tuonnilla viitteellä R-")


def test_a_duplicate_of_the_register_is_skipped_by_its_reference(
    cli: Cli, database: Database, tmp_path: Path
) -> None:
    with database.transaction() as session:
        known = add_person(session, email="testi.virtanen@example.fi").reference
    (tmp_path / "rekisteri.csv").write_text(PERSONS, encoding="utf-8")

    cli("import", "persons", "rekisteri.csv", "--language", "en", "--report", "out/raportti.csv")

    lines = report(tmp_path / "out" / "raportti.csv")
    assert [
        "2",
        "skipped",
        "email",
        f"Already in the register as {known} (matches on: e-mail).",
    ] in lines


def test_a_dry_run_reports_and_writes_nothing(cli: Cli, database: Database, tmp_path: Path) -> None:
    (tmp_path / "rekisteri.csv").write_text(PERSONS, encoding="utf-8")
    events = count(database, AuditEvent)

    ran = cli("import", "persons", "rekisteri.csv", "--dry-run", "--language", "en")

    assert ran.returncode == 0
    assert "3 persons would be brought in." in ran.stdout
    assert "A dry run: nothing was written to the register." in ran.stdout
    assert (count(database, Person), count(database, AuditEvent)) == (0, events)
    assert len(report(tmp_path / "rekisteri.report.csv")) == 5


def test_standard_input_and_a_workbook(cli: Cli, database: Database, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in PERSONS.splitlines()[:4]:
        sheet.append([cell or None for cell in line.split(";")])
    buffer = io.BytesIO()
    workbook.save(buffer)

    ran = cli("import", "persons", "-", "--language", "en", stdin=buffer.getvalue())

    assert ran.returncode == 0, ran.stderr
    assert "2 persons brought in." in ran.stdout and "1 line refused." in ran.stdout
    assert (tmp_path / "import-report.csv").exists()
    assert count(database, Person) == 2


def test_unknown_columns_stop_the_import_before_anything_is_read(
    cli: Cli, database: Database, tmp_path: Path
) -> None:
    (tmp_path / "rekisteri.csv").write_text(
        "etunimi;last_name;relationship_kind;legal_basis;asiakasnumero\nTesti;Virtanen;;;17\n",
        encoding="utf-8",
    )

    ran = cli("import", "persons", "rekisteri.csv", "--language", "en")

    assert ran.returncode == 2
    assert "Columns the import does not know: etunimi, asiakasnumero." in ran.stderr
    assert "Columns the import needs: first_name." in ran.stderr
    assert "Nothing was imported." in ran.stderr and "Virtanen" not in ran.stderr
    assert count(database, Person) == 0 and not (tmp_path / "rekisteri.report.csv").exists()


def test_a_file_that_cannot_be_read_exits_2(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "vanha.csv").write_bytes("first_name\nMäkelä\n".encode("cp1252"))
    ran = cli("import", "persons", "vanha.csv", "--language", "en")
    assert ran.returncode == 2 and "not UTF-8" in ran.stderr


def test_meetings_come_in_once_by_reference_or_e_mail(
    cli: Cli, database: Database, tmp_path: Path
) -> None:
    with database.transaction() as session:
        reference = add_person(session, email="testi.virtanen@example.fi").reference
    (tmp_path / "tapaamiset.csv").write_text(
        "person,occurred_at,duration,kind,topic,notes,follow_up_on,advisor\n"
        f"{reference},6.5.2019 14.30,60,Tapaaminen,Rahoitus,,1.6.2019,\n"
        'testi.virtanen@example.fi,2020-02-03T09:00,30,phone,,"Soitto\nkahdella rivillä",,\n'
        "R-NOONE,6.5.2019 14.30,60,meeting,,,,\n"
        f"{reference},6.5.2019 14.30,60,meeting,Rahoitus,,1.6.2019,\n",
        encoding="utf-8",
    )

    first = cli("import", "meetings", "tapaamiset.csv", "--language", "en")
    again = cli("import", "meetings", "tapaamiset.csv", "--language", "en")

    assert first.returncode == 0, first.stderr
    assert "2 meetings brought in." in first.stdout and "1 line refused." in first.stdout
    assert "0 meetings brought in." in again.stdout
    assert count(database, Meeting) == 2
    lines = report(tmp_path / "tapaamiset.report.csv")
    assert [
        "5",
        "refused",
        "person",
        "No person in the register has this reference or e-mail.",
    ] in lines
    with database.reading() as session:
        audited = session.scalars(
            select(AuditEvent.purpose).where(AuditEvent.action == "meeting.import")
        ).all()
    assert audited == [Purpose.IMPORT]  # the batch of meetings is one act


def test_a_progress_bar_shows_on_a_terminal_only(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rekisteri.csv").write_text(PERSONS, encoding="utf-8")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    cli("import", "persons", "rekisteri.csv", "--dry-run")

    assert "0/6" in terminal.getvalue()  # and tqdm redraws it as the batches go


REFUSE_KIELLETTY = {
    "sqlite": (
        "CREATE TRIGGER refuse_kielletty BEFORE INSERT ON persons "
        "WHEN NEW.first_name = 'Kielletty' BEGIN SELECT RAISE(ABORT, 'refused'); END",
    ),
    "postgresql": (
        "CREATE FUNCTION refuse_kielletty() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.first_name = 'Kielletty' THEN RAISE EXCEPTION 'refused'; END IF; "
        "RETURN NEW; END $$",
        "CREATE TRIGGER refuse_kielletty BEFORE INSERT ON persons "
        "FOR EACH ROW EXECUTE FUNCTION refuse_kielletty()",
    ),
}


def test_a_batch_the_database_refuses_stops_the_import_and_a_rerun_goes_on(
    cli: Cli, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.imports.run.BATCH_SIZE", 2)
    (tmp_path / "rekisteri.csv").write_text(
        "first_name;last_name;relationship_kind;legal_basis\n"
        "Testi;Yksi;customer;contract\n"
        "Testi;Kaksi;customer;contract\n"
        "Kielletty;Kolme;customer;contract\n"
        "Testi;Neljä;customer;contract\n",
        encoding="utf-8",
    )
    with database.transaction() as session:
        for statement in REFUSE_KIELLETTY[database.backend]:
            session.execute(text(statement))

    stopped = cli("import", "persons", "rekisteri.csv", "--language", "en")

    assert stopped.returncode == 1
    assert "The database refused a batch (" in stopped.stderr
    assert "after 2 lines" in stopped.stderr and "Kielletty" not in stopped.stderr
    assert "2 persons brought in." in stopped.stdout
    assert count(database, Person) == 2
    with database.transaction() as session:
        session.execute(
            text(
                "DROP TRIGGER refuse_kielletty"
                + (" ON persons" if database.backend == "postgresql" else "")
            )
        )

    again = cli("import", "persons", "rekisteri.csv", "--language", "en")

    assert again.returncode == 0 and "2 persons brought in." in again.stdout
    assert count(database, Person) == 4
