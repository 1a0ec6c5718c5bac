"""Two workspaces on one deployment, each with a Testi Virtanen and requests of its own, through
the real HTTP endpoint: a request alerts only its own agency's controller, its Home tab, reports,
survey list and access package hold only its own, what the other workspace forges (buttons,
suggestions, submissions) finds and changes nothing, and every Web API call made for a
workspace carries that workspace's bot token."""

import csv
import io
import json
import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.slack.ids import REQUEST_START
from storage.db import Database
from storage.models import AuditEvent, DataSubjectRequest, Person
from storage.models.enums import AuditOutcome, RequestStatus, Role
from tests.doubles.slack_web_api import Call, SlackWebApiDouble, Upload
from tests.e2e.harness import Reply, opened_view
from tests.e2e.helpers.data_subject_requests import agency_today
from tests.e2e.helpers.person_form import TESTI, press, submit, user
from tests.e2e.helpers.uploads import uploads_when_done
from tests.e2e.workspaces import (
    TEAM_B,
    Workspace,
    agency_of,
    server,
    settings,
    workspaces,
)
from tests.people import add_meeting, add_person, add_staff

__all__ = ["server", "settings", "workspaces"]  # the fixtures

MET_IN_A, MET_IN_B = 6, 9  # persons met in March 2025, all of them Testi Virtanen
QUIET_SECONDS = 0.5
WAIT_SECONDS = 30


class Agency:
    """A workspace with its agency's staff and persons."""

    def __init__(self, workspace: Workspace, agency: int, letter: str) -> None:
        self.workspace = workspace
        self.slack = workspace.slack
        self.token = workspace.token
        self.id = agency
        self.letter = letter
        self.advisor = f"UADVISOR{letter}"
        self.controller = f"UCONTROL{letter}"
        self.domain = f"agency-{letter.lower()}.example.fi"
        self.person_id = 0


def seed(database: Database, agency: Agency, met: int) -> None:
    with database.transaction(agency=agency.id) as session:
        advisor = add_staff(session, agency.advisor)
        add_staff(session, agency.controller, Role.CONTROLLER, language="en")
        for number in range(met):
            person = add_person(session, email=f"testi.{number}@{agency.domain}")
            add_meeting(session, person, advisor, datetime(2025, 3, 10, 9, tzinfo=UTC))
            agency.person_id = agency.person_id or person.id


@pytest.fixture
def pair(workspaces: tuple[Workspace, Workspace], database: Database) -> tuple[Agency, Agency]:
    a, b = (
        Agency(workspace, agency_of(database, workspace.team_id) or 0, letter)
        for workspace, letter in zip(workspaces, "AB", strict=True)
    )
    seed(database, a, MET_IN_A)
    seed(database, b, MET_IN_B)
    return a, b


def settled(slack_api: SlackWebApiDouble, since: int) -> list[Call]:
    """The calls made since `since`, once the work after the answers (lazy listeners, the
    outbox) has made no more for a moment."""
    deadline = time.monotonic() + WAIT_SECONDS
    seen = -1
    while len(slack_api.calls) != seen and time.monotonic() < deadline:
        seen = len(slack_api.calls)
        threading.Event().wait(QUIET_SECONDS)
    return slack_api.calls[since:]


def tokens(calls: list[Call]) -> set[str]:
    """The bot tokens the Web API calls carried (a response_url takes none)."""
    return {
        call.headers.get("authorization", "") for call in calls if call.method != "response_url"
    }


