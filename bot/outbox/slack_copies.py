"""The end of the copies the bot left in Slack: a file deleted, and a message that named an
erased person rendered again without them (or, with nothing left to say or a message the outbox
does not render, such as a meeting's confirmation, replaced by a note)."""

from collections.abc import Callable

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.outbox.rendered import Delete, Post, Rendered, Scene, Skip, Update
from bot.slack.i18n import N_
from storage import slack_copies
from storage.enums import OutboxKind
from storage.outbox import Claimed

ERASED = N_("This message named a person who has since been erased from the register.")


def delete_file(scene: Scene, message: Claimed) -> Rendered:
    file = slack_copies.file_in_slack(session=scene.session, file_id=message.params["file"])
    if file is None or file.deleted:
        return Skip("already_deleted")
    return Delete(file.id, file.slack_file_id)


def redact_message(
    scene: Scene, message: Claimed, render: Callable[[Scene, Claimed], Rendered]
) -> Rendered:
    """The message as its kind renders it now, the erased person gone from the register."""
    original = slack_copies.message_in_slack(
        session=scene.session, message_id=message.params["message"]
    )
    if original is None:
        return Skip("message_gone")
    again = (
        render(
            scene,
            Claimed(
                id=message.id,
                kind=OutboxKind(original.kind),
                recipient=original.recipient,
                request_id=None,
                params=original.params,
                attempts=0,
                token="",
            ),
        )
        if original.kind in set(OutboxKind)
        else Skip("not_rendered_by_the_outbox")
    )
    if isinstance(again, Post):
        return Update(
            original.channel_id,
            original.message_ts,
            again.text,
            list(again.blocks or []),
            redacts=original.id,
            names=again.names,
        )
    text = scene.t(scene.member(original.recipient))(ERASED)
    return Update(
        original.channel_id,
        original.message_ts,
        text,
        [SectionBlock(text=MarkdownTextObject(text=text))],
        redacts=original.id,
    )
