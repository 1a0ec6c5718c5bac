"""How long a file the bot uploads stays in Slack, and the sentence that says so in the message
that delivers it; files sent to a staff member's direct message, each recorded so that the
daily `slack-files` job deletes it once that day is past (or an erasure, at once); and the
record of a message posted outside the outbox that names a person."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse
from sqlalchemy.orm import Session

from bot.slack.i18n import Nn_, Translator
from bot.slack.text import format_date
from storage import slack_copies
from storage.db import Database
from storage.enums import SlackFileKind

# The kind of a recorded message that no outbox renderer makes: its redaction is a note.
MEETING_CONFIRMATION = "meeting_confirmation"

KEPT_UNTIL = Nn_(
    "The file stays in Slack until %(date)s and is then deleted.",
    "The files stay in Slack until %(date)s and are then deleted.",
)


def keep_until(now: datetime, days: int) -> datetime:
    return now + timedelta(days=days)


def kept_until_text(until: datetime, *, files: int, zone: ZoneInfo, t: Translator) -> str:
    day = until.astimezone(zone).date()
    return t.n(*KEPT_UNTIL, files, date=format_date(day, t.language))


def uploaded_ids(response: SlackResponse) -> list[str]:
    """The Slack ids of the files `files_upload_v2` uploaded."""
    return [str(file["id"]) for file in response.get("files") or []]


def send_files(
    client: WebClient,
    *,
    session: Session,
    to: str,
    comment: str,
    uploads: list[dict[str, Any]],
    kind: SlackFileKind,
    retention_days: int,
    now: datetime,
    zone: ZoneInfo,
    t: Translator,
    person_ids: Iterable[int] = (),
) -> None:
    """Posts `comment` to the staff member `to`, with the sentence that says until when the
    files stay; uploads the files (as `files_upload_v2` takes them) beside it; records each."""
    until = keep_until(now, retention_days)
    text = f"{comment} {kept_until_text(until, files=len(uploads), zone=zone, t=t)}"
    channel = client.chat_postMessage(channel=to, text=text)["channel"]
    uploaded = client.files_upload_v2(channel=channel, file_uploads=uploads)
    slack_copies.record_files(
        session=session,
        slack_file_ids=uploaded_ids(uploaded),
        channel_id=channel,
        kind=kind,
        uploaded_for=to,
        keep_until=until,
        person_ids=person_ids,
    )


def record_named_message(
    database: Database,
    posted: tuple[str, str],
    *,
    kind: str,
    recipient: str,
    person_ids: Iterable[int],
) -> None:
    """In a transaction of its own, after the post: the message that names these persons."""
    channel_id, message_ts = posted
    with database.transaction() as session:
        slack_copies.record_message(
            session=session,
            channel_id=channel_id,
            message_ts=message_ts,
            kind=kind,
            recipient=recipient,
            params={},
            person_ids=person_ids,
        )
