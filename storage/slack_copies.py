"""The copies of the register's data that the bot leaves in Slack, and their end.

Every file the bot uploads is recorded with where it is, which persons or request it concerns
and until when it stays; every message that names a person is recorded with the persons it
names. A file is deleted from Slack when its time is up or when a person it concerns is erased;
a message is rendered again without the name when a person it names is erased. Both are done by
the outbox after the commit (`OutboxKind.SLACK_FILE_DELETE`, `SLACK_MESSAGE_REDACT`): storage
only decides and records.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage import outbox
from storage.models import Person, SlackFile, SlackFilePerson, SlackMessage, SlackMessagePerson
from storage.models.base import utcnow
from storage.models.enums import OutboxKind, SlackFileKind

# How many days a file the bot uploads stays in Slack unless the settings say otherwise.
DEFAULT_KEPT_DAYS = 14


@dataclass(frozen=True)
class FileInSlack:
    id: int
    slack_file_id: str
    channel_id: str
    deleted: bool


@dataclass(frozen=True)
class MessageInSlack:
    """A message that named someone: where it is, and what it was rendered from."""

    id: int
    channel_id: str
    message_ts: str
    kind: str  # the outbox kind it was rendered as, or what posted it outside the outbox
    recipient: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Removal:
    files: int  # deletions put in the outbox
    messages: int  # redactions put in the outbox


def _existing_persons(session: Session, person_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """The given ids split into persons still in the register and persons gone (erased)."""
    wanted = set(person_ids)
    if not wanted:
        return set(), set()
    found = set(session.scalars(select(Person.id).where(Person.id.in_(wanted))))
    return found, wanted - found


def _enqueue_deletion(session: Session, file: SlackFile) -> bool:
    return outbox.enqueue(
        session=session,
        key=f"slack-file-delete:{file.id}",
        kind=OutboxKind.SLACK_FILE_DELETE,
        recipient=file.uploaded_for,
        params={"file": file.id},
    )


def _enqueue_redaction(session: Session, message: SlackMessage, erased: int | str) -> bool:
    """`erased`: the person erased, or what else was (the whole register)."""
    return outbox.enqueue(
        session=session,
        key=f"slack-message-redact:{message.id}:{erased}",
        kind=OutboxKind.SLACK_MESSAGE_REDACT,
        recipient=message.recipient,
        params={"message": message.id},
    )


def record_files(
    *,
    session: Session,
    slack_file_ids: Iterable[str],
    channel_id: str,
    kind: SlackFileKind,
    uploaded_for: str,
    keep_until: datetime,
    person_ids: Iterable[int] = (),
    request_id: int | None = None,
) -> list[int]:
    """Records files just uploaded. A person erased while the upload was under way is not
    linked: the file is put up for deletion at once instead."""
    present, gone = _existing_persons(session, person_ids)
    ids = []
    for slack_file_id in slack_file_ids:
        file = SlackFile(
            slack_file_id=slack_file_id,
            channel_id=channel_id,
            kind=kind,
            uploaded_for=uploaded_for,
            request_id=request_id,
            keep_until=keep_until,
        )
        session.add(file)
        session.flush()
        session.add_all(SlackFilePerson(file_id=file.id, person_id=p) for p in sorted(present))
        if gone:
            _enqueue_deletion(session, file)
        ids.append(file.id)
    session.flush()
    return ids


def record_message(
    *,
    session: Session,
    channel_id: str,
    message_ts: str,
    kind: str,
    recipient: str,
    params: dict[str, Any],
    person_ids: Iterable[int],
) -> int:
    """Records a message just posted that names these persons. One of them erased while it was
    under way puts the message up for redaction at once."""
    present, gone = _existing_persons(session, person_ids)
    message = SlackMessage(
        channel_id=channel_id,
        message_ts=message_ts,
        kind=str(kind),
        recipient=recipient,
        params=params,
    )
    session.add(message)
    session.flush()
    session.add_all(SlackMessagePerson(message_id=message.id, person_id=p) for p in sorted(present))
    for person_id in sorted(gone):
        _enqueue_redaction(session, message, person_id)
    session.flush()
    return message.id


def remove_copies_of(*, session: Session, person_id: int) -> Removal:
    """Puts up for deletion every file in Slack that concerns the person, and for redaction
    every message that names them: called by an erasure before the person goes."""
    files = session.scalars(
        select(SlackFile)
        .join(SlackFilePerson, SlackFilePerson.file_id == SlackFile.id)
        .where(SlackFilePerson.person_id == person_id, SlackFile.deleted_at.is_(None))
        .order_by(SlackFile.id)
    ).all()
    messages = session.scalars(
        select(SlackMessage)
        .join(SlackMessagePerson, SlackMessagePerson.message_id == SlackMessage.id)
        .where(SlackMessagePerson.person_id == person_id)
        .order_by(SlackMessage.id)
    ).all()
    deleting = sum(_enqueue_deletion(session, file) for file in files)
    redacting = sum(_enqueue_redaction(session, message, person_id) for message in messages)
    return Removal(files=deleting, messages=redacting)


def remove_every_copy(*, session: Session, keep: Collection[SlackFileKind] = ()) -> Removal:
    """Puts up for deletion every file in Slack but those of the kinds `keep`, and for redaction
    every message that names a person: called by the erasure of the whole register, before its
    persons go. The files' and messages' records stay until that is done."""
    files = session.scalars(
        select(SlackFile)
        .where(SlackFile.deleted_at.is_(None), SlackFile.kind.not_in(list(keep)))
        .order_by(SlackFile.id)
    ).all()
    naming = select(SlackMessagePerson.id).where(SlackMessagePerson.message_id == SlackMessage.id)
    messages = session.scalars(
        select(SlackMessage).where(naming.exists()).order_by(SlackMessage.id)
    ).all()
    deleting = sum(_enqueue_deletion(session, file) for file in files)
    redacting = sum(_enqueue_redaction(session, message, "register") for message in messages)
    return Removal(files=deleting, messages=redacting)


def delete_expired(*, session: Session, now: datetime | None = None) -> int:
    """Puts up for deletion every file in Slack whose time is up; how many were put up now."""
    now = now or utcnow()
    expired = session.scalars(
        select(SlackFile)
        .where(SlackFile.deleted_at.is_(None), SlackFile.keep_until <= now)
        .order_by(SlackFile.id)
    )
    return sum(_enqueue_deletion(session, file) for file in expired)


def file_in_slack(*, session: Session, file_id: int) -> FileInSlack | None:
    file = session.get(SlackFile, file_id)
    if file is None:
        return None
    return FileInSlack(
        id=file.id,
        slack_file_id=file.slack_file_id,
        channel_id=file.channel_id,
        deleted=file.deleted_at is not None,
    )


def mark_file_deleted(*, session: Session, file_id: int, now: datetime | None = None) -> None:
    """The file is gone from Slack: no person is linked to it any longer."""
    file = session.get(SlackFile, file_id)
    if file is None:
        return
    if file.deleted_at is None:
        file.deleted_at = now or utcnow()
    session.execute(delete(SlackFilePerson).where(SlackFilePerson.file_id == file_id))
    session.flush()


def message_in_slack(*, session: Session, message_id: int) -> MessageInSlack | None:
    message = session.get(SlackMessage, message_id)
    if message is None:
        return None
    return MessageInSlack(
        id=message.id,
        channel_id=message.channel_id,
        message_ts=message.message_ts,
        kind=message.kind,
        recipient=message.recipient,
        params=dict(message.params),
    )


def mark_message_redacted(
    *,
    session: Session,
    message_id: int,
    still_named: Iterable[int] = (),
    now: datetime | None = None,
) -> None:
    """The message was rendered again: it names `still_named` now, and no one else."""
    message = session.get(SlackMessage, message_id)
    if message is None:
        return
    message.redacted_at = now or utcnow()
    present, _ = _existing_persons(session, still_named)
    session.execute(
        delete(SlackMessagePerson).where(
            SlackMessagePerson.message_id == message_id,
            SlackMessagePerson.person_id.not_in(present),
        )
    )
    linked = set(
        session.scalars(
            select(SlackMessagePerson.person_id).where(SlackMessagePerson.message_id == message_id)
        )
    )
    session.add_all(
        SlackMessagePerson(message_id=message_id, person_id=p) for p in sorted(present - linked)
    )
    session.flush()


def live_files(*, session: Session) -> list[FileInSlack]:
    """Every file still in Slack, oldest first."""
    rows = session.scalars(
        select(SlackFile).where(SlackFile.deleted_at.is_(None)).order_by(SlackFile.id)
    )
    return [
        FileInSlack(id=f.id, slack_file_id=f.slack_file_id, channel_id=f.channel_id, deleted=False)
        for f in rows
    ]
