"""The `request_fulfil` button by kind, end to end: the access package uploaded to the
controller's direct message, rectification through the edit form, the erasure confirmation,
the restriction modal, and lifting a restriction from the card."""

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.slack.ids import (
    PERSON_CARD,
    PERSON_FORM,
    REQUEST_ERASURE_FORM,
    REQUEST_RESTRICTION_FORM,
    RESTRICTION_LIFT,
)
from storage import requests, staff
from storage.db import Database
from storage.models import AuditEvent, DataSubjectRequest, Erasure, Person
from storage.models.enums import Purpose, RequestChannel, RequestKind, RequestStatus
from storage.requests import RequestFiling
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender, opened_view
from tests.e2e.helpers.person_form import press, submit, values_shown
from tests.e2e.helpers.uploads import messages_when_done, uploads_when_done
from tests.e2e.helpers.verified_requests import (
    ADVISOR,
    ALERT_CHANNEL,
    CONTROLLER,
    file_request,
    fulfil,
    request_row,
)
from tests.ledger import ledger_lines, told_slack


def alert_updates(slack_api: SlackWebApiDouble) -> list[dict[str, Any]]:
    return [call.args for call in slack_api.calls_to("chat.update")]


def test_access_uploads_json_and_html_to_the_controllers_direct_message(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, person_id = file_request(
        database, RequestKind.ACCESS, first_name="<!channel>", language="en"
    )
    fulfil(slack, request_id)
    uploads = uploads_when_done(slack_api, 2)

    assert sorted(upload.filename.rsplit(".", 1)[1] for upload in uploads) == ["html", "json"]
    assert {upload.channel_id for upload in uploads} == {ALERT_CHANNEL}
    (json_file,) = [u for u in uploads if u.filename.endswith(".json")]
    (html_file,) = [u for u in uploads if u.filename.endswith(".html")]
    document = json.loads(json_file.content)
    assert document["data"]["persons"][0]["first_name"] == "<!channel>"
    assert "Data Protection Ombudsman" in document["information"]["complaint"]
    html = html_file.content.decode()
    assert "<!channel>" not in html
    assert "&lt;!channel&gt;" in html
    assert "Ombudsman" in html
    request = request_row(database, request_id)
    assert request.status == RequestStatus.FULFILLED
    assert request.resolution
    updates = [args for args in alert_updates(slack_api) if args["channel"] == ALERT_CHANNEL]
    assert updates
    with database.reading() as session:
        purposes = session.scalars(
            select(AuditEvent.purpose).where(
                AuditEvent.person_id == person_id, AuditEvent.action == "person.access_package"
            )
        ).all()
    assert purposes == [Purpose.DATA_SUBJECT_REQUEST]


def test_the_package_comes_with_the_items_the_description_still_leaves_open(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, _ = file_request(database, RequestKind.ACCESS, language="en")
    fulfil(slack, request_id)
    comments = {upload.initial_comment for upload in uploads_when_done(slack_api, 2)}
    (comment,) = comments - {None}
    assert "täyttämätöntä kohtaa" in comment and "en: processors.1.name" in comment
    assert "fi: processors" not in comment  # the package's own language's items


def test_a_second_click_delivers_nothing_more(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, _ = file_request(database, RequestKind.ACCESS)
    fulfil(slack, request_id)
    assert len(uploads_when_done(slack_api, 2)) == 2
    fulfil(slack, request_id)
    told = messages_when_done(slack_api, CONTROLLER)
    assert len(slack_api.uploads) == 2
    assert len(told) == 1
    assert "käsitelty" in told[0]["text"]


def test_an_advisor_cannot_fulfil(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, _ = file_request(database, RequestKind.ERASURE)
    fulfil(slack, request_id, user_id=ADVISOR)
    assert slack_api.calls_to("views.open") == []
    assert request_row(database, request_id).status == RequestStatus.IN_PROGRESS


def test_rectification_opens_the_edit_form_and_its_save_completes_the_request(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, person_id = file_request(database, RequestKind.RECTIFICATION)
    fulfil(slack, request_id)
    form = opened_view(slack_api)
    assert form["callback_id"] == PERSON_FORM
    assert json.loads(form["private_metadata"])["request_id"] == request_id

    answer = submit(
        slack, form, values_shown(form) | {"email": "maija.uusi@example.fi"}, user_id=CONTROLLER
    ).json()

    assert answer["view"]["callback_id"] == PERSON_CARD
    with database.reading() as session:
        person = session.get(Person, person_id)
        assert person is not None
        assert person.email == "maija.uusi@example.fi"
        edit = session.scalars(
            select(AuditEvent).where(
                AuditEvent.person_id == person_id, AuditEvent.action == "person.edit"
            )
        ).one()
        assert edit.purpose == Purpose.DATA_SUBJECT_REQUEST
    request = request_row(database, request_id)
    assert request.status == RequestStatus.FULFILLED
    assert request.resolution == "Oikaistu: sähköposti"
    told = [call.args for call in slack_api.calls_to("chat.postMessage")]
    assert any("Esimerkkirahoitus Oy" in str(args.get("blocks")) for args in told)


def test_erasure_confirms_then_erases_and_keeps_the_request_by_reference(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, ledger_path: Path
) -> None:
    request_id, person_id = file_request(database, RequestKind.ERASURE)
    with database.reading() as session:
        person = session.get(Person, person_id)
        assert person is not None
        reference, key = person.reference, person.person_key
    fulfil(slack, request_id)
    confirmation = opened_view(slack_api)
    assert confirmation["callback_id"] == REQUEST_ERASURE_FORM
    shown = json.dumps(confirmation["blocks"], ensure_ascii=False)
    assert "puhelinnumerot: 2" in shown
    assert "Esimerkkirahoitus Oy" in shown
    assert "17 artiklan 3 kohdan" in shown
    assert "Maija" not in shown

    answer = submit(slack, confirmation, {}, user_id=CONTROLLER).json()

    assert answer["response_action"] == "update"
    assert "Kyselytyökalu" in json.dumps(answer["view"]["blocks"], ensure_ascii=False)
    with database.reading() as session:
        assert session.get(Person, person_id) is None
        request = session.get(DataSubjectRequest, request_id)
        assert request is not None
        assert (request.person_id, request.person_reference) == (None, reference)
        assert request.status == RequestStatus.FULFILLED
        erasure = session.scalars(select(Erasure)).one()
        assert (erasure.person_id, erasure.request_id) == (person_id, request_id)
        assert erasure.person_key == key
    # At once, in the ledger kept outside the database: ids, key and pseudonym only.
    (line,) = ledger_lines(ledger_path)
    assert (line["person_id"], line["person_key"], line["person_reference"]) == (
        person_id,
        str(key),
        reference,
    )
    assert line["high_water_marks"]["persons"] >= person_id
    assert "Maija" not in ledger_path.read_text() and "Mallikas" not in ledger_path.read_text()
    assert not told_slack(slack_api, str(key)) and not told_slack(slack_api, key.hex)


def another_open_request(database: Database, person_id: int, kind: RequestKind) -> int:
    """A request about the same person, filed by the advisor and not yet worked."""
    with database.transaction() as session:
        advisor = staff.find(session=session, slack_user_id=ADVISOR)
        assert advisor is not None
        filing = RequestFiling(
            kind=kind, channel=RequestChannel.EMAIL, received_on=date.today(), person_id=person_id
        )
        return requests.file_request(
            session=session, actor=advisor, filing=filing, today=date.today()
        ).id


def test_erasure_waits_for_the_person_s_other_open_requests(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, person_id = file_request(database, RequestKind.ERASURE)
    access_id = another_open_request(database, person_id, RequestKind.ACCESS)

    fulfil(slack, request_id)

    notice = opened_view(slack_api)
    assert notice["callback_id"] != REQUEST_ERASURE_FORM and "submit" not in notice
    assert f"muita avoimia pyyntöjä: #{access_id}" in json.dumps(notice, ensure_ascii=False)
    assert request_row(database, request_id).status == RequestStatus.IN_PROGRESS


def test_an_erasure_confirmed_after_another_request_was_filed_erases_nothing(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, person_id = file_request(database, RequestKind.ERASURE)
    fulfil(slack, request_id)
    confirmation = opened_view(slack_api)
    assert confirmation["callback_id"] == REQUEST_ERASURE_FORM
    access_id = another_open_request(database, person_id, RequestKind.ACCESS)

    answer = submit(slack, confirmation, {}, user_id=CONTROLLER).json()

    assert answer["response_action"] == "update"
    assert f"#{access_id}" in json.dumps(answer["view"]["blocks"], ensure_ascii=False)
    with database.reading() as session:
        assert session.get(Person, person_id) is not None
    assert request_row(database, request_id).status == RequestStatus.IN_PROGRESS


def test_restriction_hides_the_person_from_advisors_and_a_controller_lifts_it(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, person_id = file_request(database, RequestKind.RESTRICTION, first_name="Rajattu")
    fulfil(slack, request_id)
    modal = opened_view(slack_api)
    assert modal["callback_id"] == REQUEST_RESTRICTION_FORM

    empty = submit(slack, modal, {}, user_id=CONTROLLER).json()
    assert empty["response_action"] == "errors"
    assert "restriction_reason" in empty["errors"]

    answer = submit(
        slack,
        modal,
        {"restriction_reason": "Kiistää tietojen paikkansapitävyyden"},
        user_id=CONTROLLER,
    ).json()
    assert answer["response_action"] == "update"
    assert "Esimerkkirahoitus Oy" in json.dumps(answer["view"]["blocks"], ensure_ascii=False)
    assert request_row(database, request_id).status == RequestStatus.FULFILLED

    advisor_sees = slack.command("/asiakas", "Rajattu", user_id=ADVISOR).json()
    controller_sees = slack.command("/asiakas", "Rajattu", user_id=CONTROLLER).json()
    assert "Rajattu Mallikas" not in json.dumps(advisor_sees["blocks"], ensure_ascii=False)
    assert "Rajattu Mallikas" in json.dumps(controller_sees["blocks"], ensure_ascii=False)

    press(slack, "person_open", str(person_id), user_id=CONTROLLER)
    card = opened_view(slack_api)
    lift = [
        element
        for block in card["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == RESTRICTION_LIFT
    ]
    assert len(lift) == 1
    press(slack, RESTRICTION_LIFT, str(person_id), user_id=CONTROLLER, in_view=card)
    with database.reading() as session:
        person = session.get(Person, person_id)
        assert person is not None
        assert not person.restricted


@pytest.mark.parametrize("kind", [RequestKind.ERASURE, RequestKind.RESTRICTION])
def test_an_unverified_request_is_not_fulfilled(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, kind: RequestKind
) -> None:
    request_id, _ = file_request(database, kind)
    with database.transaction() as session:
        request = session.get(DataSubjectRequest, request_id)
        assert request is not None
        request.identity_verified_at = None
    fulfil(slack, request_id)
    assert slack_api.calls_to("views.open") == []


def test_an_unverified_access_request_is_refused_by_direct_message_and_nothing_is_sent(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, person_id = file_request(database, RequestKind.ACCESS)
    with database.transaction() as session:
        request = session.get(DataSubjectRequest, request_id)
        assert request is not None
        request.identity_verified_at = None
    fulfil(slack, request_id)
    (told,) = messages_when_done(slack_api, CONTROLLER)
    assert "henkilöllisyys" in told["text"]
    assert slack_api.uploads == []
    assert request_row(database, request_id).status == RequestStatus.IN_PROGRESS
    with database.reading() as session:
        packages = session.scalars(
            select(AuditEvent).where(
                AuditEvent.person_id == person_id, AuditEvent.action == "person.access_package"
            )
        ).all()
    assert packages == []
