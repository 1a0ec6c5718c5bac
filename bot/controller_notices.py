"""Direct messages that tell the register's contact persons (every active controller) of
something to look into: a person saved beside a restricted match, a staff member's bulk
look-ups. Public references and staff mentions only, never a name, e-mail or phone.

Every such message goes through `tell_controllers`, run after the listener's transaction has
committed (`unit_of_work.after_commit`, which `tell_controllers_after_commit` arranges), so no
one hears of work that was not saved.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import Translator, translator
from bot.unit_of_work import after_commit
from storage import requests
from storage.db import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ControllerNotice:
    """A message in no language yet: `message` is a msgid, `params` its plain values, and
    `listed` msgids that are translated and joined with commas into the placeholder named."""

    kind: str  # for the log: what the notice is about
    message: str
    params: Mapping[str, str | int] = field(default_factory=dict)
    listed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def text(self, t: Translator) -> str:
        lists = {name: ", ".join(t(item) for item in items) for name, items in self.listed.items()}
        return t(self.message, **self.params, **lists)


def tell_controllers(
    client: WebClient, *, database: Database, notice: ControllerNotice, default_language: str
) -> None:
    """A direct message to every active controller, each in their language. A controller
    Slack refuses is logged by id and skipped: the others are still told."""
    with database.reading() as session:
        controllers = requests.active_controllers(session=session)
    for controller in controllers:
        t = translator(controller.language or default_language)
        try:
            client.chat_postMessage(channel=controller.slack_user_id, text=notice.text(t))
        except SlackApiError as error:
            logger.warning(
                "Notice %s: staff %s not told: %s",
                notice.kind,
                controller.id,
                error.response.get("error"),
            )


def tell_controllers_after_commit(
    client: WebClient, context: BoltContext, notice: ControllerNotice
) -> None:
    """`tell_controllers` once the listener's transaction has committed; never if it rolls back."""
    after_commit(
        context,
        partial(
            tell_controllers,
            client,
            database=context["database"],
            notice=notice,
            default_language=context["default_language"],
        ),
    )
