"""Portability (Art 20) and objection (Art 21) end to end through the HTTP endpoint, and every
request closing only when the contact person records that the answer reached the requester."""

import csv
import io
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update

from bot.slack.ids import REQUEST_ANSWER_FORM, REQUEST_OBJECTION_FORM
from storage import exports
from storage import staff as staff_store
from storage.consents import consent_state
from storage.db import Database
from storage.models import AuditEvent, Consent, Relationship, SlackFile
from storage.models.enums import (
    AnswerDelivery,
    ConsentPurpose,
    LegalBasis,
    ObjectionScope,
    Purpose,
    RequestKind,
    RequestStatus,
    SlackFileKind,
)
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender, opened_view
from tests.e2e.helpers.data_subject_requests import agency_today
from tests.e2e.helpers.person_form import press, submit
from tests.e2e.helpers.uploads import UPLOAD_WAIT_SECONDS, messages_when_done, uploads_when_done
from tests.e2e.helpers.verified_requests import (
    ADVISOR,
    ALERT_CHANNEL,
    CONTROLLER,
    file_request,
    fulfil,
    request_row,
)


def updated_alert_blocks(slack_api: SlackWebApiDouble) -> list[dict[str, Any]]:
    (last, *_) = reversed([call.args for call in slack_api.calls_to("chat.update")])
    blocks: list[dict[str, Any]] = last["blocks"]
    return blocks


