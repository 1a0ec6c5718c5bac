"""Nationalities: the ISO 3166-1 countries (pycountry), named in Finnish or English (babel)."""

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


def initial(name: str, language: str) -> str:
    """The letter a country is listed under: Å, Ä and Ö of their own in Finnish."""
    key = sort_key(name, language)
    for letter, placed in FINNISH_LAST.items():
        if key.startswith(placed):
            return letter.upper()
    return key[:1].upper()
