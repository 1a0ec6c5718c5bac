from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.home.blocks import home_view
from bot.slack.i18n import translator
from storage.home import ControllerOverview, HomeOverview, OpenRequest
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
            open_requests=[request(n) for n in range(20)], open_request_count=57, retention_due=3
        ),
    )

    view = home_view(CONTROLLER, translator("en"), overview, zone=ZONE, today=TODAY).to_dict()

    assert len(view["blocks"]) <= 100
    text = str(view)
    assert "<!channel>" not in text and "&lt;!channel&gt; Virtanen" in text
    assert "And 37 more:" in text and "*overdue*" in text
    assert "Records waiting for a retention decision: *3*" in text


def test_an_empty_home_tab_says_so() -> None:
    advisor = StaffMember(
        id=2, slack_user_id="UADV1", display_name="", role=Role.ADVISOR, active=True, language="fi"
    )
    overview = HomeOverview(recent_meetings=[], follow_ups=[], controller=None)

    text = str(home_view(advisor, translator("fi"), overview, zone=ZONE, today=TODAY).to_dict())

    assert "Ei vielä tapaamisia" in text and "Ei tulevia yhteydenottoja" in text
    assert "Säilytyspäätöstä" not in text
