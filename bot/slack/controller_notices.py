"""Notices that tell the register's contact persons (every active controller) of something to
look into: a person saved beside a restricted match, a staff member's bulk look-ups. Public
references and staff mentions only, never a name, e-mail or phone.

Every such notice is put in the outbox by `tell_controllers`, in the transaction of the act it
tells of: no one hears of work that was not saved, and a Slack outage delays the notice but
never loses it. It is rendered in each controller's language when it is delivered.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.slack.i18n import Translator
from storage import outbox, requests
from storage.enums import OutboxKind


@dataclass(frozen=True)
class ControllerNotice:
    """A message in no language yet: `message` is a msgid, `params` its plain values, and
    `listed` msgids that are translated and joined with commas into the placeholder named.
    `key` names the act told of, so that it is told once however often the act is retried."""

    kind: str  # for the log: what the notice is about
    key: str
    message: str
    params: Mapping[str, str | int] = field(default_factory=dict)
    listed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A message about a number: its plural msgid, and the param that holds the number.
    plural: str | None = None
    counted: str | None = None

    def text(self, t: Translator) -> str:
        lists = {name: ", ".join(t(item) for item in items) for name, items in self.listed.items()}
        if self.plural is not None and self.counted is not None:
            count = int(self.params[self.counted])
            return t.n(self.message, self.plural, count, **self.params, **lists)
        return t(self.message, **self.params, **lists)

    def as_params(self) -> dict[str, Any]:
        return {**asdict(self), "params": dict(self.params), "listed": dict(self.listed)}

    @classmethod
    def of_params(cls, params: Mapping[str, Any]) -> "ControllerNotice":
        return cls(
            kind=params["kind"],
            key=params["key"],
            message=params["message"],
            params=params["params"],
            listed={name: tuple(items) for name, items in params["listed"].items()},
            plural=params.get("plural"),
            counted=params.get("counted"),
        )


def tell_controllers(*, session: Session, notice: ControllerNotice) -> int:
    """The notice in the outbox for every active controller; how many will be told."""
    controllers = requests.active_controllers(session=session)
    for controller in controllers:
        outbox.enqueue(
            session=session,
            key=f"notice:{notice.key}:{controller.slack_user_id}",
            kind=OutboxKind.CONTROLLER_NOTICE,
            recipient=controller.slack_user_id,
            params=notice.as_params(),
        )
    return len(controllers)
