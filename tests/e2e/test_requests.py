"""`/tietopyynto`, the controllers' alerts and their buttons, end to end."""

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from storage.db import Database
from storage.deadlines import due_date
from storage.models import AuditEvent, DataSubjectRequest, Staff
from storage.models.enums import RequestStatus, Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import TEAM_ID, SlackSender, opened_view
from tests.e2e.helpers.data_subject_requests import (
    ADVISOR,
    CONTROLLER,
    CONTROLLER_EN,
    agency_today,
    alert_of,
    people,
    press,
    request_values,
    selected,
    submit,
)

__all__ = ["people"]  # the fixture


def file_request(slack: SlackSender, slack_api: SlackWebApiDouble, values: dict[str, Any]) -> int:
    slack.command("/tietopyynto", user_id=ADVISOR)
    reply = submit(slack, opened_view(slack_api), values, ADVISOR)
    assert reply.status == 200 and reply.body == b"", reply.body
    (alert, *_) = slack_api.calls_to("chat.postMessage")
    return int(alert.args["blocks"][-1]["elements"][0]["value"])


def buttons(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        element["action_id"]
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def updates_to(slack_api: SlackWebApiDouble, user_id: str) -> list[dict[str, Any]]:
    alert = alert_of(slack_api, user_id)
    return [
        call.args
        for call in slack_api.calls_to("chat.update")
        if call.args["channel"] == alert["channel"] and call.args["ts"] == alert["ts"]
    ]


def stored(database: Database, request_id: int) -> DataSubjectRequest:
    with database.transaction() as session:
        request = session.get(DataSubjectRequest, request_id)
        assert request is not None
        session.expunge(request)
        return request


def audit_actions(database: Database, prefix: str) -> list[str]:
    with database.transaction() as session:
        query = select(AuditEvent.action).where(AuditEvent.action.startswith(prefix))
        return list(session.scalars(query.order_by(AuditEvent.id)))


def text_of(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def test_the_command_opens_the_modal_with_its_fields_by_storage_name(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, Any]
) -> None:
    for command in ("/tietopyynto", "/dsr"):
        reply = slack.command(command, user_id=ADVISOR)
        assert reply.status == 200 and reply.body == b""

    view = opened_view(slack_api)
    assert view["callback_id"] == "request_form"
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == [
        "kind",
        "person_id",
        "requester_name",
        "requester_contact",
        "channel",
        "received_on",
        "language",
        "details",
    ]
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["person_id"]["element"]["type"] == "external_select"
    assert "initial_date" not in blocks["received_on"]["element"]  # the advisor states it
    kinds = [o["value"] for o in blocks["kind"]["element"]["options"]]
    assert kinds == [
        "access",
        "rectification",
        "erasure",
        "restriction",
        "portability",
        "objection",
    ]
    assert blocks["kind"]["element"]["options"][0]["text"]["text"] == "Tarkastuspyyntö"


def test_the_person_select_in_the_request_modal_searches_for_a_request(
    slack: SlackSender, database: Database, people: dict[str, Any]
) -> None:
    reply = slack.interaction(
        {
            "type": "block_suggestion",
            "team": {"id": TEAM_ID, "domain": "agency"},
            "user": {"id": ADVISOR, "name": "advisor", "team_id": TEAM_ID},
            "api_app_id": "A0TEST",
            "token": "legacy",
            "container": {"type": "view", "view_id": "V0REQUEST"},
            "action_id": "person_id",
            "block_id": "person_id",
            "value": "mallikas",
            "view": {"id": "V0REQUEST", "type": "modal", "callback_id": "request_form"},
        }
    )

    assert [o["value"] for o in reply.json()["options"]] == [str(people["maija"])]
    with database.transaction() as session:
        query = select(AuditEvent.purpose).where(AuditEvent.action == "person.search")
        assert list(session.scalars(query)) == ["data_subject_request"]


def test_filing_alerts_every_controller_by_reference_and_confirms_the_due_date(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    request_id = file_request(slack, slack_api, request_values(people["maija"]))

    request = stored(database, request_id)
    assert request.person_reference == people["reference"]
    assert request.status is RequestStatus.RECEIVED
    posts = slack_api.calls_to("chat.postMessage")
    assert sorted(call.args["channel"] for call in posts) == [CONTROLLER, CONTROLLER_EN]
    for call in posts:
        message = text_of(call.args)
        assert people["reference"] in message
        assert "Mallikas" not in message and "example.fi" not in message
        assert "Pyytää kopion" not in message
        assert buttons(call.args["blocks"]) == [
            "request_start",
            "request_verify",
            "request_extend",
            "request_reject",
            "request_open",
        ]
    assert "Tarkastuspyyntö" in text_of(alert_of(slack_api, CONTROLLER)["message"])
    assert "Access request" in text_of(alert_of(slack_api, CONTROLLER_EN)["message"])
    (confirmation,) = slack_api.calls_to("response_url")
    assert confirmation.args["response_type"] == "ephemeral"
    assert f"Pyyntö #{request_id} kirjattu" in confirmation.args["text"]
    assert (
        f"{request.due_on.day}.{request.due_on.month}.{request.due_on.year}"
        in (confirmation.args["text"])
    )


def test_the_same_form_sent_twice_files_and_alerts_once(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    slack.command("/tietopyynto", user_id=ADVISOR)
    form = opened_view(slack_api)
    for _ in range(2):
        reply = submit(slack, form, request_values(people["maija"]), ADVISOR)
        assert reply.status == 200 and reply.body == b""

    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(DataSubjectRequest)) == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 2  # one alert for each controller
    assert len(slack_api.calls_to("response_url")) == 1


def test_a_requester_not_in_the_register_is_filed_by_name(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    values = request_values(None, requester_name="Testi Virtanen", kind="erasure")
    request_id = file_request(slack, slack_api, values)

    assert stored(database, request_id).requester_name == "Testi Virtanen"
    for call in slack_api.calls_to("chat.postMessage"):
        assert "Virtanen" not in text_of(call.args)


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {"received_on": (date.today() + timedelta(days=3)).isoformat()},
            {"received_on": "Vastaanottopäivä ei voi olla tulevaisuudessa."},
        ),
        (
            {"person_id": None},
            {
                "person_id": "Valitse henkilö tai anna alla pyytäjän nimi, jos hän ei ole "
                "rekisterissä.",
                "requester_name": "Anna tähän pyytäjän nimi tai valitse henkilö yllä, jos hän "
                "on rekisterissä.",
            },
        ),
    ],
    ids=["future-date", "no-person-no-name"],
)
def test_validation_errors_land_on_their_block_ids(
    slack: SlackSender,
    slack_api: SlackWebApiDouble,
    database: Database,
    people: dict[str, Any],
    values: dict[str, Any],
    errors: dict[str, str],
) -> None:
    slack.command("/tietopyynto", user_id=ADVISOR)
    fields = dict(values)
    person_id = fields.pop("person_id", people["maija"])
    reply = submit(slack, opened_view(slack_api), request_values(person_id, **fields), ADVISOR)

    assert reply.json() == {"response_action": "errors", "errors": errors}
    with database.transaction() as session:
        assert session.scalars(select(DataSubjectRequest)).all() == []
    assert slack_api.calls_to("chat.postMessage") == []


