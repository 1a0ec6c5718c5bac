"""Blocks for `/asiakas`: the short help and the hit list."""

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot import ids
from bot.i18n import Translator
from bot.text import format_date, local_date, mrkdwn_escape, person_name
from storage.search import PersonHit, SearchResult


def customer_help_blocks(t: Translator) -> list[Block]:
    return [
        SectionBlock(
            text=MarkdownTextObject(
                text="\n".join(
                    [
                        t("*Find a person:* `/asiakas virtanen`, an e-mail or a phone number."),
                        t("*Add a person:* `/asiakas uusi`, or the button below."),
                        t("*Log a meeting:* `/tapaaminen virtanen`."),
                    ]
                )
            )
        ),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text=t("New person"), action_id=ids.PERSON_NEW, value="new", style="primary"
                )
            ]
        ),
    ]


def hit_blocks(hit: PersonHit, t: Translator) -> list[Block]:
    details = [f"*{person_name(hit.first_name, hit.last_name)}*", hit.reference]
    if hit.municipality:
        details.append(mrkdwn_escape(hit.municipality))
    if hit.last_meeting_at is not None:
        fallback = format_date(hit.last_meeting_at.date(), t.language)
        details.append(t("last met %(date)s", date=local_date(hit.last_meeting_at, fallback)))
    else:
        details.append(t("no meetings yet"))
    value = str(hit.id)
    return [
        SectionBlock(text=MarkdownTextObject(text=" · ".join(details))),
        ActionsBlock(
            block_id=f"hit_{hit.id}",
            elements=[
                ButtonElement(text=t("Open card"), action_id=ids.PERSON_OPEN, value=value),
                ButtonElement(text=t("Edit"), action_id=ids.PERSON_EDIT, value=value),
                ButtonElement(text=t("Log a meeting"), action_id=ids.MEETING_LOG, value=value),
            ],
        ),
    ]


def hit_list_blocks(query: str, result: SearchResult, t: Translator) -> list[Block]:
    shown = mrkdwn_escape(query)
    if not result.hits:
        return [
            SectionBlock(
                text=MarkdownTextObject(
                    text=t(
                        "No one in the register matches “%(query)s”. Check the spelling, or "
                        "add a new person.",
                        query=shown,
                    )
                )
            ),
            *customer_help_blocks(t)[1:],
        ]
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=t("Best matches for “%(query)s”:", query=shown),
            )
        )
    ]
    for hit in result.hits:
        blocks += hit_blocks(hit, t)
    if result.more > 0:
        more = (
            t("More than %(count)d more match.", count=result.more)
            if result.total_is_capped
            else t("%(count)d more match.", count=result.more)
        )
        refine = t("Refine the search: add a first name, or use an e-mail or a phone number.")
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"{more} {refine}")]))
    blocks.append(
        ContextBlock(
            elements=[MarkdownTextObject(text=t("Only you see this. The look-up is logged."))]
        )
    )
    return blocks


def query_too_short_text(minimum: int, t: Translator) -> str:
    return t("Type at least %(count)d characters to search.", count=minimum)
