"""The end of an agency's service, through the real HTTP endpoint of a deployment with two
workspaces: the admin's export holds their own agency's register alone; the erasure empties it,
leaves the other agency working, and a new install makes its installer the admin of an empty
register."""

import csv
import io
import json
import zipfile
from datetime import timedelta

from sqlalchemy import select

from bot.slack.ids import REGISTER_ERASE_CONFIRMATION, REGISTER_ERASE_FORM
from storage.db import Database
from storage.models import Agency, AuditEvent, Erasure, Person, SlackFile, Staff
from storage.models.base import utcnow
from storage.models.enums import Role, SlackFileKind
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import RunningServer, opened_view
from tests.e2e.helpers.person_form import submit
from tests.e2e.helpers.uploads import messages_when_done, uploads_when_done
from tests.e2e.workspaces import (
    TEAM_A,
    TEAM_B,
    Workspace,
    add_persons,
    agency_of,
    hits_of,
    install,
    server,
    settings,
    workspaces,
)

__all__ = ["server", "settings", "workspaces"]  # the fixtures


def persons_in(archive: zipfile.ZipFile) -> list[str]:
    rows = csv.DictReader(
        io.StringIO(archive.read("persons.csv").decode("utf-8-sig")), delimiter=";"
    )
    return [row["last_name"] for row in rows]


def test_the_admin_gets_the_whole_register_of_their_own_agency_by_direct_message(
    workspaces: tuple[Workspace, Workspace], slack_api: SlackWebApiDouble, database: Database
) -> None:
    a, _ = workspaces
    add_persons(workspaces, slack_api)

    reply = a.slack.command("/rekisteri", "vie", user_id=a.installer)

    assert reply.status == 200 and reply.json()["response_type"] == "ephemeral"
    assert "yksityisviestinä" in reply.json()["text"]
    (upload,) = uploads_when_done(slack_api, 1)
    assert upload.filename.startswith("register-") and upload.filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(upload.content))
    assert persons_in(archive) == ["Virtanen"]
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["agency"]["slack_team_id"] == TEAM_A
    assert "Korhonen" not in json.dumps(
        {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()},
        ensure_ascii=False,
    )
    (message,) = messages_when_done(slack_api, a.installer)
    assert "Henkilöt: 1" in message["text"] and "säilyy Slackissa" in message["text"]
    uploaded = [
        call
        for call in slack_api.calls
        if call.method in {"chat.postMessage", "files.completeUploadExternal"}
    ]
    assert {call.headers["authorization"] for call in uploaded} == {f"Bearer {a.token}"}
    with database.reading(agency=agency_of(database, TEAM_A)) as session:
        (file,) = session.scalars(select(SlackFile)).all()
        exported = session.scalars(
            select(AuditEvent.actor).where(AuditEvent.action == "register.export")
        ).all()
    assert (file.kind, file.slack_file_id, file.uploaded_for) == (
        SlackFileKind.REGISTER_EXPORT,
        upload.file_id,
        a.installer,
    )
    assert timedelta(days=13, hours=23) < file.keep_until - utcnow() <= timedelta(days=14)
    assert exported == [a.installer]
    assert slack_api.violations == []


def test_erasing_one_register_empties_it_and_leaves_the_other_agency_working(
    workspaces: tuple[Workspace, Workspace],
    server: RunningServer,
    slack_api: SlackWebApiDouble,
    database: Database,
) -> None:
    a, b = workspaces
    add_persons(workspaces, slack_api)
    agency_a = agency_of(database, TEAM_A)

    opened = a.slack.command("/rekisteri", "tyhjennä", user_id=a.installer)
    assert (opened.status, opened.body) == (200, b"")
    view = opened_view(slack_api)
    assert view["callback_id"] == REGISTER_ERASE_FORM
    assert f"Agency {TEAM_A}" in json.dumps(view["blocks"], ensure_ascii=False)

    done = submit(
        a.slack, view, {REGISTER_ERASE_CONFIRMATION: f"agency {TEAM_A}"}, user_id=a.installer
    )

    assert done.status == 200 and done.json()["response_action"] == "update", done.text
    (summary,) = messages_when_done(slack_api, a.installer)
    assert "1 henkilö poistettiin" in summary["text"]
    assert "asentajasta tulee tyhjän rekisterin pääkäyttäjä" in summary["text"]
    with database.reading(agency=agency_a) as session:
        assert session.scalars(select(Person.id)).all() == []
        assert session.scalars(select(Staff.id)).all() == []
        assert len(session.scalars(select(Erasure.id)).all()) == 1
        assert session.get(Agency, agency_a).register_erased_at is not None  # type: ignore[union-attr]
    refused = a.slack.command("/asiakas", "testi", user_id=a.installer)
    assert "henkilökunta" in refused.json()["text"]
    in_b = hits_of(b, "testi")
    assert "Korhonen" in in_b and "Virtanen" not in in_b
    with database.reading(agency=agency_of(database, TEAM_B)) as session:
        assert session.scalars(select(Person.last_name)).all() == ["Korhonen"]

    install(server, slack_api, TEAM_A, a.installer, a.token)

    with database.reading(agency=agency_a) as session:
        staff = session.execute(select(Staff.slack_user_id, Staff.role)).all()
        assert [tuple(row) for row in staff] == [(a.installer, Role.ADMIN)]
        assert session.scalars(select(Person.id)).all() == []
    assert slack_api.violations == []
