"""`/tapaaminen`, the `meeting_log` button, the meeting modal and the Home tab, end to end."""

import json
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import create_app
from bot.runtime.web import create_wsgi_app
from storage import staff
from storage.db import Database
from storage.models import AuditEvent, AuditEventPerson, DataSubjectRequest, Meeting, Person
from storage.models.enums import RequestChannel, RequestKind, Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import (
    TEAM_ID,
    RunningServer,
    SlackSender,
    make_settings,
    opened_view,
)
from tests.e2e.helpers.meeting import (
    ADVISOR,
    CONTROLLER,
    form_values,
    meeting_count,
    people,
    press_meeting_log,
    submit,
)
from tests.people import add_meeting, add_person, add_staff

__all__ = ["people"]  # the fixture

HELSINKI = ZoneInfo("Europe/Helsinki")


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    (found,) = [b for b in view["blocks"] if b.get("block_id") == block_id]
    return found


def posted_texts(slack_api: SlackWebApiDouble, method: str) -> list[str]:
    return [call.args.get("text", "") for call in slack_api.calls_to(method)]


def agency_today() -> date:
    return datetime.now(HELSINKI).date()


def test_the_command_with_one_hit_opens_the_modal_with_the_person_chosen(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int]
) -> None:
    reply = slack.command("/tapaaminen", "Mallikas", user_id=ADVISOR)

    assert reply.status == 200 and reply.body == b""
    view = opened_view(slack_api)
    assert view["callback_id"] == "meeting_form"
    assert [b["block_id"] for b in view["blocks"]] == [
        "person_id",
        "occurred_at",
        "duration_minutes",
        "kind",
        "topic",
        "notes",
        "follow_up_on",
    ]
    person = block(view, "person_id")["element"]
    assert person["type"] == "external_select" and person["action_id"] == "person_id"
    assert person["initial_option"]["value"] == str(people["maija"])
    assert person["initial_option"]["text"] == {
        "type": "plain_text",
        "text": "Maija Mallikas, Espoo",
        "emoji": False,
    }
    when = block(view, "occurred_at")["element"]
    assert when["type"] == "datetimepicker" and abs(when["initial_date_time"] - time.time()) < 600
    assert view["title"]["text"] == "Kirjaa tapaaminen"


@pytest.mark.parametrize(
    ("text", "notice"),
    [("Virtanen", "useita henkilöitä"), ("Olematon", "ei löytynyt ketään"), ("", None)],
    ids=["several", "none", "no-search"],
)
def test_without_exactly_one_hit_no_one_is_chosen(
    slack: SlackSender,
    slack_api: SlackWebApiDouble,
    people: dict[str, int],
    text: str,
    notice: str | None,
) -> None:
    slack.command("/meeting", text, user_id=ADVISOR)

    view = opened_view(slack_api)
    assert "initial_option" not in block(view, "person_id")["element"]
    contexts = [b for b in view["blocks"] if b["type"] == "context"]
    if notice is None:
        assert contexts == []
    else:
        assert notice in contexts[0]["elements"][0]["text"]
        assert contexts[0]["elements"][0]["type"] == "plain_text"


