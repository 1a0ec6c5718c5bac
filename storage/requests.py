"""Data-subject requests: filing one, and working it to the end, each step once.

A request is worked while received or in progress; fulfilled once the act is done in the
register; completed when the contact person records that the answer reached the data subject.
Its deadline stands until then.

A step is one conditional UPDATE (`... WHERE id = :id AND <the state it starts from>`): of two
clicks, or two controllers at once, the database lets one through and the other finds the
row already moved (rowcount 0), so it changes nothing and gets the current state back.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import audit
from storage.consents import object_to_marketing
from storage.deadlines import due_date, extended_due_date
from storage.errors import InvalidRequest, NotFound, PermissionDenied
from storage.models import DataSubjectRequest, Disclosure, RequestAlert, Staff
from storage.models.base import utcnow
from storage.models.enums import (
    AnswerDelivery,
    ObjectionScope,
    Purpose,
    RecipientKind,
    RequestChannel,
    RequestKind,
    RequestStatus,
)
from storage.permissions import Permission, role_allows
from storage.persons import _visible_person
from storage.staff import StaffMember

OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)
# Not answered yet: the deadline still runs.
UNANSWERED_STATUSES = (*OPEN_STATUSES, RequestStatus.FULFILLED)
LANGUAGES = ("fi", "en")


@dataclass(frozen=True)
class RequestFiling:
    """A request as an advisor files it: about a person in the register, or, when they are
    not in it yet, from a named requester."""

    kind: RequestKind
    channel: RequestChannel
    received_on: date
    person_id: int | None = None
    requester_name: str | None = None
    requester_contact: str | None = None
    details: str | None = None
    language: str = "fi"  # the language the requester used
    filing_key: str | None = None  # the same key files one request, however often it is sent


@dataclass(frozen=True)
class RequestView:
    """A request as the Slack side shows it."""

    id: int
    kind: RequestKind
    status: RequestStatus
    channel: RequestChannel
    person_id: int | None
    person_reference: str | None
    requester_name: str | None
    requester_contact: str | None
    details: str | None
    language: str
    received_on: date
    due_on: date
    extended_due_on: date | None
    extension_reason: str | None
    identity_verified_at: datetime | None
    identity_verification: str | None
    filed_by: str | None  # Slack user id
    handled_by: str | None  # Slack user id
    resolution: str | None
    completed_at: datetime | None
    objection_scope: ObjectionScope | None = None
    fulfilled_at: datetime | None = None
    answer_delivery: AnswerDelivery | None = None
    answered_on: date | None = None

    @property
    def effective_due_on(self) -> date:
        return self.extended_due_on or self.due_on

    @property
    def is_open(self) -> bool:
        """Still to be worked: started, verified, extended, fulfilled or rejected."""
        return self.status in OPEN_STATUSES

    @property
    def awaits_answer(self) -> bool:
        """Fulfilled, and the answer not yet recorded as having reached the data subject."""
        return self.status is RequestStatus.FULFILLED

    @property
    def is_closed(self) -> bool:
        return self.status not in UNANSWERED_STATUSES


@dataclass(frozen=True)
class FilingWarnings:
    """What an advisor is shown before a request is filed: the deadline of the date received
    already passed, and the open requests of the same kind about the same person."""

    passed_due_on: date | None
    open_requests: tuple[int, ...]

    def __bool__(self) -> bool:
        return self.passed_due_on is not None or bool(self.open_requests)


@dataclass(frozen=True)
class Transition:
    request: RequestView
    changed: bool  # False when the step had already been taken (a second click)


@dataclass(frozen=True)
class AlertRef:
    """Where a controller's message about a request is, to update it in place."""

    slack_user_id: str
    channel_id: str
    message_ts: str


@dataclass(frozen=True)
class RecipientView:
    """A recipient the person's data was disclosed to, who must be told of a rectification,
    erasure or restriction (Art 19)."""

    recipient: str
    recipient_kind: RecipientKind
    categories: tuple[str, ...]
    last_disclosed_at: datetime


