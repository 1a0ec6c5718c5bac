"""The persons a new or edited person may duplicate, shown by public reference and what matched,
never by name: the first in the form's warning, all of them a page at a time in a modal pushed
on top of it (a company switchboard number may be shared by a hundred people).

The list travels with the buttons, as ids, references and what matched: turning its pages
reads nothing from the register, and the warning already audited each match."""

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_, Translator
from bot.slack.ids import DUPLICATES, DUPLICATES_PAGE, PERSON_OPEN
from bot.slack.inputs.text import SingleLine
from bot.slack.text import escaped
from storage.persons import DuplicateMatch

MATCHED_ON = {
    "email": N_("same e-mail"),
    "phone_numbers": N_("same phone number"),
    "name_and_birth_date": N_("same name and date of birth"),
}
REASONS = tuple(MATCHED_ON)
PAGE = 20
# A button's value holds at most 2000 characters: the matches past them are counted only.
PACKED_LENGTH = 1900
ENTRY = re.compile(r"^(\d{1,12}):([A-Z0-9-]{1,12}):([1-7])$")
NOT_A_LIST = N_("That button does not name a list of persons.")


class Listed(BaseModel):
    """A match as the buttons carry it."""

    model_config = ConfigDict(frozen=True)

    id: int = Field(gt=0)
    reference: SingleLine = Field(pattern=r"^[A-Z0-9-]{1,12}$")
    matched_on: tuple[Literal["email", "phone_numbers", "name_and_birth_date"], ...]


class DuplicateList(BaseModel):
    model_config = ConfigDict(frozen=True)

    matches: tuple[Listed, ...]
    unlisted: int = Field(default=0, ge=0)  # more matches than a button holds

    @classmethod
    def of(cls, duplicates: Sequence[DuplicateMatch]) -> "DuplicateList":
        listed: list[Listed] = []
        length = 0
        for match in duplicates:
            entry = Listed.model_validate(
                {"id": match.id, "reference": match.reference, "matched_on": match.matched_on}
            )
            length += len(_packed(entry)) + 1
            if length > PACKED_LENGTH:
                break
            listed.append(entry)
        return cls(matches=tuple(listed), unlisted=len(duplicates) - len(listed))

    def pack(self) -> str:
        return f"{self.unlisted}|" + ";".join(_packed(entry) for entry in self.matches)

    @classmethod
    def parse(cls, text: str | None) -> "DuplicateList":
        try:
            unlisted, entries = str(text).split("|", 1)
            matches = []
            for entry in entries.split(";"):
                found = ENTRY.match(entry)
                if found is None:
                    raise ValueError(entry)
                mask = int(found[3])
                reasons = [r for i, r in enumerate(REASONS) if mask & (1 << i)]
                matches.append({"id": found[1], "reference": found[2], "matched_on": reasons})
            return cls.model_validate({"matches": matches, "unlisted": unlisted})
        except ValueError:  # pydantic's ValidationError is one
            raise UserInputError(NOT_A_LIST) from None

    @property
    def total(self) -> int:
        return len(self.matches) + self.unlisted


def _packed(entry: Listed) -> str:
    mask = sum(1 << REASONS.index(reason) for reason in entry.matched_on if reason in REASONS)
    return f"{entry.id}:{entry.reference}:{mask}"


def match_section(match: DuplicateMatch | Listed, t: Translator) -> SectionBlock:
    line = t(
        "%(reference)s has the %(matched)s",
        reference=f"*{escaped(match.reference, 20)}*",
        matched=", ".join(t(MATCHED_ON[reason]) for reason in match.matched_on),
    )
    return SectionBlock(
        text=MarkdownTextObject(text=line),
        accessory=ButtonElement(text=t("Open card"), action_id=PERSON_OPEN, value=str(match.id)),
    )


def duplicates_view(listing: DuplicateList, page: int, t: Translator) -> View:
    """A page of the matches, each with its card a button away, and buttons to the others."""
    pages = max(1, -(-len(listing.matches) // PAGE))
    page = min(max(page, 0), pages - 1)
    start = page * PAGE
    shown = listing.matches[start : start + PAGE]
    blocks: list[Block] = [match_section(match, t) for match in shown]
    where = t.n(
        "%(first)d–%(last)d of %(count)d",
        "%(first)d–%(last)d of %(count)d",
        listing.total,
        first=start + 1 if shown else 0,
        last=start + len(shown),
    )
    if listing.unlisted:
        where += " " + t.n(
            "%(count)d more is not listed: narrow the search with `/asiakas`.",
            "%(count)d more are not listed: narrow the search with `/asiakas`.",
            listing.unlisted,
        )
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=where)]))
    buttons = []
    if page > 0:
        value = str(page - 1)
        buttons.append(
            ButtonElement(text=t("Previous page"), action_id=DUPLICATES_PAGE, value=value)
        )
    if page < pages - 1:
        value = str(page + 1)
        buttons.append(ButtonElement(text=t("Next page"), action_id=DUPLICATES_PAGE, value=value))
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    return View(
        type="modal",
        callback_id=DUPLICATES,
        title=t("Same person?"),
        close=t("Back"),
        private_metadata=listing.pack(),
        blocks=blocks,
    )
