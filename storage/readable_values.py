"""Values as a person reads them: moments in the agency's time zone to the minute, days and
countries in the reader's language (Babel's Finnish and British English forms), stored codes
by their names (storage.vocabulary)."""

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time

from storage.vocabulary import (
    COLUMN_VALUES,
    LANGUAGE_NAMES,
    PERSON_FIELDS,
    Words,
    value_label,
)

LOCALES = {"fi": "fi_FI", "en": "en_GB"}
YES = Words("Yes", "Kyllä")
NO = Words("No", "Ei")
# Categories of data a disclosure names beyond the person's own fields.
CATEGORIES: dict[str, Words] = {"name": Words("Name", "Nimi"), **PERSON_FIELDS}


# Moments recorded as a day (a consent given or withdrawn on a date), told as that day.
DAY_ONLY = frozenset({("consents", "given_at"), ("consents", "withdrawn_at")})


def _locale(language: str) -> str:
    return LOCALES.get(language, LOCALES["fi"])


def day(value: date, language: str) -> str:
    """30.11.2026 in Finnish, 30 Nov 2026 in English."""
    return format_date(value, format="medium", locale=_locale(language))


def moment(value: datetime, zone: ZoneInfo, language: str) -> str:
    """30.11.2026 klo 9.30 in Finnish, 30 Nov 2026, 09:30 in English, in `zone`."""
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
    clock = format_time(local, format="short", locale=_locale(language))
    if language == "fi":
        return f"{day(local.date(), language)} klo {clock}"
    return f"{day(local.date(), language)}, {clock}"


def country(code: str, language: str) -> str:
    return Locale.parse(_locale(language)).territories.get(code.upper(), code)


def cell(table: str, column: str, value: Any, zone: ZoneInfo, language: str) -> str:
    """One stored value of `table.column` in words; "" for nothing stored."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return (YES if value else NO).in_(language)
    if isinstance(value, datetime) and (table, column) in DAY_ONLY:
        return day(value.date(), language)
    if isinstance(value, datetime):
        return moment(value, zone, language)
    if isinstance(value, date):
        return day(value, language)
    enumeration = COLUMN_VALUES.get((table, column))
    if enumeration is not None:
        return value_label(enumeration, str(value), language)
    if isinstance(value, StrEnum):
        return value.value
    if (table, column) == ("persons", "nationality"):
        return country(str(value), language)
    if (table, column) == ("data_subject_requests", "language"):
        words = LANGUAGE_NAMES.get(str(value))
        return words.in_(language) if words else str(value)
    if (table, column) == ("disclosures", "categories") and isinstance(value, list):
        return ", ".join(CATEGORIES[c].in_(language) if c in CATEGORIES else str(c) for c in value)
    return str(value)