def text_of(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def said(calls: list[Call]) -> list[tuple[str, Any]]:
    return [(call.method, call.args.get("text")) for call in calls]


def alerts_to(slack_api: SlackWebApiDouble, user_id: str) -> list[Call]:
    return [c for c in slack_api.calls_to("chat.postMessage") if c.args["channel"] == user_id]


def file_request(slack_api: SlackWebApiDouble, agency: Agency, person_id: int) -> Reply:
    """The advisor files an access request through `/tietopyynto` and its modal."""
    assert agency.slack.command("/tietopyynto", user_id=agency.advisor).status == 200
    filled = {
        "kind": "access",
        "person_id": str(person_id),
        "channel": "email",
        "received_on": agency_today().isoformat(),
        "language": "fi",
        "details": "Pyytää kopion tiedoistaan.",
    }
    return submit(agency.slack, opened_view(slack_api), filled, user_id=agency.advisor)


def filed(slack_api: SlackWebApiDouble, agency: Agency) -> int:
    """The request id on the controller's last alert."""
    alert = alerts_to(slack_api, agency.controller)[-1]
    return int(alert.args["blocks"][-1]["elements"][0]["value"])


def request_of(database: Database, agency: Agency, request_id: int) -> DataSubjectRequest | None:
    with database.reading(agency=agency.id) as session:
        request = session.get(DataSubjectRequest, request_id)
        if request is not None:
            session.expunge(request)
        return request


def audit_of(database: Database, agency: Agency) -> list[tuple[str, str, int | None, str]]:
    with database.reading(agency=agency.id) as session:
        rows = session.execute(
            select(
                AuditEvent.actor, AuditEvent.action, AuditEvent.person_id, AuditEvent.outcome
            ).order_by(AuditEvent.id)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_a_request_alerts_only_its_own_controller_and_its_buttons_fail_from_the_other(
    pair: tuple[Agency, Agency], slack_api: SlackWebApiDouble, database: Database
) -> None:
    a, b = pair
    before = len(slack_api.calls)
    assert file_request(slack_api, a, a.person_id).body == b""
    calls_for_a = settled(slack_api, before)
    request_a = filed(slack_api, a)

    (alert,) = alerts_to(slack_api, a.controller)
    assert alert.headers["authorization"] == f"Bearer {a.token}"
    assert alerts_to(slack_api, b.controller) == []
    assert tokens(calls_for_a) == {f"Bearer {a.token}"}

    before = len(slack_api.calls)
    assert file_request(slack_api, b, b.person_id).body == b""
    assert tokens(settled(slack_api, before)) == {f"Bearer {b.token}"}
    request_b = filed(slack_api, b)
    assert len(alerts_to(slack_api, a.controller)) == 1

    for action in ("request_start", "request_verify", "request_fulfil", "request_open"):
        before = len(slack_api.calls)
        press(b.slack, action, str(request_a), user_id=b.controller)
        forged = settled(slack_api, before)
        before = len(slack_api.calls)
        press(b.slack, action, str(request_a + request_b + 1000), user_id=b.controller)
        missing = settled(slack_api, before)
        assert said(forged) == said(missing) and forged, action
        assert tokens(forged) <= {f"Bearer {b.token}"}
    request = request_of(database, a, request_a)
    assert request is not None and request.status is RequestStatus.RECEIVED
    assert request_of(database, b, request_a) is None
    assert slack_api.violations == []


def test_each_home_tab_lists_only_its_own_open_requests(
    pair: tuple[Agency, Agency], slack_api: SlackWebApiDouble
) -> None:
    filed_ids = {}
    for agency in pair:
        file_request(slack_api, agency, agency.person_id)
        filed_ids[agency.letter] = filed(slack_api, agency)

    for agency in pair:
        before = len(slack_api.calls)
        home = {
            "type": "app_home_opened",
            "user": agency.controller,
            "channel": "D1",
            "tab": "home",
        }
        assert agency.slack.event(home).status == 200
        calls = settled(slack_api, before)
        (published,) = [call for call in calls if call.method == "views.publish"]
        view = published.args["view"]
        started = [
            element["value"]
            for block in view["blocks"]
            for element in block.get("elements", [])
            if element.get("action_id") == REQUEST_START
        ]
        assert started == [str(filed_ids[agency.letter])]
        assert published.args["user_id"] == agency.controller
        assert tokens(calls) == {f"Bearer {agency.token}"}
    assert slack_api.violations == []


def uploaded(slack_api: SlackWebApiDouble, since: int) -> list[Upload]:
    return slack_api.uploads[since:]


def totals_of(report_csv: bytes) -> dict[str, str]:
    rows = csv.reader(io.StringIO(report_csv.decode("utf-8-sig")), delimiter=";")
    return {row[1]: row[2] for row in rows if row and row[0] == "Totals"}


def test_reports_and_survey_lists_hold_only_the_agencys_own(
    pair: tuple[Agency, Agency], slack_api: SlackWebApiDouble
) -> None:
    for agency, met in zip(pair, (MET_IN_A, MET_IN_B), strict=True):
        before, files = len(slack_api.calls), len(slack_api.uploads)
        agency.slack.command("/rekisteri", "raportti 2025", user_id=agency.controller)
        uploads_when_done(slack_api, files + 3)
        calls = settled(slack_api, before)
        (report,) = [u for u in uploaded(slack_api, files) if u.filename.endswith(".csv")]
        totals = totals_of(report.content)
        assert (totals["Customers met"], totals["Meetings"]) == (str(met), str(met))
        (modal,) = [call for call in calls if call.method == "views.open"]
        assert f'"Meetings: {met}"' in text_of(modal.args["view"])
        assert tokens(calls) == {f"Bearer {agency.token}"}

        before, files = len(slack_api.calls), len(slack_api.uploads)
        agency.slack.command("/rekisteri", "kysely 2025-03", user_id=agency.controller)
        (survey,) = uploads_when_done(slack_api, files + 1)[files:]
        calls = settled(slack_api, before)
        rows = list(csv.reader(io.StringIO(survey.content.decode("utf-8-sig")), delimiter=";"))
        emails = [row[2] for row in rows[1:]]
        assert len(emails) == met
        assert all(email.endswith("@" + agency.domain) for email in emails), emails
        assert tokens(calls) == {f"Bearer {agency.token}"}
    assert slack_api.violations == []


def test_an_access_package_holds_only_the_agencys_own_person(
    pair: tuple[Agency, Agency], slack_api: SlackWebApiDouble, database: Database
) -> None:
    a, b = pair
    file_request(slack_api, a, a.person_id)
    request_id = filed(slack_api, a)
    before = len(slack_api.calls)

    press(a.slack, "request_start", str(request_id), user_id=a.controller)
    press(a.slack, "request_verify", str(request_id), user_id=a.controller)
    form = opened_view(slack_api)
    verified = submit(
        a.slack, form, {"identity_verification": "strong_identification"}, user_id=a.controller
    )
    assert verified.status == 200 and verified.body == b"", verified.body
    press(a.slack, "request_fulfil", str(request_id), user_id=a.controller)
    uploads = uploads_when_done(slack_api, 2)
    calls = settled(slack_api, before)

    assert len(uploads) == 2
    (package,) = [u for u in uploads if u.filename.endswith(".json")]
    persons = json.loads(package.content)["data"]["persons"]
    assert [person["email"] for person in persons] == [f"testi.0@{a.domain}"]
    for upload in uploads:
        assert b.domain.encode() not in upload.content
    assert tokens(calls) == {f"Bearer {a.token}"}
    completed = [call for call in calls if call.method == "files.completeUploadExternal"]
    assert completed and all(c.headers["authorization"] == f"Bearer {a.token}" for c in completed)
    request = request_of(database, a, request_id)
    assert request is not None and request.status is RequestStatus.FULFILLED
    assert slack_api.violations == []


def suggestion(agency: Agency, text: str) -> list[str]:
    """What the person select of the request form offers for `text`."""
    reply = agency.slack.interaction(
        {
            "type": "block_suggestion",
            "team": {"id": agency.workspace.team_id, "domain": "agency"},
            "user": user(agency.advisor, agency.workspace.team_id),
            "api_app_id": "A0TEST",
            "token": "legacy",
            "container": {"type": "view", "view_id": "V0REQUEST"},
            "action_id": "person_id",
            "block_id": "person_id",
            "value": text,
            "view": {"id": "V0REQUEST", "type": "modal", "callback_id": "request_form"},
        }
    )
    assert reply.status == 200
    return [option["value"] for option in reply.json().get("options", [])]


def test_a_forged_suggestion_from_the_other_workspace_finds_only_its_own(
    pair: tuple[Agency, Agency], database: Database
) -> None:
    a, b = pair
    offered = suggestion(b, "testi virtanen")
    assert len(offered) == MET_IN_B and str(a.person_id) not in offered
    assert suggestion(b, f"testi.0@{b.domain}") == [str(b.person_id)]
    assert suggestion(b, f"testi.0@{a.domain}") == []
    assert [row for row in audit_of(database, a) if row[0] == b.advisor] == []


def emails_of(database: Database, agency: Agency) -> list[str | None]:
    with database.reading(agency=agency.id) as session:
        return list(session.scalars(select(Person.email).order_by(Person.id)))


def edit_of(person_id: int) -> str:
    return json.dumps({"person_id": person_id, "opened_with": {}, "request_id": None})


def forged_submission(agency: Agency, view: dict[str, Any], filled: dict[str, Any]) -> Reply:
    return submit(agency.slack, view, filled, user_id=agency.controller)


def test_forged_submissions_naming_the_other_agencys_person_or_request_change_nothing(
    pair: tuple[Agency, Agency], slack_api: SlackWebApiDouble, database: Database
) -> None:
    a, b = pair
    file_request(slack_api, a, a.person_id)
    request_a = filed(slack_api, a)
    file_request(slack_api, b, b.person_id)
    request_b = filed(slack_api, b)
    persons_of_a, persons_of_b = emails_of(database, a), emails_of(database, b)
    trail_of_a = audit_of(database, a)

    # The person form of B, sent back as an edit of A's person, then of no one's.
    b.slack.command("/asiakas", "uusi", user_id=b.controller)
    form = opened_view(slack_api)
    edits = [
        forged_submission(
            b,
            form | {"id": f"{form['id']}{person_id}", "private_metadata": edit_of(person_id)},
            TESTI | {"email": "x@example.fi"},
        )
        for person_id in (a.person_id, a.person_id + 1000)
    ]
    assert edits[0].status == 200 and edits[0].json() == edits[1].json()
    assert edits[0].json()["response_action"] == "push"

    # B's own person's edit, sent back as the rectification of A's request.
    rectifying = {"person_id": b.person_id, "opened_with": {}, "request_id": request_a}
    rectified = forged_submission(
        b,
        form | {"id": f"{form['id']}R", "private_metadata": json.dumps(rectifying)},
        TESTI | {"email": "x@example.fi"},
    )
    assert rectified.json() == edits[0].json()

    # B's identity check form, sent back about A's request, then about none.
    press(b.slack, "request_verify", str(request_b), user_id=b.controller)
    verify = opened_view(slack_api)
    checks = [
        forged_submission(
            b,
            verify
            | {
                "id": f"{verify['id']}{request_id}",
                "private_metadata": json.dumps({"request_id": request_id}),
            },
            {"identity_verification": "strong_identification"},
        )
        for request_id in (request_a, request_a + request_b + 1000)
    ]
    assert checks[0].status == 200 and checks[0].json() == checks[1].json()
    request = request_of(database, a, request_a)
    assert request is not None and request.identity_verified_at is None
    assert request.status is RequestStatus.RECEIVED

    # A retention review of B, sent back with A's person to erase.
    key = f"decision_{a.person_id}"
    chosen = {"value": "erase", "text": {"type": "plain_text", "text": "Erase"}}
    review = {
        "id": "V0FORGED",
        "team_id": TEAM_B,
        "type": "modal",
        "callback_id": "retention_review_form",
        "private_metadata": json.dumps({"person_ids": [a.person_id]}),
        "blocks": [],
        "hash": "1700000000.abc",
        "app_id": "A0TEST",
    }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_B, "domain": "agency"},
        "user": user(b.controller, TEAM_B),
        "api_app_id": "A0TEST",
        "token": "legacy",
        "trigger_id": b.slack.trigger_id(),
        "view": review
        | {"state": {"values": {key: {key: {"type": "radio_buttons", "selected_option": chosen}}}}},
        "response_urls": [],
        "is_enterprise_install": False,
    }
    done = b.slack.interaction(payload).json()
    assert "Erased: 0." in text_of(done["view"])

    assert (emails_of(database, a), emails_of(database, b)) == (persons_of_a, persons_of_b)
    assert audit_of(database, a) == trail_of_a
    refused = [row for row in audit_of(database, b) if row[3] == AuditOutcome.DENIED]
    assert (b.controller, "person.retention_refused", a.person_id, AuditOutcome.DENIED) in refused
    assert slack_api.violations == []
