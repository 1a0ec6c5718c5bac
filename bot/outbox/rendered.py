"""What a message in the outbox renders to: a post, an update of a message in place, a file
upload; `Skip` when there is nothing left to say (the request or person gone, the recipient no
longer staff); `Wait` when it must come after a message not yet delivered (an update before its
alert). And the `Scene` every renderer reads the register through."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from bot.runtime.settings import Settings
from bot.slack.i18n import Translator, translator
from storage import requests
from storage import staff as staff_store
from storage.outbox import Claimed
from storage.permissions import Permission
from storage.requests import RequestView
from storage.staff import StaffMember


@dataclass(frozen=True)
class Post:
    channel: str
    text: str
    blocks: list[Block] | None = None


@dataclass(frozen=True)
class Update:
    channel: str
    ts: str
    text: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Upload:
    """Files with a comment, in the recipient's direct message with the bot (`channel`, when
    known; otherwise the comment is posted first to find it)."""

    recipient: str
    channel: str | None
    comment: str
    files: list[dict[str, Any]]


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


Rendered = Post | Update | Upload | PrivateReply | Skip | Wait


@dataclass(frozen=True)
class Scene:
    """What every renderer may need: the register (read only) and the settings."""

    session: Session
    settings: Settings

    def member(self, slack_user_id: str) -> StaffMember | None:
        member = staff_store.find(session=self.session, slack_user_id=slack_user_id)
        return member if member is not None and member.active else None

    def t(self, member: StaffMember | None) -> Translator:
        language = member.language if member else None
        return translator(language or self.settings.default_language)

    def request(self, message: Claimed) -> RequestView | None:
        if message.request_id is None:
            return None
        return requests.request_view(session=self.session, request_id=message.request_id)

    def day(self, message: Claimed) -> date:
        return date.fromisoformat(message.params["on"])


def works_requests(member: StaffMember | None) -> bool:
    return member is not None and member.can(Permission.REQUEST_WORK)
