"""What a message in the outbox renders to: a post, an update of a message in place, a file
upload, a file's deletion; `Skip` when there is nothing left to say (the request or person
gone, the recipient no longer staff); `Wait` when it must come after a message not yet
delivered (an update before its alert). And the `Scene` every renderer reads the register
through."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from bot.runtime.settings import Settings
from bot.slack.i18n import Translator, translator
from bot.slack.kept_in_slack import keep_until
from storage import agency_settings, requests
from storage import staff as staff_store
from storage.agency_settings import AgencySettings
from storage.enums import SlackFileKind
from storage.outbox import Claimed
from storage.permissions import Permission
from storage.register_description import PeriodsInForce
from storage.requests import RequestView
from storage.staff import StaffMember


@dataclass(frozen=True)
class Post:
    """A message; `names` are the persons it names, recorded so that an erasure finds it."""

    channel: str
    text: str
    blocks: list[Block] | None = None
    names: tuple[int, ...] = ()


@dataclass(frozen=True)
class Update:
    """A message changed in place; `redacts` is the recorded message (storage.slack_copies)
    rendered again after an erasure, and `names` whom it names now."""

    channel: str
    ts: str
    text: str
    blocks: list[Block] = field(default_factory=list)
    redacts: int | None = None
    names: tuple[int, ...] = ()


@dataclass(frozen=True)
class Upload:
    """Files with a comment, in the recipient's direct message with the bot (`channel`, when
    known; otherwise the comment is posted first to find it). They are recorded as `kind`,
    concerning `person_ids` and `request_id`, to be deleted from Slack after `keep_until`."""

    recipient: str
    channel: str | None
    comment: str
    files: list[dict[str, Any]]
    kind: SlackFileKind
    keep_until: datetime
    person_ids: tuple[int, ...] = ()
    request_id: int | None = None


@dataclass(frozen=True)
class Delete:
    """A file the bot uploaded, deleted from Slack (`file` is its record)."""

    file: int
    slack_file_id: str


@dataclass(frozen=True)
class PrivateReply:
    """Seen by `user_id` alone: through the response_url of what opened the form while Slack
    takes it, else as a direct message."""

    user_id: str
    response_url: str | None
    text: str


@dataclass(frozen=True)
class Skip:
    reason: str


@dataclass(frozen=True)
class Wait:
    reason: str


Rendered = Post | Update | Upload | Delete | PrivateReply | Skip | Wait


@dataclass(frozen=True)
class Scene:
    """What every renderer may need: the register (read only), the deployment's settings and
    those in force for the agency the delivery acts for (its own over the deployment's)."""

    session: Session
    settings: Settings
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @cached_property
    def agency(self) -> AgencySettings:
        return agency_settings.effective(
            session=self.session, deployment=self.settings.deployment_defaults
        )

    @property
    def periods_in_force(self) -> PeriodsInForce:
        return self.agency.periods_in_force(slack_file_days=self.settings.slack_file_retention_days)

    def member(self, slack_user_id: str) -> StaffMember | None:
        member = staff_store.find(session=self.session, slack_user_id=slack_user_id)
        return member if member is not None and member.active else None

    def t(self, member: StaffMember | None) -> Translator:
        language = member.language if member else None
        return translator(language or self.agency.default_language)

    def request(self, message: Claimed) -> RequestView | None:
        if message.request_id is None:
            return None
        return requests.request_view(session=self.session, request_id=message.request_id)

    def keep_until(self) -> datetime:
        """Until when a file uploaded now stays in Slack."""
        return keep_until(self.now, self.settings.slack_file_retention_days)

    def day(self, message: Claimed) -> date:
        return date.fromisoformat(message.params["on"])


def works_requests(member: StaffMember | None) -> bool:
    return member is not None and member.can(Permission.REQUEST_WORK)
