"""The outbox's renderers within Slack's limits, with the worst register the bot accepts: a
person with every field at its longest and full of markup, disclosed to hundreds of recipients,
hundreds of requests coming due, a day of follow-ups, hundreds of records due for retention;
in Finnish and English, on both databases. Each renderer must say something here (no Skip)."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bot.customers.form import restricted_duplicate_notice
from bot.outbox import reminders, render, request_messages
from bot.outbox.rendered import Delete, Post, PrivateReply, Rendered, Scene, Update, Upload
from bot.requests.recipients import RECIPIENTS_SHOWN, snapshot
from bot.runtime.settings import Settings
from storage import requests, slack_copies
from storage.enums import (
    LegalBasis,
    MeetingKind,
    OutboxKind,
    RecipientKind,
    RequestChannel,
    RequestKind,
    RequestStatus,
    Role,
    SlackFileKind,
)
from storage.models import DataSubjectRequest, Disclosure, Meeting, Person, PhoneNumber
from storage.outbox import Claimed
from tests.bot.helpers import worst_case as worst
from tests.bot.helpers.block_kit_limits import MESSAGE_TEXT, message_problems
from tests.bot.helpers.renderers import (
    RENDERERS_TESTED,
    THROUGH_THE_DISPATCHER,
    renderer_name,
)
from tests.people import add_person, add_staff

DAY = date(2026, 3, 16)
CONTROLLER = "UCONTROLLERWORST"
Renderer = Callable[[Scene, Claimed], Rendered]


def _claimed(
    kind: OutboxKind, request_id: int | None = None, params: dict[str, Any] | None = None
) -> Claimed:
    return Claimed(
        id=1,
        kind=kind,
        recipient=CONTROLLER,
        request_id=request_id,
        params={"on": DAY.isoformat(), **(params or {})},
        attempts=0,
        token="t",
    )


def _worst_person(session: Session, advisor_id: int) -> Person:
    fields = worst.person_fields()
    person = Person(
        reference=worst.REFERENCE,
        responsible_advisor_id=advisor_id,
        **{
            name: getattr(fields, name)
            for name in fields.__dataclass_fields__
            if name != "phone_numbers"
        },
    )
    person.phone_numbers = [PhoneNumber(number=number) for number in fields.phone_numbers]
    session.add(person)
    session.flush()
    for i in range(worst.MANY):
        session.add(
            Disclosure(
                person_id=person.id,
                recipient=worst.markup(190) + str(i),
                recipient_kind=list(RecipientKind)[i % len(RecipientKind)],
                categories=["first_name", "last_name", "email", "phone_numbers", "birth_date"],
                legal_basis=LegalBasis.CONSENT,
            )
        )
    return person


def _request(session: Session, person: Person, staff_id: int, due_on: date) -> DataSubjectRequest:
    request = DataSubjectRequest(
        kind=RequestKind.RECTIFICATION,
        person_id=person.id,
        person_reference=person.reference,
        requester_name=worst.markup(200),
        requester_contact=worst.markup(254),
        channel=RequestChannel.IN_PERSON,
        language="fi",
        received_on=due_on - timedelta(days=30),
        due_on=due_on,
        extended_due_on=due_on,
        extension_reason=worst.markup(1000),
        status=RequestStatus.IN_PROGRESS,
        identity_verified_at=datetime(2026, 1, 1, tzinfo=UTC),
        identity_verification="other:" + worst.markup(150),
        filed_by_id=staff_id,
        handled_by_id=staff_id,
        details=worst.markup(3000),
        resolution=worst.markup(1000),
    )
    session.add(request)
    session.flush()
    return request


@pytest.fixture(params=["fi", "en"])
def register(session: Session, request: pytest.FixtureRequest) -> dict[str, Any]:
    controller = add_staff(session, CONTROLLER, Role.CONTROLLER, language=request.param)
    person = _worst_person(session, controller.id)
    first = _request(session, person, controller.id, DAY)
    for i in range(worst.MANY):
        _request(session, person, controller.id, DAY + timedelta(days=i % 8 - 1))
    requests.record_alert(
        session=session,
        request_id=first.id,
        slack_user_id=CONTROLLER,
        channel_id="D0123456789",
        message_ts="1700000000.000100",
    )
    for i in range(reminders.FOLLOW_UPS_SHOWN + 5):
        session.add(
            Meeting(
                person_id=person.id,
                advisor_id=controller.id,
                occurred_at=datetime(2026, 3, 1, tzinfo=UTC),
                kind=MeetingKind.VIDEO,
                topic=worst.markup(200),
                follow_up_on=DAY,
                idempotency_key=f"worst-{i}",
            )
        )
    for _ in range(worst.MANY):
        add_person(session, last_activity_at=datetime(2000, 1, 1, tzinfo=UTC))
    session.flush()
    (file_id,) = slack_copies.record_files(
        session=session,
        slack_file_ids=["F0WORST"],
        channel_id="D0123456789",
        kind=SlackFileKind.ACCESS_PACKAGE,
        uploaded_for=CONTROLLER,
        keep_until=datetime(2100, 1, 1, tzinfo=UTC),
        person_ids=[person.id],
    )
    message_id = slack_copies.record_message(
        session=session,
        channel_id="D0123456789",
        message_ts="1700000000.000200",
        kind=OutboxKind.FOLLOW_UPS,
        recipient=CONTROLLER,
        params={"on": DAY.isoformat()},
        person_ids=[person.id],
    )
    session.flush()
    settings = Settings(_env_file=None, database_url="sqlite://", default_language=request.param)  # type: ignore[call-arg]
    return {
        "scene": Scene(session, settings),
        "request_id": first.id,
        "person": person,
        "file": file_id,
        "message": message_id,
    }


def _cases(register: dict[str, Any]) -> list[tuple[Renderer, Claimed]]:
    request_id = register["request_id"]
    notice = restricted_duplicate_notice(
        worst.duplicates()[0], saved_reference=worst.REFERENCE, saved_by=worst.STAFF_ID
    )
    kept = snapshot(worst.recipients(), worst.REFERENCE)
    return [
        (request_messages.request_alert, _claimed(OutboxKind.REQUEST_ALERT, request_id)),
        (request_messages.request_update, _claimed(OutboxKind.REQUEST_UPDATE, request_id)),
        (request_messages.filer_outcome, _claimed(OutboxKind.FILER_OUTCOME, request_id)),
        (
            request_messages.filing_confirmation,
            _claimed(
                OutboxKind.FILING_CONFIRMATION,
                request_id,
                {"alerted": False, "response_url": worst.RESPONSE_URL},
            ),
        ),
        (request_messages.access_package_upload, _claimed(OutboxKind.ACCESS_PACKAGE, request_id)),
        (
            request_messages.portability_package_upload,
            _claimed(OutboxKind.PORTABILITY_PACKAGE, request_id),
        ),
        (request_messages.recipients_to_tell, _claimed(OutboxKind.RECIPIENTS_TO_TELL, request_id)),
        (request_messages.recipients_to_tell, _claimed(OutboxKind.RECIPIENTS_TO_TELL, None, kept)),
        (reminders.follow_ups, _claimed(OutboxKind.FOLLOW_UPS)),
        (reminders.request_deadlines, _claimed(OutboxKind.REQUEST_DEADLINES)),
        (reminders.request_deadline_counts, _claimed(OutboxKind.REQUEST_DEADLINE_COUNTS)),
        (reminders.retention_review, _claimed(OutboxKind.RETENTION_REVIEW)),
        (
            reminders.controller_notice,
            _claimed(OutboxKind.CONTROLLER_NOTICE, None, notice.as_params()),
        ),
        (render.render, _claimed(OutboxKind.SLACK_FILE_DELETE, None, {"file": register["file"]})),
        (
            render.render,
            _claimed(OutboxKind.SLACK_MESSAGE_REDACT, None, {"message": register["message"]}),
        ),
        (
            reminders.audit_broken,
            _claimed(
                OutboxKind.AUDIT_BROKEN,
                None,
                reminders.chain_report_params(worst.chain_report(intact=False)),
            ),
        ),
    ]


def _problems(rendered: Rendered) -> list[str]:
    if isinstance(rendered, Delete):
        return []
    if isinstance(rendered, (Post, Update)):
        return message_problems(rendered.text, rendered.blocks)
    if isinstance(rendered, Upload):
        return message_problems(rendered.comment)
    if isinstance(rendered, PrivateReply):
        return message_problems(rendered.text)
    return [f"said nothing: {rendered}"]


def test_every_renderer_stays_within_slacks_limits(register: dict[str, Any]) -> None:
    cases = _cases(register)
    tested = {renderer_name(renderer) for renderer, _ in cases} | THROUGH_THE_DISPATCHER
    assert tested == RENDERERS_TESTED
    found = {
        renderer_name(renderer): problems
        for renderer, message in cases
        if (problems := _problems(renderer(register["scene"], message)))
    }
    assert found == {}


def test_the_recipients_past_a_message_come_as_a_file(register: dict[str, Any]) -> None:
    message = _claimed(OutboxKind.RECIPIENTS_TO_TELL, register["request_id"])
    rendered = request_messages.recipients_to_tell(register["scene"], message)
    assert isinstance(rendered, Upload)
    rows = rendered.files[0]["content"].decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + worst.MANY
    assert len(rendered.comment) <= MESSAGE_TEXT
    few = snapshot(worst.recipients(RECIPIENTS_SHOWN), worst.REFERENCE)
    listed = request_messages.recipients_to_tell(
        register["scene"], _claimed(OutboxKind.RECIPIENTS_TO_TELL, None, few)
    )
    assert isinstance(listed, Post) and listed.blocks