def test_the_person_select_searches_and_hides_restricted_persons_from_advisors(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int], database: Database
) -> None:
    slack.command("/tapaaminen", user_id=ADVISOR)
    view = opened_view(slack_api)

    def suggest(query: str, user_id: str) -> list[dict[str, Any]]:
        reply = slack.interaction(
            {
                "type": "block_suggestion",
                "team": {"id": TEAM_ID, "domain": "agency"},
                "user": {"id": user_id, "name": user_id.lower(), "team_id": TEAM_ID},
                "api_app_id": "A0TEST",
                "token": "legacy",
                "container": {"type": "view", "view_id": "V0MEETING"},
                "action_id": "person_id",
                "block_id": "person_id",
                "value": query,
                "view": {"id": "V0MEETING", "type": "modal", "callback_id": view["callback_id"]},
            }
        )
        assert reply.status == 200
        options: list[dict[str, Any]] = reply.json()["options"]
        return options

    virtanen = suggest("virtanen", ADVISOR)
    assert sorted(option["value"] for option in virtanen) == sorted(
        [str(people["testi"]), str(people["toinen"])]
    )
    assert all(option["text"]["type"] == "plain_text" for option in virtanen)
    assert suggest("Rajoitettu", ADVISOR) == []
    assert [o["value"] for o in suggest("Rajoitettu", CONTROLLER)] == [str(people["hidden"])]
    with database.transaction() as session:
        purposes = session.scalars(
            select(AuditEvent.purpose).where(AuditEvent.action == "person.search")
        )
        assert set(purposes) == {"meeting_record"}
    too_long = suggest("virtanen " * 120, ADVISOR)
    assert [option["text"]["text"] for option in too_long] == [
        "Haku on liian pitkä: enintään 100 merkkiä ja 6 sanaa."
    ]
    assert [option["value"] for option in too_long] != [str(people["testi"])]


def test_a_meeting_search_past_the_caps_is_refused_with_a_message(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int]
) -> None:
    reply = slack.command("/tapaaminen", "virtanen " * 120, user_id=ADVISOR).json()

    assert reply["text"] == "Haku on liian pitkä: enintään 100 merkkiä ja 6 sanaa."
    assert slack_api.calls_to("views.open") == []


def test_a_submission_saves_once_even_when_posted_twice_and_is_confirmed(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int], database: Database
) -> None:
    slack.command("/tapaaminen", "Mallikas", user_id=ADVISOR)
    view = opened_view(slack_api)
    follow_up = agency_today() + timedelta(days=7)
    values = form_values(
        people["maija"], notes="Soitetaan uudelleen.", follow_up_on=follow_up.isoformat()
    )

    first = submit(slack, view, values)
    second = submit(slack, view, values)

    assert first.status == 200 and first.body == b""
    assert second.status == 200 and second.body == b""
    assert meeting_count(database) == 1
    with database.transaction() as session:
        meeting = session.scalars(select(Meeting)).one()
        assert meeting.kind.value == "phone" and meeting.duration_minutes == 45
        assert meeting.follow_up_on == follow_up and meeting.notes == "Soitetaan uudelleen."
        person = session.get(Person, people["maija"])
        assert person is not None and person.last_activity_at == meeting.occurred_at
    saved, again = (call.args for call in slack_api.calls_to("response_url"))
    assert saved["response_type"] == "ephemeral" and saved["replace_original"] is False
    assert saved["text"].startswith("Tallennettu: puhelu, *Maija Mallikas*, <!date^")
    assert "Aihe: Rahoitus" in saved["text"] and "Seuraava yhteydenotto" in saved["text"]
    assert "oli jo tallennettu" in again["text"]


def test_validation_errors_land_on_their_block_ids(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int], database: Database
) -> None:
    slack.command("/tapaaminen", user_id=ADVISOR)
    view = opened_view(slack_api)
    yesterday = agency_today() - timedelta(days=2)

    reply = submit(
        slack,
        view,
        form_values(
            None,
            occurred_at=int(time.time()) + 2 * 86400,
            duration="0",
            kind=None,
            follow_up_on=yesterday.isoformat(),
        ),
    )

    assert reply.json()["response_action"] == "errors"
    errors = reply.json()["errors"]
    assert set(errors) == {"person_id", "occurred_at", "duration_minutes", "kind", "follow_up_on"}
    assert errors["occurred_at"] == "Tapaaminen ei voi olla tulevaisuudessa."
    assert errors["follow_up_on"].startswith("Seuraavan yhteydenoton päivä")
    assert meeting_count(database) == 0
    assert slack_api.calls_to("response_url") == []


