"""What the bot has not managed to say for over an hour, by kind and count: shown to the
controllers on the Home tab and under `/rekisteri`, without names or contents."""

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.slack.i18n import N_, Translator
from storage.enums import OutboxKind
from storage.outbox import Undelivered

KIND_NAMES = {
    OutboxKind.REQUEST_ALERT: N_("request alerts"),
    OutboxKind.REQUEST_UPDATE: N_("updates of request alerts"),
    OutboxKind.FILER_OUTCOME: N_("outcomes told to the filer"),
    OutboxKind.ACCESS_PACKAGE: N_("access packages"),
    OutboxKind.RECIPIENTS_TO_TELL: N_("lists of recipients to tell"),
    OutboxKind.FOLLOW_UPS: N_("follow-up reminders"),
    OutboxKind.REQUEST_DEADLINES: N_("deadline reminders"),
    OutboxKind.REQUEST_DEADLINE_COUNTS: N_("deadline counts for the staff channel"),
    OutboxKind.RETENTION_REVIEW: N_("retention reminders for the staff channel"),
    OutboxKind.AUDIT_BROKEN: N_("audit trail alarms"),
}


def _lines(counts: dict[OutboxKind, int], t: Translator) -> list[str]:
    return [
        f"• {t(KIND_NAMES[kind])}: {count}"
        for kind, count in sorted(counts.items(), key=lambda item: list(OutboxKind).index(item[0]))
    ]


def undelivered_blocks(undelivered: Undelivered, t: Translator) -> list[Block]:
    """Nothing when everything went out."""
    if not undelivered.total:
        return []
    heading = t("Messages not delivered for over an hour")
    parts = [f"*{heading}*"]
    if undelivered.retrying:
        parts += [t("Still being retried:"), *_lines(undelivered.retrying, t)]
    if undelivered.failed:
        parts += [t("Refused by Slack, not retried:"), *_lines(undelivered.failed, t)]
    return [
        SectionBlock(text=MarkdownTextObject(text="\n".join(parts))),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t(
                        "The bot retries every minute, less often as time goes on. The log "
                        "names each message's error code; a recipient who left Slack is not "
                        "retried."
                    )
                )
            ]
        ),
    ]