def test_start_updates_every_alert_and_a_second_click_acts_once(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    request_id = file_request(slack, slack_api, request_values(people["maija"]))

    press(slack, slack_api, "request_start", request_id)
    press(slack, slack_api, "request_start", request_id, user_id=CONTROLLER_EN)

    request = stored(database, request_id)
    assert request.status is RequestStatus.IN_PROGRESS
    assert audit_actions(database, "request.start") == ["request.start"]
    for user_id, status in ((CONTROLLER, "Käsittelyssä"), (CONTROLLER_EN, "In progress")):
        updates = updates_to(slack_api, user_id)
        assert len(updates) == 2
        assert status in text_of(updates[-1]["blocks"])
        assert f"<@{CONTROLLER}>" in text_of(updates[-1]["blocks"])  # the handler
        assert buttons(updates[-1]["blocks"]) == [
            "request_verify",
            "request_extend",
            "request_reject",
            "request_open",
        ]


def test_verify_records_only_how_and_offers_fulfilment(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    request_id = file_request(slack, slack_api, request_values(people["maija"]))

    press(slack, slack_api, "request_verify", request_id)
    view = opened_view(slack_api)
    assert view["callback_id"] == "request_verify_form"
    values = {
        "identity_verification": {
            "identity_verification": {
                "type": "static_select",
                "selected_option": selected("strong_identification"),
            }
        }
    }
    reply = submit(slack, view, values, CONTROLLER)

    assert reply.status == 200 and reply.body == b""
    assert stored(database, request_id).identity_verification == "strong_identification"
    (update,) = updates_to(slack_api, CONTROLLER)
    assert "Vahvalla sähköisellä tunnistamisella" in text_of(update["blocks"])
    assert "request_fulfil" in buttons(update["blocks"])
    assert "request_verify" not in buttons(update["blocks"])

    press(slack, slack_api, "request_verify", request_id)
    assert len(slack_api.calls_to("views.open")) == 2  # the form, then nothing more
    assert len(updates_to(slack_api, CONTROLLER)) == 2


def test_other_verification_needs_a_description(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, Any]
) -> None:
    request_id = file_request(slack, slack_api, request_values(people["maija"]))
    press(slack, slack_api, "request_verify", request_id)
    values = {
        "identity_verification": {
            "identity_verification": {"type": "static_select", "selected_option": selected("other")}
        },
        "identity_verification_text": {
            "identity_verification_text": {"type": "plain_text_input", "value": ""}
        },
    }

    reply = submit(slack, opened_view(slack_api), values, CONTROLLER)

    assert reply.json()["errors"] == {
        "identity_verification_text": "Kerro lyhyesti, miten henkilöllisyys varmistettiin."
    }


def test_extend_shows_the_new_due_date_and_works_once(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    request_id = file_request(slack, slack_api, request_values(people["maija"]))

    press(slack, slack_api, "request_extend", request_id)
    view = opened_view(slack_api)
    assert view["callback_id"] == "request_extend_form"
    values = {
        "extension_reason": {
            "extension_reason": {"type": "plain_text_input", "value": "Laaja aineisto."}
        }
    }
    reply = submit(slack, view, values, CONTROLLER)

    request = stored(database, request_id)
    assert request.extended_due_on is not None and request.extension_reason == "Laaja aineisto."
    new_due = request.extended_due_on
    answer = reply.json()
    assert answer["response_action"] == "update"
    assert f"{new_due.day}.{new_due.month}.{new_due.year}" in text_of(answer["view"])
    (update,) = updates_to(slack_api, CONTROLLER)
    assert "pidennetty" in text_of(update["blocks"])
    assert "request_extend" not in buttons(update["blocks"])

    press(slack, slack_api, "request_extend", request_id)
    notice = opened_view(slack_api)
    assert "on jo pidennetty kerran" in text_of(notice["blocks"])
    assert audit_actions(database, "request.extend") == ["request.extend"]


def test_an_extension_form_submitted_after_another_extension_says_why_beside_its_field(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    request_id = file_request(slack, slack_api, request_values(people["maija"]))
    press(slack, slack_api, "request_extend", request_id)
    first = opened_view(slack_api)
    press(slack, slack_api, "request_extend", request_id)
    second = opened_view(slack_api)
    reason = {"extension_reason": {"type": "plain_text_input", "value": "Laaja aineisto."}}
    submit(slack, first, {"extension_reason": reason}, CONTROLLER)

    reply = submit(slack, second, {"extension_reason": reason}, CONTROLLER)

    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert "on jo pidennetty kerran" in answer["errors"]["extension_reason"]
    assert audit_actions(database, "request.extend") == ["request.extend"]


def test_a_request_past_its_first_due_date_cannot_be_extended_and_says_why(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    long_ago = (agency_today() - timedelta(days=70)).isoformat()
    request_id = file_request(
        slack, slack_api, request_values(people["maija"], received_on=long_ago, file_anyway=True)
    )

    press(slack, slack_api, "request_extend", request_id)

    notice = opened_view(slack_api)
    assert "on ohitettu" in text_of(notice["blocks"])
    assert stored(database, request_id).extended_due_on is None


def test_reject_gives_the_art_12_4_reply_in_the_requesters_language_and_tells_the_filer(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    request_id = file_request(slack, slack_api, request_values(people["maija"], language="en"))

    press(slack, slack_api, "request_reject", request_id)
    view = opened_view(slack_api)
    assert view["callback_id"] == "request_reject_form"
    values = {
        "resolution": {
            "resolution": {"type": "plain_text_input", "value": "Manifestly unfounded <!channel>"}
        }
    }
    reply = submit(slack, view, values, CONTROLLER)

    answer = reply.json()
    assert answer["response_action"] == "update"
    reply_text = text_of(answer["view"])
    assert "Reasons: Manifestly unfounded" in reply_text
    assert "Data Protection Ombudsman" in reply_text and "tietosuoja.fi" in reply_text
    assert "other legal remedies" in reply_text
    request = stored(database, request_id)
    assert request.status is RequestStatus.REJECTED
    for user_id in (CONTROLLER, CONTROLLER_EN):
        (update,) = updates_to(slack_api, user_id)
        assert buttons(update["blocks"]) == ["request_open"]
        assert "<!channel>" not in text_of(update["blocks"])
    told = [c.args for c in slack_api.calls_to("chat.postMessage") if c.args["channel"] == ADVISOR]
    assert len(told) == 1
    assert f"#{request_id}" in told[0]["text"] and "hylättiin" in told[0]["text"]
    assert people["reference"] in told[0]["text"]
    assert "Manifestly" not in told[0]["text"]

    press(slack, slack_api, "request_reject", request_id, user_id=CONTROLLER_EN)
    assert len(slack_api.calls_to("views.open")) == 2  # the filing form and one reject form
    assert audit_actions(database, "request.reject") == ["request.reject"]
    assert (
        len([c for c in slack_api.calls_to("chat.postMessage") if c.args["channel"] == ADVISOR])
        == 1
    )


def test_an_advisor_pressing_a_controllers_button_is_refused(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    request_id = file_request(slack, slack_api, request_values(people["maija"]))

    actions = (
        "request_start",
        "request_verify",
        "request_extend",
        "request_reject",
        "request_open",
    )
    for action_id in actions:
        press(slack, slack_api, action_id, request_id, user_id=ADVISOR)

    refusals = [c.args["text"] for c in slack_api.calls_to("response_url")][1:]
    assert refusals == ["Valitettavasti roolisi ei salli tätä."] * len(actions)
    assert stored(database, request_id).status is RequestStatus.RECEIVED
    assert slack_api.calls_to("chat.update") == []
    assert len(slack_api.calls_to("views.open")) == 1


def test_a_controller_opens_the_details_the_alert_leaves_out(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    values = request_values(None, requester_name="<!channel> Virtanen")
    request_id = file_request(slack, slack_api, values)

    press(slack, slack_api, "request_open", request_id)

    view = opened_view(slack_api)
    shown = text_of(view["blocks"])
    assert "&lt;!channel&gt; Virtanen" in shown and "Pyytää kopion tiedoistaan." in shown
    assert view["title"]["text"] == f"Pyyntö #{request_id}"


def test_the_filer_hears_when_no_controller_could_be_alerted(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    with database.transaction() as session:
        session.execute(update(Staff).where(Staff.role == Role.CONTROLLER).values(active=False))

    slack.command("/tietopyynto", user_id=ADVISOR)
    submit(slack, opened_view(slack_api), request_values(people["maija"]), ADVISOR)

    assert slack_api.calls_to("chat.postMessage") == []
    (confirmation,) = slack_api.calls_to("response_url")
    assert "ei voitu ilmoittaa" in confirmation.args["text"]


def test_an_alert_slack_cannot_update_leaves_the_others_and_the_act_standing(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    request_id = file_request(slack, slack_api, request_values(people["maija"]))
    slack_api.inject("chat.update", status=200, error="message_not_found")

    press(slack, slack_api, "request_start", request_id)

    assert stored(database, request_id).status is RequestStatus.IN_PROGRESS
    updates = slack_api.calls_to("chat.update")
    assert len(updates) == 2 and updates[0].injected == "200" and updates[1].injected is None


def test_a_received_date_whose_deadline_passed_is_pointed_out_before_filing(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    long_ago = (agency_today() - timedelta(days=70)).isoformat()
    slack.command("/tietopyynto", user_id=ADVISOR)
    form = opened_view(slack_api)
    values = request_values(people["maija"], kind="erasure", received_on=long_ago)

    warned = submit(slack, form, values, ADVISOR).json()

    assert warned["response_action"] == "update"
    shown = warned["view"]
    assert "on jo ohi" in text_of(shown["blocks"])
    blocks = {block.get("block_id"): block for block in shown["blocks"]}
    assert blocks["received_on"]["element"]["initial_date"] == long_ago
    assert blocks["kind"]["element"]["initial_option"]["value"] == "erasure"
    assert blocks["person_id"]["element"]["initial_option"]["value"] == str(people["maija"])
    assert shown["private_metadata"] == form["private_metadata"]
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(DataSubjectRequest)) == 0
    assert slack_api.calls_to("chat.postMessage") == []

    confirmed = request_values(
        people["maija"], kind="erasure", received_on=long_ago, file_anyway=True
    )
    filed = submit(slack, form | {"blocks": shown["blocks"]}, confirmed, ADVISOR)

    assert filed.status == 200 and filed.body == b""
    with database.transaction() as session:
        (request,) = session.scalars(select(DataSubjectRequest)).all()
        assert request.received_on == date.fromisoformat(long_ago)
        assert request.due_on < agency_today()


def test_a_second_open_request_of_the_same_kind_is_pointed_out_before_filing(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    first = file_request(slack, slack_api, request_values(people["maija"]))
    slack.command("/tietopyynto", user_id=ADVISOR)
    form = opened_view(slack_api)

    warned = submit(slack, form, request_values(people["maija"]), ADVISOR).json()
    other_kind = submit(slack, form, request_values(people["maija"], kind="portability"), ADVISOR)

    assert warned["response_action"] == "update"
    assert f"#{first}" in text_of(warned["view"]["blocks"])
    assert other_kind.status == 200 and other_kind.body == b""
    with database.transaction() as session:
        kinds = session.scalars(select(DataSubjectRequest.kind).order_by(DataSubjectRequest.id))
        assert [kind.value for kind in kinds] == ["access", "portability"]


def test_a_request_received_on_a_saturday_is_due_from_that_day(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database, people: dict[str, Any]
) -> None:
    today = agency_today()
    saturday = today - timedelta(days=(today.weekday() - 5) % 7 or 7)
    request_id = file_request(
        slack, slack_api, request_values(people["maija"], received_on=saturday.isoformat())
    )

    request = stored(database, request_id)
    assert request.received_on == saturday
    assert request.due_on == due_date(saturday)
