"""The worst data the bot accepts, made up for the Block Kit limit tests: every text as long as
its input model allows and full of Slack's markup characters, every list long.

Lengths are read from the bot's own input rules (the person form's MAX_LENGTHS, the meeting and
request models' max lengths, storage's caps), so that a rule loosened there is tested here.
"""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import phonenumbers

from bot.customers.form_inputs import MAX_LENGTHS
from bot.customers.inputs import DISCLOSED_CATEGORIES, RECIPIENT_MAX_LENGTH
from bot.meetings.inputs import NOTES_MAX_LENGTH, TOPIC_MAX_LENGTH
from bot.requests.inputs import (
    CONTACT_MAX_LENGTH,
    DETAILS_MAX_LENGTH,
    NAME_MAX_LENGTH,
    OTHER_PREFIX,
    REASON_MAX_LENGTH,
    VERIFICATION_TEXT_MAX_LENGTH,
)
from bot.slack.ids import PersonField
from storage.audit import Anchor, ChainReport, MissingEvents
from storage.consents import ConsentView
from storage.disclosures import DisclosureView
from storage.enums import (
    ConsentPurpose,
    DataSource,
    Education,
    EmploymentStatus,
    Gender,
    HeardFrom,
    LabourMarketPosition,
    LegalBasis,
    MeetingKind,
    OutboxKind,
    RecipientKind,
    RelationshipKind,
    RequestChannel,
    RequestKind,
    RequestStatus,
    Role,
)
from storage.erasure import ErasureDone, ErasurePlan, KeptGround, KeptRows, TableRows
from storage.home import ControllerOverview, HomeOverview
from storage.home import OpenRequest as HomeRequest
from storage.meetings import FollowUp, FollowUpReminder, LoggedMeeting, MeetingSummary
from storage.outbox import Undelivered
from storage.persons import (
    ConsentLine,
    DisclosureLine,
    DuplicateMatch,
    MeetingLine,
    OpenRequest,
    PersonCard,
    PersonFields,
    RelationshipLine,
)
from storage.phones import MAX_PHONE_NUMBERS
from storage.reports import Period, Report, Row
from storage.requests import RecipientView, RequestView
from storage.retention import DecisionsApplied, RetentionCandidate
from storage.search import MAX_QUERY_LENGTH, TOTAL_CAP, PersonHit, SearchResult
from storage.staff import RoleChange, StaffMember

MANY = 300  # rows of a list that grows with the years
WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
TODAY = date(2026, 3, 14)
REFERENCE = "R-7K3Q9"
STAFF_ID = "U0123456789ABCDEF"


def markup(length: int) -> str:
    """`length` characters of Slack's control characters: five times longer once escaped."""
    return ("&<>" * length)[:length]


def field_text(name: str) -> str:
    return markup(MAX_LENGTHS[name])


def longest_email() -> str:
    local = "&" * 64
    domain = ".".join(["d" * 63, "e" * 63, "f" * 50, "fi"])
    return f"{local}@{domain}"[:254]


def longest_phone_numbers() -> list[str]:
    """As many numbers as a person may have, each among the longest a reader is shown."""
    examples = [
        phonenumbers.example_number_for_type(region, kind)
        for region in phonenumbers.SUPPORTED_REGIONS
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
    ]
    numbers = sorted(
        {
            phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
            for n in examples
            if n is not None
        },
        key=lambda e164: (
            -len(
                phonenumbers.format_number(
                    phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL
                )
            )
        ),
    )
    return numbers[:MAX_PHONE_NUMBERS]


def person_fields() -> PersonFields:
    return PersonFields(
        first_name=field_text(PersonField.FIRST_NAME),
        last_name=field_text(PersonField.LAST_NAME),
        email=longest_email(),
        phone_numbers=longest_phone_numbers(),
        street_address=field_text(PersonField.STREET_ADDRESS),
        postal_code="00100",
        post_office=field_text(PersonField.POST_OFFICE),
        municipality=field_text(PersonField.MUNICIPALITY),
        nationality="GS",  # South Georgia and the South Sandwich Islands: a long name
        gender=Gender.UNDISCLOSED,
        birth_date=date(1950, 12, 31),
        education=Education.UPPER_SECONDARY,
        employment_status=EmploymentStatus.UNEMPLOYED,
        labour_market_position=LabourMarketPosition.OTHER,
        heard_from=HeardFrom.OTHER,
        heard_from_text=field_text(PersonField.HEARD_FROM_TEXT),
        source=DataSource.OTHER,
    )


