"""What the contact person is told, with each access package, of the register description's
items still left open (an empty value or a `[[placeholder]]`): the package tells the person
what the description says, so each open item is a gap in their Art 13-15 information."""

from bot.slack.i18n import Nn_, Translator
from bot.slack.text import escaped
from storage.register_description import OpenItem

OPEN_ITEMS = Nn_(
    "Before you send it: the register description still has %(count)d item left open, which "
    "the package shows as it is: %(items)s. Fill it in the file REGISTER_DESCRIPTION_PATH "
    "names (docs/operations.md, The register description).",
    "Before you send it: the register description still has %(count)d items left open, which "
    "the package shows as they are: %(items)s. Fill them in the file REGISTER_DESCRIPTION_PATH "
    "names (docs/operations.md, The register description).",
)
SHOWN_AT_MOST = 6
# An item's place and value as shown: the agency writes them, so they are escaped and cut.
ITEM_SHOWN = 120


def open_items_text(items: list[OpenItem], language: str, t: Translator) -> str:
    """The package's own language's open items, or "" when there are none."""
    mine = [item for item in items if item.language == language] or items
    if not mine:
        return ""
    named = [
        escaped(f"{item.language}: {item.where} {item.value or '(—)'}", ITEM_SHOWN) for item in mine
    ]
    shown = "; ".join(named[:SHOWN_AT_MOST])
    if len(named) > SHOWN_AT_MOST:
        more = len(named) - SHOWN_AT_MOST
        shown += "; " + t.n("and %(count)s more", "and %(count)s more", more)
    return t.n(*OPEN_ITEMS, len(mine), items=shown)