def test_the_button_in_a_message_opens_the_modal_for_that_person(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int], database: Database
) -> None:
    reply = press_meeting_log(slack, people["testi"])

    assert reply.status == 200
    view = opened_view(slack_api)
    assert block(view, "person_id")["element"]["initial_option"]["value"] == str(people["testi"])
    assert json.loads(view["private_metadata"])["response_url"] == slack.response_url

    assert submit(slack, view, form_values(people["testi"])).body == b""
    assert meeting_count(database) == 1
    assert len(slack_api.calls_to("response_url")) == 1


def test_the_button_in_the_card_pushes_the_modal_and_saving_clears_the_stack(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int], database: Database
) -> None:
    press_meeting_log(slack, people["channel"], in_modal=True)

    view = opened_view(slack_api, "views.push")
    assert slack_api.calls_to("views.open") == []
    option_text = block(view, "person_id")["element"]["initial_option"]["text"]["text"]
    assert option_text == "<!channel> Kokeilu, Esimerkkilä"  # plain text: shown, never acted on

    reply = submit(slack, view, form_values(people["channel"], topic="<!here> ja *lihavointi*"))

    assert reply.json() == {"response_action": "clear"}
    (message,) = slack_api.calls_to("chat.postMessage")
    assert message.args["channel"] == ADVISOR
    text = message.args["text"]
    assert "&lt;!channel&gt; Kokeilu" in text and "<!channel>" not in text
    assert "&lt;!here&gt;" in text and "<!here>" not in text


def test_an_expired_response_url_leaves_the_confirmation_as_a_direct_message(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int]
) -> None:
    slack.response_url = slack_api.url + "/expired/T0TEST/1/abc"
    press_meeting_log(slack, people["testi"])

    submit(slack, opened_view(slack_api), form_values(people["testi"]))

    (message,) = slack_api.calls_to("chat.postMessage")
    assert message.args["channel"] == ADVISOR
    assert message.args["text"].startswith("Tallennettu: puhelu, *Testi Virtanen*")


def test_an_advisor_cannot_open_a_restricted_person_with_the_button(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int]
) -> None:
    press_meeting_log(slack, people["hidden"])

    assert slack_api.calls_to("views.open") == []
    (notice,) = slack_api.calls_to("response_url")
    assert notice.args["text"] == "Tietuetta ei ole enää olemassa."


def denied_events(database: Database, action: str) -> list[tuple[str, int | None]]:
    with database.reading() as session:
        rows = session.execute(
            select(AuditEvent.actor, AuditEvent.person_id).where(
                AuditEvent.action == action, AuditEvent.outcome == "denied"
            )
        )
        return [(actor, person_id) for actor, person_id in rows]


def test_a_controller_cannot_log_a_meeting_for_a_restricted_person(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int], database: Database
) -> None:
    """Restricted (Art 18): the data is only stored. The form chosen in the person select is
    refused beside the person, and the refusal is in the audit trail."""
    slack.command("/tapaaminen", "Rajoitettu", user_id=CONTROLLER)
    view = opened_view(slack_api)

    reply = submit(slack, view, form_values(people["hidden"]), user_id=CONTROLLER)

    assert reply.json()["response_action"] == "errors"
    assert reply.json()["errors"]["person_id"].startswith(
        "Henkilön tietojen käsittelyä on rajoitettu (18 artikla)"
    )
    assert meeting_count(database) == 0
    assert slack_api.calls_to("response_url") == []
    assert denied_events(database, "meeting.log") == [(CONTROLLER, people["hidden"])]

    press_meeting_log(slack, people["hidden"], user_id=CONTROLLER)
    assert len(slack_api.calls_to("views.open")) == 1  # the command's form only
    (notice,) = slack_api.calls_to("response_url")
    assert notice.args["text"].startswith("Henkilön tietojen käsittelyä on rajoitettu")
    assert denied_events(database, "meeting.form") == [(CONTROLLER, people["hidden"])]


