"""Meetings an advisor logs with a person, each saved once however often it is submitted; none
for a restricted person, whose data is only stored (Art 18)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import NotFound
from storage.models import Meeting, Person, Staff
from storage.models.enums import MeetingKind, Purpose
from storage.permissions import Permission
from storage.restriction import refuse_if_restricted
from storage.search import PersonHit, read_hit
from storage.staff import StaffMember

RECENT_LIMIT = 10
FOLLOW_UP_DAYS = 14
FOLLOW_UP_LIMIT = 20


@dataclass(frozen=True)
class MeetingFields:
    person_id: int
    occurred_at: datetime
    duration_minutes: int | None
    kind: MeetingKind
    topic: str | None
    notes: str | None
    follow_up_on: date | None


@dataclass(frozen=True)
class LoggedMeeting:
    """A saved meeting and whom it was with; `created` is False when the key was seen before."""

    id: int
    person_id: int
    first_name: str
    last_name: str
    occurred_at: datetime
    duration_minutes: int | None
    kind: MeetingKind
    topic: str | None
    follow_up_on: date | None
    created: bool


@dataclass(frozen=True)
class MeetingSummary:
    """A line of a staff member's own list: the meeting and the person's name."""

    id: int
    person_id: int
    first_name: str
    last_name: str
    occurred_at: datetime
    kind: MeetingKind
    topic: str | None
    follow_up_on: date | None


def visible_person(*, session: Session, viewer: StaffMember, person_id: int) -> Person:
    """The person, if the viewer may see them; a restricted record is not there for an advisor."""
    person = session.get(Person, person_id)
    if person is None or (person.restricted and not viewer.can(Permission.PERSON_VIEW_RESTRICTED)):
        raise NotFound("person")
    return person


def _logged(meeting: Meeting, person: Person, *, created: bool) -> LoggedMeeting:
    return LoggedMeeting(
        id=meeting.id,
        person_id=person.id,
        first_name=person.first_name,
        last_name=person.last_name,
        occurred_at=meeting.occurred_at,
        duration_minutes=meeting.duration_minutes,
        kind=meeting.kind,
        topic=meeting.topic,
        follow_up_on=meeting.follow_up_on,
        created=created,
    )


def _by_key(session: Session, idempotency_key: str) -> Meeting | None:
    return session.scalar(select(Meeting).where(Meeting.idempotency_key == idempotency_key))


def log_meeting(
    *, session: Session, actor: StaffMember, fields: MeetingFields, idempotency_key: str
) -> LoggedMeeting:
    """Saves the meeting once per `idempotency_key`; a repeat returns the first one.

    Two requests racing with one key meet at the unique index: the loser's insert fails inside
    its savepoint once the winner commits, and it returns the winner's row.
    """
    person = visible_person(session=session, viewer=actor, person_id=fields.person_id)
    existing = _by_key(session, idempotency_key)
    if existing is not None:
        return _logged(existing, person, created=False)
    refuse_if_restricted(session=session, actor=actor, person=person, action="meeting.log")
    meeting = Meeting(
        person_id=person.id,
        advisor_id=actor.id,
        occurred_at=fields.occurred_at,
        duration_minutes=fields.duration_minutes,
        kind=fields.kind,
        topic=fields.topic,
        notes=fields.notes,
        follow_up_on=fields.follow_up_on,
        idempotency_key=idempotency_key,
    )
    try:
        with session.begin_nested():
            session.add(meeting)
    except IntegrityError:
        existing = _by_key(session, idempotency_key)
        if existing is None:
            raise
        return _logged(existing, person, created=False)
    if fields.occurred_at > person.last_activity_at:
        person.last_activity_at = fields.occurred_at
    session.flush()
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="meeting.log",
        person_id=person.id,
        purpose=Purpose.MEETING_RECORD,
    )
    return _logged(meeting, person, created=True)


def _summaries(viewer: StaffMember) -> Select[Meeting, Person]:
    query = (
        select(Meeting, Person)
        .join(Person, Person.id == Meeting.person_id)
        .where(Meeting.advisor_id == viewer.id)
    )
    if not viewer.can(Permission.PERSON_VIEW_RESTRICTED):
        query = query.where(Person.restricted.is_(False))
    return query


def _summary(meeting: Meeting, person: Person) -> MeetingSummary:
    return MeetingSummary(
        id=meeting.id,
        person_id=person.id,
        first_name=person.first_name,
        last_name=person.last_name,
        occurred_at=meeting.occurred_at,
        kind=meeting.kind,
        topic=meeting.topic,
        follow_up_on=meeting.follow_up_on,
    )


def recent_meetings(
    *, session: Session, viewer: StaffMember, limit: int = RECENT_LIMIT
) -> list[MeetingSummary]:
    """The viewer's own latest meetings, newest first (restricted persons only for those who
    may see them). Reads no audit: the caller records what it shows."""
    query = _summaries(viewer).order_by(Meeting.occurred_at.desc(), Meeting.id.desc()).limit(limit)
    return [_summary(meeting, person) for meeting, person in session.execute(query)]


def follow_ups_due(
    *,
    session: Session,
    viewer: StaffMember,
    today: date,
    days: int = FOLLOW_UP_DAYS,
    limit: int = FOLLOW_UP_LIMIT,
    offset: int = 0,
) -> list[MeetingSummary]:
    """The viewer's follow-ups dated from `today` (the agency's) to `days` ahead, soonest first;
    `offset` skips that many (a further page)."""
    query = (
        _summaries(viewer)
        .where(Meeting.follow_up_on.between(today, today + timedelta(days=days)))
        .order_by(Meeting.follow_up_on, Meeting.occurred_at, Meeting.id)
        .offset(offset)
        .limit(limit)
    )
    return [_summary(meeting, person) for meeting, person in session.execute(query)]


def follow_up_count(
    *, session: Session, viewer: StaffMember, today: date, days: int = FOLLOW_UP_DAYS
) -> int:
    """How many follow-ups `follow_ups_due` pages through."""
    query = (
        _summaries(viewer)
        .where(Meeting.follow_up_on.between(today, today + timedelta(days=days)))
        .with_only_columns(func.count(Meeting.id))
    )
    return session.scalar(query) or 0


def person_for_form(*, session: Session, viewer: StaffMember, person_id: int) -> PersonHit:
    """The person a meeting form opens with, read for recording a meeting (and audited so);
    PersonRestricted for a restricted one, for whom no meeting is logged."""
    person = visible_person(session=session, viewer=viewer, person_id=person_id)
    refuse_if_restricted(session=session, actor=viewer, person=person, action="meeting.form")
    return read_hit(
        session=session,
        viewer=viewer,
        person_id=person_id,
        action="meeting.form",
        purpose=Purpose.MEETING_RECORD,
    )


@dataclass(frozen=True)
class FollowUp:
    """A line of an advisor's follow-up reminder: whom, and what the meeting was about."""

    meeting_id: int
    person_id: int
    person_reference: str
    first_name: str
    last_name: str
    topic: str | None


