"""`/asiakas` (`/customer`): help, a new person, or a search."""

from enum import StrEnum


class CustomerAction(StrEnum):
    HELP = "help"
    NEW = "new"
    SEARCH = "search"


NEW_WORDS = frozenset({"uusi", "new"})
HELP_WORDS = frozenset({"", "ohje", "help"})


def customer_action(text: str) -> CustomerAction:
    word = text.strip().lower()
    if word in HELP_WORDS:
        return CustomerAction.HELP
    if word in NEW_WORDS:
        return CustomerAction.NEW
    return CustomerAction.SEARCH