def _require(actor: StaffMember, permission: Permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied(permission.value)


def _text(value: str | None, what: str) -> str | None:
    """The text stripped, None when blank; longer than its column holds is refused."""
    stripped = value.strip() if value else ""
    limit = getattr(DataSubjectRequest.__table__.c[what].type, "length", None)
    if limit is not None and len(stripped) > limit:
        raise InvalidRequest(what)
    return stripped or None


def _required_text(value: str | None, what: str) -> str:
    stripped = _text(value, what)
    if stripped is None:
        raise InvalidRequest(what)
    return stripped


def _slack_id(session: Session, staff_id: int | None) -> str | None:
    if staff_id is None:
        return None
    return session.scalar(select(Staff.slack_user_id).where(Staff.id == staff_id))


def _view(session: Session, request: DataSubjectRequest) -> RequestView:
    return RequestView(
        id=request.id,
        kind=request.kind,
        status=request.status,
        channel=request.channel,
        person_id=request.person_id,
        person_reference=request.person_reference,
        requester_name=request.requester_name,
        requester_contact=request.requester_contact,
        details=request.details,
        language=request.language,
        received_on=request.received_on,
        due_on=request.due_on,
        extended_due_on=request.extended_due_on,
        extension_reason=request.extension_reason,
        identity_verified_at=request.identity_verified_at,
        identity_verification=request.identity_verification,
        filed_by=_slack_id(session, request.filed_by_id),
        handled_by=_slack_id(session, request.handled_by_id),
        resolution=request.resolution,
        completed_at=request.completed_at,
        objection_scope=request.objection_scope,
        fulfilled_at=request.fulfilled_at,
        answer_delivery=request.answer_delivery,
        answered_on=request.answered_on,
    )


def _load(session: Session, request_id: int) -> DataSubjectRequest:
    """The row as the database has it now, not as this session last saw it."""
    request = session.scalar(
        select(DataSubjectRequest)
        .where(DataSubjectRequest.id == request_id)
        .execution_options(populate_existing=True)
    )
    if request is None:
        raise NotFound("request")
    return request


def _audit(session: Session, actor: StaffMember, action: str, request: DataSubjectRequest) -> None:
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action=action,
        person_id=request.person_id,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
    )


def file_request(
    *, session: Session, actor: StaffMember, filing: RequestFiling, today: date
) -> RequestView:
    """Saves a new request with its due date; `today` is the agency's date."""
    _require(actor, Permission.REQUEST_FILE)
    if filing.received_on > today:
        raise InvalidRequest("received_on")
    if filing.language not in LANGUAGES:
        raise InvalidRequest("language")
    requester_name = _text(filing.requester_name, "requester_name")
    person_reference = None
    if filing.person_id is not None:
        person = _visible_person(session=session, viewer=actor, person_id=filing.person_id)
        person_reference = person.reference
    elif requester_name is None:
        raise InvalidRequest("requester_name")
    request = DataSubjectRequest(
        kind=filing.kind,
        person_id=filing.person_id,
        person_reference=person_reference,
        requester_name=requester_name,
        requester_contact=_text(filing.requester_contact, "requester_contact"),
        channel=filing.channel,
        language=filing.language,
        received_on=filing.received_on,
        due_on=due_date(filing.received_on),
        status=RequestStatus.RECEIVED,
        filed_by_id=actor.id,
        details=_text(filing.details, "details"),
        filing_key=filing.filing_key,
    )
    session.add(request)
    session.flush()
    _audit(session, actor, "request.file", request)
    return _view(session, request)