def person_hit(index: int = 1) -> PersonHit:
    fields = person_fields()
    return PersonHit(
        id=10_000_000 + index,
        reference=REFERENCE,
        first_name=fields.first_name,
        last_name=fields.last_name,
        municipality=fields.municipality,
        last_meeting_at=WHEN,
    )


def search_result() -> SearchResult:
    return SearchResult(
        hits=[person_hit(i) for i in range(10)], total=TOTAL_CAP, total_is_capped=True
    )


def long_query() -> str:
    return markup(MAX_QUERY_LENGTH)


def person_card(*, restricted: bool = True) -> PersonCard:
    return PersonCard(
        id=10_000_000,
        reference=REFERENCE,
        fields=person_fields(),
        responsible_advisor_slack_user_id=STAFF_ID,
        restricted=restricted,
        restricted_since=WHEN,
        retention_hold_until=TODAY,
        created_at=WHEN,
        updated_at=WHEN,
        relationships=[
            RelationshipLine(kind, LegalBasis.LEGITIMATE_INTEREST, TODAY, TODAY)
            for kind in list(RelationshipKind) * (MANY // 3)
        ],
        consents=[
            ConsentLine(purpose, WHEN - timedelta(days=i), WHEN if i % 3 else None)
            for i, purpose in enumerate(list(ConsentPurpose) * (MANY // len(ConsentPurpose)))
        ],
        meetings=[meeting_line() for _ in range(MANY)],
        open_requests=[
            OpenRequest(i, RequestKind.RECTIFICATION, RequestStatus.IN_PROGRESS, TODAY, TODAY)
            for i in range(MANY)
        ],
        meeting_count=MANY,
        disclosures=[disclosure_line(kind) for kind in list(RecipientKind) * (MANY // 5)],
    )


def disclosure_line(kind: RecipientKind = RecipientKind.FINANCIER) -> DisclosureLine:
    return DisclosureLine(
        recipient=markup(RECIPIENT_MAX_LENGTH),
        recipient_kind=kind,
        categories=tuple(DISCLOSED_CATEGORIES),
        disclosed_at=WHEN,
    )


def disclosure_view() -> DisclosureView:
    return DisclosureView(
        id=2**62,
        recipient=markup(RECIPIENT_MAX_LENGTH),
        recipient_kind=RecipientKind.AUTHORITY,
        categories=tuple(DISCLOSED_CATEGORIES),
        disclosed_at=WHEN,
    )


def consent_views() -> list[ConsentView]:
    """Each purpose given, and withdrawn, as the consent form saves them."""
    return [
        ConsentView(purpose, TODAY, withdrawn)
        for purpose in ConsentPurpose
        for withdrawn in (None, TODAY)
    ]


def meeting_line() -> MeetingLine:
    return MeetingLine(
        occurred_at=WHEN,
        kind=MeetingKind.VIDEO,
        duration_minutes=720,
        topic=markup(TOPIC_MAX_LENGTH),
        notes=markup(NOTES_MAX_LENGTH),
        follow_up_on=TODAY,
        advisor_slack_user_id=STAFF_ID,
    )


def form_values() -> dict[str, str | None]:
    """The person form as the edit form fills it in: every value at its longest."""
    from bot.customers.form import values_of
    from storage.persons import EditablePerson

    person = EditablePerson(
        id=1,
        reference=REFERENCE,
        fields=person_fields(),
        relationship_kind=RelationshipKind.STAKEHOLDER,
        legal_basis=LegalBasis.LEGITIMATE_INTEREST,
    )
    return values_of(person)


def duplicates() -> list[DuplicateMatch]:
    return [
        DuplicateMatch(
            id=10_000_000 + i,
            reference=REFERENCE,
            matched_on=("email", "phone_numbers", "name_and_birth_date"),
            restricted=False,
        )
        for i in range(MANY)
    ]


def recipients(count: int = MANY) -> list[RecipientView]:
    kinds = list(RecipientKind)
    return [
        RecipientView(
            recipient=markup(RECIPIENT_MAX_LENGTH),
            recipient_kind=kinds[i % len(kinds)],
            categories=tuple(DISCLOSED_CATEGORIES),
            last_disclosed_at=WHEN,
        )
        for i in range(count)
    ]


def request_view(**changes: object) -> RequestView:
    view = RequestView(
        id=10_000_000,
        kind=RequestKind.RECTIFICATION,
        status=RequestStatus.IN_PROGRESS,
        channel=RequestChannel.IN_PERSON,
        person_id=10_000_000,
        person_reference=REFERENCE,
        requester_name=markup(NAME_MAX_LENGTH),
        requester_contact=markup(CONTACT_MAX_LENGTH),
        details=markup(DETAILS_MAX_LENGTH),
        language="en",
        received_on=TODAY,
        due_on=TODAY,
        extended_due_on=TODAY,
        extension_reason=markup(REASON_MAX_LENGTH),
        identity_verified_at=WHEN,
        identity_verification=OTHER_PREFIX + markup(VERIFICATION_TEXT_MAX_LENGTH),
        filed_by=STAFF_ID,
        handled_by=STAFF_ID,
        resolution=markup(REASON_MAX_LENGTH),
        completed_at=None,
    )
    return replace(view, **changes)  # type: ignore[arg-type]


def erasure_plan() -> ErasurePlan:
    tables = [
        "persons",
        "phone_numbers",
        "relationships",
        "consents",
        "meetings",
        "disclosures",
        markup(63),
    ]
    return ErasurePlan(
        person_id=10_000_000,
        person_reference=REFERENCE,
        deleted=[TableRows(table, 1_000_000) for table in tables],
        kept=[
            KeptRows("data_subject_requests", 1000, KeptGround.ACCOUNTABILITY, True),
            KeptRows("audit_events", 1_000_000, KeptGround.AUDIT_TRAIL, False),
        ],
        recipients=recipients(),
    )


def retention_candidates(count: int) -> list[RetentionCandidate]:
    kinds = [*RelationshipKind, None]
    return [
        RetentionCandidate(10_000_000 + i, REFERENCE, kinds[i % len(kinds)], TODAY)
        for i in range(count)
    ]


def decisions_applied(erased: int) -> DecisionsApplied:
    return DecisionsApplied(
        erased=[ErasureDone(10_000_000 + i, REFERENCE, recipients()) for i in range(erased)],
        held=erased,
        refused=[markup(10)] * erased,
        refused_unknown=erased,
    )


def staff_member(role: Role = Role.ADMIN, *, index: int = 0, active: bool = True) -> StaffMember:
    return StaffMember(
        id=index + 1,
        slack_user_id=f"{STAFF_ID}{index:06d}",
        display_name=markup(80),
        role=role,
        active=active,
        language=None,
    )


def staff_members() -> list[StaffMember]:
    roles = list(Role)
    return [staff_member(roles[i % len(roles)], index=i, active=i % 5 != 0) for i in range(MANY)]


def role_changes(members: list[StaffMember]) -> dict[str, RoleChange]:
    actions = ["staff.grant", "staff.revoke", "staff.bootstrap_admin"]
    return {
        member.slack_user_id: RoleChange(actor=STAFF_ID, action=actions[i % len(actions)], at=WHEN)
        for i, member in enumerate(members)
    }


def chain_report(*, intact: bool) -> ChainReport:
    anchor = Anchor(event_id=2**62, hash="f" * 64, count=2**62, at=WHEN)
    return ChainReport(
        checked=2**62,
        first_broken_id=None if intact else 2**62,
        plain=2**62,
        foreign_epochs=0 if intact else 2**62,
        unverifiable=0 if intact else 2**62,
        missing=None if intact else MissingEvents(anchor, 2**62, True, True),
        head=anchor,
    )


def undelivered() -> Undelivered:
    counts = {kind: 2**40 for kind in OutboxKind}
    return Undelivered(retrying=counts, failed=counts)


def meeting_summary(index: int) -> MeetingSummary:
    fields = person_fields()
    return MeetingSummary(
        id=index,
        person_id=10_000_000 + index,
        first_name=fields.first_name,
        last_name=fields.last_name,
        occurred_at=WHEN,
        kind=MeetingKind.VIDEO,
        topic=markup(TOPIC_MAX_LENGTH),
        follow_up_on=TODAY,
    )


def home_overview(*, controller: bool, page: int = 1) -> HomeOverview:
    from storage.home import REQUEST_LIMIT
    from storage.meetings import FOLLOW_UP_LIMIT, RECENT_LIMIT

    return HomeOverview(
        recent_meetings=[meeting_summary(i) for i in range(RECENT_LIMIT)],
        follow_ups=[meeting_summary(i) for i in range(FOLLOW_UP_LIMIT)],
        controller=ControllerOverview(
            open_requests=[
                HomeRequest(
                    i, RequestKind.RECTIFICATION, RequestStatus.IN_PROGRESS, REFERENCE, TODAY, TODAY
                )
                for i in range(REQUEST_LIMIT)
            ],
            open_request_count=2**40,
            retention_due=2**40,
            undelivered=undelivered(),
        )
        if controller
        else None,
        follow_up_page=page,
        follow_up_count=2**40,
    )


def report() -> Report:
    rows = tuple(Row(markup(MAX_LENGTHS[PersonField.MUNICIPALITY]), 2**40) for _ in range(MANY))
    return Report(
        period=Period(date(2020, 1, 1), date(2026, 12, 31)),
        new_customers=2**40,
        customers_met="< 5",
        meetings="x",
        meetings_by_kind=(*tuple(Row(kind.value, 2**40) for kind in MeetingKind), Row(None, 1)),
        meetings_by_month=tuple(
            Row(f"{2020 + i // 12}-{i % 12 + 1:02d}", 2**40) for i in range(84)
        ),
        breakdowns={
            "municipality": rows,
            "employment_status": tuple(Row(v.value, 2**40) for v in EmploymentStatus),
            "labour_market_position": tuple(Row(v.value, 2**40) for v in LabourMarketPosition),
            "education": tuple(Row(v.value, 2**40) for v in Education),
            "age_band": tuple(Row(markup(20), 2**40) for _ in range(MANY)),
            "gender": tuple(Row(v.value, 2**40) for v in Gender),
            "heard_from": tuple(Row(v.value, 2**40) for v in HeardFrom),
        },
    )


def follow_up_reminder() -> FollowUpReminder:
    from bot.outbox.reminders import FOLLOW_UPS_SHOWN

    fields = person_fields()
    return FollowUpReminder(
        follow_ups=[
            FollowUp(
                i,
                10_000_000 + i,
                REFERENCE,
                fields.first_name,
                fields.last_name,
                markup(TOPIC_MAX_LENGTH),
            )
            for i in range(FOLLOW_UPS_SHOWN)
        ],
        more=2**40,
    )


def coming_due() -> list[RequestView]:
    return [
        request_view(id=i, due_on=TODAY - timedelta(days=i % 3), extended_due_on=None)
        for i in range(MANY)
    ]


def logged_meeting(*, created: bool) -> LoggedMeeting:
    fields = person_fields()
    return LoggedMeeting(
        id=1,
        person_id=1,
        first_name=fields.first_name,
        last_name=fields.last_name,
        occurred_at=WHEN,
        duration_minutes=720,
        kind=MeetingKind.VIDEO,
        topic=markup(TOPIC_MAX_LENGTH),
        follow_up_on=TODAY,
        created=created,
    )


RESPONSE_URL = "https://hooks.slack.com/commands/T0123456789/" + "1" * 40 + "/" + "a" * 120
