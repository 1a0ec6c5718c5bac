"""The erasure's confirmation: what the admin typed into the modal, against the workspace's name
(or, for an agency without one, the confirmation word in either language)."""

from typing import Any

from pydantic import BaseModel

from bot.slack.i18n import LANGUAGES, N_, Translator
from bot.slack.ids import REGISTER_ERASE_CONFIRMATION
from bot.slack.inputs.text import SingleLine
from bot.slack.inputs.view_state import InvalidForm, typed_text

# Typed to confirm the erasure of a register whose agency has no name.
ERASE_WORD = N_("ERASE")
NOT_CONFIRMED = N_(
    "This is not what the window asks for, so nothing was erased. Type it as shown, or close "
    "the window to keep the register."
)


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


class ErasureConfirmation(BaseModel):
    typed: SingleLine

    @classmethod
    def read(cls, view: dict[str, Any]) -> "ErasureConfirmation":
        values = (view.get("state") or {}).get("values", {})
        return cls(typed=typed_text(values, REGISTER_ERASE_CONFIRMATION) or "")

    def confirms(self, agency_name: str) -> bool:
        """The name as typed, whatever its case and spacing; for an agency without a name the
        word of either language."""
        if agency_name.strip():
            accepted = {_plain(agency_name)}
        else:
            accepted = {_plain(Translator(language)(ERASE_WORD)) for language in LANGUAGES}
        return _plain(self.typed) in accepted

    def check(self, agency_name: str) -> None:
        """InvalidForm, beside the field, unless the confirmation is right."""
        if not self.confirms(agency_name):
            raise InvalidForm({REGISTER_ERASE_CONFIRMATION: NOT_CONFIRMED})
