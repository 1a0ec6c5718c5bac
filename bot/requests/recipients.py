"""The recipients who must be told of a rectification, erasure or restriction (Art 19).

A modal or a message shows the first of them; when there are more, the contact person gets
the whole list as a CSV file in a direct message, through the outbox. The list is taken when
the act is done and kept in the outbox message, as an erasure leaves no disclosures to read."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock
from sqlalchemy.orm import Session

from bot.customers.blocks import KIND_NAMES
from bot.customers.card import saved_notice
from bot.customers.fields import OTHER, data_labels
from bot.slack.i18n import N_, Nn_, Translator
from bot.slack.lists import capped, packed_sections
from bot.slack.text import escaped, format_date
from storage import outbox
from storage.enums import OutboxKind, RecipientKind
from storage.requests import RecipientView
from storage.spreadsheets import csv_bytes

RECIPIENT_KINDS = {
    **KIND_NAMES,
    RecipientKind.SURVEY_TOOL: N_("Survey tool"),
    RecipientKind.OTHER: OTHER,
}
# Recipients listed in a modal or a message, in sections of their own; in one section beside
# other text; a recipient's name and the data disclosed, escaped, at most this long.
RECIPIENTS_SHOWN = 15
RECIPIENTS_IN_TEXT = 5
NAME_SHOWN = 120
CATEGORIES_SHOWN = 400

NO_RECIPIENTS = N_("No recipients have received the person's data: nobody else needs telling.")
TELL_RECIPIENTS = N_("Tell these recipients (Art 19):")
REST_IN_FILE = Nn_(
    "And %(count)d more: the whole list comes to your direct messages as a file.",
    "And %(count)d more: the whole list comes to your direct messages as a file.",
)
LIST_IN_FILE = Nn_(
    "%(count)d recipient must be told (Art 19) of what was done to the data of %(reference)s: "
    "the list is in the file.",
    "%(count)d recipients must be told (Art 19) of what was done to the data of %(reference)s: "
    "the list is in the file.",
)
TELL_ABOUT = Nn_(
    "%(count)d recipient must be told (Art 19) of what was done to the data of %(reference)s.",
    "%(count)d recipients must be told (Art 19) of what was done to the data of %(reference)s.",
)


def _categories(recipient: RecipientView, t: Translator) -> str:
    return data_labels(recipient.categories, t)


def recipient_line(recipient: RecipientView, t: Translator) -> str:
    categories = escaped(_categories(recipient, t), CATEGORIES_SHOWN)
    return f"• *{escaped(recipient.recipient, NAME_SHOWN)}* ({categories}), " + t(
        "last on %(date)s", date=format_date(recipient.last_disclosed_at, t.language)
    )


def recipients_text(
    recipients: Sequence[RecipientView], t: Translator, shown: int = RECIPIENTS_IN_TEXT
) -> str:
    """The first `shown` recipients, one a line, and how many more are in the file."""
    if not recipients:
        return t(NO_RECIPIENTS)
    listed, more = capped(recipients, shown)
    lines = [t(TELL_RECIPIENTS), *(recipient_line(r, t) for r in listed)]
    if more:
        lines.append(t.n(*REST_IN_FILE, more))
    return "\n".join(lines)


def recipients_blocks(
    recipients: Sequence[RecipientView], t: Translator, shown: int = RECIPIENTS_SHOWN
) -> list[Block]:
    """As `recipients_text`, in as many sections as the lines need."""
    if not recipients:
        return [SectionBlock(text=MarkdownTextObject(text=t(NO_RECIPIENTS)))]
    listed, more = capped(recipients, shown)
    blocks: list[Block] = [
        *packed_sections([t(TELL_RECIPIENTS), *(recipient_line(r, t) for r in listed)])
    ]
    if more:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=t.n(*REST_IN_FILE, more))]))
    return blocks


def lifted_notice(recipients: Sequence[RecipientView], t: Translator) -> list[Block]:
    """What a card says once its restriction is lifted, with the recipients to tell of it."""
    headline = t(
        "Restriction lifted: the person's data is processed again, and advisors find them."
    )
    return [*saved_notice(headline), *recipients_blocks(recipients, t)]


def summary_text(count: int, reference: str, t: Translator, *, in_file: bool) -> str:
    return t.n(*(LIST_IN_FILE if in_file else TELL_ABOUT), count, reference=escaped(reference, 40))


def recipients_csv(recipients: Sequence[RecipientView], t: Translator) -> bytes:
    header = (t("Recipient"), t("Kind of recipient"), t("Data disclosed"), t("Last disclosed on"))
    return csv_bytes(
        [header]
        + [
            (
                r.recipient,
                t(RECIPIENT_KINDS[r.recipient_kind]),
                _categories(r, t),
                r.last_disclosed_at.date().isoformat(),
            )
            for r in recipients
        ]
    )


def snapshot(recipients: Sequence[RecipientView], reference: str) -> dict[str, Any]:
    """The list as the outbox keeps it until it is delivered."""
    return {
        "reference": reference,
        "recipients": [
            {
                "recipient": r.recipient,
                "recipient_kind": r.recipient_kind.value,
                "categories": list(r.categories),
                "last_disclosed_at": r.last_disclosed_at.isoformat(),
            }
            for r in recipients
        ],
    }


def of_snapshot(params: dict[str, Any]) -> list[RecipientView]:
    return [
        RecipientView(
            recipient=r["recipient"],
            recipient_kind=RecipientKind(r["recipient_kind"]),
            categories=tuple(r["categories"]),
            last_disclosed_at=datetime.fromisoformat(r["last_disclosed_at"]),
        )
        for r in params["recipients"]
    ]


def send_rest_as_file(
    *,
    session: Session,
    controller: str,
    key: str,
    reference: str,
    recipients: Sequence[RecipientView],
    request_id: int | None = None,
    shown: int = RECIPIENTS_SHOWN,
) -> None:
    """When a modal could not list them all: the whole list to the controller as a file."""
    if len(recipients) <= shown:
        return
    outbox.enqueue(
        session=session,
        key=f"recipients-file:{key}:{controller}",
        kind=OutboxKind.RECIPIENTS_TO_TELL,
        recipient=controller,
        request_id=request_id,
        params=snapshot(recipients, reference),
    )
