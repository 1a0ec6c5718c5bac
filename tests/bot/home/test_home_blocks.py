from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.home.blocks import home_view
from bot.slack.i18n import translator
from storage.home import REQUEST_LIMIT, ControllerOverview, HomeOverview, OpenRequest
from storage.meetings import FOLLOW_UP_LIMIT, RECENT_LIMIT, MeetingSummary
from storage.models.enums import MeetingKind, RequestKind, RequestStatus, Role
from storage.staff import StaffMember

TODAY = date(2026, 11, 27)
ZONE = ZoneInfo("Europe/Helsinki")
CONTROLLER = StaffMember(
    id=1, slack_user_id="UCTRL1", display_name="", role=Role.CONTROLLER, active=True, language="en"
)


def summary(number: int) -> MeetingSummary:
    return MeetingSummary(
        id=number,
        person_id=number,
        first_name="<!channel>",
        last_name="Virtanen",
        occurred_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
        kind=MeetingKind.EVENT,
        topic="Yrityksen perustaminen " * 5,
        follow_up_on=TODAY + timedelta(days=number % 14),
    )


def request(number: int) -> OpenRequest:
    return OpenRequest(
        id=number,
        kind=RequestKind.ACCESS,
        status=RequestStatus.RECEIVED,
        person_reference=f"R-{number:05d}",
        received_on=TODAY - timedelta(days=40),
        due_on=TODAY - timedelta(days=number % 3),
    )


def test_a_full_home_tab_stays_within_slacks_limits_and_escapes_names() -> None:
    overview = HomeOverview(
        recent_meetings=[summary(n) for n in range(RECENT_LIMIT)],
        follow_ups=[summary(n) for n in range(FOLLOW_UP_LIMIT)],
        controller=ControllerOverview(
            open_requests=[request(n) for n in range(REQUEST_LIMIT)],
            open_request_count=57,
            retention_due=3,
        ),
    )

    view = home_view(CONTROLLER, translator("en"), overview, zone=ZONE, today=TODAY).to_dict()

    assert len(view["blocks"]) <= 100
    text = str(view)
    assert "<!channel>" not in text and "&lt;!channel&gt; Virtanen" in text
    assert "1–10 of 57" in text and "*overdue*" in text
    assert text.count("'request_start'") == REQUEST_LIMIT
    assert "Records waiting for a retention decision: *3*" in text


def test_an_empty_home_tab_says_so() -> None:
    advisor = StaffMember(
        id=2, slack_user_id="UADV1", display_name="", role=Role.ADVISOR, active=True, language="fi"
    )
    overview = HomeOverview(recent_meetings=[], follow_ups=[], controller=None)

    text = str(home_view(advisor, translator("fi"), overview, zone=ZONE, today=TODAY).to_dict())

    assert "Ei vielä tapaamisia" in text and "Ei tulevia yhteydenottoja" in text
    assert "Säilytyspäätöstä" not in text


def buttons_of(view: dict[str, Any]) -> list[list[str]]:
    return [
        [element["action_id"] for element in block["elements"]]
        for block in view["blocks"]
        if block["type"] == "actions" and block["elements"][0]["action_id"].startswith("request")
    ]


def test_each_open_request_has_the_buttons_that_apply_to_it_now() -> None:
    received = request(1)
    verified = replace(
        request(2), status=RequestStatus.IN_PROGRESS, identity_verified=True, extended=True
    )
    fulfilled = replace(request(3), status=RequestStatus.FULFILLED, identity_verified=True)
    overview = HomeOverview(
        recent_meetings=[],
        follow_ups=[],
        controller=ControllerOverview(
            open_requests=[received, verified, fulfilled], open_request_count=3, retention_due=0
        ),
    )

    view = home_view(CONTROLLER, translator("en"), overview, zone=ZONE, today=TODAY).to_dict()

    assert buttons_of(view) == [
        ["request_start", "request_verify", "request_extend", "request_reject", "request_open"],
        ["request_fulfil", "request_reject", "request_open"],
        ["request_answered", "request_open"],
    ]
    values = [
        {element["value"] for element in block["elements"]}
        for block in view["blocks"]
        if block["type"] == "actions"
    ]
    assert values == [{"1"}, {"2"}, {"3"}]
    assert "*#2*  ·  `R-00002`" in str(view)
    assert "home_requests_page" not in str(view)