def filing_warnings(
    *, session: Session, actor: StaffMember, filing: RequestFiling, today: date
) -> FilingWarnings:
    """What to point out before the request is filed; reads nothing of the person beyond the
    requests about them, which the filer may see (request:file)."""
    _require(actor, Permission.REQUEST_FILE)
    if filing.filing_key is not None and _filed_with(session, filing.filing_key) is not None:
        return FilingWarnings(passed_due_on=None, open_requests=())  # sent again: filed
    first_due = due_date(filing.received_on)
    duplicates: tuple[int, ...] = ()
    if filing.person_id is not None:
        duplicates = tuple(
            session.scalars(
                select(DataSubjectRequest.id)
                .where(
                    DataSubjectRequest.person_id == filing.person_id,
                    DataSubjectRequest.kind == filing.kind,
                    DataSubjectRequest.status.in_(UNANSWERED_STATUSES),
                )
                .order_by(DataSubjectRequest.id)
            )
        )
    return FilingWarnings(
        passed_due_on=first_due if first_due < today else None, open_requests=duplicates
    )


def file_request_once(
    *, session: Session, actor: StaffMember, filing: RequestFiling, today: date
) -> Transition:
    """Files the request unless one with the same filing key exists (a form sent twice, or a
    retry racing the first): then that one, with changed=False."""
    if filing.filing_key is None:
        raise InvalidRequest("filing_key")
    existing = _filed_with(session, filing.filing_key)
    if existing is not None:
        return Transition(request=_view(session, existing), changed=False)
    try:
        with session.begin_nested():
            request = file_request(session=session, actor=actor, filing=filing, today=today)
    except IntegrityError:
        existing = _filed_with(session, filing.filing_key)
        if existing is None:
            raise
        return Transition(request=_view(session, existing), changed=False)
    return Transition(request=request, changed=True)


def _filed_with(session: Session, filing_key: str) -> DataSubjectRequest | None:
    return session.scalar(
        select(DataSubjectRequest).where(DataSubjectRequest.filing_key == filing_key)
    )


def request_view(*, session: Session, request_id: int) -> RequestView | None:
    """The request as it stands, for the bot's own messages about it (which show the person by
    public reference only); not a consultation, so not audited."""
    request = session.get(DataSubjectRequest, request_id)
    return _view(session, request) if request is not None else None


def get_request(*, session: Session, viewer: StaffMember, request_id: int) -> RequestView:
    """The request, for anyone who works requests and for the staff member who filed it.

    A read of a request about a person in the register is audited as a consultation of their
    data.
    """
    request = session.get(DataSubjectRequest, request_id)
    if request is None:
        raise NotFound("request")
    if not viewer.can(Permission.REQUEST_WORK) and not (
        viewer.active and request.filed_by_id == viewer.id
    ):
        raise PermissionDenied(Permission.REQUEST_WORK.value)
    if request.person_id is not None:
        _audit(session, viewer, "request.view", request)
    return _view(session, request)


