"""Finnish and English through gettext catalogues; msgids are the English text.

The catalogues are kept as `.po` files and compiled in memory when first used, so there is no
build step and no binary file to keep in step with its source.
"""

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parents[1] / "locale"
DOMAIN = "messages"
LANGUAGES = ("fi", "en")


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where it is used."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message about a number, as N_ does: its singular and plural msgids, for `t.n`."""
    return singular, plural


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as po_file:
        messages = read_po(po_file, locale=language)
    buffer = BytesIO()
    write_mo(buffer, messages)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Translator:
    """`t("Hello, %(name)s", name=...)` in one language; `t.n(...)` for a message with a count."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else LANGUAGES[0]
        self._catalogue = catalogue(self.language)

    def __call__(self, message: str, /, **params: object) -> str:
        translated = self._catalogue.gettext(message)
        return translated % params if params else translated

    def n(self, singular: str, plural: str, count: int, /, **params: object) -> str:
        """`t.n("%(count)d record", "%(count)d records", count)`: the form the language uses
        for `count`, which is also the `count` placeholder unless `params` names it."""
        translated = self._catalogue.ngettext(singular, plural, count)
        return translated % {"count": count, **params}


@cache
def translator(language: str) -> Translator:
    return Translator(language)


class Translators:
    """A translator for a staff member's language, or the agency's default when they chose
    none; in every request's context as `translators`."""

    def __init__(self, default_language: str) -> None:
        self.default_language = default_language

    def __call__(self, language: str | None = None) -> Translator:
        return translator(language or self.default_language)