def test_the_home_tab_shows_an_advisors_meetings_and_follow_ups(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int], database: Database
) -> None:
    now = datetime.now(UTC)
    with database.transaction() as session:
        advisor = staff.find(session=session, slack_user_id=ADVISOR)
        assert advisor is not None
        maija = session.get(Person, people["maija"])
        channel = session.get(Person, people["channel"])
        assert maija is not None and channel is not None
        add_meeting(session, maija, advisor, now - timedelta(days=1))
        add_meeting(
            session,
            channel,
            advisor,
            now - timedelta(days=2),
            follow_up_on=agency_today() + timedelta(days=3),
        )

    slack.event({"type": "app_home_opened", "user": ADVISOR, "channel": "D1", "tab": "home"})

    (publish,) = slack_api.calls_to("views.publish")
    view = publish.args["view"]
    text = json.dumps(view, ensure_ascii=False)
    assert "Viimeisimmät tapaamisesi" in text and "*Maija Mallikas*" in text
    assert "&lt;!channel&gt; Kokeilu" in text and "<!channel>" not in text
    assert "Avoimet rekisteröityjen pyynnöt" not in text
    buttons = [
        b["accessory"]
        for b in view["blocks"]
        if b["type"] == "section" and b.get("accessory", {}).get("action_id") == "person_open"
    ]
    assert [button["value"] for button in buttons] == [
        str(people["maija"]),
        str(people["channel"]),
        str(people["channel"]),
    ]
    with database.transaction() as session:
        shown = session.scalars(
            select(AuditEventPerson.person_id)
            .join(AuditEvent, AuditEvent.id == AuditEventPerson.event_id)
            .where(AuditEvent.action == "home.view")
        )
        assert sorted(shown) == sorted([people["maija"], people["channel"]])


def test_the_home_tab_shows_a_controller_the_open_requests_and_the_retention_count(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int], database: Database
) -> None:
    with database.transaction() as session:
        old = add_person(
            session, "Vanha", "Asiakas", last_activity_at=datetime(2020, 1, 1, tzinfo=UTC)
        )
        session.add(
            DataSubjectRequest(
                kind=RequestKind.ERASURE,
                person_id=old.id,
                channel=RequestChannel.EMAIL,
                received_on=agency_today() - timedelta(days=3),
                due_on=agency_today() + timedelta(days=27),
            )
        )
        reference = old.reference

    slack.event({"type": "app_home_opened", "user": CONTROLLER, "channel": "D1", "tab": "home"})

    text = json.dumps(slack_api.calls_to("views.publish")[0].args["view"], ensure_ascii=False)
    assert "Avoimet rekisteröityjen pyynnöt" in text
    assert f"`{reference}`  ·  poistaminen, vastaanotettu" in text and "Vanha Asiakas" not in text
    assert "Säilytyspäätöstä odottavat tietueet: *1*" in text
    assert "Hei <@UCONTROL1>" in text


def test_the_home_tab_counts_by_the_retention_settings(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    with database.transaction() as session:
        add_staff(session, CONTROLLER, Role.CONTROLLER)
        add_person(session, "Vanha", "Asiakas", last_activity_at=datetime(2020, 1, 1, tzinfo=UTC))
    counted = {}
    for months in (36, 1200):
        settings = make_settings(database, slack_api, retention_customer_months=months)
        server = RunningServer(create_wsgi_app(create_app(settings, database), database))
        try:
            SlackSender(server).event(
                {"type": "app_home_opened", "user": CONTROLLER, "channel": "D1", "tab": "home"}
            )
        finally:
            server.close()
        view = json.dumps(slack_api.calls_to("views.publish")[-1].args["view"], ensure_ascii=False)
        counted[months] = "Säilytyspäätöstä odottavat tietueet: *1*" in view

    assert counted == {36: True, 1200: False}
