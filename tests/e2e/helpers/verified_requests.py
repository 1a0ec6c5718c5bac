"""A verified request of a kind, about a made-up person filled into every table, with the
controller's alert: ready for the `request_fulfil` button."""

from storage import requests
from storage.db import Database
from storage.models import DataSubjectRequest
from storage.models.base import utcnow
from storage.models.enums import RequestKind, RequestStatus, Role
from tests.e2e.harness import SlackSender
from tests.e2e.helpers.person_form import press
from tests.people import add_staff
from tests.personal_data import fill_every_table

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"
ALERT_CHANNEL = "DCONTROL1"


def file_request(
    database: Database, kind: RequestKind, *, first_name: str = "Maija", language: str = "fi"
) -> tuple[int, int]:
    """A verified request of `kind` about a made-up person, with the controller's alert."""
    with database.transaction() as session:
        advisor = add_staff(session, ADVISOR)
        add_staff(session, CONTROLLER, Role.CONTROLLER)
        filled = fill_every_table(session, advisor, first_name=first_name, kind=kind)
        request = session.get(DataSubjectRequest, filled.request_id)
        assert request is not None
        request.status = RequestStatus.IN_PROGRESS
        request.identity_verified_at = utcnow()
        request.identity_verification = "known_email"
        request.language = language
        requests.record_alert(
            session=session,
            request_id=request.id,
            slack_user_id=CONTROLLER,
            channel_id=ALERT_CHANNEL,
            message_ts="1700000000.000200",
        )
        return filled.request_id, filled.person.id


def request_row(database: Database, request_id: int) -> DataSubjectRequest:
    with database.reading() as session:
        request = session.get(DataSubjectRequest, request_id)
        assert request is not None
        return request


def fulfil(slack: SlackSender, request_id: int, user_id: str = CONTROLLER) -> None:
    assert press(slack, "request_fulfil", str(request_id), user_id=user_id).status == 200