def alert_buttons(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        element["action_id"]
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def files_recorded(database: Database, slack_file_ids: list[str]) -> list[SlackFile]:
    """The records of the files uploaded, once the delivery that uploaded them has committed."""
    deadline = time.monotonic() + UPLOAD_WAIT_SECONDS
    while True:
        with database.reading() as session:
            files = list(
                session.scalars(
                    select(SlackFile).where(SlackFile.slack_file_id.in_(slack_file_ids))
                )
            )
        if len(files) >= len(slack_file_ids) or time.monotonic() > deadline:
            return files
        threading.Event().wait(0.05)


def audited(database: Database, person_id: int, action: str) -> list[str | None]:
    with database.reading() as session:
        return list(
            session.scalars(
                select(AuditEvent.purpose).where(
                    AuditEvent.person_id == person_id, AuditEvent.action == action
                )
            )
        )


# Portability


def test_portability_uploads_what_the_person_provided_as_json_and_csv(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, person_id = file_request(database, RequestKind.PORTABILITY)

    fulfil(slack, request_id)
    uploads = uploads_when_done(slack_api, 2)

    assert sorted(u.filename.rsplit(".", 1)[1] for u in uploads) == ["csv", "json"]
    assert {u.channel_id for u in uploads} == {ALERT_CHANNEL}
    (json_file,) = [u for u in uploads if u.filename.endswith(".json")]
    (csv_file,) = [u for u in uploads if u.filename.endswith(".csv")]
    document = json.loads(json_file.content)
    assert document["person"]["first_name"] == "Maija"
    assert document["phone_numbers"] == ["+358401234567", "+358501234567"]
    assert [r["legal_basis"] for r in document["relationships"]] == ["contract"]
    assert [c["purpose"] for c in document["consents"]] == ["disclosure_financiers"]
    assert "meetings" not in document and "Rahoitus" not in json_file.content.decode()
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["record", "number", "field", "value"]
    assert ["person", "1", "first_name", "Maija"] in rows
    assert ["phone_number", "2", "number", "'+358501234567"] in rows  # no formula
    request = request_row(database, request_id)
    assert request.status == RequestStatus.FULFILLED
    assert audited(database, person_id, "person.portability_package") == [
        Purpose.DATA_SUBJECT_REQUEST
    ]
    files = files_recorded(database, [u.file_id for u in uploads])
    assert len(files) == 2
    assert {(f.kind, f.request_id) for f in files} == {
        (SlackFileKind.PORTABILITY_PACKAGE, request_id)
    }
    assert all(f.keep_until > datetime.now(UTC) + timedelta(days=13) for f in files)


def test_portability_with_nothing_on_consent_or_contract_is_refused_and_sends_nothing(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, person_id = file_request(database, RequestKind.PORTABILITY)
    with database.transaction() as session:
        session.execute(delete(Consent).where(Consent.person_id == person_id))
        session.execute(
            update(Relationship)
            .where(Relationship.person_id == person_id)
            .values(legal_basis=LegalBasis.LEGITIMATE_INTEREST)
        )

    fulfil(slack, request_id)

    (told,) = messages_when_done(slack_api, CONTROLLER)
    assert "siirto-oikeus" in told["text"]
    assert slack_api.uploads == []
    assert request_row(database, request_id).status == RequestStatus.IN_PROGRESS


# Objection


def open_objection(slack: SlackSender, slack_api: SlackWebApiDouble, request_id: int) -> dict:
    fulfil(slack, request_id)
    modal = opened_view(slack_api)
    assert modal["callback_id"] == REQUEST_OBJECTION_FORM
    return modal


def test_an_objection_to_direct_marketing_takes_effect_at_once_and_is_recorded(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, person_id = file_request(database, RequestKind.OBJECTION)
    modal = open_objection(slack, slack_api, request_id)

    answer = submit(
        slack, modal, {"objection_scope": ObjectionScope.DIRECT_MARKETING}, user_id=CONTROLLER
    ).json()

    assert answer["response_action"] == "update"
    shown = json.dumps(answer["view"]["blocks"], ensure_ascii=False)
    assert "Suoramarkkinoinnin vastustaminen kirjattu" in shown
    assert "Kirjaa perillemeno" in shown
    request = request_row(database, request_id)
    assert (request.status, request.objection_scope) == (
        RequestStatus.FULFILLED,
        ObjectionScope.DIRECT_MARKETING,
    )
    with database.transaction() as session:
        state = consent_state(
            session=session, person_id=person_id, purpose=ConsentPurpose.MARKETING
        )
        assert state.withdrawn_on == agency_today()
        controller = staff_store.find(session=session, slack_user_id=CONTROLLER)
        assert controller is not None
        listed = exports.survey_recipients(
            session=session,
            actor=controller,
            start=datetime(2026, 3, 1, tzinfo=UTC),
            end=datetime(2026, 3, 3, tzinfo=UTC),
        )
        assert person_id not in [recipient.person_id for recipient in listed]
    press(slack, "person_open", str(person_id), user_id=CONTROLLER)
    card = json.dumps(opened_view(slack_api)["blocks"], ensure_ascii=False)
    assert "Vastustanut suoramarkkinointia" in card and f"(pyyntö #{request_id})" in card
    assert card.count("Vastustanut suoramarkkinointia") == 1


def test_another_objection_upheld_keeps_the_contact_persons_reasons(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, person_id = file_request(database, RequestKind.OBJECTION)
    modal = open_objection(slack, slack_api, request_id)

    undecided = submit(slack, modal, {"objection_scope": "other"}, user_id=CONTROLLER).json()
    unreasoned = submit(
        slack,
        modal,
        {"objection_scope": "other", "objection_decision": "uphold"},
        user_id=CONTROLLER,
    ).json()
    upheld = submit(
        slack,
        modal,
        {
            "objection_scope": "other",
            "objection_decision": "uphold",
            "resolution": "Ei painavaa perustetta jatkaa profilointia.",
        },
        user_id=CONTROLLER,
    ).json()

    assert undecided["response_action"] == "errors" and "objection_decision" in undecided["errors"]
    assert unreasoned["response_action"] == "errors" and "resolution" in unreasoned["errors"]
    assert upheld["response_action"] == "update"
    request = request_row(database, request_id)
    assert request.status == RequestStatus.FULFILLED
    assert request.objection_scope == ObjectionScope.OTHER
    assert request.resolution is not None
    assert "Ei painavaa perustetta jatkaa profilointia." in request.resolution
    with database.reading() as session:
        assert (
            consent_state(session=session, person_id=person_id, purpose=ConsentPurpose.MARKETING)
        ).withdrawn_on is None


def test_another_objection_refused_states_the_reasons_and_the_right_to_complain(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, _ = file_request(database, RequestKind.OBJECTION, language="en")
    modal = open_objection(slack, slack_api, request_id)

    refused = submit(
        slack,
        modal,
        {
            "objection_scope": "other",
            "objection_decision": "refuse",
            "resolution": "The membership list is kept under the Associations Act.",
        },
        user_id=CONTROLLER,
    ).json()

    assert refused["response_action"] == "update"
    reply = json.dumps(refused["view"]["blocks"], ensure_ascii=False)
    assert "The membership list is kept under the Associations Act." in reply
    assert "Data Protection Ombudsman" in reply
    request = request_row(database, request_id)
    assert request.status == RequestStatus.REJECTED
    assert request.resolution == "The membership list is kept under the Associations Act."
    told = messages_when_done(slack_api, ADVISOR)
    assert told and f"#{request_id}" in told[0]["text"]


# Closing on delivery


def test_a_fulfilled_request_closes_when_the_answers_delivery_is_recorded(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, _ = file_request(database, RequestKind.OBJECTION)
    modal = open_objection(slack, slack_api, request_id)
    submit(slack, modal, {"objection_scope": "direct_marketing"}, user_id=CONTROLLER)

    alert = updated_alert_blocks(slack_api)
    assert alert_buttons(alert) == ["request_answered", "request_open"]
    shown = json.dumps(alert, ensure_ascii=False)
    assert "vastauksen perillemenoa ei ole vielä kirjattu" in shown
    assert not any(
        call.args["channel"] == ADVISOR for call in slack_api.calls_to("chat.postMessage")
    )

    press(slack, "request_answered", str(request_id), user_id=CONTROLLER)
    form = opened_view(slack_api)
    assert form["callback_id"] == REQUEST_ANSWER_FORM
    too_early = request_row(database, request_id).received_on - timedelta(days=1)
    early = submit(
        slack,
        form,
        {"answer_delivery": "post", "answered_on": too_early.isoformat()},
        user_id=CONTROLLER,
    ).json()
    assert early["response_action"] == "errors" and "answered_on" in early["errors"]
    reply = submit(
        slack,
        form,
        {"answer_delivery": "post", "answered_on": agency_today().isoformat()},
        user_id=CONTROLLER,
    )

    assert reply.status == 200
    request = request_row(database, request_id)
    assert request.status == RequestStatus.COMPLETED
    assert (request.answer_delivery, request.answered_on) == (AnswerDelivery.POST, agency_today())
    assert alert_buttons(updated_alert_blocks(slack_api)) == ["request_open"]
    assert "Postitse" in json.dumps(updated_alert_blocks(slack_api), ensure_ascii=False)
    told = messages_when_done(slack_api, ADVISOR)
    assert any(f"#{request_id}" in message["text"] for message in told)


def test_recording_delivery_twice_changes_nothing(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, _ = file_request(database, RequestKind.OBJECTION)
    submit(
        slack,
        open_objection(slack, slack_api, request_id),
        {"objection_scope": "direct_marketing"},
        user_id=CONTROLLER,
    )
    press(slack, "request_answered", str(request_id), user_id=CONTROLLER)
    form = opened_view(slack_api)
    filled = {"answer_delivery": "email", "answered_on": agency_today().isoformat()}

    submit(slack, form, filled, user_id=CONTROLLER)
    first = request_row(database, request_id)
    again = submit(slack, form, filled, user_id=CONTROLLER)

    assert again.status == 200
    assert request_row(database, request_id).completed_at == first.completed_at
    with database.reading() as session:
        completions = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "request.complete")
        ).all()
    assert len(completions) == 1
