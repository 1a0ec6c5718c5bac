"""What the alert leaves out, for a controller who opens it: who asked, how to reach them, and
what they wrote. Shown in a modal, seen by the one who opened it alone."""

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks.request_form import channel_name, kind_name, reference_text
from bot.i18n import Translator
from bot.ids import PERSON_OPEN
from bot.text import format_date, mrkdwn_escape
from storage.requests import RequestView

# Escaping can make text five times longer; Slack takes 3000 characters a section.
DETAILS_SHOWN = 550
NOTHING = "–"


def _line(label: str, value: str | None) -> str:
    return f"*{label}*\n{mrkdwn_escape(value) if value else NOTHING}"


def request_details_view(request: RequestView, t: Translator) -> View:
    details = request.details or ""
    if len(details) > DETAILS_SHOWN:
        details = details[: DETAILS_SHOWN - 1] + "…"
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=t(
                    "*%(kind)s*, %(reference)s · received on %(received)s by %(channel)s",
                    kind=kind_name(request.kind, t),
                    reference=reference_text(request, t),
                    received=format_date(request.received_on, t.language),
                    channel=channel_name(request.channel, t).lower(),
                )
            )
        ),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=_line(t("Requester's name"), request.requester_name)),
                MarkdownTextObject(
                    text=_line(t("Requester's contact details"), request.requester_contact)
                ),
            ]
        ),
        SectionBlock(text=MarkdownTextObject(text=_line(t("Details"), details))),
    ]
    if request.person_id is not None:
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text=t("Open card"), action_id=PERSON_OPEN, value=str(request.person_id)
                    )
                ]
            )
        )
    return View(
        type="modal",
        title=t("Request #%(number)s", number=request.id),
        close=t("Close"),
        blocks=blocks,
    )
