"""What a staff member's Home tab shows, gathered in one read that is audited as one."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import audit, outbox, retention
from storage.meetings import (
    FOLLOW_UP_LIMIT,
    MeetingSummary,
    follow_up_count,
    follow_ups_due,
    recent_meetings,
)
from storage.models import DataSubjectRequest, Person
from storage.models.enums import Purpose, RequestKind, RequestStatus
from storage.permissions import Permission
from storage.staff import StaffMember

# Until the answer reaches the data subject, a request is open and its deadline runs.
OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS, RequestStatus.FULFILLED)
# A page of open requests on a controller's Home tab, each with its buttons.
REQUEST_LIMIT = 10


@dataclass(frozen=True)
class OpenRequest:
    """A data-subject request still being worked: the person by public reference only."""

    id: int
    kind: RequestKind
    status: RequestStatus
    person_reference: str | None
    received_on: date
    due_on: date
    identity_verified: bool = False
    extended: bool = False


@dataclass(frozen=True)
class ControllerOverview:
    open_requests: list[OpenRequest]
    open_request_count: int
    retention_due: int
    undelivered: outbox.Undelivered = field(default_factory=outbox.Undelivered)
    # The open requests are paged: which page `open_requests` is.
    request_page: int = 0


@dataclass(frozen=True)
class HomeOverview:
    recent_meetings: list[MeetingSummary]
    follow_ups: list[MeetingSummary]
    controller: ControllerOverview | None
    # The follow-ups are paged: which page `follow_ups` is, and how many there are in all.
    follow_up_page: int = 0
    follow_up_count: int = 0


def open_requests(
    *, session: Session, limit: int = REQUEST_LIMIT, offset: int = 0
) -> tuple[list[OpenRequest], int]:
    """Open requests, the soonest due first, from `offset` on, and how many there are in all."""
    due = func.coalesce(DataSubjectRequest.extended_due_on, DataSubjectRequest.due_on)
    is_open = DataSubjectRequest.status.in_(OPEN_STATUSES)
    query = (
        select(DataSubjectRequest, Person.reference, due)
        .outerjoin(Person, Person.id == DataSubjectRequest.person_id)
        .where(is_open)
        .order_by(due, DataSubjectRequest.id)
        .limit(limit)
        .offset(offset)
    )
    rows = [
        OpenRequest(
            id=request.id,
            kind=request.kind,
            status=request.status,
            person_reference=request.person_reference or reference,
            received_on=request.received_on,
            due_on=due_on,
            identity_verified=request.identity_verified_at is not None,
            extended=request.extended_due_on is not None,
        )
        for request, reference, due_on in session.execute(query)
    ]
    total = session.scalar(select(func.count()).select_from(DataSubjectRequest).where(is_open)) or 0
    return rows, total


def home_overview(
    *,
    session: Session,
    viewer: StaffMember,
    today: date,
    policy: retention.RetentionPolicy = retention.DEFAULT_POLICY,
    follow_up_page: int = 0,
    request_page: int = 0,
) -> HomeOverview:
    """The viewer's last meetings and coming follow-ups; for controllers also the open requests,
    the retention count and the bot's messages still undelivered after an hour. Each person
    named on it gets a `home.view` audit event."""
    meetings = recent_meetings(session=session, viewer=viewer)
    follow_ups = follow_ups_due(
        session=session,
        viewer=viewer,
        today=today,
        offset=follow_up_page * FOLLOW_UP_LIMIT,
    )
    shown = sorted({item.person_id for item in meetings + follow_ups})
    if shown:
        audit.record_many(
            session=session,
            actor=viewer.slack_user_id,
            action="home.view",
            person_ids=shown,
            purpose=Purpose.CUSTOMER_SERVICE,
        )
    controller = None
    if viewer.can(Permission.REQUEST_WORK):
        requests, request_count = open_requests(
            session=session, offset=request_page * REQUEST_LIMIT
        )
        controller = ControllerOverview(
            open_requests=requests,
            open_request_count=request_count,
            retention_due=retention.count_due(session=session, today=today, policy=policy),
            undelivered=outbox.undelivered(session=session),
            request_page=request_page,
        )
    return HomeOverview(
        recent_meetings=meetings,
        follow_ups=follow_ups,
        controller=controller,
        follow_up_page=follow_up_page,
        follow_up_count=follow_up_count(session=session, viewer=viewer, today=today),
    )
