"""Delivering the outbox: claim, render, send, settle, each step its own short transaction, so
no transaction is open while Slack answers.

A message Slack cannot take now (it is down, rate-limits us, cannot be reached) is tried again
after a back-off that doubles with each attempt; one Slack refuses for good (the channel or
the user is gone) ends as failed, its error code logged with ids only.
"""

import copy
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.outbox.render import render
from bot.outbox.rendered import (
    Delete,
    Post,
    PrivateReply,
    Rendered,
    Scene,
    Skip,
    Update,
    Upload,
    Wait,
)
from bot.runtime.settings import Settings
from bot.slack.reply import send_privately
from storage import outbox, requests, slack_copies
from storage.db import Database
from storage.enums import OutboxKind
from storage.outbox import Claimed

logger = logging.getLogger(__name__)

# Slack's answers that say "not now" rather than "never": the message is tried again.
TRANSIENT_ERRORS = frozenset(
    {
        "ratelimited",
        "service_unavailable",
        "internal_error",
        "fatal_error",
        "request_timeout",
        # The bot's own token: once an operator fixes it, the messages still go.
        "not_authed",
        "invalid_auth",
        "token_revoked",
        "token_expired",
        "account_inactive",
    }
)

# Slack's answers when a file or message is already gone: what deleting or redacting it was for.
FILE_GONE = frozenset({"file_not_found", "file_deleted"})
MESSAGE_GONE = frozenset({"message_not_found", "channel_not_found", "cant_update_message"})


def utcnow() -> datetime:
    return datetime.now(UTC)


FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """The wait before the next try, after `attempts` tries: 30 s, 1 min, 2 min, … up to 1 h."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0

    def __add__(self, other: "DeliveryReport") -> "DeliveryReport":
        return DeliveryReport(
            self.delivered + other.delivered,
            self.retrying + other.retrying,
            self.failed + other.failed,
            self.cancelled + other.cancelled,
        )

    def __str__(self) -> str:
        return (
            f"{self.delivered} delivered, {self.retrying} to retry, {self.failed} failed, "
            f"{self.cancelled} cancelled"
        )


@dataclass(frozen=True)
class Sent:
    channel: str | None
    ts: str | None
    file_ids: tuple[str, ...] = ()


class Transient(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# Each agency's bot token, where each agency has a workspace of its own (installed through
# OAuth); None for an agency without one (any more).
BotTokens = Callable[[int | None], str | None]


class Permanent(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class OutboxDeliverer:
    def __init__(
        self,
        *,
        database: Database,
        client: WebClient,
        settings: Settings,
        backoff: Callable[[int], timedelta] = backoff,
        clock: Callable[[], datetime] = utcnow,
        batch: int = outbox.CLAIM_BATCH,
        bot_tokens: BotTokens | None = None,
    ) -> None:
        self.database = database
        self.client = client
        self.settings = settings
        self.backoff = backoff
        self.clock = clock
        self.batch = batch
        self.bot_tokens = bot_tokens

    def for_agency(self, agency: int | None) -> "OutboxDeliverer":
        """Delivers an agency's messages, in its transactions, with its workspace's bot token
        when each workspace has its own (`bot_tokens`)."""
        if agency == self.database.agency:
            return self
        deliverer = copy.copy(self)
        deliverer.database = self.database.acting_for(agency)
        if self.bot_tokens is not None:
            deliverer.client = copy.copy(self.client)
            deliverer.client.token = self.bot_tokens(agency)
        return deliverer

    def deliver(self, ids: Iterable[int]) -> DeliveryReport:
        """The fast path: these messages, just committed, now."""
        ids = list(ids)
        report = DeliveryReport()
        if ids:
            self._deliver_claimed(self._claim(ids=ids, now=self.clock()), report)
        return report

    def deliver_due(self, now: datetime | None = None) -> DeliveryReport:
        """Every message whose time has come, batch after batch, until none is left."""
        now = now or self.clock()
        report = DeliveryReport()
        while claimed := self._claim(ids=None, now=now):
            self._deliver_claimed(claimed, report, now=now)
        return report

    def _claim(self, *, ids: list[int] | None, now: datetime) -> list[Claimed]:
        with self.database.transaction() as session:
            return outbox.claim(session=session, now=now, ids=ids, limit=self.batch)

    def _deliver_claimed(
        self, claimed: list[Claimed], report: DeliveryReport, now: datetime | None = None
    ) -> None:
        for message in claimed:
            try:
                self._deliver_one(message, report, now or self.clock())
            except Exception as error:  # one message must not stop the others
                logger.error(
                    "Outbox message %s (%s) could not be delivered: %s",
                    message.id,
                    message.kind.value,
                    type(error).__name__,
                )
                self._retry(message, type(error).__name__, now or self.clock(), report)

    def _deliver_one(self, message: Claimed, report: DeliveryReport, now: datetime) -> None:
        with self.database.reading() as session:
            rendered = render(Scene(session=session, settings=self.settings, now=now), message)
        if isinstance(rendered, Skip):
            with self.database.transaction() as session:
                outbox.cancelled(session=session, claimed=message, reason=rendered.reason)
            report.cancelled += 1
            return
        if isinstance(rendered, Wait):
            self._retry(message, rendered.reason, now, report)
            return
        try:
            sent = self._send(rendered)
        except Transient as error:
            logger.warning(
                "Outbox message %s (%s) to %s not delivered yet: %s",
                message.id,
                message.kind.value,
                message.recipient,
                error.code,
            )
            self._retry(message, error.code, now, report)
            return
        except Permanent as error:
            logger.warning(
                "Outbox message %s (%s) to %s refused by Slack: %s",
                message.id,
                message.kind.value,
                message.recipient,
                error.code,
            )
            with self.database.transaction() as session:
                outbox.failed(session=session, claimed=message, error=error.code)
            report.failed += 1
            return
        with self.database.transaction() as session:
            settled = outbox.delivered(session=session, claimed=message, now=self.clock())
            self._record(session, message, rendered, sent, settled=settled)
        report.delivered += 1

    def _record(
        self, session: Session, message: Claimed, rendered: Rendered, sent: Sent, *, settled: bool
    ) -> None:
        """What the delivery left in Slack, for later updates, deletion or redaction: recorded
        even when another deliverer took the claim over meanwhile, as it is in Slack all the
        same; an alert only by the holder of the claim, as there is one alert to update."""
        channel = sent.channel or message.recipient
        is_alert = message.kind is OutboxKind.REQUEST_ALERT
        if settled and is_alert and message.request_id is not None and sent.ts:
            requests.record_alert(
                session=session,
                request_id=message.request_id,
                slack_user_id=message.recipient,
                channel_id=channel,
                message_ts=sent.ts,
            )
        if isinstance(rendered, Post) and rendered.names and sent.ts:
            slack_copies.record_message(
                session=session,
                channel_id=channel,
                message_ts=sent.ts,
                kind=message.kind,
                recipient=message.recipient,
                params=message.params,
                person_ids=rendered.names,
            )
        elif isinstance(rendered, Upload):
            slack_copies.record_files(
                session=session,
                slack_file_ids=sent.file_ids,
                channel_id=channel,
                kind=rendered.kind,
                uploaded_for=rendered.recipient,
                keep_until=rendered.keep_until,
                person_ids=rendered.person_ids,
                request_id=rendered.request_id,
            )
        elif isinstance(rendered, Delete):
            slack_copies.mark_file_deleted(session=session, file_id=rendered.file)
        elif isinstance(rendered, Update) and rendered.redacts is not None:
            slack_copies.mark_message_redacted(
                session=session, message_id=rendered.redacts, still_named=rendered.names
            )

    def _retry(self, message: Claimed, code: str, now: datetime, report: DeliveryReport) -> None:
        with self.database.transaction() as session:
            outbox.retry_later(
                session=session,
                claimed=message,
                error=code,
                at=now + self.backoff(message.attempts + 1),
            )
        report.retrying += 1

    def _send(self, rendered: Rendered) -> Sent:
        try:
            return self._call(rendered)
        except SlackApiError as error:
            status = error.response.status_code
            code = str(error.response.get("error") or status)
            if status == 429 or status >= 500 or code in TRANSIENT_ERRORS:
                raise Transient(code) from None
            raise Permanent(code) from None
        except OSError as error:  # unreachable, reset, timed out
            raise Transient(type(error).__name__) from None

    def _call(self, rendered: Rendered) -> Sent:
        if isinstance(rendered, Post):
            response = self.client.chat_postMessage(
                channel=rendered.channel, text=rendered.text, blocks=rendered.blocks
            )
            return Sent(response.get("channel"), response.get("ts"))
        if isinstance(rendered, Update):
            try:
                response = self.client.chat_update(
                    channel=rendered.channel,
                    ts=rendered.ts,
                    text=rendered.text,
                    blocks=rendered.blocks,
                )
            except SlackApiError as error:
                if rendered.redacts is None or error.response.get("error") not in MESSAGE_GONE:
                    raise
                return Sent(rendered.channel, rendered.ts)  # nothing left there to redact
            return Sent(response.get("channel"), response.get("ts"))
        if isinstance(rendered, Delete):
            try:
                self.client.files_delete(file=rendered.slack_file_id)
            except SlackApiError as error:
                if error.response.get("error") not in FILE_GONE:
                    raise
            return Sent(None, None)
        if isinstance(rendered, PrivateReply):
            send_privately(
                self.client,
                user_id=rendered.user_id,
                response_url=rendered.response_url,
                text=rendered.text,
            )
            return Sent(None, None)
        assert isinstance(rendered, Upload)
        channel = rendered.channel
        if channel is None:
            posted = self.client.chat_postMessage(channel=rendered.recipient, text=rendered.comment)
            channel = posted["channel"]
        uploaded = self.client.files_upload_v2(
            channel=channel, initial_comment=rendered.comment, file_uploads=rendered.files
        )
        file_ids = tuple(str(file["id"]) for file in uploaded.get("files") or [])
        return Sent(channel, None, file_ids)
