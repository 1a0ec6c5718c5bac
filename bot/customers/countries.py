"""Nationalities: the ISO 3166-1 countries (pycountry), named in Finnish or English (babel).

The form offers them through an external select: its options come from `matching_countries`
as the staff member types, at most Slack's 100 an answer, however many countries there are."""

import unicodedata
from functools import cache

import pycountry
from babel import Locale

from bot.slack.text import LOCALES

CODES = frozenset(country.alpha_2 for country in pycountry.countries)
# Finnish sorts å, ä and ö after z; other marks do not change a letter's place.
FINNISH_LAST = {"å": "{0", "ä": "{1", "ö": "{2"}


def sort_key(name: str, language: str) -> str:
    folded = name.casefold()
    if language == "fi":
        folded = "".join(FINNISH_LAST.get(character, character) for character in folded)
    decomposed = unicodedata.normalize("NFD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def country_names(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, in the language's alphabetical order."""
    territories = Locale.parse(LOCALES.get(language, "fi_FI")).territories
    named = [(code, territories.get(code, code)) for code in CODES]
    return tuple(sorted(named, key=lambda pair: sort_key(pair[1], language)))


def country_name(code: str, language: str) -> str:
    return dict(country_names(language)).get(code, code)


# Slack takes at most 100 options in an answer to an external select.
MOST_SUGGESTED = 100


def matching_countries(query: str, language: str) -> list[tuple[str, str]]:
    """(code, name) of the country whose code the query is, then of those whose name begins
    with it, then of those whose name holds it, in alphabetical order; at most MOST_SUGGESTED."""
    wanted = sort_key(query.strip(), language)
    code = query.strip().upper()
    named, starting, holding = [], [], []
    for pair in country_names(language):
        key = sort_key(pair[1], language)
        if pair[0] == code:
            named.append(pair)
        elif key.startswith(wanted):
            starting.append(pair)
        elif wanted in key:
            holding.append(pair)
    return (named + starting + holding)[:MOST_SUGGESTED]