def _step(
    session: Session,
    *,
    actor: StaffMember,
    request_id: int,
    action: str,
    where: list[ColumnElement[bool]],
    values: Mapping[str, Any],
) -> Transition:
    """Takes the step if the request is still in the state `where` describes."""
    _require(actor, Permission.REQUEST_WORK)
    statement = (
        update(DataSubjectRequest)
        .where(DataSubjectRequest.id == request_id, *where)
        .values(**values, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    changed = session.execute(statement).rowcount == 1  # type: ignore[attr-defined]
    request = _load(session, request_id)
    if changed:
        _audit(session, actor, action, request)
    return Transition(request=_view(session, request), changed=changed)


def _is_open() -> ColumnElement[bool]:
    return DataSubjectRequest.status.in_(OPEN_STATUSES)


def start(*, session: Session, actor: StaffMember, request_id: int) -> Transition:
    """received → in_progress; the actor becomes the handler."""
    return _step(
        session,
        actor=actor,
        request_id=request_id,
        action="request.start",
        where=[DataSubjectRequest.status == RequestStatus.RECEIVED],
        values={"status": RequestStatus.IN_PROGRESS, "handled_by_id": actor.id},
    )


def verify_identity(
    *, session: Session, actor: StaffMember, request_id: int, method: str
) -> Transition:
    """Records that, and how, the requester's identity was verified; never the evidence."""
    _require(actor, Permission.REQUEST_WORK)
    method = _required_text(method, "identity_verification")
    return _step(
        session,
        actor=actor,
        request_id=request_id,
        action="request.verify",
        where=[_is_open(), DataSubjectRequest.identity_verified_at.is_(None)],
        values={"identity_verified_at": utcnow(), "identity_verification": method},
    )


def extend(
    *, session: Session, actor: StaffMember, request_id: int, reason: str, today: date
) -> Transition:
    """The one extension Art 12(3) allows, with its reason, before the first due date."""
    _require(actor, Permission.REQUEST_WORK)
    reason = _required_text(reason, "extension_reason")
    request = _load(session, request_id)
    transition = _step(
        session,
        actor=actor,
        request_id=request_id,
        action="request.extend",
        where=[
            _is_open(),
            DataSubjectRequest.extended_due_on.is_(None),
            DataSubjectRequest.due_on >= today,
        ],
        values={
            "extended_due_on": extended_due_date(request.received_on),
            "extension_reason": reason,
        },
    )
    current = transition.request
    if not transition.changed and current.is_open and current.extended_due_on is None:
        raise InvalidRequest("extended_due_on")
    return transition


def reject(*, session: Session, actor: StaffMember, request_id: int, reason: str) -> Transition:
    """Closes an open request as refused; the reason is its resolution (Art 12(4))."""
    _require(actor, Permission.REQUEST_WORK)
    reason = _required_text(reason, "resolution")
    return _step(
        session,
        actor=actor,
        request_id=request_id,
        action="request.reject",
        where=[_is_open()],
        values={
            "status": RequestStatus.REJECTED,
            "resolution": reason,
            "completed_at": utcnow(),
            "handled_by_id": actor.id,
        },
    )


def fulfil(
    *,
    session: Session,
    actor: StaffMember,
    request_id: int,
    resolution: str,
    objection_scope: ObjectionScope | None = None,
) -> Transition:
    """An open request done in the register, saying what was done; it stays due until the
    answer reaches the data subject (record_answer)."""
    _require(actor, Permission.REQUEST_WORK)
    resolution = _required_text(resolution, "resolution")
    return _step(
        session,
        actor=actor,
        request_id=request_id,
        action="request.fulfil",
        where=[_is_open()],
        values={
            "status": RequestStatus.FULFILLED,
            "resolution": resolution,
            "objection_scope": objection_scope,
            "fulfilled_at": utcnow(),
            "handled_by_id": actor.id,
        },
    )


def uphold_marketing_objection(
    *, session: Session, actor: StaffMember, request_id: int, resolution: str, today: date
) -> Transition:
    """An objection to direct marketing (Art 21(2)-(3)) takes effect at once: the person is
    recorded as objecting from `today` (no marketing, off the satisfaction survey's list), and
    the request is fulfilled."""
    request = _load(session, request_id)
    if request.kind is not RequestKind.OBJECTION or request.person_id is None:
        raise InvalidRequest("objection_scope")
    transition = fulfil(
        session=session,
        actor=actor,
        request_id=request_id,
        resolution=resolution,
        objection_scope=ObjectionScope.DIRECT_MARKETING,
    )
    if transition.changed:
        object_to_marketing(session=session, actor=actor, person_id=request.person_id, on=today)
    return transition


def record_answer(
    *,
    session: Session,
    actor: StaffMember,
    request_id: int,
    delivery: AnswerDelivery,
    answered_on: date,
    today: date,
) -> Transition:
    """The answer reached the data subject (by `delivery`, on `answered_on`): the request is
    completed. The day cannot be before the request was received, nor after `today`."""
    _require(actor, Permission.REQUEST_WORK)
    request = _load(session, request_id)
    if answered_on > today or answered_on < request.received_on:
        raise InvalidRequest("answered_on")
    return _step(
        session,
        actor=actor,
        request_id=request_id,
        action="request.complete",
        where=[DataSubjectRequest.status == RequestStatus.FULFILLED],
        values={
            "status": RequestStatus.COMPLETED,
            "answer_delivery": delivery,
            "answered_on": answered_on,
            "completed_at": utcnow(),
        },
    )


def active_controllers(*, session: Session) -> list[StaffMember]:
    """Active staff whose role works requests: they get an alert for each new one."""
    rows = session.scalars(select(Staff).where(Staff.active.is_(True)).order_by(Staff.id))
    return [StaffMember.of(row) for row in rows if role_allows(row.role, Permission.REQUEST_WORK)]


def record_alert(
    *, session: Session, request_id: int, slack_user_id: str, channel_id: str, message_ts: str
) -> None:
    """Remembers where a staff member's message about the request is; a new one replaces it."""
    alert = session.scalar(
        select(RequestAlert).where(
            RequestAlert.request_id == request_id, RequestAlert.slack_user_id == slack_user_id
        )
    )
    if alert is None:
        session.add(
            RequestAlert(
                request_id=request_id,
                slack_user_id=slack_user_id,
                channel_id=channel_id,
                message_ts=message_ts,
            )
        )
    else:
        alert.channel_id = channel_id
        alert.message_ts = message_ts
    session.flush()


def alerts_for(*, session: Session, request_id: int) -> list[AlertRef]:
    rows = session.scalars(
        select(RequestAlert).where(RequestAlert.request_id == request_id).order_by(RequestAlert.id)
    )
    return [AlertRef(row.slack_user_id, row.channel_id, row.message_ts) for row in rows]


def other_open_requests(*, session: Session, person_id: int, request_id: int) -> list[int]:
    """The numbers of the person's open requests besides `request_id`, still to be worked on
    their data: erasing the person first would leave nothing to work them on."""
    return list(
        session.scalars(
            select(DataSubjectRequest.id)
            .where(
                DataSubjectRequest.person_id == person_id,
                DataSubjectRequest.id != request_id,
                DataSubjectRequest.status.in_(OPEN_STATUSES),
            )
            .order_by(DataSubjectRequest.id)
        )
    )


def recipients_to_notify(*, session: Session, person_id: int) -> list[RecipientView]:
    """Each recipient the person's data went to, once, with every category it got."""
    rows = session.scalars(
        select(Disclosure)
        .where(Disclosure.person_id == person_id)
        .order_by(Disclosure.disclosed_at, Disclosure.id)
    )
    merged: dict[tuple[str, RecipientKind], tuple[list[str], datetime]] = {}
    for row in rows:
        categories, _ = merged.get((row.recipient, row.recipient_kind), ([], row.disclosed_at))
        categories.extend(str(c) for c in row.categories if str(c) not in categories)
        merged[(row.recipient, row.recipient_kind)] = (categories, row.disclosed_at)
    return [
        RecipientView(recipient, kind, tuple(categories), last_disclosed_at)
        for (recipient, kind), (categories, last_disclosed_at) in merged.items()
    ]


def coming_due(*, session: Session, today: date, days: int = 7) -> list[RequestView]:
    """Requests not yet answered due within `days` of `today` (the agency's date) and the
    overdue ones, the soonest due first."""
    due = func.coalesce(DataSubjectRequest.extended_due_on, DataSubjectRequest.due_on)
    rows = session.scalars(
        select(DataSubjectRequest)
        .where(
            DataSubjectRequest.status.in_(UNANSWERED_STATUSES),
            due <= today + timedelta(days=days),
        )
        .order_by(due, DataSubjectRequest.id)
    )
    return [_view(session, row) for row in rows]