@dataclass(frozen=True)
class FollowUpReminder:
    """An advisor's follow-ups due on one day: the first ones, and how many more there are."""

    follow_ups: list[FollowUp]
    more: int


def advisors_with_follow_ups(*, session: Session, on: date) -> list[StaffMember]:
    """Active staff members with a follow-up of their own meetings dated `on`."""
    rows = session.scalars(
        select(Staff)
        .where(
            Staff.active.is_(True),
            Staff.id.in_(select(Meeting.advisor_id).where(Meeting.follow_up_on == on)),
        )
        .order_by(Staff.id)
    )
    return [StaffMember.of(row) for row in rows]


def follow_up_reminder(
    *,
    session: Session,
    viewer: StaffMember,
    today: date,
    limit: int = FOLLOW_UP_LIMIT,
    audited: bool = True,
) -> FollowUpReminder:
    """The viewer's follow-ups due `today` (restricted persons only for those who may see
    them), as a reminder to them; each person shown gets a `follow_up.remind` audit event.
    The reminder is audited when it is decided on; rendering it again to deliver it is not
    (`audited=False`)."""
    due = follow_ups_due(session=session, viewer=viewer, today=today, days=0, limit=limit)
    total = session.scalar(
        _summaries(viewer)
        .where(Meeting.follow_up_on == today)
        .with_only_columns(func.count(Meeting.id))
    )
    person_ids = sorted({item.person_id for item in due})
    references = {
        person_id: reference
        for person_id, reference in session.execute(
            select(Person.id, Person.reference).where(Person.id.in_(person_ids))
        )
    }
    if person_ids and audited:
        audit.record_many(
            session=session,
            actor=viewer.slack_user_id,
            action="follow_up.remind",
            person_ids=person_ids,
            purpose=Purpose.CUSTOMER_SERVICE,
        )
    follow_ups = [
        FollowUp(
            meeting_id=item.id,
            person_id=item.person_id,
            person_reference=references[item.person_id],
            first_name=item.first_name,
            last_name=item.last_name,
            topic=item.topic,
        )
        for item in due
    ]
    return FollowUpReminder(follow_ups=follow_ups, more=(total or 0) - len(follow_ups))
